"""Issue 15's "done when", as the README writes it: a researcher reads the figures table with
pandas, loads the cities in GeoPandas, cites the dataset in BibTeX at a release and fetches that
release's dump, checked against the SHA256SUMS the repository keeps. Each README line is run as
written (the address changed to the test server's), against a real server on each store."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import geopandas
import pandas
from rdflib import Dataset

from tests.system_programs import require

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
DOCUMENTED = "http://127.0.0.1:8080"
ID = "https://w3id.org/rivm/id/"


def readme_line(starts: str) -> str:
    """The README's line starting with ``starts``, without its comment."""
    (line,) = re.findall(rf"^{re.escape(starts)}.*$", README, re.M)
    return line


def python_recipe(starts: str, base: str):
    expression = readme_line(starts).split("  #")[0].replace(DOCUMENTED, base)
    return eval(expression, {"pandas": pandas, "geopandas": geopandas})  # the README's own line


def shell_recipe(starts: str, base: str, cwd: Path) -> str:
    line = readme_line(starts).split("   #")[0].replace(DOCUMENTED, base)
    done = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {line}"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, line + "\n" + done.stdout + done.stderr
    return done.stdout


def test_pandas_reads_the_figures_table_from_the_server(live_server):
    figures = python_recipe("pandas.read_csv(", live_server)
    assert {"value", "source_title", "source_url", "confidence"} <= set(figures.columns)
    # data/figures.ttl: the 2017 conference's cities as Agence C3M counted them
    row = figures[
        (figures.about_iri == ID + "conference/2017-clermont-ferrand")
        & (figures.quantity_iri == ID + "quantity/cities")
        & (figures.source_iri == ID + "source/agence-c3m")
    ].iloc[0]
    assert float(row.value) == 40


def test_geopandas_loads_the_cities_from_the_server(live_server):
    cities = python_recipe("geopandas.read_file(", live_server)
    assert cities.crs.to_epsg() == 4326
    cuneo = cities[cities.iri == ID + "city/cuneo"].iloc[0]
    assert cuneo.country_code == "IT" and bool(cuneo.member)


def test_cite_a_release_in_bibtex_and_fetch_its_dump_unchanged(live_server, tmp_path):
    require("curl")
    bibtex = shell_recipe("curl -H 'Accept: application/x-bibtex'", live_server, tmp_path)
    library = bibtexparser.parse_string(bibtex)
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry["version"] == "0.1.0"
    assert entry["url"] == "https://w3id.org/rivm/releases/0.1.0"
    # the checksums as the repository keeps them (git), beside the downloaded file
    (tmp_path / "releases" / "0.1.0").mkdir(parents=True)
    shutil.copy(ROOT / "releases" / "0.1.0" / "SHA256SUMS", tmp_path / "releases" / "0.1.0")
    checked = shell_recipe("curl -O ", live_server, tmp_path)
    assert checked.strip() == "rivm.nq.gz: OK"
    record = json.loads((ROOT / "releases" / "0.1.0" / "release.json").read_text())
    dump = Dataset().parse(
        data=gzip.decompress((tmp_path / "rivm.nq.gz").read_bytes()), format="nquads"
    )
    assert len({(s, p, o) for s, p, o, _ in dump.quads()}) == record["triples"]
