"""The query page's code snippets, copied from the page and run as they are against a live
server (real clients, so over real HTTP): curl (bash), Python with SPARQLWrapper and with
requests, JavaScript (node's fetch).

R's httr2 is not installed here: its snippet is checked for the raw string that holds the query.
"""

from __future__ import annotations

import ast
import html
import json
import re
import subprocess
import sys
import urllib.parse

import pytest
from rdflib import Graph

from rivm_graph.endpoint.snippets import snippets
from tests.system_programs import require
from tests.test_sparql_protocol import fetch, local_fetch

CONFERENCE = "https://w3id.org/rivm/id/conference/"
CONFERENCES = [
    CONFERENCE + slug
    for slug in (
        "2017-clermont-ferrand",
        "2019-vitoria-gasteiz",
        "2022-queretaro",
        "2024-anderson",
        "2026-cuneo",
    )
]
SELECT = (
    "PREFIX rivm: <https://w3id.org/rivm/ontology#>\n"
    "SELECT ?conference WHERE { ?conference a rivm:Conference } ORDER BY ?conference"
)
#: A value with every character that could end a string literal early in one of the languages.
AWKWARD = 'it\'s "quoted" \\ `tick` ${x} $y """ ) (r)--- )-" \'end\''
AWKWARD_QUERY = (
    'SELECT ?t WHERE { BIND("'
    + AWKWARD.replace("\\", "\\\\").replace('"', '\\"')
    + '" AS ?t) }\n# a comment with "quotes" and a backslash \\'
)


def page_snippets(base: str, client=None, **params) -> dict[str, str]:
    """Each snippet's code as the page shows it, by its id (from ``client`` in-process if given,
    ``base`` then empty)."""
    path = "/query?" + urllib.parse.urlencode(params)
    status, _, body = fetch(base + path) if client is None else local_fetch(client, path)
    assert status == 200
    found = re.findall(
        r'<section class="snippet" id="snippet-([a-z0-9-]+)">.*?<code[^>]*>(.*?)</code>',
        body.decode(),
        flags=re.S,
    )
    return {key: html.unescape(code) for key, code in found}


def run(kind: str, code: str) -> str:
    if kind == "curl":
        require("curl")
        command = ["bash", "-c", code]
    elif kind.startswith("python"):
        command = [sys.executable, "-c", code]
    else:
        command = [require("node"), "--input-type=module", "-e", code]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"{kind} failed:\n{code}\n{done.stderr}"
    return done.stdout


def values(kind: str, output: str) -> list[dict[str, str]]:
    """The rows a snippet printed, as {variable: value}."""
    if kind == "curl":
        doc = json.loads(output)
        return [{k: t["value"] for k, t in row.items()} for row in doc["results"]["bindings"]]
    if kind == "js-fetch":
        return json.loads(output)
    return [ast.literal_eval(line) for line in output.splitlines()]


RUNNABLE = ["curl", "python-sparqlwrapper", "python-requests", "js-fetch"]


def test_the_page_offers_every_snippet(store_client):
    assert set(page_snippets("", store_client, query=SELECT)) == {*RUNNABLE, "r-httr2"}


@pytest.mark.parametrize("kind", RUNNABLE)
def test_a_select_snippet_runs_as_copied(kind, live_server):
    code = page_snippets(live_server, query=SELECT)[kind]
    assert live_server + "/sparql" in code
    rows = values(kind, run(kind, code))
    assert [row["conference"] for row in rows] == CONFERENCES


@pytest.mark.parametrize("kind", RUNNABLE)
def test_no_character_of_the_query_escapes_its_string(kind, live_server):
    code = page_snippets(live_server, query=AWKWARD_QUERY)[kind]
    assert values(kind, run(kind, code)) == [{"t": AWKWARD}]


@pytest.mark.parametrize("kind", RUNNABLE)
def test_an_ask_snippet_prints_the_answer(kind, live_server):
    code = page_snippets(live_server, example="ask-queretaro-declaration-has-13-signatories")[kind]
    output = run(kind, code).strip()
    assert (json.loads(output)["boolean"] if kind == "curl" else output) in (True, "True", "true")


@pytest.mark.parametrize("kind", RUNNABLE)
def test_a_construct_snippet_prints_the_graph_as_turtle(kind, live_server, store, catalogue):
    query = next(q for q in catalogue if q.slug == "construct-conferences-as-schema-events")
    code = page_snippets(live_server, example=query.slug)[kind]
    printed = Graph().parse(data=run(kind, code), format="turtle")
    expected = Graph().parse(
        data=store.query_serialized(query.text, "text/turtle").body, format="turtle"
    )
    assert len(printed) == len(expected) > 0


def test_the_r_snippet_holds_the_query_in_a_raw_string_it_cannot_close():
    (r,) = [s for s in snippets("http://example.org/sparql", AWKWARD_QUERY) if s.key == "r-httr2"]
    opening = re.search(r'query <- r"(-+)\(', r.code)
    assert opening, r.code
    dashes = opening.group(1)
    assert f"){dashes}" not in AWKWARD_QUERY
    start = opening.end()
    assert r.code[start : start + len(AWKWARD_QUERY)] == AWKWARD_QUERY
    assert r.code[start + len(AWKWARD_QUERY) :].startswith(f'){dashes}"')
