"""Tables and GeoJSON on the web: /tables/, /geo/, content negotiation on the listings, links
from the pages, distributions in the catalogue, clear errors; on both stores."""

from __future__ import annotations

import hashlib
import json

import pytest
from geojson_pydantic import Feature, FeatureCollection
from rdflib import Graph, Namespace
from rdflib.namespace import RDF

from tests.test_sparql_protocol import local_fetch

DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
IANA = "https://www.iana.org/assignments/media-types/"
TABLE_NAMES = (
    "cities",
    "sites",
    "events",
    "participations",
    "memberships",
    "signatories",
    "people",
    "sources",
    "figures",
)


def test_tables_are_files_with_strong_etags(client):
    answer = client.get("/tables/figures.csv")
    assert answer.status_code == 200
    assert answer.mimetype == "text/csv"
    assert answer.data.startswith(b"iri,about_iri,about,quantity_iri,quantity,value,")
    assert answer.headers["ETag"] == '"' + hashlib.sha256(answer.data).hexdigest() + '"'
    assert 'rel="describedby"' in answer.headers["Link"]
    assert "/tables/csv-metadata.json" in answer.headers["Link"]
    again = client.get("/tables/figures.csv", headers={"If-None-Match": answer.headers["ETag"]})
    assert again.status_code == 304
    metadata = client.get("/tables/csv-metadata.json")
    assert metadata.mimetype == "application/csvm+json"
    urls = [table["url"] for table in metadata.get_json(force=True)["tables"]]
    assert urls == [f"{name}.csv" for name in TABLE_NAMES]
    package = client.get("/tables/datapackage.json").get_json()
    assert [r["path"] for r in package["resources"]] == urls


def test_the_tables_page_lists_every_file(client):
    page = client.get("/tables/", headers={"Accept": "text/html"})
    assert page.status_code == 200
    for name in (*TABLE_NAMES, "csv-metadata", "datapackage"):
        assert f'href="/tables/{name}.' in page.get_data(as_text=True)
    listed = client.get("/tables/", headers={"Accept": "application/json"}).get_json()
    for entry in listed["files"]:
        served = client.get(entry["url"])
        assert served.status_code == 200
        assert hashlib.sha256(served.data).hexdigest() == entry["sha256"]
        assert len(served.data) == entry["bytes"]


@pytest.mark.parametrize(
    ("kind", "table"),
    [
        ("city", "cities"),
        ("site", "sites"),
        ("conference", "events"),
        ("event", "events"),
        ("figure", "figures"),
        ("declaration", "signatories"),
        ("participation", "participations"),
        ("membership", "memberships"),
        ("person", "people"),
        ("source", "sources"),
    ],
)
def test_listings_answer_their_table_as_csv(client, kind, table):
    whole = client.get(f"/tables/{table}.csv").data
    by_parameter = client.get(f"/id/{kind}/?format=csv")
    assert by_parameter.status_code == 200 and by_parameter.data == whole
    assert "Accept" in by_parameter.headers["Vary"]
    by_accept = client.get(f"/id/{kind}/", headers={"Accept": "text/csv"})
    assert by_accept.data == whole and by_accept.mimetype == "text/csv"
    # a browser still gets the page
    assert client.get(f"/id/{kind}/", headers={"Accept": "text/html"}).mimetype == "text/html"


def test_listings_answer_geojson(client):
    for kind, name in (("city", "cities"), ("site", "sites")):
        collection = client.get(f"/geo/{name}.geojson")
        assert collection.mimetype == "application/geo+json"
        FeatureCollection.model_validate_json(collection.data)
        by_accept = client.get(f"/id/{kind}/", headers={"Accept": "application/geo+json"})
        assert by_accept.data == collection.data
        assert client.get(f"/id/{kind}/?format=geojson").data == collection.data
        etag = collection.headers["ETag"]
        assert (
            client.get(f"/geo/{name}.geojson", headers={"If-None-Match": etag}).status_code == 304
        )
    one = client.get("/geo/city/cuneo.geojson")
    assert one.status_code == 200 and one.mimetype == "application/geo+json"
    assert Feature.model_validate_json(one.data).id == "https://w3id.org/rivm/id/city/cuneo"


