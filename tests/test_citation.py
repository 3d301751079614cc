"""Citing the dataset and its resources: BibTeX read by bibtexparser, RIS by rispy, CSL-JSON
checked against the CSL 1.0.2 schema and formatted by citeproc-py, the <meta> tags Zotero reads,
and CITATION.cff against the Citation File Format 1.2.0 schema."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
import yaml
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "tests" / "vendor"
RELEASE = json.loads((ROOT / "releases" / "0.1.0" / "release.json").read_text())
TITLE = "International Network of Michelin Cities: a Linked Open Data knowledge graph"
RELEASE_IRI = "https://w3id.org/rivm/releases/0.1.0"
ID_CUNEO = "https://w3id.org/rivm/id/city/cuneo"
CSL_TYPES = {
    "application/x-bibtex",
    "application/x-research-info-systems",
    "application/vnd.citationstyles.csl+json",
    "text/x-bibliography",
}


def today() -> str:
    return datetime.now(UTC).date().isoformat()


class Page(HTMLParser):
    """The <meta name> tags of a page and the text of its elements of one class."""

    def __init__(self, html: str, wanted_class: str):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.wanted, self.depth, self.text = wanted_class, 0, []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "meta" and "name" in values:
            self.meta.setdefault(values["name"], []).append(values.get("content") or "")
        if self.depth:
            self.depth += 1
        elif self.wanted in (values.get("class") or "").split():
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


def parse_bibtex(text: str):
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, library.failed_blocks
    (entry,) = library.entries
    return entry


# ----------------------------------------------------------------------------------------------
# Downloads
# ----------------------------------------------------------------------------------------------


def test_bibtex_of_a_release_reads_back_with_bibtexparser(client):
    response = client.get("/releases/0.1.0/cite.bib")
    assert response.status_code == 200
    assert response.content_type == "application/x-bibtex; charset=utf-8"
    entry = parse_bibtex(response.get_data(as_text=True))
    assert entry.entry_type == "misc"
    assert entry.key == "rivm-graph-0.1.0"
    assert entry["title"] == "{" + TITLE + "}"
    assert entry["author"] == "{rivm-graph contributors}"  # one corporate author
    assert entry["version"] == "0.1.0"
    assert entry["year"] == RELEASE["issued"][:4]
    assert entry["publisher"] == "rivm-graph contributors"
    assert entry["url"] == RELEASE_IRI
    assert entry["urldate"] == today()


def test_the_dataset_now_is_cited_at_its_release_when_it_is_one(client, store):
    entry = parse_bibtex(client.get("/cite.bib").get_data(as_text=True))
    if store.data_version == RELEASE["dataVersion"]:
        assert (entry["version"], entry["url"]) == ("0.1.0", RELEASE_IRI)
    else:  # the data changed since: cited at its exact data version, with a notice on the page
        assert entry["version"].endswith(store.data_version)
        assert "not a release yet" in client.get("/").get_data(as_text=True)


def test_ris_reads_back_with_rispy(client):
    text = client.get("/releases/0.1.0/cite.ris").get_data(as_text=True)
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in text.splitlines() if line)
    (entry,) = rispy.loads(text)
    assert entry["type_of_reference"] == "DATA"
    assert entry["title"] == TITLE
    assert entry["authors"] == ["rivm-graph contributors"]
    assert entry["edition"] == "0.1.0"
    assert entry["urls"] == [RELEASE_IRI]
    assert entry["access_date"] == today().replace("-", "/")


def test_csl_json_is_valid_and_citeproc_formats_it(client):
    response = client.get("/releases/0.1.0/cite.json")
    assert response.content_type == "application/vnd.citationstyles.csl+json; charset=utf-8"
    items = response.get_json()
    schema = json.loads((VENDOR / "csl-schema" / "csl-data.json").read_text())
    jsonschema.validate(items, schema)
    (item,) = items
    assert (item["type"], item["title"], item["version"]) == ("dataset", TITLE, "0.1.0")
    issued = date.fromisoformat(RELEASE["issued"])
    assert item["issued"] == {"date-parts": [[issued.year, issued.month, issued.day]]}
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    bibliography.register(Citation([CitationItem(item["id"])]))
    text = str(bibliography.bibliography()[0])
    assert TITLE in text and RELEASE_IRI in text


def test_formats_negotiate_as_doi_resolvers_do(client):
    for media_type in CSL_TYPES:
        response = client.get("/releases/0.1.0/cite", headers={"Accept": media_type})
        assert response.status_code == 200
        assert response.content_type.split(";")[0] == media_type
        assert "Accept" in response.headers["Vary"]
    text = client.get("/releases/0.1.0/cite", headers={"Accept": "text/x-bibliography"})
    assert "0.1.0" in text.get_data(as_text=True) and TITLE in text.get_data(as_text=True)
    named = client.get("/releases/0.1.0/cite?format=bibtex", headers={"Accept": "text/html"})
    assert named.content_type.startswith("application/x-bibtex")
    refused = client.get("/cite", headers={"Accept": "image/png"})
    assert refused.status_code == 406
    assert all(t in refused.get_data(as_text=True) for t in CSL_TYPES)


def test_citation_in_the_readers_language(client):
    text = client.get("/releases/0.1.0/cite.txt?lang=fr").get_data(as_text=True)
    assert "Réseau international des villes Michelin" in text
    assert "Consulté le" in text


def test_a_resource_is_cited_as_an_entry_of_the_dataset(client):
    entry = parse_bibtex(client.get("/cite/city/clermont-ferrand.bib").get_data(as_text=True))
    assert entry["title"] == "{Clermont-Ferrand}"
    assert entry["url"] == "https://w3id.org/rivm/id/city/clermont-ferrand"
    assert TITLE in entry["howpublished"]
    (item,) = client.get("/cite/city/clermont-ferrand.json").get_json()
    assert (item["type"], item["container-title"]) == ("entry", TITLE)


@pytest.mark.parametrize(
    "path",
    [
        "/cite.pdf",
        "/cite/city/nowhere.bib",
        "/cite/nokind/clermont-ferrand.bib",
        "/cite/city/Clermont-Ferrand.bib",
        "/cite/city/clermont-ferrand.pdf",
        "/releases/9.9.9/cite.bib",
    ],
)
def test_unknown_citations_are_404(client, path):
    response = client.get(path)
    assert response.status_code == 404


def test_unknown_format_or_version_names_what_exists(client):
    listed = client.get("/cite.pdf").get_data(as_text=True).split("there are:")[1]
    assert sorted(listed.strip().split(", ")) == ["bib", "json", "ris", "txt"]
    assert "0.1.0" in client.get("/releases/9.9.9/cite.bib").get_data(as_text=True)


# ----------------------------------------------------------------------------------------------
# Pages
# ----------------------------------------------------------------------------------------------


def test_home_page_has_a_cite_box_and_tags_for_zotero(client, store):
    html = client.get("/").get_data(as_text=True)
    page = Page(html, "cite")
    box = " ".join("".join(page.text).split())
    version = "0.1.0" if store.data_version == RELEASE["dataVersion"] else store.data_version
    for text in ("Cite this dataset", TITLE, "rivm-graph contributors", version, today()):
        assert text in box
    assert "BibTeX" in box and "RIS" in box and "CSL-JSON" in box
    assert page.meta["citation_title"] == [TITLE]
    assert page.meta["citation_author"] == ["rivm-graph contributors"]
    assert page.meta["DC.title"] == [TITLE]
    assert page.meta["DC.type"] == ["Dataset"]
    assert re.fullmatch(r"\d{4}/\d\d/\d\d", page.meta["citation_publication_date"][0])
    for ext in ("bib", "ris", "json"):
        assert re.search(rf'href="(/releases/0\.1\.0)?/cite\.{ext}"', html)


def test_every_resource_page_has_a_cite_line(client):
    html = client.get("/doc/conference/2017-clermont-ferrand").get_data(as_text=True)
    page = Page(html, "cite-line")
    line = " ".join("".join(page.text).split())
    assert line.startswith("Cite this page:")
    assert "https://w3id.org/rivm/id/conference/2017-clermont-ferrand" in line
    assert TITLE in line and today()[:4] in line
    title = page.meta["citation_title"][0]
    assert title and title in html.split("<h1>")[1].split("</h1>")[0]
    assert page.meta["DC.relation.ispartof"] == [TITLE]
    assert 'href="/cite/conference/2017-clermont-ferrand.bib"' in html
    assert client.get("/cite/conference/2017-clermont-ferrand.bib").status_code == 200


def test_a_page_of_every_kind_has_a_cite_line_on_each_store(store_client):
    """Every resource page, whatever its kind (one of each kind in the sitemap), on each store:
    the cite line, the tags Zotero reads and a BibTeX download that parses."""
    sitemap = store_client.get("/sitemap.xml").get_data(as_text=True)
    first_of_kind: dict[str, str] = {}
    for url in re.findall(r"<loc>[^<]*?(/doc/[^<]+)</loc>", sitemap):
        first_of_kind.setdefault(url.split("/")[2], url)
    assert len(first_of_kind) > 20  # cities, sites, events, figures, sources, people …
    for path in first_of_kind.values():
        html = store_client.get(path).get_data(as_text=True)
        page = Page(html, "cite-line")
        line = " ".join("".join(page.text).split())
        assert line.startswith("Cite this page:") and TITLE in line, path
        assert page.meta["citation_title"][0] and page.meta["DC.relation.ispartof"] == [TITLE]
        cite = "/cite/" + path.removeprefix("/doc/") + ".bib"
        assert f'href="{cite}"' in html, path
        parse_bibtex(store_client.get(cite).get_data(as_text=True))


def test_the_formatted_citation_escapes_what_it_quotes():
    from rivm_graph.web import create_app

    app = create_app({"TESTING": True, "PUBLISHER_NAME": "A & B <script>x</script>"})
    html = app.test_client().get("/").get_data(as_text=True)
    assert "<script>x</script>" not in html
    assert "A &amp; B &lt;script&gt;x&lt;/script&gt;" in html
    entry = parse_bibtex(app.test_client().get("/cite.bib").get_data(as_text=True))
    assert entry["publisher"] == "A \\& B <script>x</script>"


# ----------------------------------------------------------------------------------------------
# Descriptions
# ----------------------------------------------------------------------------------------------


def test_dcat_and_void_carry_the_recommended_citation(client):
    dataset = URIRef("https://w3id.org/rivm/dataset")
    for path in ("/catalog", "/.well-known/void"):
        graph = Graph().parse(data=client.get(path).data, format="turtle")
        (citation,) = graph.objects(dataset, DCTERMS.bibliographicCitation)
        assert isinstance(citation, Literal)
        assert TITLE in str(citation) and "rivm-graph contributors" in str(citation)


def test_schema_org_gives_the_version_and_the_works_cited(client, store):
    html = client.get("/").get_data(as_text=True)
    script = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    data = json.loads(script)
    released = store.data_version == RELEASE["dataVersion"]
    assert data["version"] == "0.1.0" if released else data["version"].endswith(store.data_version)
    sources = store.query(
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a <https://w3id.org/rivm/ontology#Source> }"
    )
    assert len(data["citation"]) == int(sources.rows[0]["n"])
    assert all(work["@type"] == "CreativeWork" and work["name"] for work in data["citation"])
    assert {"@id", "version", "datePublished"} <= data["hasPart"][0].keys()


# ----------------------------------------------------------------------------------------------
# CITATION.cff
# ----------------------------------------------------------------------------------------------


def test_citation_cff_is_valid_and_names_the_latest_release():
    # YAML reads an unquoted date as a date; the schema wants its ISO text, as cffconvert sends.
    data = json.loads(json.dumps(yaml.safe_load((ROOT / "CITATION.cff").read_text()), default=str))
    schema = json.loads((VENDOR / "citation-file-format-1.2.0" / "schema.json").read_text())
    jsonschema.validate(data, schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    releases = sorted(
        (json.loads(p.read_text()) for p in (ROOT / "releases").glob("*/release.json")),
        key=lambda r: r["issued"],
    )
    latest = releases[-1]
    assert data["version"] == latest["version"]
    assert data["date-released"] == latest["issued"]
    assert data["title"] == TITLE
    assert data["license"] == "CC-BY-4.0"


def test_citation_cff_validation_catches_a_broken_file():
    """The check is real: the schema refuses a file without authors, or with a bad date."""
    data = json.loads(json.dumps(yaml.safe_load((ROOT / "CITATION.cff").read_text()), default=str))
    schema = json.loads((VENDOR / "citation-file-format-1.2.0" / "schema.json").read_text())
    checker = jsonschema.Draft7Validator.FORMAT_CHECKER
    for broken in ({k: v for k, v in data.items() if k != "authors"}, {**data, "type": "movie"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, schema, format_checker=checker)


def test_a_served_page_cites_the_dataset_on_both_stores(store_client, store):
    """On the embedded store and on Virtuoso: the tags Zotero reads, and the BibTeX they point
    to, at the same version."""
    response = store_client.get("/", follow_redirects=True)
    assert response.status_code == 200
    page = Page(response.get_data(as_text=True), "cite")
    released = store.data_version == RELEASE["dataVersion"]
    href = "/releases/0.1.0/cite.bib" if released else "/cite.bib"
    response = store_client.get(href, follow_redirects=True)
    assert response.status_code == 200
    entry = parse_bibtex(response.get_data(as_text=True))
    assert entry["title"] == "{" + page.meta["citation_title"][0] + "}"
    assert entry["version"] in " ".join("".join(page.text).split())


def test_citations_formatted_at_once_in_threads_keep_their_own_output():
    """citeproc-py sets the output formatter on the (shared, parsed) style: without the lock,
    a plain-text citation formatted beside an HTML one came out with HTML in it."""
    from concurrent.futures import ThreadPoolExecutor

    from rivm_graph.publish.citation import Work, formatted, resource_work

    dataset = Work(
        "k",
        TITLE,
        "P",
        "P",
        "0.1.0",
        date(2026, 12, 7),
        "https://x/",
        date(2026, 12, 7),
        "https://x/",
    )
    work = resource_work(dataset, "Cuneo", ID_CUNEO, ID_CUNEO)

    def run(html: bool) -> tuple[bool, str]:
        return html, formatted(work, html=html)

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(run, [i % 2 == 0 for i in range(200)]))
    assert all(("<i>" in text) == html for html, text in results)
