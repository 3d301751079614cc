"""Synthetic data shaped like the RIVM graph, at any size, with the same bytes on every run.

    python -m bench.synthetic --triples 100000 --out /tmp/rivm-100k

writes a data root that the project's server and rdflib-endpoint both load: ``ontology/`` (a copy
of the real ontology) and ``data/synthetic.ttl``. Every resource follows the IRI scheme of
docs/model.md (``https://w3id.org/rivm/id/<kind>/<slug>``) with a ``synthetic-`` slug prefix, and
uses the ontology's own terms: cities with labels, country and geometry; Michelin sites with
products and status reports; events with participations and speakers; reported figures with their
sources (sometimes disagreeing); people and memberships. Generation stops at the first city whose
resources bring the data file to ``--triples`` (so the size is "about" the target, a little over).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from rivm_graph.rdf.namespaces import PREFIXES

SEED = 20171129  # the opening day of the 1st INMC conference
REPOSITORY = Path(__file__).resolve().parent.parent
DATA_FILE = "synthetic.ttl"

USED_PREFIXES = (
    "rivm",
    "rdf",
    "rdfs",
    "owl",
    "xsd",
    "skos",
    "dct",
    "schema",
    "org",
    "geo",
    "wgs",
    "organization",
    "city",
    "country",
    "geometry",
    "site",
    "status",
    "product",
    "conference",
    "event",
    "participation",
    "person",
    "membership",
    "role",
    "theme",
    "scheme",
    "figure",
    "quantity",
    "source",
)

SYLLABLES = (
    "va", "lor", "mi", "ke", "stra", "do", "ne", "ri", "ta", "bel", "gor", "sa",
    "lu", "ven", "tor", "ca", "mon", "dre", "pi", "as", "el", "ku", "zan", "fi",
)  # fmt: skip
FIRST_NAMES = (
    "Ana", "Bruno", "Chiara", "Dmitri", "Elena", "Farid", "Greta", "Hiro", "Ines", "Jonas",
    "Katia", "Luis", "Mei", "Nora", "Omar", "Paula", "Quentin", "Rosa", "Stefan", "Teresa",
)  # fmt: skip
LANGUAGES = ("fr", "es", "de", "it", "pt", "pl", "hu", "ro", "ja", "zh")
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
SOURCE_LANGUAGES = ("FRA", "ENG", "SPA", "DEU", "ITA")
SOURCE_TYPES = ("press", "press release (agency)", "municipal website", "network website", "video")
THEMES = (
    "sustainable-city", "new-mobilities", "energy-transition", "circular-economy", "innovation",
    "higher-education", "culture", "sport-and-health", "urban-planning", "water",
    "air-quality", "digital-city", "tourism", "employment", "industrial-heritage",
    "biodiversity", "housing", "food", "climate-neutrality", "citizen-participation",
)  # fmt: skip
PRODUCTS = (
    "passenger-car-tyres", "truck-tyres", "earthmover-tyres", "agricultural-tyres",
    "aircraft-tyres", "two-wheel-tyres", "rubber-compounds", "metal-reinforcements",
)  # fmt: skip
QUANTITIES = ("cities", "participants", "delegates", "countries", "initiatives", "employees")
EVENT_KINDS = (
    ("GeneralAssembly", "general-assembly", "General Assembly", "Assemblée générale"),
    ("ExecutiveCommitteeMeeting", "executive-committee", "Executive committee", "Comité exécutif"),
    ("Workshop", "workshop", "Workshop", "Atelier"),
    ("OnlineConference", "online-conference", "Online conference", "Conférence en ligne"),
    ("Visit", "visit", "Visit", "Visite"),
)
ATTENDANCE = ("OfflineEventAttendanceMode", "MixedEventAttendanceMode", "OnlineEventAttendanceMode")
SITE_KINDS = (
    ("Plant", "plant", "plant", "Usine"),
    ("ResearchCentre", "research", "research centre", "Centre de recherche"),
    ("OtherSite", "logistics", "logistics site", "Site logistique"),
)
STATUSES = (("Open", "open"), ("Closing", "closing"), ("PartlyClosing", "partly-closing"))

#: A predicate and its object, or its objects (Turtle terms, already written).
Property = tuple[str, str | list[str]]


def text(value: str, language: str | None = None) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{language}' if language else f'"{escaped}"'


def typed(value: object, datatype: str) -> str:
    return f'"{value}"^^{datatype}'


def date(year: int, month: int, day: int) -> str:
    return typed(f"{year:04d}-{month:02d}-{day:02d}", "xsd:date")


class TurtleWriter:
    """Writes one subject block at a time and counts the triples it wrote."""

    def __init__(self, out: TextIO):
        self.out = out
        self.triples = 0
        out.write("".join(f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in USED_PREFIXES) + "\n")

    def block(self, subject: str, types: Iterable[str], *properties: Property) -> None:
        types = list(types)
        lines = [f"{subject} a {' , '.join(types)}"]
        self.triples += len(types)
        for predicate, value in properties:
            objects = [value] if isinstance(value, str) else value
            if objects:
                assert len(set(objects)) == len(objects), (subject, predicate)
                lines.append(f"    {predicate} {' , '.join(objects)}")
                self.triples += len(objects)
        self.out.write(" ;\n".join(lines) + " .\n\n")


def core(curie: str) -> str:
    """``city:synthetic-valmora-3`` → ``valmora-3`` (for slugs built from other slugs)."""
    return curie.split(":", 1)[1].removeprefix("synthetic-")


class Generator:
    def __init__(self, out: TextIO, seed: int = SEED):
        self.rng = random.Random(seed)
        self.ttl = TurtleWriter(out)
        self.sources: list[str] = []
        self.events: list[str] = []
        self.countries: list[tuple[str, str]] = []  # (curie, local language)
        self.conferences = 0

    # Shared resources --------------------------------------------------------------------------

    def header(self) -> None:
        ttl = self.ttl
        self.new_source()
        first = self.sources[0]
        ttl.block(
            "organization:synthetic-network",
            ["rivm:Network"],
            (
                "rdfs:label",
                [text("Synthetic city network", "en"), text("Réseau synthétique", "fr")],
            ),
            ("dct:source", first),
        )
        for slug, en, fr in (
            ("michelin", "Synthetic tyre maker", "Fabricant de pneus synthétique"),
            ("executive-committee", "Synthetic executive committee", "Comité exécutif synthétique"),
        ):
            ttl.block(
                f"organization:synthetic-{slug}",
                ["rivm:Organization"],
                ("rdfs:label", [text(en, "en"), text(fr, "fr")]),
                ("dct:source", first),
            )
        for slug, en, fr in (
            ("member", "member", "membre"),
            ("mayor", "mayor", "maire"),
            ("co-president", "co-president", "coprésident"),
            ("executive-committee-member", "executive committee member", "membre du comité"),
        ):
            ttl.block(
                f"role:synthetic-{slug}",
                ["rivm:Role"],
                ("rdfs:label", [text(en, "en"), text(fr, "fr")]),
            )
        for scheme, cls, slugs in (
            ("themes", "rivm:Theme", THEMES),
            ("products", "rivm:Product", PRODUCTS),
            ("quantities", "rivm:Quantity", QUANTITIES),
        ):
            ttl.block(
                f"scheme:synthetic-{scheme}",
                ["skos:ConceptScheme"],
                (
                    "rdfs:label",
                    [text(f"synthetic {scheme}", "en"), text(f"{scheme} (synth.)", "fr")],
                ),
            )
            kind = cls.split(":")[1].lower()
            for slug in slugs:
                label = slug.replace("-", " ")
                labels = [text(label, "en"), text(f"{label} (fr)", "fr")]
                ttl.block(
                    f"{kind}:synthetic-{slug}",
                    [cls, "skos:Concept"],
                    ("skos:inScheme", f"scheme:synthetic-{scheme}"),
                    ("rdfs:label", labels),
                    ("skos:prefLabel", labels),
                    ("skos:definition", text(f"Synthetic {label}, for benchmarks.", "en")),
                )
        codes = [f"X{c}" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"] + [
            f"Q{c}" for c in "MNOPQRSTUVWXYZ"
        ]
        for code in codes:  # ISO 3166 user-assigned codes: no real country has them
            language = self.rng.choice(LANGUAGES)
            curie = f"country:synthetic-{code.lower()}"
            self.countries.append((curie, language))
            ttl.block(
                curie,
                ["rivm:Country"],
                (
                    "rdfs:label",
                    [
                        text(f"Synthetic country {code}", "en"),
                        text(f"Pays synthétique {code}", "fr"),
                        text(f"Synthetic {code} ({language})", language),
                    ],
                ),
                ("rivm:iso3166Alpha2", text(code)),
                ("dct:source", first),
            )

    def new_source(self) -> str:
        rng, k = self.rng, len(self.sources)
        curie = f"source:synthetic-s{k:05d}"
        year, month, day = rng.randint(2014, 2025), rng.randint(1, 12), rng.randint(1, 28)
        title = f"Synthetic report {k} on the network's cities"
        self.ttl.block(
            curie,
            ["rivm:Source"],
            ("rdfs:label", [text(f"S-synthetic-s{k:05d}: {title}", "en"), text(title, "fr")]),
            ("rivm:sourceKey", text(f"S-synthetic-s{k:05d}")),
            ("dct:title", text(title, "en")),
            ("schema:url", f"<https://example.org/synthetic/source/{k}>"),
            ("dct:language", f"<{EU_LANGUAGE}{rng.choice(SOURCE_LANGUAGES)}>"),
            ("dct:issued", date(year, month, day)),
            ("rivm:dateText", text(f"{day} {month} {year}")),
            ("rivm:sourceType", text(rng.choice(SOURCE_TYPES))),
            ("rdfs:comment", text(f"Paraphrased extract {k}: figures and participants.", "en")),
        )
        self.sources.append(curie)
        return curie

    def some_sources(self, low: int = 1, high: int = 2) -> list[str]:
        count = min(self.rng.randint(low, high), len(self.sources))
        return self.rng.sample(self.sources, count)

    def name(self) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 3))).title()

    def figure(self, about: str, label: str, quantity: str, year: int) -> None:
        """One to three figures for the same fact, each from its own source (they may disagree)."""
        value = self.rng.randint(5, 500)
        for source in self.some_sources(1, 3):
            reported = value + self.rng.choice((0, 0, 0, -2, 3, 10))
            props: list[Property] = [
                (
                    "rdfs:label",
                    [
                        text(f"{label}: {quantity}, {reported} [{core(source)}]", "en"),
                        text(f"{label} : {quantity}, {reported} [{core(source)}]", "fr"),
                    ],
                ),
                ("rivm:about", about),
                ("rivm:quantity", f"quantity:synthetic-{quantity}"),
                ("rivm:value", typed(reported, "xsd:integer")),
                ("rivm:referenceDate", typed(year, "xsd:gYear")),
                ("dct:source", source),
            ]
            if self.rng.random() < 0.2:
                props.append(("rivm:comparator", "rivm:About"))
            if self.rng.random() < 0.1:
                props.append(("rivm:confidence", "rivm:MediumConfidence"))
            self.ttl.block(
                f"figure:synthetic-{core(about)}-{quantity}-{core(source)}",
                ["rivm:ReportedFigure"],
                *props,
            )

    # One city and everything around it ---------------------------------------------------------

    def city(self, i: int) -> None:
        rng, ttl = self.rng, self.ttl
        if i % 4 == 0:
            self.new_source()
        name = self.name()
        slug = f"synthetic-{name.lower()}-{i}"
        city = f"city:{slug}"
        country, language = rng.choice(self.countries)
        lat, long = rng.uniform(-60, 70), rng.uniform(-180, 180)
        geonames = 9_000_000 + i
        ttl.block(
            city,
            ["rivm:City"],
            (
                "rdfs:label",
                [text(name, "en"), text(name, "fr"), text(f"{name} ({language})", language)],
            ),
            ("rivm:country", country),
            ("rivm:subdivisionCode", text(f"{core(country).upper()}-{i % 50:02d}")),
            ("rivm:geonamesId", text(str(geonames))),
            ("owl:sameAs", f"<https://sws.geonames.org/{geonames}/>"),
            ("geo:hasGeometry", f"geometry:{slug}"),
            ("rdfs:comment", text(f"Synthetic city number {i}, home of a tyre plant.", "en")),
            ("dct:source", self.some_sources(1, 3)),
        )
        ttl.block(
            f"geometry:{slug}",
            ["geo:Geometry"],
            ("rdfs:label", [text(f"Point (WGS84): {name}", "en"), text(f"Point : {name}", "fr")]),
            ("geo:asWKT", typed(f"POINT({long:.4f} {lat:.4f})", "geo:wktLiteral")),
            ("wgs:lat", typed(f"{lat:.4f}", "xsd:decimal")),
            ("wgs:long", typed(f"{long:.4f}", "xsd:decimal")),
            ("dct:source", self.some_sources(1, 1)),
        )
        joined = rng.randint(2014, 2025)
        ttl.block(
            f"membership:{slug}-member",
            ["rivm:Membership"],
            ("rdfs:label", [text(f"{name}, member", "en"), text(f"{name}, membre", "fr")]),
            ("org:member", city),
            ("org:organization", "organization:synthetic-network"),
            ("org:role", "role:synthetic-member"),
            ("schema:startDate", typed(joined, "xsd:gYear")),
            ("rivm:evidence", text(f"Listed as a member since {joined}.", "en")),
            ("dct:source", self.some_sources()),
        )
        self.sites(city, name, slug)
        people = self.people(city, name, slug)
        self.event(city, name, slug, people)
        self.participations(city, name, people)

    def sites(self, city: str, name: str, slug: str) -> None:
        rng = self.rng
        for n, (cls, what, en, fr) in enumerate(rng.sample(SITE_KINDS, rng.choice((0, 1, 1, 2)))):
            site = f"site:synthetic-michelin-{core(city)}" + (f"-{what}" if n else "")
            year = rng.randint(1950, 2015)
            props: list[Property] = [
                (
                    "rdfs:label",
                    [text(f"Michelin {name} {en}", "en"), text(f"{fr} de {name}", "fr")],
                ),
                ("rivm:operatedBy", "organization:synthetic-michelin"),
                ("rivm:locatedIn" if rng.random() < 0.8 else "rivm:nearCity", city),
                ("rivm:openingDate", typed(year, "xsd:gYear")),
                (
                    "rivm:product",
                    [f"product:synthetic-{p}" for p in rng.sample(PRODUCTS, rng.randint(1, 3))],
                ),
                ("rdfs:comment", text(f"Synthetic {en} opened in {year}.", "en")),
                ("dct:source", self.some_sources()),
            ]
            if rng.random() < 0.5:
                status_cls, status_slug = rng.choice(STATUSES)
                reported = rng.randint(2016, 2025)
                status = f"status:{core(site)}-{status_slug}-{reported}"
                props.append(("rivm:statusReport", status))
                self.ttl.block(
                    status,
                    ["rivm:SiteStatus"],
                    (
                        "rdfs:label",
                        [
                            text(f"Michelin {name}: {status_slug} ({reported})", "en"),
                            text(f"Michelin {name} : {status_slug} ({reported})", "fr"),
                        ],
                    ),
                    ("rivm:status", f"rivm:{status_cls}"),
                    ("rivm:announcedDate", typed(reported, "xsd:gYear")),
                    ("rivm:evidence", text("Reported by the local press.", "en")),
                    ("dct:source", self.some_sources(1, 1)),
                )
            self.ttl.block(site, [f"rivm:{cls}"], *props)
            if rng.random() < 0.6:
                self.figure(site, f"Michelin {name}", "employees", rng.randint(2015, 2025))

    def people(self, city: str, name: str, slug: str) -> list[str]:
        rng, people = self.rng, []
        for n, (role, organization) in enumerate(
            (
                ("mayor", city),
                ("executive-committee-member", "organization:synthetic-executive-committee"),
            )
        ):
            first, last = rng.choice(FIRST_NAMES), self.name()
            person = f"person:synthetic-{first.lower()}-{last.lower()}-{core(city)}-{n}"
            full = f"{first} {last}"
            self.ttl.block(
                person,
                ["rivm:Person"],
                ("rdfs:label", [text(full, "en"), text(full, "fr")]),
                ("schema:name", text(full)),
                ("schema:jobTitle", text(f"{role.replace('-', ' ').title()} of {name}", "en")),
                ("dct:source", self.some_sources()),
            )
            start = rng.randint(2014, 2024)
            props: list[Property] = [
                ("rdfs:label", [text(f"{full}, {role} ({start})", "en"), text(full, "fr")]),
                ("org:member", person),
                ("org:organization", organization),
                ("org:role", f"role:synthetic-{role}"),
                ("rivm:representing", city),
                ("schema:startDate", typed(start, "xsd:gYear")),
                ("dct:source", self.some_sources(1, 1)),
            ]
            if rng.random() < 0.5:
                props.append(("schema:endDate", typed(start + rng.randint(1, 6), "xsd:gYear")))
            self.ttl.block(
                f"membership:synthetic-{core(person)}-{role}-{start}", ["rivm:Membership"], *props
            )
            people.append(person)
        return people

    def event(self, city: str, name: str, slug: str, people: list[str]) -> None:
        rng = self.rng
        year, month, day = rng.randint(2014, 2025), rng.randint(1, 12), rng.randint(1, 25)
        props: list[Property] = []
        if rng.random() < 0.1:
            self.conferences += 1
            cls, label_en, label_fr = "Conference", "Conference", "Rencontres"
            event = f"conference:synthetic-{year}-{core(city)}"
            props.append(("rivm:ordinal", typed(self.conferences, "xsd:positiveInteger")))
        else:
            cls, what, label_en, label_fr = rng.choice(EVENT_KINDS)
            event = f"event:synthetic-{year}-{month:02d}-{what}-{core(city)}"
        props += [
            (
                "rdfs:label",
                [text(f"{label_en}, {name} ({year})", "en"), text(f"{label_fr}, {name}", "fr")],
            ),
            ("schema:startDate", date(year, month, day)),
            ("schema:endDate", date(year, month, day + rng.randint(0, 3))),
            ("rivm:hostCity", city),
            ("schema:eventAttendanceMode", f"schema:{rng.choice(ATTENDANCE)}"),
            ("schema:organizer", "organization:synthetic-network"),
            (
                "dct:subject",
                [f"theme:synthetic-{t}" for t in rng.sample(THEMES, rng.randint(1, 4))],
            ),
            ("rivm:speaker", people[: rng.randint(1, 2)]),
            ("dct:source", self.some_sources()),
        ]
        self.ttl.block(event, [f"rivm:{cls}"], *props)
        for quantity in rng.sample(QUANTITIES[:5], rng.randint(1, 2)):
            self.figure(event, f"{label_en}, {name} ({year})", quantity, year)
        self.events.append(event)

    def participations(self, city: str, name: str, people: list[str]) -> None:
        rng = self.rng
        events = rng.sample(self.events, min(len(self.events), rng.randint(2, 6)))
        for event in events:
            participant = city if rng.random() < 0.8 else people[0]
            props: list[Property] = [
                (
                    "rdfs:label",
                    [
                        text(f"Participation of {name} in {core(event)}", "en"),
                        text(f"Participation de {name} : {core(event)}", "fr"),
                    ],
                ),
                ("rivm:inEvent", event),
                ("rivm:participant", participant),
                ("rivm:evidence", text("Listed in the programme.", "en")),
                ("dct:source", self.some_sources()),
            ]
            if rng.random() < 0.5:
                props.append(("rivm:initiative", text(f"{self.name()} project", "en")))
            self.ttl.block(
                f"participation:synthetic-{core(event)}--{core(participant)}",
                ["rivm:Participation"],
                *props,
            )

    def run(self, triples: int) -> int:
        self.header()
        i = 0
        while self.ttl.triples < triples:
            self.city(i)
            i += 1
        return i


def write_root(triples: int, out: Path, *, seed: int = SEED) -> tuple[int, int]:
    """Write the data root; returns (triples in data/synthetic.ttl, cities)."""
    out.mkdir(parents=True, exist_ok=True)
    ontology = out / "ontology"
    if ontology.exists():
        shutil.rmtree(ontology)
    shutil.copytree(REPOSITORY / "ontology", ontology)
    (out / "data").mkdir(exist_ok=True)
    path = out / "data" / DATA_FILE
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8", newline="\n") as handle:
        generator = Generator(handle, seed)
        cities = generator.run(triples)
        written = generator.ttl.triples
    partial.replace(path)
    return written, cities


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.synthetic",
        description="Write a deterministic synthetic RIVM-shaped data root (ontology/ + data/).",
    )
    parser.add_argument("--triples", type=int, default=100_000, help="about how many triples")
    parser.add_argument("--out", type=Path, required=True, help="the data root folder to write")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    written, cities = write_root(args.triples, args.out, seed=args.seed)
    print(f"{args.out / 'data' / DATA_FILE}: {written} triples, {cities} synthetic cities")
    return 0


if __name__ == "__main__":
    sys.exit(main())