@pytest.mark.parametrize(
    ("path", "accept", "status", "lists"),
    [
        ("/tables/towns.csv", "*/*", 404, "cities.csv"),
        # nothing outside the tables' folder is ever read
        ("/tables/..%2F..%2Fetc%2Fpasswd", "*/*", 404, None),
        ("/tables/%2Fetc%2Fpasswd", "*/*", 404, None),
        ("/tables/..", "*/*", 404, "cities.csv"),
        ("/geo/towns.geojson", "*/*", 404, "/geo/cities.geojson"),
        ("/geo/theme/energy.geojson", "*/*", 404, "/geo/city/"),
        ("/geo/city/atlantis.geojson", "*/*", 404, "/geo/cities.geojson"),
        ("/geo/city/..%2F..%2Fetc.geojson", "*/*", 404, None),
        ("/geo/cities.kml", "*/*", 404, "/geo/cities.geojson"),
        ("/geo/city/cuneo.json", "*/*", 404, "/geo/city/<name>.geojson"),
        ("/geo/", "*/*", 404, "/geo/sites.geojson"),
        ("/id/theme/?format=csv", "*/*", 406, "text/turtle"),
        ("/id/city/?format=xlsx", "*/*", 406, "application/geo+json"),
        ("/id/theme/", "application/geo+json", 406, "text/html"),
        ("/tables/", "image/png", 406, "application/json"),
    ],
)
def test_unknown_tables_and_formats_name_what_exists(client, path, accept, status, lists):
    answer = client.get(path, headers={"Accept": accept})
    assert answer.status_code == status
    body = answer.get_data(as_text=True)
    assert lists in body if lists else "root:" not in body


def test_home_and_resource_pages_link_the_tables_and_maps(client):
    home = client.get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    for href in ("/tables/", "/geo/cities.geojson", "/geo/sites.geojson", "/releases/"):
        assert f'href="{href}' in home
        assert client.get(href, headers={"Accept": "text/html"}).status_code == 200
    page = client.get("/doc/city/cuneo", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'href="/geo/city/cuneo.geojson"' in page and 'href="/tables/cities.csv"' in page
    site = client.get("/doc/site/michelin-cuneo", headers={"Accept": "text/html"})
    assert 'href="/geo/site/michelin-cuneo.geojson"' in site.get_data(as_text=True)
    assert client.get("/geo/site/michelin-cuneo.geojson").status_code == 200
    theme = client.get("/doc/theme/energy", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert ".geojson" not in theme


def test_the_catalogue_lists_tables_and_maps_as_distributions(client):
    catalogue = Graph().parse(
        data=client.get("/catalog", headers={"Accept": "text/turtle"}).data, format="turtle"
    )
    # the catalogue's dataset (its releases are datasets too: tests/test_releases.py)
    dataset = catalogue.value(catalogue.value(None, RDF.type, DCAT.Catalog), DCAT.dataset)
    found = {}
    for distribution in catalogue.objects(dataset, DCAT.distribution):
        media_type = str(catalogue.value(distribution, DCAT.mediaType))[len(IANA) :]
        found.setdefault(media_type, []).append(distribution)
    assert len(found["text/csv"]) == len(TABLE_NAMES)
    assert len(found["application/geo+json"]) == 2
    assert len(found["application/csvm+json"]) == 1
    packages = [str(catalogue.value(d, DCAT.downloadURL)) for d in found["application/json"]]
    assert packages == ["http://localhost/tables/datapackage.json"]
    for media_type in ("text/csv", "application/geo+json", "application/csvm+json"):
        for distribution in found[media_type]:
            url = str(catalogue.value(distribution, DCAT.downloadURL))
            served = client.get(url.removeprefix("http://localhost"))
            assert served.status_code == 200 and served.mimetype == media_type, url
            assert len(served.data) == int(catalogue.value(distribution, DCAT.byteSize))
            checksum = catalogue.value(distribution, SPDX.checksum)
            digest = str(catalogue.value(checksum, SPDX.checksumValue))
            assert hashlib.sha256(served.data).hexdigest() == digest, url
    void = Graph().parse(data=client.get("/.well-known/void").data, format="turtle")
    assert len(set(void.objects(None, DCAT.distribution))) == len(TABLE_NAMES) + 2 + 2
    home = client.get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert '"contentUrl": "http://localhost/geo/cities.geojson"' in home


def _fetch(client, path: str, accept: str) -> tuple[int, bytes]:
    status, _, body = local_fetch(client, path, headers={"Accept": accept})
    return status, body


def test_the_same_tables_and_maps_on_each_store(store_client, client):
    """The app on each store (Oxigraph, Virtuoso) answers what the app on Oxigraph does."""
    for path, accept in (
        ("/id/city/", "text/csv"),
        ("/tables/figures.csv", "*/*"),
        ("/tables/csv-metadata.json", "*/*"),
        ("/geo/sites.geojson", "*/*"),
        ("/id/city/", "application/geo+json"),
    ):
        status, body = _fetch(store_client, path, accept)
        assert status == 200, path
        assert body == client.get(path, headers={"Accept": accept}).data, path
    json.loads(_fetch(store_client, "/tables/datapackage.json", "*/*")[1])
