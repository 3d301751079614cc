"""The cities and Michelin sites as GeoJSON: valid RFC 7946 as geojson-pydantic reads it, with
the properties a map needs; the same from both stores."""

from __future__ import annotations

import json

import pytest
from geojson_pydantic import Feature, FeatureCollection

from rivm_graph.publish.geojson import build_geojson, encode

ID = "https://w3id.org/rivm/id/"


@pytest.fixture(scope="module")
def geodata(store):
    return build_geojson(store)


def _by_id(collection: FeatureCollection) -> dict:
    return {feature.id: feature for feature in collection.features}


def test_collections_are_valid_rfc7946(geodata):
    for name in ("cities", "sites"):
        parsed = FeatureCollection.model_validate_json(encode(geodata.collections[name]))
        assert parsed.type == "FeatureCollection"
        assert len(parsed.features) > 20
        for feature in parsed.features:
            assert feature.geometry is not None and feature.geometry.type == "Point"
            long, lat = feature.geometry.coordinates
            assert -180 <= long <= 180 and -90 <= lat <= 90


def test_a_city_is_at_its_point_with_its_country_and_membership(geodata):
    cities = _by_id(FeatureCollection.model_validate(geodata.collections["cities"]))
    # data/cities.ttl: geometry:clermont-ferrand is POINT(3.0824 45.7831)
    clermont = cities[ID + "city/clermont-ferrand"]
    assert list(clermont.geometry.coordinates) == [3.0824, 45.7831]  # longitude first
    properties = clermont.properties
    assert properties["label"] == "Clermont-Ferrand"
    assert properties["labels"] == {"en": "Clermont-Ferrand", "fr": "Clermont-Ferrand"}
    assert (properties["country"], properties["country_code"]) == ("France", "FR")
    assert properties["kind"] == "city" and properties["member"] is True
    assert cities[ID + "city/kremenchuk"].properties["labels"]["fr"] == "Krementchouk"
    # Aberdeen is twinned with Clermont-Ferrand, not a member of the network
    assert cities[ID + "city/aberdeen"].properties["member"] is False


def test_a_site_is_at_its_city_with_status_and_products(geodata):
    sites = _by_id(FeatureCollection.model_validate(geodata.collections["sites"]))
    cities = _by_id(FeatureCollection.model_validate(geodata.collections["cities"]))
    # data/sites.ttl: the Querétaro plant, closing (reported 2025), makes car tyres
    plant = sites[ID + "site/michelin-queretaro-plant"]
    assert plant.geometry == cities[ID + "city/queretaro"].geometry
    properties = plant.properties
    assert (properties["kind"], properties["located"]) == ("Plant", "in")
    assert properties["city_iri"] == ID + "city/queretaro"
    assert properties["status"] == "closing"
    assert "passenger-car tyres" in properties["products"]
    assert sites[ID + "site/michelin-ladoux"].properties["located"] == "near"
    # in Itatiaia, which has no point, and near Resende, which has one
    itatiaia = sites[ID + "site/michelin-itatiaia"]
    assert itatiaia.properties["located"] == "near"
    assert itatiaia.geometry == cities[ID + "city/resende"].geometry


def test_features_alone_are_valid(geodata):
    feature = geodata.feature(ID + "city/cuneo")
    assert Feature.model_validate_json(encode(feature)).properties["country_code"] == "IT"
    assert geodata.feature(ID + "city/nowhere") is None


def test_the_same_bytes_each_time(store, geodata):
    again = build_geojson(store)
    for name, collection in geodata.collections.items():
        assert encode(again.collections[name]) == encode(collection)
    assert json.loads(encode(geodata.collections["cities"]))["type"] == "FeatureCollection"


@pytest.mark.virtuoso
def test_the_same_from_virtuoso(geodata, virtuoso):
    from rivm_graph.stores.remote import SparqlStore

    remote = build_geojson(SparqlStore(virtuoso.query_url, timeout=30.0))
    for name, collection in geodata.collections.items():
        assert encode(remote.collections[name]) == encode(collection), name


def test_geopandas_reads_the_cities_as_they_are(geodata, tmp_path):
    import geopandas

    path = tmp_path / "cities.geojson"
    path.write_bytes(encode(geodata.collections["cities"]))
    cities = geopandas.read_file(path)
    assert cities.crs.to_epsg() == 4326  # RFC 7946: WGS84 longitude, latitude
    assert len(cities) == len(geodata.collections["cities"]["features"])
    clermont = cities[cities.iri == ID + "city/clermont-ferrand"].iloc[0]
    assert (clermont.geometry.x, clermont.geometry.y) == (3.0824, 45.7831)
    assert clermont.country_code == "FR" and bool(clermont.member)
    members = cities[cities.member]
    assert 0 < len(members) < len(cities)


def test_geopandas_reads_the_sites_with_their_status_and_products(geodata, tmp_path):
    import geopandas

    path = tmp_path / "sites.geojson"
    path.write_bytes(encode(geodata.collections["sites"]))
    sites = geopandas.read_file(path)
    assert sites.crs.to_epsg() == 4326
    assert len(sites) == len(geodata.collections["sites"]["features"])
    # data/sites.ttl: the Querétaro plant, closing, makes passenger-car tyres
    plant = sites[sites.iri == ID + "site/michelin-queretaro-plant"].iloc[0]
    assert plant.status == "closing" and "passenger-car tyres" in list(plant.products)
