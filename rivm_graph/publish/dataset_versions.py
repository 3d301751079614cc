"""What the descriptions say about versions and citing: each release as a version of the dataset
(DCAT 3 and DCAT-AP 3), the recommended citation (``dct:bibliographicCitation``), and in
schema.org the version and the works the dataset cites (its sources).

Added to the graphs and the dict that ``descriptions`` builds, so that module stays about the
dataset as it is served now.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, XSD

from ..i18n import LANGUAGES
from ..i18n.descriptions import TEXTS
from ..pages.resource_description import DATASET_IRI
from ..rdf.namespaces import PREFIXES
from ..releases.archive import Release, ReleaseFile, release_iri
from ..stores.base import GraphStore
from . import eu_vocabularies as eu
from .descriptions import DCAT, DCT, FOAF, DownloadFile, file_distribution
from .dumps import BASENAME, FORMATS

#: What a release shares with the dataset it is a version of (DCAT-AP's recommended properties).
SHARED = (
    DCT.publisher,
    DCT.creator,
    DCAT.contactPoint,
    DCT.license,
    DCAT.theme,
    DCAT.keyword,
    DCT.spatial,
    DCT.temporal,
    DCT.language,
    DCT.conformsTo,
    DCT.provenance,
)
TITLES = {
    "en": "{title}, release {version}",
    "fr": "{title}, version {version}",
    "es": "{title}, versión {version}",
}
DESCRIPTIONS = {
    "en": "Release {version} of the dataset, issued {issued}: {triples} triples, kept unchanged.",
    "fr": "Version {version} du jeu de données, publiée le {issued} : {triples} triplets, "
    "conservée telle quelle.",
    "es": "Versión {version} del conjunto de datos, publicada el {issued}: {triples} tripletas, "
    "conservada sin cambios.",
}
_FORMAT_OF = {f"{BASENAME}.{fmt.extension}": fmt for fmt in FORMATS}


def _release_dataset(graph: Graph, dataset: URIRef, release: Release, base_url: str) -> URIRef:
    node = URIRef(release_iri(release.version))
    graph.add((node, RDF.type, DCAT.Dataset))
    titles = {
        t.language: str(t) for t in graph.objects(dataset, DCT.title) if isinstance(t, Literal)
    }
    for lang in LANGUAGES:
        title = titles.get(lang) or titles.get("en") or ""
        values = {"title": title, "version": release.version}
        graph.add((node, DCT.title, Literal(TITLES[lang].format(**values), lang=lang)))
        text = DESCRIPTIONS[lang].format(
            version=release.version, issued=release.issued.isoformat(), triples=release.triples
        )
        graph.add((node, DCT.description, Literal(text, lang=lang)))
    graph.add((node, DCT.identifier, Literal(str(node))))
    graph.add((node, DCAT.version, Literal(release.version)))
    graph.add((node, OWL.versionInfo, Literal(release.version)))
    graph.add((node, DCT.issued, Literal(release.issued.isoformat(), datatype=XSD.date)))
    graph.add((node, DCAT.isVersionOf, dataset))
    graph.add((node, DCT.isVersionOf, dataset))
    page = URIRef(f"{base_url}/releases/{release.version}/")
    graph.add((page, RDF.type, FOAF.Document))
    graph.add((node, DCAT.landingPage, page))
    for predicate in SHARED:
        for value in graph.objects(dataset, predicate):
            graph.add((node, predicate, value))
    for entry in release.files:
        fmt = _FORMAT_OF.get(entry.name)
        if fmt is None:
            if entry.name.endswith((".csv", ".json")):  # the tables and their metadata
                graph.add((node, DCAT.distribution, _table(graph, release, entry, base_url)))
            continue
        folder = f"{base_url}/releases/{release.version}/"
        quads = {lang: (TEXTS["quads"][lang] if fmt.quads else "") for lang in LANGUAGES}
        distribution = file_distribution(
            graph,
            DownloadFile(
                name=f"{release.version}/{entry.name}",
                media_type=fmt.media_type,
                access_url=folder,
                download_url=folder + entry.name,
                size=entry.size,
                sha256=entry.sha256,
            ),
            {lang: TEXTS["distribution_title"][lang].format(label=fmt.label) for lang in LANGUAGES},
            {
                lang: TEXTS["distribution_description"][lang].format(
                    triples=release.triples, label=fmt.label, file=entry.name, quads=quads[lang]
                )
                for lang in LANGUAGES
            },
        )
        if fmt.gzip_of:
            gzip = URIRef(eu.media_type_iri("application/gzip"))
            graph.add((gzip, RDF.type, DCT.MediaType))
            graph.add((distribution, DCAT.compressFormat, gzip))
        graph.add((node, DCAT.distribution, distribution))
    return node


TABLE_TEXTS = {
    "en": "{name}, a table of release {version} (CSV on the Web and Data Package metadata beside).",
    "fr": "{name}, une table de la version {version} (métadonnées CSV on the Web et Data Package "
    "à côté).",
    "es": "{name}, una tabla de la versión {version} (metadatos CSV on the Web y Data Package al "
    "lado).",
}


def _table(graph: Graph, release: Release, entry: ReleaseFile, base_url: str) -> URIRef:
    """A table (or its metadata) of a release, as a distribution of it."""
    folder = f"{base_url}/releases/{release.version}/"
    name = entry.name.rsplit("/", 1)[-1]
    return file_distribution(
        graph,
        DownloadFile(
            name=f"{release.version}/{entry.name}",
            media_type=entry.media_type,
            access_url=folder,
            download_url=folder + entry.name,
            size=entry.size,
            sha256=entry.sha256,
        ),
        {lang: name for lang in LANGUAGES},
        {lang: TABLE_TEXTS[lang].format(name=name, version=release.version) for lang in LANGUAGES},
    )


def add_versions(
    graph: Graph, releases: Sequence[Release], base_url: str, *, citation: str | None
) -> Graph:
    """The DCAT-AP catalogue with every release as a version of the dataset (oldest first)."""
    base_url = base_url.rstrip("/")
    dataset = URIRef(DATASET_IRI)
    if citation:
        graph.add((dataset, DCT.bibliographicCitation, Literal(citation)))
    previous = None
    for release in releases:
        node = _release_dataset(graph, dataset, release, base_url)
        graph.add((dataset, DCAT.hasVersion, node))
        graph.add((dataset, DCT.hasVersion, node))
        if previous is not None:
            graph.add((node, DCAT.previousVersion, previous))
        previous = node
    if previous is not None:
        graph.add((dataset, DCAT.hasCurrentVersion, previous))
    return graph


def add_void_versions(graph: Graph, releases: Sequence[Release], *, citation: str | None) -> Graph:
    dataset = URIRef(DATASET_IRI)
    if citation:
        graph.add((dataset, DCT.bibliographicCitation, Literal(citation)))
    for release in releases:
        graph.add((dataset, DCT.hasVersion, URIRef(release_iri(release.version))))
    return graph


def cited_sources(store: GraphStore) -> list[dict[str, str]]:
    """The documents the dataset cites (its rivm:Source resources), as schema.org CreativeWorks."""
    rows = store.query(
        f"""SELECT ?source (SAMPLE(?t) AS ?title) (SAMPLE(?u) AS ?url) WHERE {{
              ?source a <{PREFIXES["rivm"]}Source> ; <{PREFIXES["dct"]}title> ?t .
              OPTIONAL {{ ?source <{PREFIXES["schema"]}url> ?u }}
            }} GROUP BY ?source ORDER BY ?source"""
    ).rows
    works = []
    for row in rows:
        work = {"@type": "CreativeWork", "@id": str(row["source"]), "name": str(row["title"])}
        if row.get("url") is not None:
            work["url"] = str(row["url"])
        works.append(work)
    return works


def add_schema_org_versions(
    data: dict[str, Any],
    *,
    version: str,
    releases: Sequence[Release],
    base_url: str,
    sources: list[dict[str, str]],
) -> dict[str, Any]:
    """schema.org: the version cited, each release as a version, and the works the data cites.

    ``citation`` is what the dataset cites (schema.org: "a citation or reference to another
    creative work"); how to cite the dataset itself is in the page's ``citation_*`` tags and in
    DCAT's ``dct:bibliographicCitation``.
    """
    base_url = base_url.rstrip("/")
    data["version"] = version
    data["citation"] = sources
    if releases:
        data["hasPart"] = [
            {
                "@type": "Dataset",
                "@id": release_iri(r.version),
                "name": f"{data.get('name', '')}, release {r.version}",
                "version": r.version,
                "datePublished": r.issued.isoformat(),
                "url": f"{base_url}/releases/{r.version}/",
            }
            for r in reversed(releases)
        ]
    return data
