"""The tables and GeoJSON collections as DCAT-AP distributions of the dataset, beside the dumps
(``descriptions``); the VoID description lists them too."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from rdflib import Graph, URIRef

from ..i18n import LANGUAGES
from ..i18n.descriptions import TEXTS
from ..i18n.messages import translator
from ..pages.resource_description import DATASET_IRI
from ..rdf import formats
from .descriptions import DCAT, DownloadFile, file_distribution
from .geojson import MEDIA_TYPE as GEOJSON
from .geojson import encode
from .tables import BY_NAME, CSV_MEDIA_TYPE, METADATA, TableSet

CSVW_METADATA = ("http://www.w3.org/TR/tabular-metadata/", "Metadata Vocabulary for Tabular Data")
CSV_FORMAT = ("https://www.rfc-editor.org/rfc/rfc4180", "RFC 4180: the CSV format")
DATA_PACKAGE = ("https://datapackage.org/standard/data-package/", "Data Package")
GEOJSON_FORMAT = ("https://www.rfc-editor.org/rfc/rfc7946", "RFC 7946: the GeoJSON format")


@dataclass(frozen=True)
class Offered:
    file: DownloadFile
    titles: dict[str, str]
    descriptions: dict[str, str]


def _texts(key: str, **values: str) -> dict[str, str]:
    return {lang: TEXTS[key][lang].format(**values) for lang in LANGUAGES}


def offered_files(tables: TableSet, collections: dict[str, dict], base_url: str) -> list[Offered]:
    """Every table file and GeoJSON collection, with what a catalogue says of it."""
    base_url = base_url.rstrip("/")
    offered = []
    for found in tables.files:
        if found.name.endswith(".csv"):
            spec = BY_NAME[found.name[: -len(".csv")]]
            media_type, title = CSV_MEDIA_TYPE, spec.title
            conforms, key = (CSV_FORMAT,), "table_description"
        else:
            media_type, key = formats.JSON.media_type, "metadata_description"
            conforms = (CSVW_METADATA,) if found.name == METADATA else (DATA_PACKAGE,)
            title = conforms[0][1]
            if found.name == METADATA:
                media_type = formats.CSVW_METADATA.media_type
        offered.append(
            Offered(
                DownloadFile(
                    name=found.name,
                    media_type=media_type,
                    access_url=f"{base_url}/tables/",
                    download_url=f"{base_url}/tables/{found.name}",
                    size=found.size,
                    sha256=found.sha256,
                    conforms_to=conforms,
                ),
                # the tables' titles are English only
                {"en": f"{found.name}: {title}"},
                _texts(key, file=found.name),
            )
        )
    for name, collection in collections.items():
        data = encode(collection)
        file_name = f"{name}.geojson"
        offered.append(
            Offered(
                DownloadFile(
                    name=file_name,
                    media_type=GEOJSON,
                    access_url=f"{base_url}/tables/",
                    download_url=f"{base_url}/geo/{file_name}",
                    size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                    conforms_to=(GEOJSON_FORMAT,),
                ),
                {lang: translator(lang)(f"geojson_{name}") for lang in LANGUAGES},
                _texts("geojson_description", file=file_name),
            )
        )
    return offered


def add_distributions(graph: Graph, offered: list[Offered]) -> None:
    """Each offered file as a distribution of the dataset (in the DCAT-AP catalogue and VoID)."""
    dataset = URIRef(DATASET_IRI)
    for item in offered:
        node = file_distribution(graph, item.file, item.titles, item.descriptions)
        graph.add((dataset, DCAT.distribution, node))


def schema_org_downloads(offered: list[Offered]) -> list[dict]:
    """The same files as schema.org DataDownloads, for the home page's Dataset."""
    return [
        {
            "@type": "DataDownload",
            "name": item.titles["en"],
            "contentUrl": item.file.download_url,
            "encodingFormat": item.file.media_type,
            "contentSize": f"{item.file.size} B",
            "sha256": item.file.sha256,
        }
        for item in offered
    ]
