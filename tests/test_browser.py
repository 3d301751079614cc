"""A real browser (Playwright driving Debian's Chromium) on the pages people read (the `browser`
and `page` fixtures are in conftest.py; tests/test_accessibility.py audits the same pages).

`make test` installs Chromium when it can; without it these skip (pytest's summary says so in one
line), and in CI (`CI` set) a missing Chromium is a failure.
"""

from __future__ import annotations

import ast
import functools
import http.server
import subprocess
import sys
import threading
from urllib.parse import urlencode, urlsplit

import pytest

from tests.conftest import ROOT, browser_page
from tests.system_programs import require_tool


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
    the query form, and is remembered for an address typed without it."""
    with browser_page(browser, locale="en-GB") as page:
        page.goto(live_server + "/doc/city/cuneo")
        assert page.locator("html").get_attribute("lang") == "en"

        def follow(locator) -> None:
            with page.expect_navigation():
                locator.first.click()
            assert page.locator("html").get_attribute("lang") == "fr", page.url

        follow(page.get_by_role("link", name="fr", exact=True))
        follow(page.get_by_role("link", name="Italie"))
        follow(page.locator("footer.actions a[href^='/id/country/']"))  # every country
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
        # remembered: an address typed without ?lang= opens in French too
        page.goto(live_server + "/doc/city/braga")
        assert page.locator("html").get_attribute("lang") == "fr"


COORDINATES = """PREFIX rivm: <https://w3id.org/rivm/ontology#>
PREFIX geo: <http://www.opengis.net/ont/geosparql#>
SELECT ?city ?wkt WHERE { ?city a rivm:City ; geo:hasGeometry/geo:asWKT ?wkt }"""
DATES = """PREFIX rivm: <https://w3id.org/rivm/ontology#>
PREFIX schema: <https://schema.org/>
SELECT ?conference ?start WHERE { ?conference a rivm:Conference ; schema:startDate ?start }"""
#: (query, view link, item drawn, at least how many, the text alternative's start)
PASTED = {
    "map": (COORDINATES, "Map", "a.rivm-map-city", 35, "Map of "),
    "timeline": (DATES, "Timeline", "a.rivm-timeline-event", 5, "Timeline of 5 items"),
}


def watch_csp(page) -> list[str]:
    """The page's (and its frames') reports of a breach of the Content-Security-Policy."""
    breaches: list[str] = []
    page.on("console", lambda m: "Content Security Policy" in m.text and breaches.append(m.text))
    return breaches


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("view", sorted(PASTED))
def test_a_pasted_query_is_shown_on_the_view_its_columns_fit(
    browser, live_server, view, javascript
):
    """A researcher pastes a query (with coordinates, with dates), runs it, picks the map or the
    timeline, and follows its link to share it; with JavaScript on and off, and no breach of the
    page's CSP."""
    query, link, item, at_least, alternative = PASTED[view]
    with browser_page(browser, locale="en-GB", java_script_enabled=javascript) as page:
        breaches = watch_csp(page)
        page.goto(live_server + "/query")
        page.get_by_role("textbox", name="Query").fill(query)  # the editor, or the textarea
        page.get_by_role("button", name="Run").click()
        page.wait_for_load_state()
        assert page.locator("table tbody tr").count() >= at_least
        page.get_by_role("navigation", name="View").get_by_role("link", name=link).click()
        page.wait_for_load_state()
        figure = page.locator(f"figure.result-view-{view}")
        drawn = figure.locator(f"svg {item}")
        assert drawn.count() >= at_least
        box = figure.locator("svg").bounding_box()
        assert box and box["width"] > 300 and box["height"] > 100
        title_id = figure.locator("svg").get_attribute("aria-labelledby").split()[1]
        assert page.locator(f"[id='{title_id}']").text_content().startswith(alternative)
        shared = figure.get_by_role("link", name="Link to this view").get_attribute("href")
        page.goto(live_server + shared)
        assert page.locator(f"figure.result-view-{view} svg {item}").count() == drawn.count()
        assert breaches == []


def test_a_catalogue_query_opens_on_its_timeline(page, live_server):
    page.goto(live_server + "/query?example=conference-timeline")
    events = page.locator("figure.result-view-timeline svg a.rivm-timeline-event")
    assert events.count() == 5
    assert page.get_by_role("link", name="Table").count() == 1


