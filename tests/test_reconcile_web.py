"""/reconcile, the Reconciliation Service API 0.2 over HTTP, driven as OpenRefine drives it:
the manifest fetched by GET, batches of ten queries POSTed form-encoded as ``queries``
(``{"q0": {"query", "type", "type_strict": "should", "properties"}}``, the shape of OpenRefine's
StandardReconConfig), auto-matching only a first candidate with ``match: true``. Every manifest,
query and answer is checked against the API's JSON Schemas (tests/vendor/reconciliation-api/0.2).

One column of batches runs over real HTTP on both stores (``live_server``: gunicorn, forked
after the index was built); the rest in-process, the manifest and batches on both stores. The
cities and countries expected were read in data/cities.ttl by a person.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import running_server
from tests.test_reconcile import CITY, COLUMN, ID, RIVM, check_column, valid
from tests.test_sparql_protocol import LOCAL, fetch, local_fetch

#: What a spreadsheet would have beside COLUMN's names: each city's country, as a code or a name
#: in some language (data/cities.ttl: rdfs:label and rivm:iso3166Alpha2 of country:…).
COUNTRIES = [
    "France",
    "Mexique",
    "MX",
    "España",
    "Spain",
    "ES",
    "Deutschland",
    "germany",
    "Ukraine",
    "Magyarország",
    "Roumanie",
    "Canada",
    "CA",
    "Biélorussie",
    "Canada",
    "DE",
    "Espagne",
    "Allemagne",
    "Italia",
    "Portugal",
]
BATCH = 10  # OpenRefine's batch size


def openrefine_job(text: str, type_id: str | None = None, country: str | None = None) -> dict:
    """One query as OpenRefine writes it (StandardReconConfig.createJob)."""
    job: dict = {"query": text}
    if type_id:
        job.update(type=type_id, type_strict="should")
    if country:
        job["properties"] = [{"pid": "country", "v": country}]
    return job


def batches(jobs: list[dict]) -> list[dict]:
    """Keys q0…q9 in each batch of ten, as OpenRefine numbers them."""
    return [
        {f"q{i}": job for i, job in enumerate(jobs[start : start + BATCH])}
        for start in range(0, len(jobs), BATCH)
    ]


def post_form(url: str, client=None, **fields: str) -> tuple[int, dict, bytes]:
    """POSTed form-encoded over HTTP, or to ``client`` in-process (``url`` is then a path)."""
    data = urllib.parse.urlencode(fields).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if client is not None:
        return local_fetch(client, url, method="POST", data=data, headers=headers)
    return fetch(url, method="POST", data=data, headers=headers)


def reconcile_column(base: str, jobs: list[dict], client=None) -> list[dict]:
    """Every job's candidates, in order, each batch POSTed as OpenRefine does (see post_form)."""
    results = []
    for batch in batches(jobs):
        valid("reconciliation-query-batch.json", batch)
        status, headers, body = post_form(base + "/reconcile", client, queries=json.dumps(batch))
        assert status == 200, body
        assert headers["Content-Type"] == "application/json"
        assert headers["Access-Control-Allow-Origin"] == "*"
        answer = json.loads(body)
        valid("reconciliation-result-batch.json", answer)
        assert set(answer) == set(batch)
        results += [answer[key] for key in batch]
    return results


def as_answer(results: list[dict]) -> tuple[dict, list[str]]:
    keys = [f"row{i}" for i in range(len(results))]
    return dict(zip(keys, results, strict=True)), keys


# ---- on both stores


def test_the_manifest_names_the_services_under_the_servers_address(store_client):
    status, headers, body = local_fetch(store_client, "/reconcile")
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert headers["Access-Control-Allow-Origin"] == "*"
    manifest = json.loads(body)
    valid("manifest.json", manifest)
    assert manifest["versions"] == ["0.2"]
    assert manifest["identifierSpace"] == ID
    assert manifest["view"]["url"] == LOCAL + "/reconcile/view?id={{id}}"
    assert manifest["preview"]["url"] == LOCAL + "/reconcile/preview?id={{id}}"
    assert manifest["suggest"]["entity"] == {
        "service_url": LOCAL,
        "service_path": "/reconcile/suggest/entity",
    }
    assert manifest["defaultTypes"][0] == {"id": CITY, "name": "City"}


