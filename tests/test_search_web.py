"""/search: the box in every page's header, the results page and the JSON lookup API, in-process
(the `client` fixture), and over real HTTP where the process model or the budgets matter.

Expected IRIs, names and summaries were read in data/*.ttl by a person (city:queretaro is
"Santiago de Querétaro", altLabel "Querétaro", in country:mx), never produced by the code under
test.
"""

from __future__ import annotations

import json
import urllib.parse
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import running_server
from tests.test_query_page import Page
from tests.test_sparql_protocol import fetch

ID = "https://w3id.org/rivm/id/"
RIVM = "https://w3id.org/rivm/ontology#"
HIT_FIELDS = {"iri", "label", "kind", "summary", "matched", "matchedLang", "match", "score", "href"}


class Forms(HTMLParser):
    """Each form of a page: its attributes and the names of its fields."""

    def __init__(self, html: str):
        super().__init__()
        self.forms: list[tuple[dict, list[str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append((attrs, []))
        if tag in ("input", "select", "textarea") and self.forms and attrs.get("name"):
            self.forms[-1][1].append(attrs["name"])


class Results(HTMLParser):
    """The result links of a search page (inside ol.search-results), in order."""

    def __init__(self, html: str):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._inside = False
        self._href: str | None = None
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "ol" and "search-results" in (attrs.get("class") or ""):
            self._inside = True
        if tag == "a" and self._inside:
            self._href, self._text = attrs.get("href"), []

    def handle_data(self, data):
        self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "ol":
            self._inside = False
        if tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._text).strip()))
            self._href = None


def search(client, **params):
    return client.get("/search?" + urllib.parse.urlencode(params, doseq=True))


def search_json(client, **params) -> dict:
    response = search(client, format="json", **params)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "application/json"
    return response.get_json()


def result_links(response) -> list[tuple[str, str]]:
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    return Results(response.get_data(as_text=True)).links


# ---- the box


@pytest.mark.parametrize("path", ["/", "/doc/city/queretaro", "/query", "/id/city/", "/search"])
def test_the_search_box_is_in_the_header_of_every_page(client, path):
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    header = html[html.index("<header") : html.index("</header>")]
    forms = Forms(header).forms
    assert [(f.get("action"), f.get("method"), f.get("role")) for f, _ in forms] == [
        ("/search", "get", "search")
    ]
    assert "q" in forms[0][1]
    assert "<script" not in html.split("</head>")[1], "no JavaScript needed"


def test_the_box_keeps_the_readers_language(client):
    html = client.get("/doc/city/cuneo?lang=fr").get_data(as_text=True)
    header = html[html.index("<header") : html.index("</header>")]
    assert '<input type="hidden" name="lang" value="fr">' in header
    assert ">Rechercher</button>" in header


# ---- the results page


def test_queretaro_finds_the_citys_page(client):
    response = search(client, q="queretaro")
    assert result_links(response)[0] == ("/id/city/queretaro", "Santiago de Querétaro")
    html = response.get_data(as_text=True)
    first = html[html.index('<ol class="search-results"') :].split("</li>")[0]
    assert '<span class="kind">City</span>' in first
    assert '<p class="summary">Mexico</p>' in first
    assert 'value="queretaro"' in html  # the box shows what was typed


def test_the_results_page_leads_to_the_resource_page(client):
    href, _ = result_links(search(client, q="queretaro"))[0]
    response = client.get(href, follow_redirects=True)
    assert response.status_code == 200
    assert "<h1>Santiago de Querétaro</h1>" in response.get_data(as_text=True)


def test_words_without_their_punctuation(client):
    assert result_links(search(client, q="clermont ferrand"))[0] == (
        "/id/city/clermont-ferrand",
        "Clermont-Ferrand",
    )


def test_prefix_mode_for_autocompletion(client):
    assert result_links(search(client, q="vall", prefix="true"))[0] == (
        "/id/city/valladolid",
        "Valladolid",
    )
    assert search_json(client, q="vall", prefix="true")["hits"][0]["iri"] == ID + "city/valladolid"
    # without it "vall" is a word no name has
    response = search(client, q="vall")
    assert result_links(response) == []
    assert "Nothing was found for “vall”." in response.get_data(as_text=True)


def test_names_and_interface_in_the_readers_language(client):
    french = client.get("/search?q=Kremenchuk", headers={"Accept-Language": "fr"})
    assert result_links(french)[0] == ("/id/city/kremenchuk", "Krementchouk")
    response = search(client, q="queretaro", lang="es")
    html = response.get_data(as_text=True)
    assert '<html lang="es">' in html
    assert '<span class="kind">Ciudad</span>' in html and '<p class="summary">México</p>' in html


