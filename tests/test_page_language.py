"""The reader's language on the pages: names instead of IRIs, and a choice that sticks (a browser
clicks through the pages in test_browser.py)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from rdflib import Graph, Literal, URIRef

from rivm_graph.i18n.messages import MESSAGES
from rivm_graph.publish.tables.specs import TABLES

ROOT = Path(__file__).resolve().parent.parent

#: The languages the data's sources are written in, by their name in each interface language.
LANGUAGE_NAMES = {
    "en": {"French", "English", "German", "Spanish"},
    "fr": {"français", "anglais", "allemand", "espagnol"},
    "es": {"francés", "inglés", "alemán", "español"},
}


@pytest.mark.parametrize("lang", LANGUAGE_NAMES)
def test_a_language_value_shows_its_name_not_its_iri(client, lang):
    """dct:language points into the EU Languages authority; the page names the language."""
    for path in ("/doc/declaration/queretaro-2022", "/doc/source/7jours-2018"):
        html = client.get(path, query_string={"lang": lang}).get_data(as_text=True)
        shown = set(re.findall(r'authority/language/[A-Z]{3}"[^>]*>([^<]+)</a>', html))
        assert shown and shown <= LANGUAGE_NAMES[lang], (path, shown)


class Links(HTMLParser):
    """Every link of a page (``<a href>``, form actions with their hidden fields), the values of
    its ``aria-label``s, and its ``lang``."""

    def __init__(self, html: str):
        super().__init__()
        self.links: list[dict[str, str]] = []
        self.forms: list[dict[str, str]] = []
        self.aria_labels: list[str] = []
        self.lang = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = attrs.get("lang", "")
        if "aria-label" in attrs:
            self.aria_labels.append(attrs["aria-label"])
        if tag == "a" and "href" in attrs:
            self.links.append(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action", "")})
        if tag == "input" and attrs.get("type") == "hidden" and self.forms:
            self.forms[-1][attrs["name"]] = attrs.get("value", "")


#: Addresses of this server's pages (HTML for a browser); data and files take no language.
PAGE_PATHS = re.compile(r"^/(|id/[a-z]+/.*|doc/[a-z]+/[^.]*|query|search|ontology|shapes|dumps/)$")

STARTS = [
    "/",
    "/doc/city/cuneo",
    "/doc/conference/2017-clermont-ferrand",
    "/id/city/",
    "/query?example=queretaro-declaration-signatories",
    "/search?q=clermont",
    "/ontology",
    "/doc/city/nowhere",
]


def with_lang(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def page_links(links: Links) -> list[tuple[str, dict[str, list[str]]]]:
    """The links to this server's pages, but the language switch (its links name a language)."""
    found = []
    for attrs in links.links:
        parts = urlsplit(attrs["href"])
        if parts.netloc or not PAGE_PATHS.match(parts.path) or "hreflang" in attrs:
            continue
        found.append((attrs["href"], parse_qs(parts.query)))
    return found


@pytest.mark.parametrize("lang", ["fr", "es"])
@pytest.mark.parametrize("start", STARTS)
def test_a_chosen_language_rides_on_every_link_and_form(client, start, lang):
    html = client.get(with_lang(start, lang)).get_data(as_text=True)
    links = Links(html)
    assert links.lang == lang
    found = page_links(links)
    assert found, "the page links to other pages"
    assert [href for href, query in found if query.get("lang") != [lang]] == []
    for form in links.forms:
        assert form.get("lang") == lang, form


def test_a_negotiated_language_leaves_links_to_negotiate(client):
    """Without ?lang= the page follows Accept-Language, and so do the pages it links to."""
    for start in STARTS:
        response = client.get(start, headers={"Accept-Language": "es"})
        links = Links(response.get_data(as_text=True))
        assert links.lang == "es"
        assert [href for href, query in page_links(links) if "lang" in query] == [], start
        assert all("lang" not in form for form in links.forms)


@pytest.mark.parametrize(
    "path",
    [*STARTS, "/dumps/", "/shapes", "/id/city/clermont-ferrand", "/query?query=SELEC"],
)
def test_every_page_varies_on_accept_language(client, path):
    response = client.get(path, headers={"Accept": "text/html"}, follow_redirects=True)
    assert "Accept-Language" in response.vary, (path, response.headers.get("Vary"))


@pytest.mark.parametrize("lang", ["fr", "es"])
@pytest.mark.parametrize("start", STARTS)
def test_no_interface_word_stays_english(client, start, lang):
    """aria-labels, headings of listings, the footer: in the reader's language."""
    english = {texts["en"] for texts in MESSAGES.values() if texts["en"] != texts[lang]}
    html = client.get(with_lang(start, lang)).get_data(as_text=True)
    links = Links(html)
    assert [label for label in links.aria_labels if label in english] == []
    footer = html[html.index('<footer class="site">') :]
    assert "Data:" not in footer


