"""Flagged facts read as flagged on the resource pages (issue 17, "visible as such on the pages").

A low or unconfirmed statement shows its confidence where it is stated (its own page, its line
among the qualified statements) and where it is linked from: the page of the city an unconfirmed
site is in, of the conference a claim or an unconfirmed declaration is about. Expected entries are
read from the fact base (facts/rivm-facts.md, line numbers in the comments), not from the page
builder.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser


class Sections(HTMLParser):
    """The text of each <section> of a page, keyed by its <h2>."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.heading: list[str] | None = None
        self.current: list[str] | None = None
        self.text: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self.depth += 1
            self.current = []
        elif tag == "h2" and self.current is not None:
            self.heading = []

    def handle_endtag(self, tag):
        if tag == "h2" and self.heading is not None:
            name = " ".join(self.heading).strip()
            self.heading = None
            self.current = self.text.setdefault(name, [])  # type: ignore[assignment]
        elif tag == "section":
            self.depth -= 1
            self.current = None

    def handle_data(self, data):
        if self.heading is not None:
            self.heading.append(data)
        elif self.current is not None:
            self.current.append(data)

    def section(self, name: str) -> str:
        assert name in self.text, (name, sorted(self.text))
        return re.sub(r"\s+", " ", " ".join(self.text[name]))


def page(client, path: str) -> Sections:
    response = client.get(f"/doc/{path}?lang=en")
    assert response.status_code == 200, path
    parsed = Sections()
    parsed.feed(response.get_data(as_text=True))
    return parsed


def test_the_seeds_anderson_agenda_shows_on_the_conference_as_unconfirmed_claims(store_client):
    # facts l.240: new cities, climate neutrality, circular economy, interns' network; unconfirmed
    claims = page(store_client, "conference/2024-anderson").section("Claims recorded, not asserted")
    for theme in (
        "opening the network to new cities",
        "climate neutrality",
        "the circular economy",
        "a network of interns",
    ):
        assert f"4th conference (Anderson 2024) on {theme}: the seed's announcement" in claims
    assert claims.count("Confidence: unconfirmed") == 4


def test_the_2022_conference_shows_the_seeds_restricted_format_and_wishes_flagged(store_client):
    parsed = page(store_client, "conference/2022-queretaro")
    # facts l.94, 474: the seed's "restricted format", where the sources say hybrid
    claims = parsed.section("Claims recorded, not asserted")
    assert "3rd conference held in a restricted format: the seed's words" in claims
    assert "Confidence: unconfirmed" in claims
    # facts l.219: the seed's "wishes of peace and solidarity", found in no other source
    linked = parsed.section("Referenced by")
    assert re.search(
        r"Wishes of peace and solidarity for Ukraine \(2022, the seed's words\) "
        r"\(Confidence: unconfirmed\)",
        linked,
    ), linked


def test_a_city_page_flags_the_unconfirmed_michelin_site_it_links_to(store_client):
    # facts l.157 (Shanghai), l.159 (Phra Pradaeng): sites from the compiler's memory
    for city, site in (
        ("shanghai", "Michelin China headquarters, R&D and tyre plant, Shanghai (unconfirmed)"),
        ("phra-pradaeng", "Siam Michelin plant, Phra Pradaeng (unconfirmed)"),
    ):
        linked = page(store_client, f"city/{city}").section("Referenced by")
        assert f"{site} (Confidence: unconfirmed)" in linked, city


def test_a_link_to_a_sure_resource_carries_no_flag(store_client):
    # facts l.128: Clermont-Ferrand's Michelin sites are sourced, high
    linked = page(store_client, "city/clermont-ferrand").section("Referenced by")
    assert "Les Carmes" in linked and "Confidence" not in linked


def test_the_inferred_co_presidency_shows_low_on_the_persons_page(store_client):
    # facts l.187: Urtaran co-president 2017-19, inferred from the rule, low
    posts = page(store_client, "person/gorka-urtaran").section("Memberships and posts")
    assert re.search(
        r"co-president of the INMC \(2017–2019, inferred\) (\[\d+\] )+Confidence: low", posts
    ), posts


def test_the_seeds_committee_structure_shows_unconfirmed(store_client):
    # facts l.192: 2 co-presidents, 2 vice-presidents, 4 other cities; unconfirmed
    figures = page(store_client, "organization/rivm-executive-committee").section(
        "Reported figures"
    )
    for quantity in ("co-presidents 2", "vice-presidents 2", "other member cities 4"):
        assert re.search(re.escape(quantity) + r" \S+ (\[\d+\] )+unconfirmed", figures), quantity
