"""Open data as a harvester sees it: from the home page to the catalogue, the dumps and the counts.

Everything goes to the app in-process, on each store, by absolute URL as a harvester asks. The
harvester test starts from the home page URL only and finds the rest from what it reads: the
catalogue from the page's links, the dumps from the catalogue's distributions, the SPARQL
endpoint from its data service.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, SH

from rivm_graph.publish.dataset_facts import gather_facts
from rivm_graph.publish.eu_vocabularies import AUTHORITY, COUNTRY_ALPHA3, LANGUAGE_CODES
from tests.test_sparql_protocol import LOCAL, local_fetch

DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VOID = Namespace("http://rdfs.org/ns/void#")
#: The official DCAT-AP 3.0.1 shapes (tests/vendor/dcat-ap-3.0.1/SOURCE.md says where from).
ROOT = Path(__file__).resolve().parent.parent
SHAPES = ROOT / "tests" / "vendor" / "dcat-ap-3.0.1"
SHAPE_FILES = ("shapes.ttl", "shapes_recommended.ttl", "range.ttl")
#: dcat:mediaType (IANA) → rdflib parser, and whether the format holds named graphs.
PARSERS = {
    "text/turtle": ("turtle", False),
    "application/n-triples": ("nt", False),
    "application/n-quads": ("nquads", True),
    "application/trig": ("trig", True),
    "application/ld+json": ("json-ld", False),
    "application/rdf+xml": ("xml", False),
}
IANA = "https://www.iana.org/assignments/media-types/"
GZIP = URIRef(IANA + "application/gzip")
KNOWN_PAGES = (
    "/",
    "/doc/city/clermont-ferrand",
    "/doc/conference/2017-clermont-ferrand",
    "/doc/declaration/queretaro-2022",
)


class HomePage(HTMLParser):
    """The <link> elements, the <a> targets and the JSON-LD scripts of a page."""

    def __init__(self, html: str):
        super().__init__()
        self.links: list[dict[str, str]] = []
        self.anchors: list[str] = []
        self.jsonld: list[str] = []
        self._in_jsonld = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "link":
            self.links.append(attrs)
        elif tag == "a" and attrs.get("href"):
            self.anchors.append(attrs["href"])
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_jsonld = True
            self.jsonld.append("")

    def handle_data(self, data):
        if self._in_jsonld:
            self.jsonld[-1] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_jsonld = False


def fetch(client, url: str, accept: str = "*/*", **headers: str):
    """(status, headers, body) of a GET; HTTP errors are answers too."""
    return local_fetch(client, url, headers={"Accept": accept, **headers})


def sparql_count(client, endpoint: str, where: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"
    status, _, body = fetch(
        client,
        f"{endpoint}?{urllib.parse.urlencode({'query': query})}",
        "application/sparql-results+json",
    )
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def count_triples(data: bytes, media_type: str) -> int:
    """Distinct triples of a file; for N-Quads and TriG, over the union of its graphs."""
    parser, quads = PARSERS[media_type]
    if quads:
        dataset = Dataset()
        dataset.parse(data=data, format=parser)
        return len({(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))})
    return len(Graph().parse(data=data, format=parser))


def described_by(client, base: str) -> dict[str, Graph]:
    """Every RDF document the home page declares with rel="describedby", parsed."""
    status, _, body = fetch(client, base + "/", "text/html")
    assert status == 200
    found = {}
    for link in HomePage(body.decode()).links:
        if "describedby" not in link.get("rel", "").split():
            continue
        url = urllib.parse.urljoin(base + "/", link["href"])
        status, headers, data = fetch(client, url, link["type"])
        assert status == 200, url
        assert headers["Content-Type"].startswith(link["type"])
        found[url] = Graph().parse(data=data, format="turtle")
    return found


@pytest.fixture(scope="module")
def documents(store_app) -> dict[str, Graph]:
    return described_by(store_app.test_client(), LOCAL)


@pytest.fixture(scope="module")
def catalogue(documents) -> Graph:
    found = [g for g in documents.values() if (None, RDF.type, DCAT.Catalog) in g]
    assert len(found) == 1, "the home page links one DCAT catalogue (rel=describedby)"
    return found[0]


@pytest.fixture(scope="module")
def void(documents) -> Graph:
    found = [g for g in documents.values() if (None, RDF.type, VOID.DatasetDescription) in g]
    assert len(found) == 1, "the home page links one VoID description (rel=describedby)"
    return found[0]


@pytest.fixture(scope="module")
def endpoint(catalogue) -> str:
    service = catalogue.value(None, RDF.type, DCAT.DataService)
    return str(catalogue.value(service, DCAT.endpointURL))


def void_dataset(void: Graph):
    """The dataset the VoID document is about (its foaf:primaryTopic)."""
    return void.value(void.value(None, RDF.type, VOID.DatasetDescription), FOAF.primaryTopic)


# ----------------------------------------------------------------------------------------------
# The harvester
# ----------------------------------------------------------------------------------------------


def test_catalogue_conforms_to_dcat_ap(catalogue):
    shapes = Graph()
    for name in SHAPE_FILES:
        shapes.parse(SHAPES / name, format="turtle")
    # The shapes check classes as typed in the data (range.ttl): no inference is needed.
    _, report, text = validate(catalogue, shacl_graph=shapes, inference="none")
    results = list(report.objects(None, SH.result))
    violations = [r for r in results if report.value(r, SH.resultSeverity) == SH.Violation]
    assert not violations, text
    # The only recommendation left open: the EU country authority's places carry no bounding box
    # or centroid (the graph has none for countries; the network's own area has both).
    for result in results:
        focus = str(report.value(result, SH.focusNode))
        path = report.value(result, SH.resultPath)
        assert focus.startswith(AUTHORITY + "country/"), text
        assert path in (DCAT.bbox, DCAT.centroid), text


def test_every_distribution_downloads_verifies_and_counts(store_client, catalogue, void, endpoint):
    # the catalogue's dataset (its releases are datasets too: tests/test_releases.py)
    dataset = catalogue.value(catalogue.value(None, RDF.type, DCAT.Catalog), DCAT.dataset)
    rdf = {IANA + m for m in PARSERS}
    distributions = [  # the dumps (the tables and GeoJSON: tests/test_reuse_web.py)
        d
        for d in catalogue.objects(dataset, DCAT.distribution)
        if str(catalogue.value(d, DCAT.mediaType)) in rdf
    ]
    media_types = {str(catalogue.value(d, DCAT.mediaType)) for d in distributions}
    assert media_types == rdf
    expected = int(void.value(void_dataset(void), VOID.triples))
    distinct = "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"
    assert sparql_count(store_client, endpoint, f"{{ {distinct} }}") == expected
    for distribution in distributions:
        url = str(catalogue.value(distribution, DCAT.downloadURL))
        status, headers, data = fetch(store_client, url)
        assert status == 200, url
        assert len(data) == int(catalogue.value(distribution, DCAT.byteSize)), url
        checksum = catalogue.value(distribution, SPDX.checksum)
        assert catalogue.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert (
            hashlib.sha256(data).hexdigest()
            == str(catalogue.value(checksum, SPDX.checksumValue)).lower()
        ), url
        if catalogue.value(distribution, DCAT.compressFormat) == GZIP:
            assert headers["Content-Type"] == "application/gzip"
            data = gzip.decompress(data)
        media_type = str(catalogue.value(distribution, DCAT.mediaType))[len(IANA) :]
        assert count_triples(data, media_type) == expected, url


# ----------------------------------------------------------------------------------------------
# VoID
# ----------------------------------------------------------------------------------------------


def test_void_partitions_add_up(store_client, void, endpoint):
    dataset = void_dataset(void)
    triples = int(void.value(dataset, VOID.triples))
    by_property = {
        void.value(p, VOID.property): int(void.value(p, VOID.triples))
        for p in void.objects(dataset, VOID.propertyPartition)
    }
    assert sum(by_property.values()) == triples
    by_class = {
        void.value(p, VOID["class"]): int(void.value(p, VOID.entities))
        for p in void.objects(dataset, VOID.classPartition)
    }
    assert sum(by_class.values()) == by_property[RDF.type]
    uri_space = str(void.value(dataset, VOID.uriSpace))
    for predicate, where in (
        (
            VOID.entities,
            f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{uri_space}")) }}',
        ),
        (VOID.distinctSubjects, "SELECT DISTINCT ?s WHERE { ?s ?p ?o }"),
        (VOID.distinctObjects, "SELECT DISTINCT ?o WHERE { ?s ?p ?o }"),
    ):
        assert int(void.value(dataset, predicate)) == sparql_count(
            store_client, endpoint, f"{{ {where} }}"
        )
    city = URIRef("https://w3id.org/rivm/ontology#City")
    assert by_class[city] == sparql_count(store_client, endpoint, f"?c a <{city}>")
    assert (dataset, VOID.sparqlEndpoint, URIRef(endpoint)) in void
    assert len(list(void.objects(dataset, VOID.dataDump))) == len(PARSERS) + 2  # and 2 gzips
    assert {str(o) for o in void.objects(dataset, VOID.exampleResource)} == {
        "https://w3id.org/rivm/id" + path[len("/doc") :] for path in KNOWN_PAGES[1:]
    }
    assert URIRef("http://www.w3.org/ns/org#") in set(void.objects(dataset, VOID.vocabulary))


def test_linksets_count_the_links(store_client, void, endpoint):
    dataset = void_dataset(void)
    linksets = list(void.objects(dataset, VOID.subset))
    targets = set()
    for linkset in linksets:
        assert (linkset, RDF.type, VOID.Linkset) in void
        assert void.value(linkset, VOID.linkPredicate) == OWL.sameAs
        target = void.value(linkset, VOID.objectsTarget)
        space = str(void.value(target, VOID.uriSpace))
        targets.add(space)
        links = sparql_count(
            store_client,
            endpoint,
            "SELECT DISTINCT ?s ?o WHERE { ?s <http://www.w3.org/2002/07/owl#sameAs> ?o "
            f'FILTER(STRSTARTS(STR(?o), "{space}")) }}',
        )
        assert links > 0
        assert int(void.value(linkset, VOID.triples)) == links
    assert targets == {"https://sws.geonames.org/", "http://www.wikidata.org/entity/"}


# ----------------------------------------------------------------------------------------------
# What crawlers read: sitemap, robots.txt, the home page's links and JSON-LD
# ----------------------------------------------------------------------------------------------


def test_robots_and_sitemap_list_every_page(store_client, endpoint):
    status, headers, body = fetch(store_client, LOCAL + "/robots.txt")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert f"Sitemap: {LOCAL}/sitemap.xml" in body.decode().splitlines()
    status, headers, body = fetch(store_client, LOCAL + "/sitemap.xml")
    assert status == 200 and headers["Content-Type"].startswith("application/xml")
    text = body.decode()
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"' in text
    urls = [
        line[len("<url><loc>") : -len("</loc></url>")]
        for line in text.splitlines()
        if line.startswith("<url>")
    ]
    assert len(urls) == len(set(urls))
    assert all(url.startswith(LOCAL + "/") for url in urls)
    cities = sparql_count(store_client, endpoint, "?c a <https://w3id.org/rivm/ontology#City>")
    assert sum("/doc/city/" in url for url in urls) == cities
    for page in KNOWN_PAGES:
        assert LOCAL + page in urls
    sample = random.Random(5).sample(urls, 30) + [LOCAL + p for p in KNOWN_PAGES]
    for url in sample:
        status, headers, _ = fetch(store_client, url, "text/html")
        assert status == 200, url
        assert headers["Content-Type"].startswith("text/html"), url


def test_home_page_links_and_describes_the_dataset(store_client, catalogue):
    status, _, body = fetch(store_client, LOCAL + "/", "text/html")
    assert status == 200
    page = HomePage(body.decode())
    rels = {(link.get("rel"), link.get("href")) for link in page.links}
    assert ("alternate describedby", "/catalog") in rels
    assert ("alternate describedby", "/.well-known/void") in rels
    assert ("service-desc", "/sparql") in rels
    assert ("related", "/dumps/") in rels
    for visible in ("/catalog", "/.well-known/void", "/dumps/"):
        assert any(href.split("?")[0] == visible for href in page.anchors), visible
    (script,) = page.jsonld
    assert "</" not in script
    data = json.loads(script)
    assert data["@context"] == "https://schema.org/"
    assert data["@type"] == "Dataset"
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["includedInDataCatalog"]["@type"] == "DataCatalog"
    assert data["spatialCoverage"] and data["temporalCoverage"]
    assert {"Youth", "Jeunesse"} <= set(data["keywords"])
    downloads = {str(o) for o in catalogue.objects(None, DCAT.downloadURL)}
    assert data["distribution"]
    for item in data["distribution"]:
        assert item["@type"] == "DataDownload"
        assert item["contentUrl"] in downloads and item["encodingFormat"]


def test_descriptions_negotiate(store_client):
    url = LOCAL + "/catalog"
    turtle = fetch(store_client, url, "text/turtle")
    assert turtle[0] == 200 and turtle[1]["Vary"] == "Accept"
    size = len(Graph().parse(data=turtle[2], format="turtle"))
    for accept, parser in (("application/ld+json", "json-ld"), ("application/rdf+xml", "xml")):
        status, headers, body = fetch(store_client, url, accept)
        assert status == 200 and headers["Content-Type"].startswith(accept)
        assert len(Graph().parse(data=body, format=parser)) == size
    status, headers, body = fetch(store_client, url + "?format=nt", "application/ld+json")
    assert status == 200 and headers["Content-Type"] == "application/n-triples"
    assert fetch(store_client, url, "text/csv")[0] == 406
    assert fetch(store_client, LOCAL + "/.well-known/void", "image/png")[0] == 406
    status, _, _ = fetch(store_client, url, "text/turtle", **{"If-None-Match": turtle[1]["ETag"]})
    assert status == 304


# ----------------------------------------------------------------------------------------------
# Dumps: ranges, revalidation, determinism
# ----------------------------------------------------------------------------------------------


def test_dumps_answer_ranges_and_revalidation(store_client):
    url = LOCAL + "/dumps/rivm.nt"
    status, headers, whole = fetch(store_client, url)
    assert status == 200
    status, part_headers, part = fetch(store_client, url, Range="bytes=10-109")
    assert status == 206 and part == whole[10:110]
    assert part_headers["Content-Range"] == f"bytes 10-109/{len(whole)}"
    assert fetch(store_client, url, **{"If-None-Match": headers["ETag"]})[0] == 304


def test_dump_command_is_deterministic_and_matches_the_served_files(store_client, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for target in (first, second):
        subprocess.run(
            [sys.executable, "-m", "rivm_graph.cli", "dump", str(target)],
            check=True,
            capture_output=True,
        )
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    assert "SHA256SUMS" in names and len(names) == len(PARSERS) + 3
    for name in names:
        data = (first / name).read_bytes()
        assert data == (second / name).read_bytes(), name
        status, _, served = fetch(store_client, f"{LOCAL}/dumps/{name}")
        assert status == 200 and served == data, name


# ----------------------------------------------------------------------------------------------
# The EU vocabularies cover what the graph holds
# ----------------------------------------------------------------------------------------------


def test_every_country_and_language_has_its_eu_code(store):
    facts = gather_facts(store)
    assert facts.countries
    assert [c.alpha2 for c in facts.countries if c.alpha2 not in COUNTRY_ALPHA3] == []
    assert [tag for tag in facts.languages if tag not in LANGUAGE_CODES] == []


def test_every_release_is_a_dataset_version_whose_dumps_verify(store_client, catalogue):
    """A harvester reaches each release from the catalogue (dcat:hasVersion), and each of its
    dumps downloads, matches its SHA-256 and, read by rdflib, holds the release's triples."""
    dataset = catalogue.value(catalogue.value(None, RDF.type, DCAT.Catalog), DCAT.dataset)
    releases = list(catalogue.objects(dataset, DCAT.hasVersion))
    assert releases, "the repository holds release 0.1.0"
    assert set(releases) == set(catalogue.objects(dataset, DCTERMS.hasVersion))
    for release in releases:
        version = str(catalogue.value(release, DCAT.version))
        assert str(release) == f"https://w3id.org/rivm/releases/{version}"
        assert catalogue.value(release, DCTERMS.issued) is not None
        record = json.loads((ROOT / "releases" / version / "release.json").read_text())
        distributions = list(catalogue.objects(release, DCAT.distribution))
        offered = [f["name"] for f in record["files"] if not f["name"].endswith("SHA256SUMS")]
        assert len(distributions) == len(offered)
        for distribution in distributions:
            url = str(catalogue.value(distribution, DCAT.downloadURL))
            assert f"/releases/{version}/" in url
            status, _, data = fetch(store_client, url)
            assert status == 200, url
            checksum = catalogue.value(distribution, SPDX.checksum)
            assert hashlib.sha256(data).hexdigest() == str(
                catalogue.value(checksum, SPDX.checksumValue)
            )
            if "/tables/" in url:  # a table or its metadata (read back in tests/test_releases.py)
                continue
            if catalogue.value(distribution, DCAT.compressFormat) == GZIP:
                data = gzip.decompress(data)
            media_type = str(catalogue.value(distribution, DCAT.mediaType))[len(IANA) :]
            assert count_triples(data, media_type) == record["triples"], url