def test_a_kind_chosen_in_the_form(client):
    links = result_links(search(client, q="queretaro", type="rivm:MichelinSite"))
    assert {href for href, _ in links} == {
        "/id/site/michelin-queretaro-plant",
        "/id/site/michelin-queretaro-offices",
    }
    html = search(client, q="queretaro", type="rivm:MichelinSite").get_data(as_text=True)
    assert '<option value="rivm:MichelinSite" selected>' in html


def test_the_language_switch_keeps_every_parameter(client):
    html = search(client, q="valladolid", type=["rivm:City", "rivm:MichelinSite"]).get_data(
        as_text=True
    )
    switch = html[html.index('<nav class="languages"') :]
    assert (
        'href="/search?q=valladolid&amp;type=rivm:City&amp;type=rivm:MichelinSite&amp;lang=fr"'
        in switch
    )


def test_text_is_never_markup(client):
    html = search(client, q='<script>alert("x")</script>').get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html


# ---- JSON (the lookup API)


def test_json_shape(client):
    for response in (
        search(client, q="queretaro", format="json"),
        client.get("/search?q=queretaro", headers={"Accept": "application/json"}),
    ):
        document = response.get_json()
        assert set(document) >= {"query", "lang", "total", "offset", "limit", "hits"}
        assert (document["query"], document["lang"], document["offset"]) == ("queretaro", "en", 0)
        assert document["total"] >= len(document["hits"]) > 1
        best = document["hits"][0]
        assert set(best) == HIT_FIELDS
        assert best == {
            "iri": ID + "city/queretaro",
            "label": "Santiago de Querétaro",
            "kind": {"iri": RIVM + "City", "label": "City"},
            "summary": "Mexico",
            "matched": "Querétaro",
            "matchedLang": "en",
            "match": "exact",
            "score": 100.0,
            "href": "/id/city/queretaro",
        }


def test_json_in_another_language_and_of_several_types(client):
    document = search_json(client, q="queretaro", lang="es")
    assert document["lang"] == "es"
    assert document["hits"][0]["kind"] == {"iri": RIVM + "City", "label": "Ciudad"}
    assert document["hits"][0]["summary"] == "México"
    both = search_json(client, q="valladolid", type=["rivm:City", RIVM + "MichelinSite"])
    assert [hit["iri"] for hit in both["hits"]] == [
        ID + "city/valladolid",
        ID + "site/michelin-valladolid",
    ]


def test_paging_by_link_headers_and_links(client):
    every = search_json(client, q="michelin", limit=9)["hits"]
    assert len(every) == 9
    response = search(client, q="michelin", limit=3, format="json")
    pages = [response.get_json()["hits"]]
    assert 'rel="prev"' not in response.headers["Link"]
    while len(pages) < 3:
        (next_url,) = [
            part.split(">")[0].lstrip(" <")
            for part in response.headers["Link"].split(",")
            if 'rel="next"' in part
        ]
        assert next_url == response.get_json()["next"]
        response = client.get(next_url)
        pages.append(response.get_json()["hits"])
        assert 'rel="prev"' in response.headers["Link"]
    assert [hit["iri"] for page in pages for hit in page] == [hit["iri"] for hit in every]
    assert response.get_json()["prev"] == "/search?q=michelin&limit=3&format=json&offset=3"
    html = search(client, q="michelin", limit=3, offset=3).get_data(as_text=True)
    assert '<a rel="next" href="/search?q=michelin&amp;limit=3&amp;offset=6">' in html
    assert '<a rel="prev" href="/search?q=michelin&amp;limit=3&amp;offset=0">' in html
    assert '<link rel="next" href="/search?q=michelin&amp;limit=3&amp;offset=6">' in html
    assert '<ol class="search-results" start="4">' in html


def test_the_last_page_has_no_next(client):
    document = search_json(client, q="queretaro", limit=100)
    response = search(client, q="queretaro", limit=100, format="json")
    assert document["total"] < 100 and "next" not in document
    assert "Link" not in response.headers


# ---- bad input


def test_an_empty_box_asks_for_a_name(client):
    for q in ("", "   "):
        response = search(client, q=q)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "Type a name to search for" in html
        assert "search-results" not in html
    assert client.get("/search").status_code == 200
    assert search_json(client, q="")["hits"] == []


def test_punctuation_only_finds_nothing(client):
    response = search(client, q="!!! ???")
    assert response.status_code == 200 and result_links(response) == []
    assert search_json(client, q="«—»")["total"] == 0


