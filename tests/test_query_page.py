"""The query page: works offline and without JavaScript, in the reader's language."""

from __future__ import annotations

import csv
import io
import subprocess
import urllib.parse
from html.parser import HTMLParser

from tests.conftest import CHROMIUM_ARGS
from tests.system_programs import require
from tests.test_sparql_protocol import local_fetch


class Page(HTMLParser):
    """Links, table cells and external asset references of an HTML page."""

    def __init__(self, html: str):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.cells: list[str] = []
        self.assets: list[str] = []
        self._href: str | None = None
        self._text: list[str] = []
        self._in_cell = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self._href, self._text = attrs.get("href"), []
        if tag in ("td", "th"):
            self._in_cell, self._text = True, []
        if tag in ("script", "img") and attrs.get("src"):
            self.assets.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.assets.append(attrs["href"])

    def handle_data(self, data):
        self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip()))
            self._href = None
        if tag == "td":
            self.cells.append("".join(self._text).strip())
            self._in_cell = False


def page(client, path: str, **headers) -> tuple[int, Page, str]:
    status, _, body = local_fetch(client, path, headers=headers)
    html = body.decode()
    return status, Page(html), html


def test_page_lists_every_example_with_its_title(store_client, catalogue):
    status, parsed, html = page(store_client, "/query")
    assert status == 200 and "<textarea" in html
    texts = {text for _, text in parsed.links}
    for query in catalogue:
        assert query.title("en") in texts


def test_titles_follow_the_readers_language(store_client, catalogue):
    _, parsed, _ = page(store_client, "/query", **{"Accept-Language": "fr-FR,fr;q=0.9"})
    texts = {text for _, text in parsed.links}
    assert all(q.title("fr") in texts for q in catalogue)
    _, parsed, html = page(store_client, "/query?lang=es")
    assert '<html lang="es">' in html and "Consultas de ejemplo" in html


def test_an_example_runs_and_shows_labels_linking_to_resource_pages(store_client):
    status, parsed, html = page(store_client, "/query?example=queretaro-declaration-signatories")
    assert status == 200
    assert ("/id/city/clermont-ferrand", "Clermont-Ferrand") in parsed.links
    assert "13" in html


def test_download_links_give_each_format(store_client):
    _, parsed, _ = page(store_client, "/query?example=queretaro-declaration-signatories")
    downloads = {text: href for href, text in parsed.links if href.startswith("/sparql?")}
    assert set(downloads) == {"SPARQL JSON", "SPARQL XML", "CSV", "TSV"}  # rdf/formats labels
    status, headers, body = local_fetch(store_client, downloads["CSV"])
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert len(rows) == 14  # header and 13 signatories


def test_the_share_link_reproduces_the_query(store_client):
    query = "SELECT ?s WHERE { ?s a <https://w3id.org/rivm/ontology#Conference> } ORDER BY ?s"
    _, parsed, _ = page(store_client, "/query?" + urllib.parse.urlencode({"query": query}))
    share = next(href for href, text in parsed.links if text == "Link to this query")
    shared_query = urllib.parse.parse_qs(urllib.parse.urlsplit(share).query)["query"][0]
    assert shared_query == query
    _, again, _ = page(store_client, share)
    assert len([c for c in again.cells if c]) == 5


def test_a_syntax_error_is_shown_on_the_page(store_client):
    status, _, html = page(
        store_client, "/query?" + urllib.parse.urlencode({"query": "SELECT ?x {"})
    )
    assert status == 200
    assert "line 1, column" in html and 'role="alert"' in html


def test_a_graph_outside_the_dataset_is_named_on_the_page(store_client):
    query = "SELECT ?s FROM <http://example.org/mistyped> WHERE { ?s ?p ?o }"
    status, _, html = page(store_client, "/query?" + urllib.parse.urlencode({"query": query}))
    assert status == 200 and 'role="alert"' not in html
    assert "read as empty graphs: &lt;http://example.org/mistyped&gt;" in html


def test_a_construct_query_shows_turtle(store_client):
    _, parsed, html = page(store_client, "/query?example=construct-conferences-as-schema-events")
    assert "schema:Event" in html or "https://schema.org/Event" in html
    assert {"Turtle", "N-Triples", "JSON-LD", "RDF/XML"} <= {t for _, t in parsed.links}


def test_no_asset_comes_from_another_host(store_client):
    _, parsed, _ = page(store_client, "/query")
    assert parsed.assets
    assert all(a.startswith("/") for a in parsed.assets)


def test_a_real_browser_renders_the_results_table(live_server, tmp_path):
    # Chromium loads the page over HTTP: a real server.
    chromium = require("chromium")
    url = live_server + "/query?example=cities-by-country"
    done = subprocess.run(
        [chromium, "--headless", *CHROMIUM_ARGS, f"--user-data-dir={tmp_path}", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    dom = Page(done.stdout)
    assert ("/id/city/clermont-ferrand", "Clermont-Ferrand") in dom.links
    assert len(dom.cells) > 40