def test_a_column_of_city_names_with_their_countries_as_openrefine_sends_it(live_server):
    """Twenty cells in two batches of ten, the City type and a country column: each exact
    name is auto-matched to the right city, each misspelling is its first candidate only."""
    jobs = [
        openrefine_job(text, CITY, country)
        for (text, _, _), country in zip(COLUMN, COUNTRIES, strict=True)
    ]
    # Over HTTP: the index is built in gunicorn's master and used in its forked workers.
    answer, keys = as_answer(reconcile_column(live_server, jobs))
    check_column(answer, keys)
    assert answer["row1"]["result"][0]["name"] == "Santiago de Querétaro"


def test_a_column_of_names_without_type_or_country(store_client):
    answer, keys = as_answer(
        reconcile_column("", [openrefine_job(t) for t, _, _ in COLUMN], store_client)
    )
    check_column(answer, keys)


def test_a_post_is_allowed_from_other_origins(store_client):
    status, headers, _ = local_fetch(
        store_client,
        "/reconcile",
        method="OPTIONS",
        headers={
            "Origin": "http://127.0.0.1:3333",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "content-type" in headers["Access-Control-Allow-Headers"].lower()


def test_the_view_leads_to_the_entitys_page(store_client):
    url = "/reconcile/view?id=" + urllib.parse.quote(ID + "city/queretaro")
    response = store_client.get(url, base_url=LOCAL, follow_redirects=True)
    assert response.request.url == LOCAL + "/doc/city/queretaro"
    assert "<h1>Santiago de Querétaro</h1>" in response.get_data(as_text=True)


# ---- in-process


def test_the_manifest_in_the_readers_language(client):
    manifest = client.get("/reconcile?lang=fr").get_json()
    valid("manifest.json", manifest)
    assert manifest["name"] == "Réseau international des villes Michelin"
    assert manifest["defaultTypes"][0] == {"id": CITY, "name": "Ville"}
    spanish = client.get("/reconcile", headers={"Accept-Language": "es"}).get_json()
    assert spanish["defaultTypes"][0] == {"id": CITY, "name": "Ciudad"}


def test_the_service_address_with_a_trailing_slash(client):
    assert client.get("/reconcile/").get_json() == client.get("/reconcile").get_json()
    batch = json.dumps({"q0": {"query": "Cuneo"}})
    answer = client.post("/reconcile/", data={"queries": batch}).get_json()
    assert answer["q0"]["result"][0]["id"] == ID + "city/cuneo"


def test_a_batch_by_get_is_answered_as_by_post(client):
    batch = batches([openrefine_job(t, CITY) for t, _, _ in COLUMN])[0]
    by_get = client.get("/reconcile?" + urllib.parse.urlencode({"queries": json.dumps(batch)}))
    by_post = client.post("/reconcile", data={"queries": json.dumps(batch)})
    assert by_get.status_code == by_post.status_code == 200
    assert by_get.get_json() == by_post.get_json()
    valid("reconciliation-result-batch.json", by_get.get_json())
    assert by_get.headers["ETag"] and "ETag" not in by_post.headers
    again = client.get(
        "/reconcile?" + urllib.parse.urlencode({"queries": json.dumps(batch)}),
        headers={"If-None-Match": by_get.headers["ETag"]},
    )
    assert again.status_code == 304


@pytest.mark.parametrize("callback", ["cb", "jQuery1124_1700000000", "$.refine.cb_2", "_x$"])
def test_jsonp_for_get(client, callback):
    batch = {"q0": {"query": "Cuneo"}}
    response = client.get(
        "/reconcile?" + urllib.parse.urlencode({"queries": json.dumps(batch), "callback": callback})
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/javascript; charset=utf-8"
    body = response.get_data(as_text=True)
    assert body.startswith(f"/**/{callback}(") and body.endswith(");")
    answer = json.loads(body[len(f"/**/{callback}(") : -2])
    valid("reconciliation-result-batch.json", answer)
    assert answer["q0"]["result"][0]["id"] == ID + "city/cuneo"
    manifest = client.get(f"/reconcile?callback={callback}").get_data(as_text=True)
    valid("manifest.json", json.loads(manifest[len(f"/**/{callback}(") : -2]))
    suggest = client.get(f"/reconcile/suggest/type?prefix=cit&callback={callback}")
    assert suggest.get_data(as_text=True).startswith(f"/**/{callback}(")


@pytest.mark.parametrize(
    "callback",
    ["", "alert(1)", "1cb", "a-b", "a b", "cb;evil", "x</script>", "ñ", "a" * 101, "cb\n"],
)
def test_a_callback_that_is_not_a_name_is_refused(client, callback):
    for path in ("/reconcile", "/reconcile/suggest/entity?prefix=cu"):
        separator = "&" if "?" in path else "?"
        response = client.get(path + separator + urllib.parse.urlencode({"callback": callback}))
        assert response.status_code == 400
        assert response.headers["Content-Type"] == "application/json"
        assert "callback must be a JavaScript function name" in response.get_json()["message"]


def test_no_jsonp_for_a_post(client):
    response = client.post("/reconcile?callback=cb", data={"queries": '{"q0": {"query": "Braga"}}'})
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/json"


# ---- bad batches: a clear 4xx with a JSON message, or an empty result; never a 5xx


def error_of(response, status: int) -> str:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "application/json"
    document = response.get_json()
    assert document["status"] == "error"
    return document["message"]


@pytest.mark.parametrize(
    ("queries", "status", "message"),
    [
        ("{", 400, "'queries' is not valid JSON: Expecting property name"),
        ("not json", 400, "'queries' is not valid JSON"),
        ("", 400, "'queries' is not valid JSON"),
        ("[" * 20_000 + "]" * 20_000, 400, "'queries' is nested too deeply"),
        ('["Braga"]', 400, "JSON object"),
        ('{"q0": "Braga"}', 400, "must be an object"),
        (json.dumps({"q0": {"query": "x" * 2000}}), 400, "at most 500"),
        (
            json.dumps({f"q{i}": {"query": "Braga"} for i in range(101)}),
            413,
            "the batch has 101 queries; at most 100",
        ),
        (json.dumps({"q0": {"query": "Braga", "colour": "red"}}), 400, "unknown fields: colour"),
    ],
)
def test_bad_batches_are_clear_errors(client, queries, status, message):
    assert message in error_of(client.post("/reconcile", data={"queries": queries}), status)


@pytest.mark.parametrize("text", ["", "   ", "!!!", "«—»", '"', "*", "NEAR(a b)", "((", "^"])
def test_queries_without_words_have_no_candidates(client, text):
    batch = {"q0": {"query": text}, "q1": {"query": "Braga"}}
    answer = client.post("/reconcile", data={"queries": json.dumps(batch)}).get_json()
    valid("reconciliation-result-batch.json", answer)
    assert all(c["id"].startswith(ID) for c in answer["q0"]["result"])
    assert answer["q1"]["result"][0]["id"] == ID + "city/braga"


def test_an_unknown_type_has_no_candidates(client):
    batch = {"q0": {"query": "Braga", "type": RIVM + "Town"}}
    answer = client.post("/reconcile", data={"queries": json.dumps(batch)}).get_json()
    assert answer == {"q0": {"result": []}}


def test_a_post_without_queries_or_with_both(client):
    assert "'queries'" in error_of(client.post("/reconcile", data={"query": "Braga"}), 400)
    both = client.post("/reconcile", data={"queries": "{}", "extend": "{}"})
    assert "not both" in error_of(both, 400)


def test_a_form_over_the_servers_size_limit(client):
    response = client.post("/reconcile", data={"queries": "x" * 300_000})
    assert response.status_code == 413


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=12,
)
QUERY = st.fixed_dictionaries(
    {"query": st.one_of(st.text(max_size=80), JSON)},
    optional={
        "type": st.sampled_from([CITY, "rivm:City", RIVM + "Town", ""]) | JSON,
        "type_strict": st.sampled_from(["any", "all", "should", "no"]),
        "limit": st.integers(-2, 1000) | JSON,
        "properties": st.lists(
            st.fixed_dictionaries(
                {"pid": st.sampled_from(["country", "latitude", "x", "rivm:country"]) | JSON},
                optional={"v": JSON},
            ),
            max_size=3,
        ),
    },
)
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FUZZ
@given(batch=st.dictionaries(st.text(max_size=8), QUERY | JSON, max_size=5) | JSON)
def test_any_batch_is_answered_or_refused_clearly(client, batch):
    response = client.post("/reconcile", data={"queries": json.dumps(batch)})
    assert response.status_code in (200, 400, 413), response.get_data(as_text=True)[:300]
    if response.status_code == 200:
        valid("reconciliation-result-batch.json", response.get_json())
    else:
        assert response.get_json()["message"]


@FUZZ
@given(
    prefix=st.text(max_size=600),
    cursor=st.sampled_from(["", "0", "3", "-1", "x", "1e9", "999999999999"]),
    kind=st.sampled_from(["entity", "type", "property"]),
)
def test_any_suggest_prefix_is_answered_or_refused_clearly(client, prefix, cursor, kind):
    query = urllib.parse.urlencode({"prefix": prefix, "cursor": cursor})
    response = client.get(f"/reconcile/suggest/{kind}?{query}")
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:300]
    if response.status_code == 200:
        plural = {"entity": "entities", "type": "types", "property": "properties"}[kind]
        valid(f"suggest-{plural}-response.json", response.get_json())


# ---- suggest, proposals, extension


def test_suggest_entities(client):
    answer = client.get("/reconcile/suggest/entity?prefix=vall").get_json()
    valid("suggest-entities-response.json", answer)
    assert answer["result"][0]["id"] == ID + "city/valladolid"
    assert answer["result"][0]["notable"] == [{"id": CITY, "name": "City"}]
    sites = client.get(
        "/reconcile/suggest/entity?prefix=quer&type=" + urllib.parse.quote(RIVM + "MichelinSite")
    ).get_json()
    assert {e["id"] for e in sites["result"]} == {
        ID + "site/michelin-queretaro-plant",
        ID + "site/michelin-queretaro-offices",
    }
    first = client.get("/reconcile/suggest/entity?prefix=michelin&limit=5").get_json()["result"]
    page = client.get("/reconcile/suggest/entity?prefix=michelin&cursor=3&limit=2").get_json()
    assert [e["id"] for e in page["result"]] == [e["id"] for e in first[3:5]]


def test_suggest_types_and_properties(client):
    types = client.get("/reconcile/suggest/type?prefix=vil&lang=fr").get_json()
    valid("suggest-types-response.json", types)
    assert {"id": CITY, "name": "Ville"} in types["result"]
    properties = client.get("/reconcile/suggest/property?prefix=coun").get_json()
    valid("suggest-properties-response.json", properties)
    assert properties["result"][0] == {"id": "country", "name": "country"}
    nothing = client.get("/reconcile/suggest/type?prefix=zzzz").get_json()
    assert nothing == {"result": []}


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/reconcile/suggest/entity?prefix=" + "x" * 2000, "at most 500"),
        ("/reconcile/suggest/entity?prefix=vall&cursor=-1", "offset"),
        ("/reconcile/suggest/entity?prefix=vall&type=rivm:Town", "unknown type"),
        ("/reconcile/suggest/type?prefix=ci&cursor=many", "cursor must be a whole number"),
        ("/reconcile/suggest/property?prefix=co&limit=0", "limit must be 1 or more"),
        ("/reconcile/extend/propose", "'type' names the type"),
        ("/reconcile/extend/propose?type=rivm:Town", "unknown type"),
        ("/reconcile/extend/propose?type=rivm:City&limit=x", "limit must be a whole number"),
        ("/reconcile?lang=%3Cfr%3E", "lang must be a language tag"),
    ],
)
def test_bad_suggest_and_proposal_requests(client, path, message):
    assert message in error_of(client.get(path), 400)