def test_a_listing_is_titled_in_the_readers_language(client):
    for lang, title in {"en": "Cities", "fr": "Villes", "es": "Ciudades"}.items():
        html = client.get("/id/city/", query_string={"lang": lang}).get_data(as_text=True)
        assert f"<h1>{title}</h1>" in html
        # names in the reader's language, else another: never an IRI
        assert ">https://w3id.org/" not in html


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class TextsWithLanguage(HTMLParser):
    """Every text of a page with the language it is marked as (the nearest ``lang``)."""

    def __init__(self, html: str):
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.texts: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        lang = dict(attrs).get("lang") or (self.stack[-1][1] if self.stack else "")
        self.stack.append((tag, lang or ""))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if data.strip() and self.stack:
            self.texts.append((data.strip(), self.stack[-1][1]))


def _english_only(path: str, predicate, missing: str = "es") -> set[str]:
    """Texts of a Turtle file that exist in English but not in `missing` (read with rdflib)."""
    graph = Graph().parse(ROOT / path)
    found = set()
    for subject in set(graph.subjects(predicate, None)):
        texts = [o for o in graph.objects(subject, predicate) if isinstance(o, Literal)]
        if not any(t.language == missing for t in texts):
            found |= {str(t) for t in texts if t.language == "en"}
    return found


@pytest.mark.parametrize(
    "path, source, predicate",
    [
        ("/ontology", "ontology/rivm.ttl", "http://www.w3.org/2004/02/skos/core#definition"),
        ("/shapes", "shapes/violations.ttl", "http://www.w3.org/ns/shacl#name"),
    ],
)
def test_a_text_shown_in_another_language_says_so(client, path, source, predicate):
    """The ontology's definitions and the shapes' names exist in English and French only: a
    Spanish page that shows one in English marks it lang="en" (WCAG 3.1.2, Language of Parts),
    so a screen reader reads it in English; the French page shows French, unmarked."""
    english = _english_only(source, URIRef(predicate))
    assert english, "the file has texts with no Spanish"
    es = TextsWithLanguage(client.get(path, query_string={"lang": "es"}).get_data(as_text=True))
    shown = [(text, lang) for text, lang in es.texts if text in english]
    assert shown, "the Spanish page falls back on English"
    assert [text for text, lang in shown if lang != "en"] == []
    fr = TextsWithLanguage(client.get(path, query_string={"lang": "fr"}).get_data(as_text=True))
    no_french = _english_only(source, URIRef(predicate), missing="fr")
    assert not [t for t, lang in fr.texts if t in no_french and lang != "en"]


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_the_tables_english_titles_are_marked_english(client, lang):
    """The tables' titles (their CSV on the Web metadata) exist in English only."""
    html = client.get("/tables/", query_string={"lang": lang}).get_data(as_text=True)
    texts = dict(TextsWithLanguage(html).texts)
    assert {texts.get(t.title) for t in TABLES} == {"en"}


def _cookie(response) -> str | None:
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("lang=")]
    return headers[0] if headers else None


def test_a_chosen_language_is_remembered_for_pages_reached_without_it(client):
    """A reader who chose French and later types an address (or follows a bookmark without
    ?lang=) gets the page in French, whatever the browser's Accept-Language says."""
    english = {"Accept-Language": "en"}
    chosen = client.get("/doc/city/cuneo?lang=fr", headers=english)
    cookie = _cookie(chosen)
    assert cookie and cookie.startswith("lang=fr;")
    for attribute in ("Max-Age=31536000", "Path=/", "HttpOnly", "SameSite=Lax"):
        assert attribute in cookie, cookie
    for path in ("/", "/doc/conference/2017-clermont-ferrand", "/id/city/", "/search?q=cuneo"):
        page = client.get(path, headers=english)
        assert Links(page.get_data(as_text=True)).lang == "fr", path
        assert {"Cookie", "Accept-Language"} <= set(page.vary), (path, page.headers["Vary"])
        assert _cookie(page) is None  # set once, when chosen
    # the address still decides over the cookie, and a new choice replaces it
    spanish = client.get("/?lang=es", headers=english)
    assert Links(spanish.get_data(as_text=True)).lang == "es"
    assert _cookie(spanish).startswith("lang=es;")
    assert Links(client.get("/ontology", headers=english).get_data(as_text=True)).lang == "es"


def test_the_remembered_language_is_for_pages_only(client):
    """Data and the SPARQL endpoint answer what the request asks, whatever a browser keeps."""
    client.get("/?lang=fr")
    turtle = client.get("/doc/city/cuneo", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and "Cookie" not in turtle.vary
    json = {"Accept": "application/sparql-results+json"}
    answer = client.get("/sparql?query=ASK{}", headers=json)
    assert answer.status_code == 200 and _cookie(answer) is None and "Cookie" not in answer.vary


@pytest.mark.parametrize("kept", ["de", "", "fr;drop", "x" * 300])
def test_a_cookie_naming_no_language_of_ours_is_ignored(client, kept):
    client.set_cookie("lang", kept)
    page = client.get("/doc/city/cuneo", headers={"Accept-Language": "es"})
    assert page.status_code == 200
    assert Links(page.get_data(as_text=True)).lang == "es"
