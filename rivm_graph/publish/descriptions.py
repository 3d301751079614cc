"""The dataset's descriptions for harvesters: VoID, DCAT-AP 3 and a schema.org Dataset.

All three are built here from one set of facts read from the graph (``dataset_facts``) and the dump
set, so their numbers agree with each other, with the dumps and with the SPARQL endpoint. The
dataset, catalogue and service keep their IRIs under https://w3id.org/rivm/; endpoint and download
URLs are the server's (``base_url``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from ..i18n import LANGUAGES
from ..i18n.descriptions import KEYWORDS, TEXTS
from ..pages.resource_description import DATASET_IRI, LICENSE
from ..rdf.formats import Format, by_media_type
from ..rdf.namespaces import BASE_IRI, ID_BASE, ONTOLOGY_IRI, PREFIXES, VOID, bind_all
from ..stores.base import GraphStore
from . import eu_vocabularies as eu
from .dataset_facts import LINK_TARGETS, DatasetFacts, gather_facts
from .dumps import DumpSet

CATALOG_IRI = BASE_IRI + "catalog"
SERVICE_IRI = BASE_IRI + "sparql-service"
DISTRIBUTION_BASE = BASE_IRI + "distribution/"
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"

DCAT = Namespace(PREFIXES["dcat"])
DCT = Namespace(PREFIXES["dct"])
FOAF = Namespace(PREFIXES["foaf"])
SKOS = Namespace(PREFIXES["skos"])
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
WKT = URIRef(PREFIXES["geo"] + "wktLiteral")
#: Prefixes bound on the description graphs only (never in the repository's Turtle files).
EXTRA_PREFIXES = {"vcard": str(VCARD), "spdx": str(SPDX), "dcatap": str(DCATAP)}


@dataclass(frozen=True)
class Publisher:
    """Who publishes the dataset (settings PUBLISHER_NAME, PUBLISHER_TYPE and CONTACT_URL)."""

    name: str = "rivm-graph contributors"
    url: str = ""  # empty: the site itself
    kind: str = "PrivateIndividual(s)"  # an ADMS publisher type

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Publisher:
        return cls(
            name=str(settings.get("PUBLISHER_NAME") or cls.name),
            url=str(settings.get("CONTACT_URL") or ""),
            kind=str(settings.get("PUBLISHER_TYPE") or cls.kind),
        )


def _texts(key: str, **values: Any) -> dict[str, str]:
    return {lang: template.format(**values) for lang, template in TEXTS[key].items()}


def _name(facts: DatasetFacts, lang: str) -> str:
    return facts.names.get(lang) or facts.names.get("en") or "rivm-graph"


def _title(facts: DatasetFacts, key: str) -> dict[str, str]:
    return {lang: TEXTS[key][lang].format(name=_name(facts, lang)) for lang in LANGUAGES}


def _description(facts: DatasetFacts, triples: int) -> dict[str, str]:
    values = {
        **facts.numbers,
        "start": str(facts.start)[:4] if facts.start else "?",
        "end": str(facts.end)[:4] if facts.end else "?",
        "triples": triples,
    }
    return {
        lang: TEXTS["description"][lang].format(name=_name(facts, lang), **values)
        for lang in LANGUAGES
    }


def _add_texts(graph: Graph, subject, predicate, texts: dict[str, str]) -> None:
    for lang, text in texts.items():
        graph.add((subject, predicate, Literal(text, lang=lang)))


def _new_graph() -> Graph:
    graph = Graph()
    bind_all(graph)
    for prefix, namespace in EXTRA_PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def _node(kind: str, key: str) -> BNode:
    """A blank node named from its content, so the same description gives the same labels."""
    return BNode(f"{kind}{hashlib.sha256(key.encode()).hexdigest()[:12]}")


def _dump_url(base_url: str, name: str) -> URIRef:
    return URIRef(f"{base_url}/dumps/{name}")


# ----------------------------------------------------------------------------------------------
# VoID
# ----------------------------------------------------------------------------------------------


def void_description(
    store: GraphStore,
    dumps: DumpSet,
    base_url: str,
    *,
    publisher: Publisher | None = None,
    facts: DatasetFacts | None = None,
) -> Graph:
    facts = facts or gather_facts(store)
    publisher = publisher or Publisher()
    base_url = base_url.rstrip("/")
    graph = _new_graph()
    dataset = URIRef(DATASET_IRI)
    document = URIRef(f"{base_url}/.well-known/void")
    graph.add((document, RDF.type, VOID.DatasetDescription))
    graph.add((document, FOAF.primaryTopic, dataset))
    _add_texts(graph, document, DCT.title, {"en": "VoID description", "fr": "Description VoID"})

    graph.add((dataset, RDF.type, VOID.Dataset))
    _add_texts(graph, dataset, DCT.title, _title(facts, "title"))
    _add_texts(graph, dataset, DCT.description, _description(facts, dumps.triples))
    graph.add((dataset, DCT.license, LICENSE))
    graph.add((dataset, OWL.versionInfo, Literal(dumps.version)))
    if facts.issued is not None:
        graph.add((dataset, DCT.issued, facts.issued))
    if facts.modified is not None:
        graph.add((dataset, DCT.modified, facts.modified))
    agent = _agent(graph, publisher, base_url)
    graph.add((dataset, DCT.publisher, agent))
    graph.add((dataset, DCT.creator, agent))
    graph.add((dataset, FOAF.homepage, URIRef(base_url + "/")))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(f"{base_url}/sparql")))
    for dump in dumps.files:
        graph.add((dataset, VOID.dataDump, _dump_url(base_url, dump.name)))
    for media_type in sorted({d.format.media_type for d in dumps.files}):
        graph.add((dataset, VOID.feature, URIRef(_format(media_type).w3c_iri or "")))
    graph.add((dataset, VOID.uriSpace, Literal(ID_BASE)))
    graph.add((dataset, VOID.rootResource, URIRef(ID_BASE + "organization/rivm")))
    for iri in facts.examples:
        graph.add((dataset, VOID.exampleResource, URIRef(iri)))
    for namespace in facts.vocabularies:
        graph.add((dataset, VOID.vocabulary, URIRef(namespace)))

    integer = XSD.integer
    graph.add((dataset, VOID.triples, Literal(dumps.triples, datatype=integer)))
    graph.add((dataset, VOID.entities, Literal(facts.entities, datatype=integer)))
    graph.add((dataset, VOID.classes, Literal(len(facts.counts.classes), datatype=integer)))
    graph.add((dataset, VOID.properties, Literal(len(facts.properties), datatype=integer)))
    graph.add((dataset, VOID.distinctSubjects, Literal(facts.distinct_subjects, datatype=integer)))
    graph.add((dataset, VOID.distinctObjects, Literal(facts.distinct_objects, datatype=integer)))
    for cls, n in sorted(facts.counts.classes.items()):
        partition = _node("class", cls)
        graph.add((dataset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], URIRef(cls)))
        graph.add((partition, VOID.entities, Literal(n, datatype=integer)))
    for prop, n in sorted(facts.properties.items()):
        partition = _node("property", prop)
        graph.add((dataset, VOID.propertyPartition, partition))
        graph.add((partition, VOID.property, URIRef(prop)))
        graph.add((partition, VOID.triples, Literal(n, datatype=integer)))

    for target in LINK_TARGETS:
        other = URIRef(target.homepage)
        graph.add((other, RDF.type, VOID.Dataset))
        graph.add((other, DCT.title, Literal(target.title)))
        graph.add((other, FOAF.homepage, other))
        graph.add((other, VOID.uriSpace, Literal(target.uri_space)))
        linkset = URIRef(f"{DATASET_IRI}/links/{target.key}")
        graph.add((dataset, VOID.subset, linkset))
        graph.add((linkset, RDF.type, VOID.Linkset))
        _add_texts(
            graph,
            linkset,
            DCT.title,
            {"en": f"Links to {target.title}", "fr": f"Liens vers {target.title}"},
        )
        graph.add((linkset, VOID.linkPredicate, OWL.sameAs))
        graph.add((linkset, VOID.subjectsTarget, dataset))
        graph.add((linkset, VOID.objectsTarget, other))
        graph.add((linkset, VOID.target, dataset))
        graph.add((linkset, VOID.target, other))
        graph.add((linkset, VOID.triples, Literal(facts.links[target.key], datatype=integer)))
    return graph


# ----------------------------------------------------------------------------------------------
# DCAT-AP 3
# ----------------------------------------------------------------------------------------------


def _concept(graph: Graph, iri: str, scheme: str, labels: dict[str, str]) -> URIRef:
    node = URIRef(iri)
    graph.add((node, RDF.type, SKOS.Concept))
    graph.add((node, SKOS.inScheme, URIRef(scheme)))
    _add_texts(graph, node, SKOS.prefLabel, labels)
    return node


def _document(graph: Graph, url: str) -> URIRef:
    node = URIRef(url)
    graph.add((node, RDF.type, FOAF.Document))
    return node


def _agent(graph: Graph, publisher: Publisher, base_url: str) -> BNode:
    agent = BNode("publisher")
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, RDF.type, FOAF.Organization))
    graph.add((agent, FOAF.name, Literal(publisher.name)))
    graph.add((agent, FOAF.homepage, URIRef(publisher.url or base_url + "/")))
    return agent


def _dcat_agent(graph: Graph, publisher: Publisher, base_url: str) -> BNode:
    agent = _agent(graph, publisher, base_url)
    label = eu.PUBLISHER_TYPES.get(publisher.kind, publisher.kind)
    kind = _concept(
        graph,
        f"http://purl.org/adms/publishertype/{publisher.kind}",
        eu.PUBLISHER_TYPE_SCHEME,
        {"en": label},
    )
    graph.add((agent, DCT.type, kind))
    scheme = URIRef(eu.PUBLISHER_TYPE_SCHEME)
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, DCT.title, Literal("Publisher type", lang="en")))
    return agent


def _contact(graph: Graph, publisher: Publisher, base_url: str) -> BNode:
    contact = BNode("contact")
    graph.add((contact, RDF.type, VCARD.Kind))
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(publisher.name)))
    graph.add((contact, VCARD.hasURL, URIRef(publisher.url or base_url + "/")))
    return contact


def _licence(graph: Graph) -> URIRef:
    graph.add((LICENSE, RDF.type, DCT.LicenseDocument))
    graph.add((LICENSE, DCT.title, Literal("Creative Commons Attribution 4.0 International")))
    graph.add((LICENSE, DCT.identifier, Literal("CC-BY-4.0")))
    kind = _concept(
        graph,
        "http://purl.org/adms/licencetype/Attribution",
        eu.LICENCE_TYPE_SCHEME,
        {"en": "Attribution", "fr": "Attribution"},
    )
    graph.add((LICENSE, DCT.type, kind))
    return LICENSE


def _standard(graph: Graph, iri: str, title: str) -> URIRef:
    node = URIRef(iri)
    graph.add((node, RDF.type, DCT.Standard))
    graph.add((node, DCT.title, Literal(title, lang="en")))
    return node


def _language(graph: Graph, tag: str) -> URIRef | None:
    iri = eu.language_iri(tag)
    if iri is None:
        return None
    node = URIRef(iri)
    graph.add((node, RDF.type, DCT.LinguisticSystem))
    graph.add((node, SKOS.inScheme, URIRef(eu.LANGUAGE_SCHEME)))
    return node


def _places(graph: Graph, facts: DatasetFacts) -> list:
    places: list = []
    for country in facts.countries:
        iri = eu.country_iri(country.alpha2)
        if iri is None:
            continue
        node = URIRef(iri)
        graph.add((node, RDF.type, DCT.Location))
        graph.add((node, SKOS.inScheme, URIRef(eu.COUNTRY_SCHEME)))
        _add_texts(
            graph, node, SKOS.prefLabel, {k: v for k, v in country.labels.items() if k in LANGUAGES}
        )
        places.append(node)
    if facts.box is not None and facts.centroid is not None:
        south, west, north, east = facts.box
        area = BNode("area")
        graph.add((area, RDF.type, DCT.Location))
        polygon = (
            f"POLYGON(({west} {south}, {east} {south}, {east} {north}, {west} {north}, "
            f"{west} {south}))"
        )
        graph.add((area, DCAT.bbox, Literal(polygon, datatype=WKT)))
        lat, long = facts.centroid
        graph.add((area, DCAT.centroid, Literal(f"POINT({long:.4f} {lat:.4f})", datatype=WKT)))
        places.append(area)
    return places


def _period(graph: Graph, facts: DatasetFacts) -> BNode | None:
    if facts.start is None or facts.end is None:
        return None
    period = BNode("period")
    graph.add((period, RDF.type, DCT.PeriodOfTime))
    graph.add((period, DCAT.startDate, facts.start))
    graph.add((period, DCAT.endDate, facts.end))
    return period


def _format(media_type: str) -> Format:
    found = by_media_type(media_type)
    assert found is not None, f"{media_type} is not in the format registry"
    return found


def _distribution(graph: Graph, dump, dumps: DumpSet, base_url: str) -> URIRef:
    fmt = dump.format
    quads = {lang: (TEXTS["quads"][lang] if fmt.quads else "") for lang in LANGUAGES}
    node = file_distribution(
        graph,
        DownloadFile(
            name=dump.name,
            media_type=fmt.media_type,
            size=dump.size,
            sha256=dump.sha256,
            access_url=f"{base_url}/dumps/",
            download_url=str(_dump_url(base_url, dump.name)),
        ),
        _texts("distribution_title", label=fmt.label),
        {
            lang: TEXTS["distribution_description"][lang].format(
                triples=dumps.triples, label=fmt.label, file=dump.name, quads=quads[lang]
            )
            for lang in LANGUAGES
        },
    )
    if fmt.gzip_of:
        gzip = URIRef(eu.media_type_iri("application/gzip"))
        graph.add((gzip, RDF.type, DCT.MediaType))
        graph.add((node, DCAT.compressFormat, gzip))
    return node


@dataclass(frozen=True)
class DownloadFile:
    """A file offered for download, as a DCAT distribution describes it."""

    name: str  # unique among the distributions: it names the distribution's IRI
    media_type: str  # its format in the registry gives the EU file type
    access_url: str
    download_url: str
    size: int | None = None
    sha256: str | None = None
    conforms_to: tuple[tuple[str, str], ...] = ()  # (standard IRI, title)


def file_distribution(
    graph: Graph, file: DownloadFile, titles: dict[str, str], descriptions: dict[str, str]
) -> URIRef:
    """A DCAT-AP distribution of one downloadable file: media type, EU file type, size,
    checksum, licence and availability."""
    node = URIRef(DISTRIBUTION_BASE + file.name)
    graph.add((node, RDF.type, DCAT.Distribution))
    _add_texts(graph, node, DCT.title, titles)
    _add_texts(graph, node, DCT.description, descriptions)
    graph.add((node, DCAT.accessURL, URIRef(file.access_url)))
    graph.add((node, DCAT.downloadURL, URIRef(file.download_url)))
    media = URIRef(eu.media_type_iri(file.media_type))
    graph.add((media, RDF.type, DCT.MediaType))
    graph.add((node, DCAT.mediaType, media))
    file_type = URIRef(f"{eu.AUTHORITY}file-type/{_format(file.media_type).eu_file_type}")
    graph.add((file_type, RDF.type, DCT.MediaTypeOrExtent))
    graph.add((file_type, SKOS.inScheme, URIRef(eu.FILE_TYPE_SCHEME)))
    graph.add((node, DCT["format"], file_type))
    for standard, title in file.conforms_to:
        graph.add((node, DCT.conformsTo, _standard(graph, standard, title)))
    if file.size is not None:
        graph.add((node, DCAT.byteSize, Literal(file.size, datatype=XSD.nonNegativeInteger)))
    if file.sha256 is not None:
        checksum = _node("checksum", file.name)
        graph.add((node, SPDX.checksum, checksum))
        graph.add((checksum, RDF.type, SPDX.Checksum))
        graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        graph.add((SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm))
        graph.add((checksum, SPDX.checksumValue, Literal(file.sha256, datatype=XSD.hexBinary)))
    graph.add((node, DCT.license, LICENSE))
    available = _concept(
        graph,
        eu.AVAILABILITY_SCHEME + "/AVAILABLE",
        eu.AVAILABILITY_SCHEME,
        {"en": "Available", "fr": "Disponible"},
    )
    graph.add((node, DCATAP.availability, available))
    return node


def dcat_catalog(
    store: GraphStore,
    dumps: DumpSet,
    base_url: str,
    *,
    publisher: Publisher | None = None,
    facts: DatasetFacts | None = None,
) -> Graph:
    facts = facts or gather_facts(store)
    publisher = publisher or Publisher()
    base_url = base_url.rstrip("/")
    graph = _new_graph()
    catalog, dataset, service = URIRef(CATALOG_IRI), URIRef(DATASET_IRI), URIRef(SERVICE_IRI)
    agent = _dcat_agent(graph, publisher, base_url)
    contact = _contact(graph, publisher, base_url)
    licence = _licence(graph)
    home = _document(graph, base_url + "/")
    places = _places(graph, facts)
    themes = [
        _concept(graph, f"{eu.DATA_THEME_SCHEME}/{code}", eu.DATA_THEME_SCHEME, labels)
        for code, labels in eu.DATA_THEMES.items()
    ]
    taxonomy = URIRef(eu.DATA_THEME_SCHEME)
    graph.add((taxonomy, RDF.type, SKOS.ConceptScheme))
    graph.add((taxonomy, DCT.title, Literal("Data theme", lang="en")))
    keywords = {
        lang: sorted({*facts.keywords.get(lang, ()), *KEYWORDS[lang]}) for lang in LANGUAGES
    }

    graph.add((catalog, RDF.type, DCAT.Catalog))
    _add_texts(graph, catalog, DCT.title, _title(facts, "catalog_title"))
    formats = len({d.format.media_type for d in dumps.files})
    _add_texts(
        graph,
        catalog,
        DCT.description,
        {
            lang: TEXTS["catalog_description"][lang].format(
                name=_name(facts, lang), formats=formats
            )
            for lang in LANGUAGES
        },
    )
    graph.add((catalog, DCT.publisher, agent))
    graph.add((catalog, FOAF.homepage, home))
    graph.add((catalog, DCT.license, licence))
    graph.add((catalog, DCAT.dataset, dataset))
    graph.add((catalog, DCAT.service, service))
    graph.add((catalog, DCAT.themeTaxonomy, taxonomy))
    for lang in LANGUAGES:
        language = _language(graph, lang)
        if language is not None:
            graph.add((catalog, DCT.language, language))
    for place in places:
        graph.add((catalog, DCT.spatial, place))
    for subject in (catalog, dataset):
        if facts.issued is not None:
            graph.add((subject, DCT.issued, facts.issued))
        if facts.modified is not None:
            graph.add((subject, DCT.modified, facts.modified))

    graph.add((dataset, RDF.type, DCAT.Dataset))
    _add_texts(graph, dataset, DCT.title, _title(facts, "title"))
    _add_texts(graph, dataset, DCT.description, _description(facts, dumps.triples))
    graph.add((dataset, DCT.identifier, Literal(DATASET_IRI)))
    graph.add((dataset, OWL.versionInfo, Literal(dumps.version)))
    graph.add((dataset, DCAT.version, Literal(dumps.version)))
    graph.add((dataset, DCT.publisher, agent))
    graph.add((dataset, DCT.creator, agent))
    graph.add((dataset, DCAT.contactPoint, contact))
    graph.add((dataset, DCT.license, licence))
    graph.add((dataset, DCAT.landingPage, home))
    graph.add((dataset, DCT.conformsTo, _standard(graph, ONTOLOGY_IRI, "RIVM / INMC ontology")))
    for theme in themes:
        graph.add((dataset, DCAT.theme, theme))
    for lang, words in keywords.items():
        for word in words:
            graph.add((dataset, DCAT.keyword, Literal(word, lang=lang)))
    for place in places:
        graph.add((dataset, DCT.spatial, place))
    period = _period(graph, facts)
    if period is not None:
        graph.add((dataset, DCT.temporal, period))
    for tag in facts.languages:
        language = _language(graph, tag)
        if language is not None:
            graph.add((dataset, DCT.language, language))
    provenance = BNode("provenance")
    graph.add((provenance, RDF.type, DCT.ProvenanceStatement))
    _add_texts(graph, provenance, RDFS.label, TEXTS["provenance"])
    graph.add((dataset, DCT.provenance, provenance))
    for dump in dumps.files:
        graph.add((dataset, DCAT.distribution, _distribution(graph, dump, dumps, base_url)))

    endpoint = URIRef(f"{base_url}/sparql")
    graph.add((service, RDF.type, DCAT.DataService))
    _add_texts(graph, service, DCT.title, _title(facts, "service_title"))
    _add_texts(graph, service, DCT.description, TEXTS["service_description"])
    graph.add((service, DCAT.endpointURL, endpoint))
    graph.add((service, DCAT.endpointDescription, endpoint))
    graph.add((service, DCAT.servesDataset, dataset))
    graph.add((service, DCT.conformsTo, _standard(graph, SPARQL_PROTOCOL, "SPARQL 1.1 Protocol")))
    graph.add((service, DCAT.landingPage, _document(graph, f"{base_url}/query")))
    graph.add((service, DCT.license, licence))
    graph.add((service, DCT.publisher, agent))
    graph.add((service, DCAT.contactPoint, contact))
    for theme in themes:
        graph.add((service, DCAT.theme, theme))
    for lang, own in KEYWORDS.items():
        for word in (*own, "SPARQL"):
            graph.add((service, DCAT.keyword, Literal(word, lang=lang)))
    return graph


# ----------------------------------------------------------------------------------------------
# schema.org
# ----------------------------------------------------------------------------------------------


def schema_org_dataset(
    store: GraphStore,
    dumps: DumpSet,
    base_url: str,
    *,
    publisher: Publisher | None = None,
    facts: DatasetFacts | None = None,
) -> dict:
    """A schema.org Dataset in JSON-LD, as Google Dataset Search reads it."""
    facts = facts or gather_facts(store)
    publisher = publisher or Publisher()
    base_url = base_url.rstrip("/")
    description = _description(facts, dumps.triples)
    organization = {
        "@type": "Organization",
        "name": publisher.name,
        "url": publisher.url or base_url + "/",
    }
    places: list[dict] = []
    if facts.box is not None:
        south, west, north, east = facts.box
        places.append(
            {
                "@type": "Place",
                "name": "The cities of the network",
                "geo": {"@type": "GeoShape", "box": f"{south} {west} {north} {east}"},
            }
        )
    for country in facts.countries:
        places.append(
            {
                "@type": "Country",
                "name": country.labels.get("en") or country.alpha2,
                "identifier": country.alpha2,
            }
        )
    keywords = list(
        dict.fromkeys(
            word
            for lang in LANGUAGES
            for word in sorted({*facts.keywords.get(lang, ()), *KEYWORDS[lang]})
        )
    )
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": DATASET_IRI,
        "name": _title(facts, "title")["en"],
        "alternateName": _title(facts, "title")["fr"],
        "description": description["en"],
        "url": base_url + "/",
        "identifier": DATASET_IRI,
        "version": dumps.version,
        "license": str(LICENSE),
        "isAccessibleForFree": True,
        "inLanguage": list(LANGUAGES),
        "keywords": keywords,
        "creator": organization,
        "publisher": organization,
        "spatialCoverage": places,
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "@id": CATALOG_IRI,
            "name": _title(facts, "catalog_title")["en"],
            "url": f"{base_url}/catalog",
        },
        "distribution": [
            {
                "@type": "DataDownload",
                "name": dump.format.label,
                "contentUrl": str(_dump_url(base_url, dump.name)),
                "encodingFormat": dump.format.served_as,
                "contentSize": f"{dump.size} B",
                "sha256": dump.sha256,
            }
            for dump in dumps.files
        ],
    }
    if facts.start is not None and facts.end is not None:
        data["temporalCoverage"] = f"{facts.start}/{facts.end}"
    if facts.issued is not None:
        data["datePublished"] = str(facts.issued)
    if facts.modified is not None:
        data["dateModified"] = str(facts.modified)
    return data
