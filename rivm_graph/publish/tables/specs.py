"""What each table holds: one column per triple pattern, from the row's resource or from the
resource named by another column of the row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...rdf.namespaces import PREFIXES

RDF, RDFS, RIVM = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["rivm"]
SCHEMA, DCT, ORG = PREFIXES["schema"], PREFIXES["dct"], PREFIXES["org"]
WGS, GEO, XSD = PREFIXES["wgs"], PREFIXES["geo"], PREFIXES["xsd"]
LABEL = RDFS + "label"


@dataclass(frozen=True)
class Column:
    """One triple pattern: ``<subject> predicate ?value`` (``?value predicate <subject>`` when
    ``inverse``), the subject being the row's resource or, with ``of``, the resource named by
    that earlier column of the row."""

    name: str
    predicate: str
    description: str
    of: str | None = None
    inverse: bool = False
    link: bool = False  # the value is a resource (an IRI column), else a literal
    lang: str | None = None  # only literals in this language


def _label(name: str, of: str | None, what: str, lang: str = "en") -> Column:
    return Column(name, LABEL, f"the name of {what} ({lang})", of=of, lang=lang)


def _link(name: str, predicate: str, what: str, of: str | None = None, **kw: Any) -> Column:
    return Column(name, predicate, f"the IRI of {what}", of=of, link=True, **kw)


def _confidence() -> tuple[Column, Column]:
    return (
        _link("confidence_iri", RIVM + "confidence", "the confidence, where it is not high"),
        _label("confidence", "confidence_iri", "the confidence (medium, unconfirmed …)"),
    )


def _sources() -> Column:
    return _link("sources", DCT + "source", "each source document stating it")


@dataclass(frozen=True)
class TableSpec:
    name: str
    title: str
    kinds: tuple[str, ...]  # the resources under ID_BASE<kind>/ are the rows
    columns: tuple[Column, ...]
    #: one row per value of this predicate (a declaration per signatory), else one per resource
    per: str | None = None
    #: other languages get a column of their own for these label columns
    translated: tuple[str, ...] = ()


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "cities",
        "Cities of the network",
        ("city",),
        (
            _label("city", None, "the city"),
            _link("country_iri", RIVM + "country", "its country"),
            _label("country", "country_iri", "its country"),
            Column(
                "country_code",
                RIVM + "iso3166Alpha2",
                "ISO 3166-1 alpha-2 code of its country",
                of="country_iri",
            ),
            Column("subdivision_code", RIVM + "subdivisionCode", "ISO 3166-2 code of its region"),
            _link("geometry_iri", GEO + "hasGeometry", "its point"),
            Column("latitude", WGS + "lat", "latitude (WGS84, degrees)", of="geometry_iri"),
            Column("longitude", WGS + "long", "longitude (WGS84, degrees)", of="geometry_iri"),
            Column("geonames_id", RIVM + "geonamesId", "GeoNames identifier"),
            Column("wikidata_id", RIVM + "wikidataId", "Wikidata identifier"),
            _link("membership_iri", ORG + "member", "its membership of the network", inverse=True),
            _link("role_iri", ORG + "role", "its role in the network", of="membership_iri"),
            _label("role", "role_iri", "its role in the network (member city …)"),
            _sources(),
        ),
        translated=("city",),
    ),
    TableSpec(
        "sites",
        "Michelin sites",
        ("site",),
        (
            _label("site", None, "the site"),
            _link("kind_iri", RDF + "type", "its kind (plant, research centre …)"),
            _label("kind", "kind_iri", "its kind"),
            _link("city_iri", RIVM + "locatedIn", "the city it is in"),
            _label("city", "city_iri", "the city it is in"),
            _link("near_city_iri", RIVM + "nearCity", "the city it is near"),
            _label("near_city", "near_city_iri", "the city it is near"),
            _link("operator_iri", RIVM + "operatedBy", "who operates it"),
            _label("operator", "operator_iri", "who operates it"),
            Column("address", SCHEMA + "address", "its address as the sources give it"),
            Column("opening_date", RIVM + "openingDate", "when it opened"),
            _link("product_iris", RIVM + "product", "each kind of product made there"),
            _label("products", "product_iris", "each kind of product made there"),
            _link("status_report_iris", RIVM + "statusReport", "each report of its status"),
            _sources(),
        ),
        translated=("site",),
    ),
    TableSpec(
        "events",
        "Conferences, general assemblies, meetings and other events",
        ("conference", "event"),
        (
            _label("event", None, "the event"),
            _link("kind_iri", RDF + "type", "its kind (conference, general assembly …)"),
            _label("kind", "kind_iri", "its kind"),
            Column("ordinal", RIVM + "ordinal", "its number in the series of conferences"),
            Column("start_date", SCHEMA + "startDate", "first day"),
            Column("end_date", SCHEMA + "endDate", "last day"),
            _link("host_city_iri", RIVM + "hostCity", "the city hosting it"),
            _label("host_city", "host_city_iri", "the city hosting it"),
            _link("venue_iri", SCHEMA + "location", "where it took place"),
            _label("venue", "venue_iri", "where it took place"),
            _link("attendance_mode_iri", SCHEMA + "eventAttendanceMode", "in person or online"),
            _sources(),
        ),
        translated=("event",),
    ),
    TableSpec(
        "participations",
        "Participations of cities in events",
        ("participation",),
        (
            _link("event_iri", RIVM + "inEvent", "the event"),
            _label("event", "event_iri", "the event"),
            _link("participant_iri", RIVM + "participant", "the participating city or person"),
            _label("participant", "participant_iri", "the participating city or person"),
            Column("initiatives", RIVM + "initiative", "initiatives it presented", lang="en"),
            Column("evidence", RIVM + "evidence", "what the sources say", lang="en"),
            *_confidence(),
            _sources(),
        ),
    ),
    TableSpec(
        "memberships",
        "Memberships: cities and people in the network and its bodies",
        ("membership",),
        (
            _label("membership", None, "the membership"),
            _link("member_iri", ORG + "member", "the member (a city or a person)"),
            _label("member", "member_iri", "the member"),
            _link("organization_iri", ORG + "organization", "the organisation"),
            _label("organization", "organization_iri", "the organisation"),
            _link("role_iri", ORG + "role", "the role"),
            _label("role", "role_iri", "the role"),
            Column("start_date", SCHEMA + "startDate", "since when"),
            Column("end_date", SCHEMA + "endDate", "until when"),
            Column("evidence", RIVM + "evidence", "what the sources say", lang="en"),
            *_confidence(),
            _sources(),
        ),
    ),
    TableSpec(
        "signatories",
        "Declarations and their signatory cities (one row per signatory)",
        ("declaration",),
        (
            _label("declaration", None, "the declaration"),
            Column("date", DCT + "date", "when it was adopted"),
            _link("adopted_at_iri", RIVM + "adoptedAt", "the event where it was adopted"),
            _label("adopted_at", "adopted_at_iri", "the event where it was adopted"),
            _link("signatory_iri", RIVM + "signatory", "the signatory city"),
            _label("signatory", "signatory_iri", "the signatory city"),
            _link("country_iri", RIVM + "country", "the signatory's country", of="signatory_iri"),
            _label("country", "country_iri", "the signatory's country"),
        ),
        per=RIVM + "signatory",
    ),
    TableSpec(
        "people",
        "People",
        ("person",),
        (
            _label("person", None, "the person"),
            Column("name", SCHEMA + "name", "full name"),
            Column("job_title", SCHEMA + "jobTitle", "position as the sources give it", lang="en"),
            _link("works_for_iri", SCHEMA + "worksFor", "the organisation employing them"),
            _label("works_for", "works_for_iri", "the organisation employing them"),
            _sources(),
        ),
    ),
    TableSpec(
        "sources",
        "Source documents",
        ("source",),
        (
            Column("source_key", RIVM + "sourceKey", "the fact base's key"),
            Column("title", DCT + "title", "title", lang="en"),
            _link("url", SCHEMA + "url", "the document on the web"),
            _link("language_iri", DCT + "language", "its language (EU authority table)"),
            Column("issued", DCT + "issued", "when it was published"),
            Column("date_text", RIVM + "dateText", "its date as written"),
            Column("source_type", RIVM + "sourceType", "kind of document"),
            *_confidence(),
        ),
    ),
    TableSpec(
        "figures",
        "Reported figures, each with its source",
        ("figure",),
        (
            _link("about_iri", RIVM + "about", "what the figure is about"),
            _label("about", "about_iri", "what the figure is about"),
            _link("quantity_iri", RIVM + "quantity", "what is counted"),
            _label("quantity", "quantity_iri", "what is counted"),
            Column("value", RIVM + "value", "the value reported"),
            _link("comparator_iri", RIVM + "comparator", "about, more than … (empty: exactly)"),
            _label("comparator", "comparator_iri", "about, more than …"),
            Column("reference_date", RIVM + "referenceDate", "the date the figure refers to"),
            Column("forecast", RIVM + "isForecast", "true for an expected figure"),
            _link("source_iri", DCT + "source", "the source reporting it"),
            Column("source_title", DCT + "title", "the source's title", of="source_iri", lang="en"),
            _link("source_url", SCHEMA + "url", "the source on the web", of="source_iri"),
            *_confidence(),
        ),
    ),
)
BY_NAME = {table.name: table for table in TABLES}
#: Which table lists the resources of a kind (``/id/<kind>/?format=csv``).
TABLE_OF_KIND = {kind: table.name for table in TABLES for kind in table.kinds}