def test_property_proposals(client):
    answer = client.get(
        "/reconcile/extend/propose?limit=3&type=" + urllib.parse.quote(CITY)
    ).get_json()
    valid("data-extension-property-proposal.json", answer)
    assert [p["id"] for p in answer["properties"]] == ["country", "coordinates", "latitude"]


def test_data_extension(client):
    query = {
        "ids": [ID + "city/queretaro", ID + "city/atlantis"],
        "properties": [{"id": "country"}, {"id": "latitude"}, {"id": "geonamesId"}],
    }
    valid("data-extension-query.json", query)
    for response in (
        client.post("/reconcile", data={"extend": json.dumps(query)}),
        client.get("/reconcile?" + urllib.parse.urlencode({"extend": json.dumps(query)})),
    ):
        answer = response.get_json()
        valid("data-extension-response.json", answer)
        assert answer["rows"][ID + "city/queretaro"] == {
            "country": [{"id": ID + "country/mx", "name": "Mexico"}],
            "latitude": [{"float": 20.63}],
            "geonamesId": [{"str": "3991164"}],
        }
        assert answer["rows"][ID + "city/atlantis"] == {
            "country": [],
            "latitude": [],
            "geonamesId": [],
        }
    too_many = {"ids": ["x"] * 501, "properties": [{"id": "country"}]}
    response = client.post("/reconcile", data={"extend": json.dumps(too_many)})
    assert "at most 500 ids" in error_of(response, 413)
    unknown = {"ids": [], "properties": [{"id": "altitude"}]}
    response = client.post("/reconcile", data={"extend": json.dumps(unknown)})
    assert "unknown property" in error_of(response, 400)


