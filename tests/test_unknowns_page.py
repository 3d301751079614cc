"""The page "What we don't know" (issue 17), in-process: what it lists, in which languages, where
it links. Expected entries are read from the fact base (facts/rivm-facts.md), not from the page
builder."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

PAGE = "/what-we-do-not-know"


class Sections(HTMLParser):
    """The text and links of each <section id=…> of the page."""

    def __init__(self) -> None:
        super().__init__()
        self.current: str | None = None
        self.text: dict[str, list[str]] = {}
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "section" and attributes.get("id"):
            self.current = attributes["id"]
            self.text[self.current] = []
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])

    def handle_endtag(self, tag):
        if tag == "section":
            self.current = None

    def handle_data(self, data):
        if self.current:
            self.text[self.current].append(data)


def read(client, lang: str = "en") -> Sections:
    response = client.get(f"{PAGE}?lang={lang}")
    assert response.status_code == 200
    parsed = Sections()
    parsed.feed(response.get_data(as_text=True))
    return parsed


def section(parsed: Sections, name: str) -> str:
    return re.sub(r"\s+", " ", " ".join(parsed.text[name]))


@pytest.mark.parametrize(
    "lang, title",
    [
        ("en", "What we don't know"),
        ("fr", "Ce que nous ne savons pas"),
        ("es", "Lo que no sabemos"),
    ],
)
def test_the_page_speaks_the_readers_language(client, lang, title):
    html = client.get(f"{PAGE}?lang={lang}").get_data(as_text=True)
    assert f"<h1>{title.replace(chr(39), '&#39;')}</h1>" in html


def test_flagged_statements_are_listed_with_confidence_and_sources(client):
    text = section(read(client), "flagged")
    # facts l.187-188: the inferred co-presidencies, low
    assert "Gorka Urtaran, co-president of the INMC (2017–2019, inferred)" in text
    # facts l.240: the seed's Anderson agenda, unconfirmed claims on the seed
    assert "4th conference (Anderson 2024) on a network of interns" in text
    assert "S-seed-presentation" in text
    # facts l.162: a Michelin site from the compiler's memory, with no source
    assert "Michelin Nyíregyháza plant (unconfirmed)" in text
    assert "none (the compiler's general knowledge)" in text
    # facts l.90: the seed's 2021 virtual conference
    assert "Virtual conference on territorial resilience (2021)" in text


def test_conflicts_show_each_value_beside_its_source(client):
    text = section(read(client), "conflicts")
    # facts l.83 (Montréal May or June 2018), l.166 (Lasarte-Oria 1934 or 1962), l.56-58
    assert "2018-05 — S-clermontinfos-16279" in text and "2018-06 — S-asaimasahiko" in text
    assert "1934 — S-diariomotor" in text and "1962 — S-autonocion" in text
    assert "34 — S-clermontinfos-14455" in text and "44 — S-seed-presentation" in text


def test_cities_without_a_known_site_status_are_told_apart_from_sourced_none(client):
    text = section(read(client), "cities")
    for city in ("Greer", "Guarulhos", "Shanghai", "Zalău"):  # facts l.144, 148, 157, 163
        assert city in text, city
    for city in ("Norman", "Braga", "Regensburg", "Clermont-Ferrand", "Cuneo"):
        assert city not in text, city


def test_every_link_of_the_page_answers(client):
    internal = sorted({h for h in read(client).links if h.startswith("/")})
    assert len(internal) > 50
    broken = []
    for href in internal:
        response = client.get(href)
        if response.status_code == 303:
            response = client.get(response.headers["Location"])
        if response.status_code != 200:
            broken.append((href, response.status_code))
    assert not broken


def test_the_home_page_links_to_it(client):
    assert f'href="{PAGE}?lang=en"' in client.get("/?lang=en").get_data(as_text=True)


def test_corrections_go_to_the_configured_address(app, client):
    assert "RIVM_CORRECTIONS_URL" in section(read(client), "corrections")
    app.config["CORRECTIONS_URL"] = "https://example.org/rivm-graph/issues/new"
    try:
        parsed = read(client)
    finally:
        app.config["CORRECTIONS_URL"] = ""
    assert "https://example.org/rivm-graph/issues/new" in parsed.links
