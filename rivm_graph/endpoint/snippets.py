"""Code that runs a query against this endpoint from elsewhere, as WDQS's "code" dialog offers:
curl, Python (SPARQLWrapper, and plain `requests`), R (`httr2`), JavaScript (`fetch`).

Each snippet is complete as copied: the query sits in a string literal of that language, quoted
so that no character of the query can end it early, and is sent by POST as a form (SPARQL 1.1
Protocol, so a long query is never cut by a URL length limit). No Flask here.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass

#: The answer each snippet asks for: SPARQL JSON results, or Turtle for a graph (CONSTRUCT,
#: DESCRIBE).
RESULTS_JSON = "application/sparql-results+json"
TURTLE = "text/turtle"


@dataclass(frozen=True)
class Snippet:
    key: str  # an id for the page
    name: str  # what a reader looks for
    language: str  # for syntax highlighting (class "language-…")
    code: str


def _python_string(text: str) -> str:
    """A Python literal for `text`: triple-quoted while that is safe, else `repr`."""
    if '"""' in text or "\\" in text or text.endswith('"') or "\r" in text:
        return repr(text)
    return f'"""{text}"""'


def _r_string(text: str) -> str:
    """An R raw string (R 4.0): r"---(…)---" with enough dashes that the query cannot close it."""
    dashes = "-"
    while f"){dashes}" in text:
        dashes += "-"
    return f'r"{dashes}({text}){dashes}"'


def _js_string(text: str) -> str:
    """A JavaScript template literal with `\\`, backquote and `${` escaped."""
    escaped = text.replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${")
    return f"`{escaped}`"


def snippets(endpoint: str, query: str, *, graph: bool = False) -> list[Snippet]:
    """The snippets for `query` against `endpoint` (an absolute URL); `graph` for a CONSTRUCT or
    DESCRIBE query (the answer is Turtle, printed as it is)."""
    accept = TURTLE if graph else RESULTS_JSON
    curl = (
        f"curl --fail --silent --show-error -H {shlex.quote('Accept: ' + accept)} \\\n"
        f"  --data-urlencode {shlex.quote('query=' + query)} \\\n"
        f"  {shlex.quote(endpoint)}\n"
    )

    if graph:
        wrapper_use = (
            'sparql.setReturnFormat(TURTLE)\nprint(sparql.queryAndConvert().decode("utf-8"))\n'
        )
        wrapper_import = "from SPARQLWrapper import POST, TURTLE, SPARQLWrapper"
        requests_use = "print(response.text)\n"
        r_use = "cat(resp_body_string(response))\n"
        js_use = "console.log(await response.text());\n"
    else:
        wrapper_use = (
            "sparql.setReturnFormat(JSON)\n"
            "results = sparql.queryAndConvert()\n"
            'if "boolean" in results:\n'
            '    print(results["boolean"])\n'
            "else:\n"
            '    for row in results["results"]["bindings"]:\n'
            '        print({name: term["value"] for name, term in row.items()})\n'
        )
        wrapper_import = "from SPARQLWrapper import JSON, POST, SPARQLWrapper"
        requests_use = (
            "results = response.json()\n"
            'if "boolean" in results:\n'
            '    print(results["boolean"])\n'
            "else:\n"
            '    for row in results["results"]["bindings"]:\n'
            '        print({name: term["value"] for name, term in row.items()})\n'
        )
        r_use = (
            "results <- resp_body_json(response)\n"
            "if (!is.null(results$boolean)) print(results$boolean)\n"
            "for (row in results$results$bindings) {\n"
            "  print(vapply(row, function(term) term$value, character(1)))\n"
            "}\n"
        )
        js_use = (
            "const results = await response.json();\n"
            "const rows = results.results?.bindings.map(\n"
            "  (row) => Object.fromEntries(Object.entries(row).map(([k, t]) => [k, t.value])));\n"
            "console.log(JSON.stringify(results.boolean ?? rows, null, 2));\n"
        )

    wrapper = (
        f"{wrapper_import}\n\n"
        f"sparql = SPARQLWrapper({json.dumps(endpoint)})\n"
        "sparql.setMethod(POST)\n"
        f"sparql.setQuery({_python_string(query)})\n" + wrapper_use
    )
    plain = (
        "import requests\n\n"
        f"query = {_python_string(query)}\n"
        "response = requests.post(\n"
        f"    {json.dumps(endpoint)},\n"
        '    data={"query": query},\n'
        f'    headers={{"Accept": "{accept}"}},\n'
        "    timeout=120,\n"
        ")\n"
        "response.raise_for_status()\n" + requests_use
    )
    r = (
        "library(httr2)\n\n"
        f"query <- {_r_string(query)}\n"
        f"response <- request({json.dumps(endpoint)}) |>\n"
        f'  req_headers(Accept = "{accept}") |>\n'
        "  req_body_form(query = query) |>\n"
        "  req_perform()\n" + r_use
    )
    js = (
        f"const query = {_js_string(query)};\n"
        f"const response = await fetch({json.dumps(endpoint)}, {{\n"
        '  method: "POST",\n'
        f'  headers: {{ Accept: "{accept}" }},\n'
        "  body: new URLSearchParams({ query }),\n"
        "});\n"
        "if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);\n"
        + js_use
    )
    return [
        Snippet("curl", "curl", "shell", curl),
        Snippet("python-sparqlwrapper", "Python (SPARQLWrapper)", "python", wrapper),
        Snippet("python-requests", "Python (requests)", "python", plain),
        Snippet("r-httr2", "R (httr2)", "r", r),
        Snippet("js-fetch", "JavaScript (fetch)", "javascript", js),
    ]