def test_an_embedded_view_shows_in_another_sites_frame(page, live_server, tmp_path):
    """Another site (another origin: another port) frames the embed route; the query page
    itself refuses to be framed."""
    embed = live_server + "/query/embed?example=cities-map&view=map"
    (tmp_path / "index.html").write_text(
        f'<!doctype html><title>other</title><iframe id="ok" src="{embed}" width="960"'
        f' height="600"></iframe><iframe id="no" src="{live_server}/query?example=cities-map">'
        "</iframe>"
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    breaches = watch_csp(page)
    try:
        page.goto(f"http://127.0.0.1:{other.server_address[1]}/index.html")
        framed = page.frame_locator("#ok")
        assert framed.locator("svg a.rivm-map-city").count() >= 35
        assert "Map of 39 places" in framed.locator("figcaption").inner_text()
        with page.context.expect_page() as opened:  # the city's page refuses frames: a new tab
            framed.locator("svg a.rivm-map-city circle").first.click(force=True)
        opened.value.wait_for_load_state()
        assert urlsplit(opened.value.url).path.startswith("/doc/city/")
        no = page.locator("#no").element_handle().content_frame()
        for _ in range(100):  # until the browser has answered the second frame, one way or other
            if no.url not in ("", "about:blank"):
                break
            page.wait_for_timeout(100)
        urls = [f.url for f in page.frames]
        assert no.url.startswith("chrome-error:"), urls  # Chromium's page for a refused frame
        assert embed in urls
        assert not any(u.startswith(live_server + "/query?") for u in urls), urls  # refused
        # the refused frame is reported as a breach of frame-ancestors; the embed itself breaches
        # nothing
        assert [b for b in breaches if "frame-ancestors" not in b] == [], breaches
    finally:
        other.shutdown()
        other.server_close()


EDITOR_BUNDLE = ROOT / "rivm_graph" / "web" / "static" / "editor" / "query-editor.js"


@pytest.fixture
def editor(page, live_server):
    """The query page with its editor (CodeMirror, built by `make editor`), watching for any
    breach of the page's CSP."""
    require_tool(EDITOR_BUNDLE, "the query editor's bundle", "make editor")
    page.csp = []  # type: ignore[attr-defined]
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and page.csp.append(m.text),  # type: ignore[attr-defined]
    )
    page.goto(live_server + "/query")
    page.locator(".cm-editor .cm-content").wait_for()
    yield page
    assert page.csp == [], page.csp  # type: ignore[attr-defined]


def replace_text(page, text: str) -> None:
    page.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)


def complete(page, typed: str, option: str) -> str:
    """Type, pick the completion showing `option`, and return the query as the form sends it."""
    replace_text(page, typed)
    choice = page.locator(".cm-tooltip-autocomplete li", has_text=option).first
    choice.wait_for()
    detail = choice.locator(".cm-completionDetail")
    page.detail = detail.inner_text() if detail.count() else ""  # type: ignore[attr-defined]
    choice.click()
    return page.evaluate("document.getElementById('query').value")


def test_the_editor_highlights_numbers_lines_and_runs_on_ctrl_enter(editor):
    page = editor
    assert page.locator("textarea#query").is_hidden()
    assert page.locator(".cm-lineNumbers .cm-gutterElement").count() >= 5
    keyword = page.locator(".cm-line span", has_text="SELECT").first
    plain = page.locator(".cm-line").first
    assert keyword.evaluate("e => getComputedStyle(e).color") != plain.evaluate(
        "e => getComputedStyle(e).color"
    ), "keywords are highlighted"
    replace_text(page, "SELECT ?c WHERE { ?c a <https://w3id.org/rivm/ontology#Conference> }")
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    assert page.locator("table tbody tr").count() == 5
    assert "Conference" in page.evaluate("document.getElementById('query').value")


def test_typing_over_a_selection_breaches_no_csp(editor):
    """Typed over a selection of highlighted tokens (Ctrl+A, then a key), Chromium's editing
    wraps the new text in an inline style, which the page's CSP blocks and reports (the fixture
    fails on any report); the editor types it itself, closing brackets as it does elsewhere."""
    page = editor
    page.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.type("SELECT ?x WHERE { ?x a ?y }")
    value = "document.getElementById('query').value"
    assert page.evaluate(value) == "SELECT ?x WHERE { ?x a ?y }"
    for key in ("End", "ArrowLeft", "ArrowLeft", "Shift+ArrowLeft", "Shift+ArrowLeft"):
        page.keyboard.press(key)  # "?y" selected
    page.keyboard.type("(")
    assert page.evaluate(value) == "SELECT ?x WHERE { ?x a (?y) }"


def test_the_editor_completes_ontology_terms_and_adds_their_prefix(editor):
    text = complete(editor, "SELECT ?c WHERE { ?c a rivm:Ci", "rivm:City")
    assert editor.detail == "City"
    assert text.startswith("PREFIX rivm: <https://w3id.org/rivm/ontology#>\n")
    assert text.endswith("?c a rivm:City")


def test_the_editor_completes_ontology_properties_with_their_labels(editor):
    text = complete(editor, "SELECT * { ?e rivm:hostC", "rivm:hostCity")
    assert editor.detail == "host city"
    assert text == "PREFIX rivm: <https://w3id.org/rivm/ontology#>\nSELECT * { ?e rivm:hostCity"