def test_a_very_long_query_is_refused_with_a_message(client):
    response = search(client, q="x" * 2000)
    assert response.status_code == 400
    assert "the query has 2000 characters; at most 500 are searched" in response.get_data(
        as_text=True
    )
    as_json = search(client, q="x" * 2000, format="json")
    assert as_json.status_code == 400
    assert "at most 500" in as_json.get_json()["error"]["message"]


def test_a_huge_limit_is_capped(client):
    response = search(client, q="michelin", limit=100000, format="json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["limit"] == 100 and len(document["hits"]) == 100
    assert "limit=100&" in document["next"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "vall", "limit": "ten"}, "limit and offset must be whole numbers"),
        ({"q": "vall", "limit": "0"}, "limit must be 1 or more"),
        ({"q": "vall", "offset": "-3"}, "offset between 0 and"),
        ({"q": "vall", "prefix": "perhaps"}, "prefix must be true or false"),
        ({"q": "vall", "lang": "<fr>"}, "lang must be a language tag"),
        ({"q": "vall", "type": "rivm:Town"}, "unknown type: rivm:Town"),
    ],
)
def test_bad_parameters_are_a_clear_400(client, params, message):
    as_json = search(client, format="json", **params)
    assert as_json.status_code == 400
    assert message in as_json.get_json()["error"]["message"]
    as_html = search(client, **params)
    assert as_html.status_code == 400
    assert message in as_html.get_data(as_text=True)


def test_a_format_not_offered(client):
    response = search(client, q="vall", format="xml")
    assert response.status_code == 406


def test_revalidation(client):
    response = search(client, q="cuneo", format="json")
    etag = response.headers["ETag"]
    again = client.get("/search?q=cuneo&format=json", headers={"If-None-Match": etag})
    assert again.status_code == 304
    other = client.get("/search?q=cuneo&format=json&lang=fr", headers={"If-None-Match": etag})
    assert other.status_code == 200


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    q=st.text(max_size=600),
    kind=st.sampled_from(["", "rivm:City", "rivm:Town", "<x>", "rivm:", "http://x"]),
    lang=st.sampled_from(["", "fr", "pt-BR", "zz", "?", "\u00e9"]),
    number=st.sampled_from(["", "0", "1", "-1", "100000", "1e3", "x", "99999999999999999999"]),
    prefix=st.sampled_from(["", "true", "false", "2"]),
    fmt=st.sampled_from(["json", "html", ""]),
)
def test_any_input_is_answered_or_refused_clearly(client, q, kind, lang, number, prefix, fmt):
    params = {"q": q, "type": kind, "lang": lang, "limit": number, "offset": number}
    response = search(client, prefix=prefix, format=fmt, **params)
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:300]
    if response.status_code == 400 and fmt == "json":
        assert response.get_json()["error"]["message"]


# ---- over HTTP


def test_a_server_process_searches_with_the_index_built_before_it_forked(live_server):
    status, headers, body = fetch(live_server + "/search?q=Clermont%20Ferrand&format=json")
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    assert json.loads(body)["hits"][0]["iri"] == ID + "city/clermont-ferrand"
    status, _, body = fetch(live_server + "/search?q=queretaro", headers={"Accept": "text/html"})
    assert status == 200
    assert ("/id/city/queretaro", "Santiago de Querétaro") in Page(body.decode()).links


def test_searches_count_against_the_request_budget_and_cached_answers_are_free():
    with running_server(RATE_LIMIT="5 per minute") as base:

        def status(path: str, **headers) -> int:
            return fetch(base + path, headers=headers)[0]

        assert [status(f"/search?q=braga&limit={n}") for n in range(1, 4)] == [200] * 3
        assert [status("/search?q=braga&limit=1") for _ in range(5)] == [200] * 5, "cached"
        etag = fetch(base + "/search?q=braga&limit=1")[1]["ETag"]
        assert [status("/search?q=braga&limit=1", **{"If-None-Match": etag})] * 3 == [304] * 3
        assert status("/search?q=") == 200  # nothing asked, nothing charged
        assert status("/search?q=cuneo") == 200  # the fourth search
        assert status("/reconcile") == 200  # the manifest costs nothing
        assert status("/reconcile/suggest/entity?prefix=cun") == 200  # the fifth
        status_code, headers, body = fetch(base + "/search?q=karlsruhe")
        assert status_code == 429 and int(headers["Retry-After"]) > 0
        assert b"Too many requests" in body
