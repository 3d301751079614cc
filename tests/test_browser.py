"""A real browser (Playwright driving Debian's Chromium) on the pages people read (the `browser`
and `page` fixtures are in conftest.py; tests/test_accessibility.py audits the same pages).

`make test` installs Chromium when it can; without it these skip (pytest's summary says so in one
line), and in CI (`CI` set) a missing Chromium is a failure.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.conftest import browser_page


def test_home_page_map_shows_the_cities_and_the_timeline(page, live_server):
    page.goto(live_server + "/")
    assert page.locator("h1").first.inner_text() == "International Network of Michelin Cities"
    cities = page.locator("svg a.rivm-map-city")
    assert cities.count() >= 35
    box = page.locator("svg[role=group]").first.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 150, "the map is drawn"
    labelled_by = page.locator("svg[role=group]").first.get_attribute("aria-labelledby")
    title_id = labelled_by.split()[0]
    assert page.locator(f"[id='{title_id}']").text_content().strip(), "a text alternative"
    assert page.get_by_text("1st INMC Conference, Clermont-Ferrand (2017)").count() >= 1
    # Europe, where the world map's markers crowd, has a map of its own where none hides another
    europe = page.locator("svg.rivm-map").nth(1)
    assert europe.get_attribute("aria-labelledby")
    centres = europe.evaluate(
        """svg => [...svg.querySelectorAll('.rivm-map-markers a')].map(a => {
             const r = a.getBoundingClientRect();
             return [r.x + r.width / 2, r.y + r.height / 2, r.width];
           })"""
    )
    assert len(centres) >= 25
    for i, (x, y, w) in enumerate(centres):
        for x2, y2, _ in centres[i + 1 :]:
            assert ((x - x2) ** 2 + (y - y2) ** 2) ** 0.5 >= w, "a marker hides another"


def test_language_switch_changes_interface_and_labels(page, live_server):
    page.goto(live_server + "/doc/city/cuneo")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="fr", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() in ("Coni", "Cuneo")
    assert page.get_by_role("heading", name="Sources").count() == 1
    assert page.get_by_text("Italie").count() >= 1


def test_a_city_page_has_a_locator_map_and_its_sources(page, live_server):
    page.goto(live_server + "/doc/city/clermont-ferrand")
    locator = page.locator("figure.locator svg[role=group]")
    assert locator.count() == 1
    assert locator.locator("a.rivm-map-city, g.rivm-map-city").count() == 1
    assert page.locator("section.sources li").count() >= 3
    page.locator("sup.cite a").first.click()
    assert page.url.split("#")[-1].startswith("source-")


def test_the_ontology_page_documents_terms(page, live_server):
    page.goto(live_server + "/ontology")
    assert page.locator("section.term#City h3").inner_text().startswith("City")
    assert page.locator("section.term").count() >= 90


def test_the_query_page_runs_an_example(page, live_server):
    page.goto(live_server + "/query")
    page.get_by_role("link", name="Signatories of the Querétaro Declaration").first.click()
    page.wait_for_load_state()
    assert page.locator("table tbody tr").count() == 13


def test_the_search_box_works_without_javascript(browser, live_server):
    """From the header of the home page to a city's page, with JavaScript turned off."""
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/")
    box = page.get_by_role("search").get_by_label("Name to search for")
    box.fill("queretaro")
    box.press("Enter")
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/search"
    assert page.locator("h1").inner_text() == "Search"
    first = page.locator("ol.search-results li").first
    assert first.locator(".kind").inner_text().lower() == "city"
    first.get_by_role("link", name="Santiago de Querétaro").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/doc/city/queretaro"
    assert page.locator("h1").inner_text() == "Santiago de Querétaro"
    context.close()


def test_the_language_sticks_while_a_reader_clicks_through(browser, live_server):
    """Chosen once with the switch, French stays through links, a listing, the maps, search and
    the query form."""
    with browser_page(browser, locale="en-GB") as page:
        page.goto(live_server + "/doc/city/cuneo")
        assert page.locator("html").get_attribute("lang") == "en"

        def follow(locator) -> None:
            with page.expect_navigation():
                locator.first.click()
            assert page.locator("html").get_attribute("lang") == "fr", page.url

        follow(page.get_by_role("link", name="fr", exact=True))
        follow(page.get_by_role("link", name="Italie"))
        follow(page.locator("footer.actions a").last)  # every resource of this kind
        follow(page.locator("ul.listing a").first)
        follow(page.locator("header.site a.brand"))
        follow(page.locator("svg.rivm-map a.rivm-map-city"))  # a marker on the world map
        follow(page.locator("header.site a.brand"))
        follow(page.locator("svg.rivm-timeline a"))  # an event on the timeline
        follow(page.locator("header.site a.brand"))
        follow(page.locator("section.intro a"))  # "En savoir plus →"
        box = page.get_by_role("search").get_by_role("searchbox")
        box.fill("valladolid")
        with page.expect_navigation():
            box.press("Enter")
        assert page.locator("html").get_attribute("lang") == "fr"
        follow(page.locator("ol.search-results a"))
        follow(page.locator("header.site nav a"))  # the query page
        with page.expect_navigation():
            page.locator("form button[type=submit]").last.click()
        assert page.locator("html").get_attribute("lang") == "fr"
        follow(page.locator("section.results td a"))