# ---- view and preview


def test_the_view_redirects_to_the_page_and_knows_only_this_datasets_ids(client):
    response = client.get("/reconcile/view?id=" + urllib.parse.quote(ID + "city/queretaro"))
    assert response.status_code == 303 and response.headers["Location"] == "/id/city/queretaro"
    unknown = client.get("/reconcile/view?id=" + urllib.parse.quote(ID + "city/atlantis"))
    assert "no entity of this dataset" in error_of(unknown, 404)
    elsewhere = client.get("/reconcile/view?id=https://example.org/x")
    assert error_of(elsewhere, 404)
    assert "'id'" in error_of(client.get("/reconcile/view"), 400)


def test_the_preview_is_a_small_card_other_sites_may_frame(client):
    response = client.get(
        "/reconcile/preview?lang=es&id=" + urllib.parse.quote(ID + "city/queretaro")
    )
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert (
        '<a href="/id/city/queretaro" target="_blank" rel="noopener">Santiago de Querétaro</a>'
        in html
    )
    assert '<span class="kind">Ciudad</span>' in html and "<p>México</p>" in html
    assert "<script" not in html
    assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in response.headers
    home = client.get("/")
    assert home.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in home.headers["Content-Security-Policy"]
    unknown = client.get("/reconcile/preview?id=" + urllib.parse.quote(ID + "city/atlantis"))
    assert error_of(unknown, 404)
    assert error_of(client.get("/reconcile/preview"), 400)


# ---- budgets


def test_reconciliation_counts_against_the_request_budget_and_cached_answers_are_free():
    with running_server(RATE_LIMIT="4 per minute") as base:
        batch = json.dumps({"q0": {"query": "Braga"}})
        assert post_form(base + "/reconcile/", queries=batch)[0] == 200
        assert [post_form(base + "/reconcile", queries=batch)[0] for _ in range(5)] == [200] * 5
        assert fetch(base + "/reconcile")[0] == 200  # the manifest costs nothing
        assert fetch(base + "/reconcile/preview?id=" + ID + "city/braga")[0] == 200  # nor this
        assert fetch(base + "/reconcile/suggest/type?prefix=ci")[0] == 200
        assert fetch(base + "/reconcile/suggest/property?prefix=co")[0] == 200
        assert fetch(base + "/reconcile/extend/propose?type=rivm:City")[0] == 200
        status, headers, body = post_form(base + "/reconcile", queries='{"q0": {"query": "x"}}')
        assert status == 429 and int(headers["Retry-After"]) > 0
        assert b"Too many requests" in body
