"""The CSV tables, read back by the tools researchers use: the csvw package (CSV on the Web),
frictionless (Data Package), pandas; and built alike from both stores."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas
import pytest
from csvw import CSVW
from csvw.metadata_utils import NAMESPACES
from rdflib import Literal, URIRef

from rivm_graph.publish.tables import TABLES, write_tables

ID = "https://w3id.org/rivm/id/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


@pytest.fixture(scope="module")
def tables(store, tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("tables")
    write_tables(store, directory, "test")
    return directory


@pytest.fixture(scope="module")
def graph_values(store) -> dict[tuple[str, str], list]:
    """(subject, predicate) → objects, for every triple of the store's union graph."""
    found: dict[tuple[str, str], list] = {}
    for row in store.query("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }").rows:
        found.setdefault((str(row["s"]), str(row["p"])), []).append(row["o"])
    return found


def _expanded(name: str) -> str:
    """A property as csv2json names it (compacted with the CSVW context's prefixes) as an IRI."""
    prefix, colon, rest = name.partition(":")
    return NAMESPACES[prefix] + rest if colon and prefix in NAMESPACES else name


def _triples(node: dict, out: list) -> None:
    """The (subject, property, value) statements of a csv2json object, nested objects too."""
    subject = node.get("@id")
    for name, value in node.items():
        if name == "@id":
            continue
        key = _expanded(name)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                out.append((subject, key, item["@id"]))
                _triples(item, out)
            else:
                out.append((subject, key, item))


def _in_graph(values: dict, subject: str, prop: str, value) -> bool:
    for term in values.get((subject, prop), []):
        if isinstance(term, URIRef):
            if str(term) == value:
                return True
        elif isinstance(term, Literal):
            if isinstance(value, str) and str(term) == value:
                return True
            python = term.toPython()
            if not isinstance(value, str) and python == value:
                return True
    return False


def _not_in_graph(directory: Path, values: dict) -> tuple[list, int]:
    converted = CSVW(str(directory / "csv-metadata.json"), validate=True)
    assert converted.is_valid
    statements: list = []
    for node in converted.to_json(minimal=True):
        _triples(node, statements)
    return [s for s in statements if not _in_graph(values, *s)], len(statements)


def test_csvw_conversion_gives_triples_of_the_graph(tables, graph_values):
    missing, count = _not_in_graph(tables, graph_values)
    assert missing == []
    # every table converts to something, and most of each table does
    assert count > 2000  # 2,420 statements on the data of December 2026
    metadata = json.loads((tables / "csv-metadata.json").read_text())
    assert [t["url"] for t in metadata["tables"]] == [f"{t.name}.csv" for t in TABLES]


def test_every_row_of_every_table_converts_to_statements(tables, graph_values):
    """Not only the tables as a whole: each table, and each of its rows, gives statements of the
    graph (a table whose columns were all left out of the conversion would fail here)."""
    converted = CSVW(str(tables / "csv-metadata.json"), validate=True)
    found = {}
    for table in converted.to_json(minimal=False)["tables"]:
        name = table["url"].rsplit("/", 1)[-1]
        rows = []
        for row in table["row"]:
            statements: list = []
            for node in row["describes"]:
                _triples(node, statements)
            assert statements, (name, row["rownum"])
            assert [s for s in statements if not _in_graph(graph_values, *s)] == []
            rows.append(len(statements))
        found[name] = rows
    # issue 15: one table per main kind, and the reported figures with their sources
    kinds = "cities sites events participations memberships signatories people sources figures"
    assert sorted(found) == sorted(f"{name}.csv" for name in kinds.split())
    # data/: the thirteen signatories of the Querétaro Declaration, one row each
    assert len(found["signatories.csv"]) == 13


def test_csvw_check_catches_a_wrong_mapping(tables, graph_values, tmp_path):
    """The check above has teeth: a column mapped to the wrong property fails it."""
    for path in tables.iterdir():
        shutil.copy(path, tmp_path / path.name)
    metadata = json.loads((tmp_path / "csv-metadata.json").read_text())
    cities = metadata["tables"][0]["tableSchema"]["columns"]
    city = next(c for c in cities if c["name"] == "city")
    assert city["propertyUrl"] == RDFS_LABEL and city["lang"] == "en"
    city["propertyUrl"] = "http://www.w3.org/2000/01/rdf-schema#comment"
    (tmp_path / "csv-metadata.json").write_text(json.dumps(metadata))
    missing, _ = _not_in_graph(tmp_path, graph_values)
    assert (ID + "city/cuneo", city["propertyUrl"], "Cuneo") in missing