def test_the_editor_completes_a_prefix_declaration(editor):
    text = complete(editor, "PREFIX geo", "geo:")
    assert text == "PREFIX geo: <http://www.opengis.net/ont/geosparql#>"


def test_the_editor_completes_resources_by_name_through_the_search(editor):
    text = complete(editor, "SELECT ?p WHERE { <quere", "Santiago de Querétaro")
    assert editor.detail == "City"
    assert text == "SELECT ?p WHERE { <https://w3id.org/rivm/id/city/queretaro>"


def test_hovering_a_term_shows_its_label(editor):
    page = editor
    replace_text(
        page, "PREFIX rivm: <https://w3id.org/rivm/ontology#>\nSELECT * { ?e rivm:hostCity ?c }"
    )
    page.wait_for_function("document.getElementById('query').value.includes('hostCity')")
    page.locator(".cm-line span", has_text="hostCity").first.hover()
    tooltip = page.locator(".query-editor-hover")
    tooltip.wait_for()
    assert tooltip.inner_text().startswith("host city — https://w3id.org/rivm/ontology#hostCity")


def test_the_editor_marks_a_syntax_error_where_the_server_says(editor, live_server):
    page = editor
    page.goto(
        live_server
        + "/query?query="
        + "SELECT%20%3Fx%20WHERE%20%7B%0A%20%20%3Fx%20a%20%3Fy%20.%0A%20%20%3Fx%20%3Fp%0A%7D"
    )
    marked = page.locator(".cm-lintRange-error")
    marked.wait_for()
    assert marked.inner_text() == "}"  # line 4, where Oxigraph stopped
    line = page.locator(".cm-line").filter(has=marked)
    assert line.inner_text() == "}"
    assert page.locator(".cm-lineNumbers .cm-gutterElement", has_text="4").count() == 1


def test_hovering_a_resource_iri_shows_its_name(editor):
    replace_text(editor, "DESCRIBE <https://w3id.org/rivm/id/city/queretaro>")
    editor.wait_for_function("document.getElementById('query').value.includes('queretaro')")
    editor.locator(".cm-line", has_text="queretaro").first.hover(position={"x": 200, "y": 5})
    tooltip = editor.locator(".query-editor-hover")
    tooltip.wait_for()
    assert tooltip.inner_text() == (
        "Santiago de Querétaro — https://w3id.org/rivm/id/city/queretaro"
    )


def test_the_editor_marks_a_syntax_error_at_its_column_inside_a_line(editor, live_server):
    """An undeclared prefix in the middle of line 2: Oxigraph stops at line 2, column 25 (just
    after the name), and the editor marks that very character."""
    query = "SELECT ?x WHERE { ?x a ?y .\n  ?x ?p ?o . ?o rivm:foo ?z }"
    editor.goto(live_server + "/query?" + urlencode({"query": query}))
    marked = editor.locator(".cm-lintRange-error")
    marked.wait_for()
    before = marked.evaluate(
        """m => { const line = m.closest('.cm-line'); const r = document.createRange();
                  r.setStart(line, 0); r.setEnd(m, 0); return r.toString(); }"""
    )
    assert before == "  ?x ?p ?o . ?o rivm:foo"  # 24 characters: the mark is column 25
    assert marked.evaluate("m => m.closest('.cm-line').textContent") == query.split("\n")[1]


#: The 13 signatories of the Querétaro Declaration (facts/rivm-facts.md, "Signatories (13)").
SIGNATORIES = {
    "https://w3id.org/rivm/id/city/" + slug
    for slug in (
        "county-of-kings",
        "clermont-ferrand",
        "homburg",
        "karlsruhe",
        "regensburg",
        "cuneo",
        "queretaro",
        "braga",
        "aranda-de-duero",
        "valladolid",
        "vitoria-gasteiz",
        "anderson",
        "norman",
    )
}


@pytest.mark.parametrize("snippet", ["python-sparqlwrapper", "python-requests"])
def test_a_python_snippet_copied_from_the_page_runs_as_is(browser, live_server, snippet):
    """A researcher opens the code under an answer, selects a Python snippet, copies it (the
    clipboard, as Ctrl+C fills it) and runs it: it prints the same rows."""
    with browser_page(
        browser, locale="en-GB", permissions=["clipboard-read", "clipboard-write"]
    ) as page:
        page.goto(live_server + "/query?example=queretaro-declaration-signatories")
        page.get_by_text("Run this query from a program").click()
        code = page.locator(f"#snippet-{snippet} code")
        assert code.is_visible()
        code.select_text()
        page.keyboard.press("Control+c")
        copied = page.evaluate("navigator.clipboard.readText()")
    assert live_server + "/sparql" in copied
    done = subprocess.run(
        [sys.executable, "-c", copied], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    rows = [ast.literal_eval(line) for line in done.stdout.splitlines()]
    assert len(rows) == 13
    assert {row["city"] for row in rows} == SIGNATORIES
