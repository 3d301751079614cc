"""The texts of the open-data descriptions (VoID, DCAT-AP, schema.org), in every language of
the interface; ``{name}`` and the other fields are filled in from the graph."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "title": {
        "en": "{name}: a Linked Open Data knowledge graph",
        "fr": "{name} : graphe de connaissances en données liées ouvertes",
        "es": "{name}: grafo de conocimiento en datos abiertos enlazados",
    },
    "description": {
        "en": "The {name} as Linked Open Data: {cities} cities in {countries} countries "
        "({members} members), {sites} Michelin sites, {events} events from {start} to {end}, "
        "declarations, governance, people and reported figures; every fact cites one of "
        "{sources} sources. {triples} triples, modelled by an OWL ontology and checked by "
        "SHACL shapes.",
        "fr": "Le {name} en données liées ouvertes : {cities} villes de {countries} pays "
        "({members} membres), {sites} sites Michelin, {events} événements de {start} à {end}, "
        "déclarations, gouvernance, personnes et chiffres publiés ; chaque fait cite l'une des "
        "{sources} sources. {triples} triplets, modélisés par une ontologie OWL et contrôlés "
        "par des formes SHACL.",
        "es": "La {name} en datos abiertos enlazados: {cities} ciudades de {countries} países "
        "({members} miembros), {sites} sitios Michelin, {events} eventos de {start} a {end}, "
        "declaraciones, gobernanza, personas y cifras publicadas; cada hecho cita una de las "
        "{sources} fuentes. {triples} tripletas, modeladas por una ontología OWL y comprobadas "
        "por formas SHACL.",
    },
    "catalog_title": {
        "en": "{name}: open data catalogue",
        "fr": "{name} : catalogue de données ouvertes",
        "es": "{name}: catálogo de datos abiertos",
    },
    "catalog_description": {
        "en": "The datasets and data services of rivm-graph: the knowledge graph of the {name}, "
        "its downloads in {formats} RDF formats and its SPARQL endpoint.",
        "fr": "Les jeux et services de données de rivm-graph : le graphe de connaissances du "
        "{name}, ses téléchargements en {formats} formats RDF et son point d'accès SPARQL.",
        "es": "Los conjuntos y servicios de datos de rivm-graph: el grafo de conocimiento de la "
        "{name}, sus descargas en {formats} formatos RDF y su punto de acceso SPARQL.",
    },
    "service_title": {
        "en": "{name}: SPARQL endpoint",
        "fr": "{name} : point d'accès SPARQL",
        "es": "{name}: punto de acceso SPARQL",
    },
    "service_description": {
        "en": "A read-only SPARQL 1.1 endpoint over the whole graph; the default graph is the "
        "union of the named graphs, one per data file.",
        "fr": "Point d'accès SPARQL 1.1 en lecture seule sur le graphe entier ; le graphe par "
        "défaut est l'union des graphes nommés, un par fichier de données.",
        "es": "Punto de acceso SPARQL 1.1 de solo lectura sobre el grafo completo; el grafo por "
        "defecto es la unión de los grafos nombrados, uno por archivo de datos.",
    },
    "distribution_title": {
        "en": "The whole graph in {label}",
        "fr": "Le graphe entier en {label}",
        "es": "El grafo completo en {label}",
    },
    "distribution_description": {
        "en": "All {triples} triples of the graph in {label} ({file}){quads}.",
        "fr": "Les {triples} triplets du graphe en {label} ({file}){quads}.",
        "es": "Las {triples} tripletas del grafo en {label} ({file}){quads}.",
    },
    "quads": {
        "en": ", one named graph per data file",
        "fr": ", un graphe nommé par fichier",
        "es": ", un grafo nombrado por archivo de datos",
    },
    "provenance": {
        "en": "Compiled from cited public sources: every fact names its source (dct:source), and "
        "where sources disagree each figure is kept beside its own source.",
        "fr": "Compilé à partir de sources publiques citées : chaque fait nomme sa source "
        "(dct:source) et, quand les sources divergent, chaque chiffre est gardé avec la sienne.",
        "es": "Compilado a partir de fuentes públicas citadas: cada hecho nombra su fuente "
        "(dct:source) y, cuando las fuentes discrepan, cada cifra se conserva junto a la suya.",
    },
    "table_description": {
        "en": "A table of the graph ({file}): UTF-8 CSV (RFC 4180), one row per resource, mapped "
        "back onto the graph by its CSV on the Web metadata (csv-metadata.json).",
        "fr": "Un tableau du graphe ({file}) : CSV UTF-8 (RFC 4180), une ligne par ressource, "
        "relié au graphe par ses métadonnées CSV on the Web (csv-metadata.json).",
        "es": "Una tabla del grafo ({file}): CSV UTF-8 (RFC 4180), una fila por recurso, "
        "relacionada con el grafo por sus metadatos CSV on the Web (csv-metadata.json).",
    },
    "metadata_description": {
        "en": "The description of every table of the graph ({file}).",
        "fr": "La description de tous les tableaux du graphe ({file}).",
        "es": "La descripción de todas las tablas del grafo ({file}).",
    },
    "geojson_description": {
        "en": "An RFC 7946 GeoJSON FeatureCollection ({file}) that QGIS and GeoPandas read as it "
        "is: each feature with its IRI, names, kind and country.",
        "fr": "Une FeatureCollection GeoJSON RFC 7946 ({file}) que QGIS et GeoPandas lisent "
        "telle quelle : chaque objet avec son IRI, ses noms, son type et son pays.",
        "es": "Una FeatureCollection GeoJSON RFC 7946 ({file}) que QGIS y GeoPandas leen tal "
        "cual: cada elemento con su IRI, sus nombres, su tipo y su país.",
    },
}
KEYWORDS = {
    "en": ("Michelin", "city network", "linked open data"),
    "fr": ("Michelin", "réseau de villes", "données liées ouvertes"),
    "es": ("Michelin", "red de ciudades", "datos abiertos enlazados"),
}