def test_columns_map_exactly_one_triple_pattern(tables):
    """A column about another resource names it by a template of the column that holds its IRI,
    and every column that gives several values in one cell is left out of the conversion."""
    metadata = json.loads((tables / "csv-metadata.json").read_text())
    for table in metadata["tables"]:
        names = {c["name"] for c in table["tableSchema"]["columns"]}
        assert table["tableSchema"]["aboutUrl"] == "{+iri}"
        for column in table["tableSchema"]["columns"]:
            for key in ("aboutUrl", "valueUrl"):
                if key in column:
                    assert column[key][2:-1] in names, (table["url"], column)
            if "separator" in column:
                assert column["suppressOutput"] is True


def test_frictionless_validates_the_data_package(tables):
    frictionless = shutil.which("frictionless", path=str(Path(sys.executable).parent))
    assert frictionless
    checked = subprocess.run(
        [frictionless, "validate", "datapackage.json"],
        cwd=tables,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_frictionless_notices_an_altered_file(tables, tmp_path):
    from frictionless import validate

    for path in tables.iterdir():
        shutil.copy(path, tmp_path / path.name)
    assert validate(str(tmp_path / "datapackage.json")).valid
    figures = tmp_path / "figures.csv"
    figures.write_bytes(figures.read_bytes().replace(b",40,", b",41,", 1))
    assert not validate(str(tmp_path / "datapackage.json")).valid


def test_pandas_reads_the_figures_with_their_sources(tables):
    figures = pandas.read_csv(tables / "figures.csv")
    for column in (
        "about",
        "quantity",
        "value",
        "comparator",
        "reference_date",
        "forecast",
        "source_title",
        "source_url",
        "confidence",
    ):
        assert column in figures.columns
    # data/figures.ttl: the 2017 conference's cities, as three sources counted them
    cities_2017 = figures[
        (figures.about_iri == ID + "conference/2017-clermont-ferrand")
        & (figures.quantity_iri == ID + "quantity/cities")
    ]
    # The value column holds numbers and, where sources disagree on a date, dates (issue 17).
    values = pandas.to_numeric(cities_2017.value)
    by_source = dict(zip(cities_2017.source_iri, values, strict=True))
    assert by_source[ID + "source/agence-c3m"] == 40
    assert by_source[ID + "source/clermontinfos-14455"] == 34
    row = cities_2017[cities_2017.source_iri == ID + "source/agence-c3m"].iloc[0]
    assert row.reference_date == "2017-12-05"
    assert row.source_url.startswith("https://agence-c3m.paris/")
    assert row.about == "1st INMC Conference, Clermont-Ferrand (2017)"
    forecast = cities_2017[cities_2017.source_iri == ID + "source/clermontinfos-14455"].iloc[0]
    assert forecast.forecast == True  # noqa: E712 (a numpy boolean)


def test_cities_table_reads_as_people_name_things(tables):
    raw = (tables / "cities.csv").read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n"), "RFC 4180 line ends"
    cities = pandas.read_csv(tables / "cities.csv", keep_default_na=False, dtype=str)
    assert list(cities.columns[:4]) == ["iri", "city", "city_fr", "city_es"]
    clermont = cities[cities.iri == ID + "city/clermont-ferrand"].iloc[0]
    assert clermont.city == "Clermont-Ferrand"
    assert (clermont.country, clermont.country_code) == ("France", "FR")
    assert (clermont.latitude, clermont.longitude) == ("45.7831", "3.0824")
    assert "member city" in clermont.role.split(" | ")
    assert cities[cities.iri == ID + "city/kremenchuk"].iloc[0].city_fr == "Krementchouk"


def test_signatories_table_has_a_row_per_signatory(tables):
    rows = pandas.read_csv(tables / "signatories.csv")
    assert len(rows) == 13  # README: the thirteen signatories of the Querétaro Declaration
    assert set(rows.declaration) == {"Querétaro Declaration"}
    assert "Cuneo" in set(rows.signatory)


@pytest.mark.virtuoso
def test_tables_are_the_same_from_virtuoso(tables, virtuoso, tmp_path):
    from rivm_graph.stores.remote import SparqlStore

    write_tables(SparqlStore(virtuoso.query_url, timeout=30.0), tmp_path, "test")
    for name in sorted(p.name for p in tables.iterdir()):
        assert (tmp_path / name).read_bytes() == (tables / name).read_bytes(), name
