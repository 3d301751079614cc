"""The words of the interface (pages, query page, errors) in every interface language."""

from __future__ import annotations

from . import DEFAULT_LANGUAGE

MESSAGES: dict[str, dict[str, str]] = {
    "site": {
        "en": "International Network of Michelin Cities",
        "fr": "Réseau international des villes Michelin",
        "es": "Red Internacional de Ciudades Michelin",
    },
    "home": {"en": "Home", "fr": "Accueil", "es": "Inicio"},
    "query_title": {"en": "SPARQL query", "fr": "Requête SPARQL", "es": "Consulta SPARQL"},
    "query_intro": {
        "en": "Write a SPARQL 1.1 query, or start from an example. The endpoint is read-only; "
        "queries stop after {timeout} s and answers are cut at {rows} rows.",
        "fr": "Écrivez une requête SPARQL 1.1, ou partez d'un exemple. Le service est en lecture "
        "seule ; les requêtes s'arrêtent après {timeout} s et les réponses sont coupées à "
        "{rows} lignes.",
        "es": "Escriba una consulta SPARQL 1.1 o parta de un ejemplo. El servicio es de solo "
        "lectura; las consultas se detienen a los {timeout} s y las respuestas se cortan "
        "en {rows} filas.",
    },
    "run": {"en": "Run", "fr": "Exécuter", "es": "Ejecutar"},
    "examples": {"en": "Example queries", "fr": "Requêtes d'exemple", "es": "Consultas de ejemplo"},
    "checks": {
        "en": "Data-quality checks (should return nothing)",
        "fr": "Contrôles de qualité (ne doivent rien renvoyer)",
        "es": "Controles de calidad (no deben devolver nada)",
    },
    "results": {"en": "Results", "fr": "Résultats", "es": "Resultados"},
    "rows": {"en": "{n} rows", "fr": "{n} lignes", "es": "{n} filas"},
    "truncated": {
        "en": "The answer was cut at {n} rows.",
        "fr": "La réponse a été coupée à {n} lignes.",
        "es": "La respuesta se cortó en {n} filas.",
    },
    "unknown_graphs": {
        "en": "Not graphs of this dataset, read as empty graphs: {graphs}",
        "fr": "Graphes absents de ce jeu de données, lus comme des graphes vides : {graphs}",
        "es": "Grafos que no son de este conjunto de datos, leídos como grafos vacíos: {graphs}",
    },
    "download": {"en": "Download", "fr": "Télécharger", "es": "Descargar"},
    "share": {
        "en": "Link to this query",
        "fr": "Lien vers cette requête",
        "es": "Enlace a esta consulta",
    },
    "error": {
        "en": "The query could not be run",
        "fr": "La requête n'a pas pu être exécutée",
        "es": "No se pudo ejecutar la consulta",
    },
    "no_results": {"en": "No results.", "fr": "Aucun résultat.", "es": "Sin resultados."},
    "expected": {"en": "Expected", "fr": "Attendu", "es": "Esperado"},
    "answer": {"en": "Answer", "fr": "Réponse", "es": "Respuesta"},
    "query_label": {"en": "Query", "fr": "Requête", "es": "Consulta"},
    "endpoint": {"en": "SPARQL endpoint", "fr": "Point d'accès SPARQL", "es": "Punto SPARQL"},
    "language": {"en": "Language", "fr": "Langue", "es": "Idioma"},
    "skip_to_content": {
        "en": "Skip to content",
        "fr": "Aller au contenu",
        "es": "Ir al contenido",
    },
    "main_navigation": {"en": "Main", "fr": "Principale", "es": "Principal"},
    "data_licence": {"en": "Data", "fr": "Données", "es": "Datos"},
    "pages": {"en": "Pages", "fr": "Pages", "es": "Páginas"},
    "contents": {"en": "Contents", "fr": "Sommaire", "es": "Índice"},
    "more_about": {"en": "More", "fr": "En savoir plus", "es": "Más"},
    # the kinds of resource (/id/<kind>/), as a listing's title
    "kind_organization": {"en": "Organisations", "fr": "Organisations", "es": "Organizaciones"},
    "kind_city": {"en": "Cities", "fr": "Villes", "es": "Ciudades"},
    "kind_country": {"en": "Countries", "fr": "Pays", "es": "Países"},
    "kind_geometry": {"en": "Geometries", "fr": "Géométries", "es": "Geometrías"},
    "kind_site": {"en": "Michelin sites", "fr": "Sites Michelin", "es": "Sitios de Michelin"},
    "kind_status": {"en": "Site statuses", "fr": "États des sites", "es": "Estados de los sitios"},
    "kind_product": {"en": "Products", "fr": "Produits", "es": "Productos"},
    "kind_conference": {"en": "Conferences", "fr": "Conférences", "es": "Conferencias"},
    "kind_event": {"en": "Events", "fr": "Événements", "es": "Eventos"},
    "kind_venue": {"en": "Venues", "fr": "Lieux de réunion", "es": "Sedes"},
    "kind_participation": {"en": "Participations", "fr": "Participations", "es": "Participaciones"},
    "kind_vote": {"en": "Votes", "fr": "Votes", "es": "Votaciones"},
    "kind_declaration": {"en": "Declarations", "fr": "Déclarations", "es": "Declaraciones"},
    "kind_commitment": {"en": "Commitments", "fr": "Engagements", "es": "Compromisos"},
    "kind_person": {"en": "People", "fr": "Personnes", "es": "Personas"},
    "kind_membership": {"en": "Memberships", "fr": "Adhésions", "es": "Membresías"},
    "kind_role": {"en": "Roles", "fr": "Rôles", "es": "Funciones"},
    "kind_claim": {"en": "Claims", "fr": "Affirmations", "es": "Afirmaciones"},
    "kind_theme": {"en": "Themes", "fr": "Thèmes", "es": "Temas"},
    "kind_scheme": {
        "en": "Concept schemes",
        "fr": "Schémas de concepts",
        "es": "Esquemas de conceptos",
    },
    "kind_project": {"en": "Projects", "fr": "Projets", "es": "Proyectos"},
    "kind_twinning": {"en": "Twinnings", "fr": "Jumelages", "es": "Hermanamientos"},
    "kind_figure": {
        "en": "Reported figures",
        "fr": "Chiffres rapportés",
        "es": "Cifras publicadas",
    },
    "kind_quantity": {
        "en": "Counted quantities",
        "fr": "Grandeurs comptées",
        "es": "Magnitudes contadas",
    },
    "kind_source": {"en": "Sources", "fr": "Sources", "es": "Fuentes"},
    "identity": {"en": "Identity", "fr": "Identité", "es": "Identidad"},
    "place": {"en": "Place", "fr": "Lieu", "es": "Lugar"},
    "dates": {"en": "Dates", "fr": "Dates", "es": "Fechas"},
    "relations": {"en": "Relations", "fr": "Relations", "es": "Relaciones"},
    "other": {"en": "Other statements", "fr": "Autres énoncés", "es": "Otros enunciados"},
    "incoming": {"en": "Referenced by", "fr": "Cité par", "es": "Citado por"},
    "figures": {"en": "Reported figures", "fr": "Chiffres publiés", "es": "Cifras publicadas"},
    "conflict": {
        "en": "sources disagree",
        "fr": "les sources divergent",
        "es": "las fuentes discrepan",
    },
    "forecast_note": {
        "en": "* announced or expected before the fact",
        "fr": "* annoncé ou attendu à l'avance",
        "es": "* anunciado o esperado de antemano",
    },
    "memberships": {
        "en": "Memberships and posts",
        "fr": "Adhésions et fonctions",
        "es": "Membresías y cargos",
    },
    "participations": {"en": "Participations", "fr": "Participations", "es": "Participaciones"},
    "claims": {
        "en": "Claims recorded, not asserted",
        "fr": "Affirmations consignées, non reprises",
        "es": "Afirmaciones registradas, no asumidas",
    },
    "selections": {
        "en": "Host selections",
        "fr": "Choix des villes hôtes",
        "es": "Elección de sedes",
    },
    "statuses": {
        "en": "Status over time",
        "fr": "Statut dans le temps",
        "es": "Estado en el tiempo",
    },
    "sources": {"en": "Sources", "fr": "Sources", "es": "Fuentes"},
    "confidence": {"en": "Confidence", "fr": "Confiance", "es": "Confianza"},
    "query_this": {
        "en": "Query this resource",
        "fr": "Interroger cette ressource",
        "es": "Consultar este recurso",
    },
    "formats": {
        "en": "This page as data",
        "fr": "Cette page en données",
        "es": "Esta página como datos",
    },
    "not_found": {"en": "Not found", "fr": "Introuvable", "es": "No encontrado"},
    "not_found_text": {
        "en": "Nothing is known about this identifier in the dataset.",
        "fr": "Le jeu de données ne connaît pas cet identifiant.",
        "es": "El conjunto de datos no conoce este identificador.",
    },
    "all_of_kind": {
        "en": "All resources of this kind",
        "fr": "Toutes les ressources de ce type",
        "es": "Todos los recursos de este tipo",
    },
    "page_of": {
        "en": "Page {n} of {last} ({total} resources)",
        "fr": "Page {n} sur {last} ({total} ressources)",
        "es": "Página {n} de {last} ({total} recursos)",
    },
    "next": {"en": "Next", "fr": "Suivant", "es": "Siguiente"},
    "previous": {"en": "Previous", "fr": "Précédent", "es": "Anterior"},
    "map": {"en": "Location", "fr": "Localisation", "es": "Ubicación"},
    "classes": {"en": "Classes", "fr": "Classes", "es": "Clases"},
    "object_properties": {
        "en": "Object properties",
        "fr": "Propriétés d'objet",
        "es": "Propiedades de objeto",
    },
    "datatype_properties": {
        "en": "Datatype properties",
        "fr": "Propriétés de données",
        "es": "Propiedades de datos",
    },
    "individuals": {"en": "Individuals", "fr": "Individus", "es": "Individuos"},
    "tagline": {
        "en": "The network, its cities, Michelin sites, events and declarations as Linked "
        "Open Data: every fact with its source.",
        "fr": "Le réseau, ses villes, les sites Michelin, ses événements et déclarations en "
        "données liées ouvertes : chaque fait avec sa source.",
        "es": "La red, sus ciudades, los sitios Michelin, sus eventos y declaraciones como "
        "datos enlazados abiertos: cada hecho con su fuente.",
    },
    "members": {"en": "member cities", "fr": "villes membres", "es": "ciudades miembro"},
    "cities": {"en": "cities", "fr": "villes", "es": "ciudades"},
    "countries": {"en": "countries", "fr": "pays", "es": "países"},
    "events": {"en": "events", "fr": "événements", "es": "eventos"},
    "conferences": {"en": "conferences", "fr": "Rencontres", "es": "conferencias"},
    "sites": {"en": "Michelin sites", "fr": "sites Michelin", "es": "sitios Michelin"},
    "themes": {"en": "themes", "fr": "thèmes", "es": "temas"},
    "declarations": {"en": "declarations", "fr": "déclarations", "es": "declaraciones"},
    "people": {"en": "people", "fr": "personnes", "es": "personas"},
    "explore": {"en": "Explore", "fr": "Explorer", "es": "Explorar"},
    "numbers": {"en": "In numbers", "fr": "En chiffres", "es": "En cifras"},
    "numbers_note": {
        "en": "Counted in this graph (the network's own reported sizes vary by "
        "source: see the conference pages).",
        "fr": "Comptés dans ce graphe (les tailles annoncées du réseau varient selon "
        "les sources : voir les pages des Rencontres).",
        "es": "Contados en este grafo (los tamaños publicados de la red varían según "
        "la fuente: véanse las páginas de las conferencias).",
    },
    "map_title": {
        "en": "Cities of the network and Michelin sites",
        "fr": "Villes du réseau et sites Michelin",
        "es": "Ciudades de la red y sitios Michelin",
    },
    "map_description": {
        "en": "World map with {cities} cities and {sites} Michelin sites.",
        "fr": "Carte du monde avec {cities} villes et {sites} sites Michelin.",
        "es": "Mapa del mundo con {cities} ciudades y {sites} sitios Michelin.",
    },
    "europe_title": {
        "en": "Cities of the network and Michelin sites in Europe",
        "fr": "Villes du réseau et sites Michelin en Europe",
        "es": "Ciudades de la red y sitios Michelin en Europa",
    },
    "europe_description": {
        "en": "Map of Europe, where markers crowd on the world map, with {cities} cities and "
        "{sites} Michelin sites.",
        "fr": "Carte de l'Europe, où les marqueurs se serrent sur la carte du monde, avec "
        "{cities} villes et {sites} sites Michelin.",
        "es": "Mapa de Europa, donde los marcadores se amontonan en el mapa del mundo, con "
        "{cities} ciudades y {sites} sitios Michelin.",
    },
    "europe_inset": {
        "en": "Europe: {n} cities and sites, on the map of Europe below",
        "fr": "Europe : {n} villes et sites, sur la carte de l'Europe ci-dessous",
        "es": "Europa: {n} ciudades y sitios, en el mapa de Europa más abajo",
    },
    "legend_city": {"en": "city", "fr": "ville", "es": "ciudad"},
    "legend_site": {"en": "Michelin site", "fr": "site Michelin", "es": "sitio Michelin"},
    "timeline_title": {
        "en": "Timeline of the network's events",
        "fr": "Chronologie des événements du réseau",
        "es": "Cronología de los eventos de la red",
    },
    "timeline_description": {
        "en": "{n} events in date order, with reported attendance.",
        "fr": "{n} événements par date, avec la fréquentation rapportée.",
        "es": "{n} eventos por fecha, con la asistencia publicada.",
    },
    "ontology": {"en": "Ontology", "fr": "Ontologie", "es": "Ontología"},
    "shapes": {"en": "SHACL shapes", "fr": "Formes SHACL", "es": "Formas SHACL"},
    "downloads": {"en": "Downloads", "fr": "Téléchargements", "es": "Descargas"},
    "dumps_intro": {
        "en": "The whole graph ({triples} triples, version {version}) in every RDF "
        "format; the N-Quads and TriG files keep one named graph per data file.",
        "fr": "Le graphe entier ({triples} triplets, version {version}) dans chaque "
        "format RDF ; les fichiers N-Quads et TriG gardent un graphe nommé par "
        "fichier de données.",
        "es": "El grafo completo ({triples} tripletas, versión {version}) en cada "
        "formato RDF; N-Quads y TriG conservan un grafo con nombre por archivo.",
    },
    "catalogue": {
        "en": "Data catalogue (DCAT-AP)",
        "fr": "Catalogue de données (DCAT-AP)",
        "es": "Catálogo de datos (DCAT-AP)",
    },
    "void": {
        "en": "Dataset description (VoID)",
        "fr": "Description du jeu de données (VoID)",
        "es": "Descripción del conjunto de datos (VoID)",
    },
    "file": {"en": "File", "fr": "Fichier", "es": "Archivo"},
    "format": {"en": "Format", "fr": "Format", "es": "Formato"},
    "size": {"en": "Bytes", "fr": "Octets", "es": "Bytes"},
    "usage": {
        "en": "Uses in the data",
        "fr": "Utilisations dans les données",
        "es": "Usos en los datos",
    },
    # Search (/search, and the box in every page's header).
    "search": {"en": "Search", "fr": "Rechercher", "es": "Buscar"},
    "search_title": {"en": "Search", "fr": "Recherche", "es": "Búsqueda"},
    "search_label": {
        "en": "Name to search for",
        "fr": "Nom à rechercher",
        "es": "Nombre que buscar",
    },
    "search_placeholder": {
        "en": "A city, an event, a person…",
        "fr": "Une ville, un événement, une personne…",
        "es": "Una ciudad, un evento, una persona…",
    },
    "search_kind": {"en": "Kind", "fr": "Type", "es": "Tipo"},
    "search_any_kind": {"en": "Any kind", "fr": "Tous les types", "es": "Todos los tipos"},
    "search_prompt": {
        "en": "Type a name to search for: a city, an event, a person, a Michelin site… in any "
        "language, with or without accents.",
        "fr": "Tapez un nom à rechercher : une ville, un événement, une personne, un site "
        "Michelin… dans n'importe quelle langue, avec ou sans accents.",
        "es": "Escriba un nombre que buscar: una ciudad, un evento, una persona, un centro "
        "Michelin… en cualquier idioma, con o sin acentos.",
    },
    "search_found": {
        "en": "{n} found for “{query}”",
        "fr": "{n} résultat(s) pour « {query} »",
        "es": "{n} resultado(s) para «{query}»",
    },
    "search_nothing": {
        "en": "Nothing was found for “{query}”.",
        "fr": "Rien n'a été trouvé pour « {query} ».",
        "es": "No se encontró nada para «{query}».",
    },
    "search_matched": {"en": "Found as", "fr": "Trouvé sous le nom", "es": "Encontrado como"},
    "search_error": {
        "en": "The search could not be run",
        "fr": "La recherche n'a pas pu être faite",
        "es": "No se pudo hacer la búsqueda",
    },
    "search_pages": {
        "en": "Result pages",
        "fr": "Pages de résultats",
        "es": "Páginas de resultados",
    },
    "search_api": {
        "en": "The same results for programs:",
        "fr": "Les mêmes résultats pour les programmes :",
        "es": "Los mismos resultados para programas:",
    },
    "tables": {
        "en": "Tables (CSV, CSV on the Web, Data Package)",
        "fr": "Tableaux (CSV, CSV on the Web, Data Package)",
        "es": "Tablas (CSV, CSV on the Web, Data Package)",
    },
    "tables_intro": {
        "en": "The graph as tables for spreadsheets, pandas or R (version {version}): UTF-8, one "
        "row per resource, one IRI column per linked resource. {metadata} maps every column back "
        "onto the graph; {package} describes them for Frictionless tools.",
        "fr": "Le graphe en tableaux pour tableurs, pandas ou R (version {version}) : UTF-8, une "
        "ligne par ressource, une colonne d'IRI par ressource liée. {metadata} relie chaque "
        "colonne au graphe ; {package} les décrit pour les outils Frictionless.",
        "es": "El grafo en tablas para hojas de cálculo, pandas o R (versión {version}): UTF-8, "
        "una fila por recurso, una columna de IRI por recurso enlazado. {metadata} relaciona "
        "cada columna con el grafo; {package} las describe para las herramientas Frictionless.",
    },
    "geojson_cities": {
        "en": "Cities on a map (GeoJSON)",
        "fr": "Les villes sur une carte (GeoJSON)",
        "es": "Las ciudades en un mapa (GeoJSON)",
    },
    "geojson_sites": {
        "en": "Michelin sites on a map (GeoJSON)",
        "fr": "Les sites Michelin sur une carte (GeoJSON)",
        "es": "Los centros Michelin en un mapa (GeoJSON)",
    },
    # Properties the reconciliation service adds to a table (data extension).
    "reconcile_coordinates": {
        "en": "coordinates (latitude,longitude)",
        "fr": "coordonnées (latitude,longitude)",
        "es": "coordenadas (latitud,longitud)",
    },
    "reconcile_sites": {"en": "Michelin sites", "fr": "sites Michelin", "es": "centros Michelin"},
    "reconcile_memberships": {"en": "memberships", "fr": "adhésions", "es": "membresías"},
    "reconcile_events": {
        "en": "events attended",
        "fr": "événements où elle était présente",
        "es": "eventos a los que asistió",
    },
    # The page "What we don't know" (web/unknowns.py).
    "unknowns_title": {
        "en": "What we don't know",
        "fr": "Ce que nous ne savons pas",
        "es": "Lo que no sabemos",
    },
    "unknowns_intro": {
        "en": "Every fact of this graph cites its sources, and some facts are less sure than "
        "others. This page lists, from the data itself, every statement flagged unconfirmed or "
        "of low confidence, every figure on which sources disagree, and every city whose "
        "Michelin sites no source establishes. Check them before relying on them.",
        "fr": "Chaque fait de ce graphe cite ses sources, et certains sont moins sûrs que "
        "d'autres. Cette page liste, à partir des données elles-mêmes, chaque énoncé signalé "
        "non confirmé ou de confiance faible, chaque chiffre sur lequel les sources divergent, "
        "et chaque ville dont aucune source n'établit les sites Michelin. Vérifiez-les avant "
        "de vous y fier.",
        "es": "Cada hecho de este grafo cita sus fuentes, y algunos son menos seguros que otros. "
        "Esta página enumera, a partir de los propios datos, cada afirmación marcada como no "
        "confirmada o de confianza baja, cada cifra en la que las fuentes discrepan y cada "
        "ciudad cuyos centros Michelin ninguna fuente establece. Compruébelos antes de "
        "fiarse de ellos.",
    },
    "unknowns_corrections": {
        "en": "Send a correction",
        "fr": "Envoyer une correction",
        "es": "Enviar una corrección",
    },
    "unknowns_corrections_to": {
        "en": "If you know better, with a source, tell us:",
        "fr": "Si vous en savez plus, avec une source, dites-le-nous :",
        "es": "Si sabe más, con una fuente, díganoslo:",
    },
    "unknowns_corrections_none": {
        "en": "This site's publisher has not given an address for corrections yet "
        "(setting RIVM_CORRECTIONS_URL).",
        "fr": "L'éditeur de ce site n'a pas encore donné d'adresse pour les corrections "
        "(réglage RIVM_CORRECTIONS_URL).",
        "es": "El editor de este sitio aún no ha indicado una dirección para las correcciones "
        "(ajuste RIVM_CORRECTIONS_URL).",
    },
    "unknowns_flagged": {
        "en": "Unconfirmed and low-confidence statements",
        "fr": "Énoncés non confirmés et de confiance faible",
        "es": "Afirmaciones no confirmadas y de confianza baja",
    },
    "unknowns_flagged_intro": {
        "en": "Unconfirmed: found in no retrieved source other than the one cited, or in none. "
        "Low: inferred from indirect evidence.",
        "fr": "Non confirmé : trouvé dans aucune autre source consultée que celle citée, ou dans "
        "aucune. Faible : déduit d'indices indirects.",
        "es": "No confirmada: no se halla en ninguna fuente consultada salvo la citada, o en "
        "ninguna. Baja: deducida de indicios indirectos.",
    },
    "unknowns_statement": {"en": "Statement", "fr": "Énoncé", "es": "Afirmación"},
    "unknowns_kind": {"en": "Kind", "fr": "Type", "es": "Tipo"},
    "unknowns_confidence": {"en": "Confidence", "fr": "Confiance", "es": "Confianza"},
    "unknowns_sources": {"en": "Sources", "fr": "Sources", "es": "Fuentes"},
    "unknowns_about": {"en": "about", "fr": "à propos de", "es": "sobre"},
    "unknowns_no_source": {
        "en": "none (the compiler's general knowledge)",
        "fr": "aucune (connaissances générales du compilateur)",
        "es": "ninguna (conocimiento general del compilador)",
    },
    "unknowns_conflicts": {
        "en": "Where sources disagree",
        "fr": "Là où les sources divergent",
        "es": "Donde las fuentes discrepan",
    },
    "unknowns_conflicts_intro": {
        "en": "Each value is kept beside the source that gives it; none is picked. Counts that "
        "change over time are compared within one year.",
        "fr": "Chaque valeur est gardée à côté de la source qui la donne ; aucune n'est choisie. "
        "Les effectifs qui changent avec le temps sont comparés au sein d'une même année.",
        "es": "Cada valor se conserva junto a la fuente que lo da; no se elige ninguno. Las "
        "cifras que cambian con el tiempo se comparan dentro de un mismo año.",
    },
    "unknowns_subject": {"en": "About", "fr": "Sujet", "es": "Sobre"},
    "unknowns_quantity": {"en": "What", "fr": "Quoi", "es": "Qué"},
    "unknowns_values": {
        "en": "Values and sources",
        "fr": "Valeurs et sources",
        "es": "Valores y fuentes",
    },
    "unknowns_forecast": {"en": "announced", "fr": "annoncé", "es": "anunciado"},
    "unknowns_cities": {
        "en": "Cities whose Michelin sites are not known",
        "fr": "Villes dont on ne connaît pas les sites Michelin",
        "es": "Ciudades cuyos centros Michelin no se conocen",
    },
    "unknowns_cities_intro": {
        "en": "Cities with no confirmed Michelin site in or near them and no source giving "
        "their place in the network without one. Not found is not none.",
        "fr": "Villes sans site Michelin confirmé dans la ville ou à proximité, et sans source "
        "expliquant leur place dans le réseau sans site. Non trouvé ne veut pas dire absent.",
        "es": "Ciudades sin centro Michelin confirmado en ellas o cerca, y sin fuente que "
        "explique su lugar en la red sin centro. No encontrado no significa inexistente.",
    },
    "unknowns_unconfirmed_sites": {
        "en": "unconfirmed:",
        "fr": "non confirmé :",
        "es": "no confirmado:",
    },
    "unknowns_no_source_found": {
        "en": "no source found describes a site there, or rules one out",
        "fr": "aucune source trouvée n'y décrit de site, ni n'en exclut",
        "es": "ninguna fuente encontrada describe un centro allí, ni lo descarta",
    },
    # Views of a query's answer (endpoint/views.py) and the code to run it elsewhere.
    "views": {"en": "View", "fr": "Vue", "es": "Vista"},
    "view_table": {"en": "Table", "fr": "Tableau", "es": "Tabla"},
    "view_map": {"en": "Map", "fr": "Carte", "es": "Mapa"},
    "view_timeline": {"en": "Timeline", "fr": "Chronologie", "es": "Cronología"},
    "view_bar": {"en": "Bar chart", "fr": "Diagramme en barres", "es": "Gráfico de barras"},
    "view_map_title": {
        "en": "The answer on a map",
        "fr": "La réponse sur une carte",
        "es": "La respuesta en un mapa",
    },
    "view_timeline_title": {
        "en": "The answer on a timeline",
        "fr": "La réponse sur une chronologie",
        "es": "La respuesta en una cronología",
    },
    "view_bar_title": {
        "en": "The answer as a bar chart",
        "fr": "La réponse en diagramme en barres",
        "es": "La respuesta como gráfico de barras",
    },
    "view_map_legend": {"en": "Result", "fr": "Résultat", "es": "Resultado"},
    "view_map_description": {
        "en": "Map of {n} places from the column(s) {columns}: {names}.",
        "fr": "Carte de {n} lieux d'après la ou les colonnes {columns} : {names}.",
        "es": "Mapa de {n} lugares según la(s) columna(s) {columns}: {names}.",
    },
    "view_timeline_description": {
        "en": "Timeline of {n} items by the column {column}, from {first} to {last}: {names}.",
        "fr": "Chronologie de {n} éléments d'après la colonne {column}, du {first} au {last} "
        ": {names}.",
        "es": "Cronología de {n} elementos según la columna {column}, del {first} al {last}: "
        "{names}.",
    },
    "view_bar_description": {
        "en": "Bar chart of the column {column} for {n} rows named by {label}: {items}.",
        "fr": "Diagramme de la colonne {column} pour {n} lignes nommées par {label} : {items}.",
        "es": "Gráfico de la columna {column} para {n} filas nombradas por {label}: {items}.",
    },
    "view_capped": {
        "en": "Only the first {drawn} of {total} items are drawn (a view draws at most {cap}); "
        "the table has them all.",
        "fr": "Seuls les {drawn} premiers des {total} éléments sont dessinés (une vue en dessine "
        "au plus {cap}) ; le tableau les contient tous.",
        "es": "Solo se dibujan los {drawn} primeros de {total} elementos (una vista dibuja "
        "{cap} como máximo); la tabla los contiene todos.",
    },
    "view_unknown": {
        "en": "Unknown view “{view}”: the views are {views}.",
        "fr": "Vue inconnue « {view} » : les vues sont {views}.",
        "es": "Vista desconocida «{view}»: las vistas son {views}.",
    },
    "view_does_not_fit": {
        "en": "The view “{view}” does not fit the columns of this answer.",
        "fr": "La vue « {view} » ne convient pas aux colonnes de cette réponse.",
        "es": "La vista «{view}» no corresponde a las columnas de esta respuesta.",
    },
    "run_shortcut": {
        "en": "Run the query (Ctrl+Enter in the editor)",
        "fr": "Exécuter la requête (Ctrl+Entrée dans l'éditeur)",
        "es": "Ejecutar la consulta (Ctrl+Intro en el editor)",
    },
    "view_no_query": {
        "en": "No query: give one in the parameter query, or name an example in example.",
        "fr": "Aucune requête : donnez-la dans le paramètre query, ou nommez un exemple dans "
        "example.",
        "es": "Ninguna consulta: dela en el parámetro query o nombre un ejemplo en example.",
    },
    "view_svg": {"en": "SVG of this view", "fr": "SVG de cette vue", "es": "SVG de esta vista"},
    "view_embed": {
        "en": "Embed this view in another page",
        "fr": "Intégrer cette vue dans une autre page",
        "es": "Insertar esta vista en otra página",
    },
    "view_link": {
        "en": "Link to this view",
        "fr": "Lien vers cette vue",
        "es": "Enlace a esta vista",
    },
    "snippets": {
        "en": "Run this query from a program",
        "fr": "Exécuter cette requête depuis un programme",
        "es": "Ejecutar esta consulta desde un programa",
    },
    "snippets_intro": {
        "en": "Each snippet runs as copied against this server.",
        "fr": "Chaque extrait s'exécute tel quel sur ce serveur.",
        "es": "Cada fragmento se ejecuta tal cual contra este servidor.",
    },
    "cite_title": {
        "en": "Cite this dataset",
        "fr": "Citer ce jeu de données",
        "es": "Citar este conjunto de datos",
    },
    "whole_graph": {"en": "Whole graph", "fr": "Graphe entier", "es": "Grafo completo"},
    "cite_page": {"en": "Cite this page", "fr": "Citer cette page", "es": "Citar esta página"},
    "cite_version": {"en": "Version", "fr": "Version", "es": "Versión"},
    "cite_year": {"en": "Year", "fr": "Année", "es": "Año"},
    "cite_publisher": {"en": "Publisher", "fr": "Éditeur", "es": "Editor"},
    "cite_title_field": {"en": "Title", "fr": "Titre", "es": "Título"},
    "cite_accessed": {"en": "Accessed", "fr": "Consulté le", "es": "Consultado el"},
    "cite_download": {
        "en": "Download the citation",
        "fr": "Télécharger la référence",
        "es": "Descargar la referencia",
    },
    "cite_unreleased": {
        "en": "This data is not a release yet: cite a release to point to data that never changes.",
        "fr": "Ces données ne forment pas encore une version publiée : citez une version pour "
        "désigner des données qui ne changeront plus.",
        "es": "Estos datos aún no son una versión publicada: cite una versión para designar "
        "datos que no cambiarán.",
    },
    "releases": {"en": "Releases", "fr": "Versions publiées", "es": "Versiones publicadas"},
    "releases_intro": {
        "en": "Each release is a named version of the data, kept unchanged: its dumps, their "
        "checksums, a citation and what changed since the release before.",
        "fr": "Chaque version publiée des données est conservée telle quelle : ses fichiers, "
        "leurs sommes de contrôle, une référence à citer et ce qui a changé depuis la précédente.",
        "es": "Cada versión publicada de los datos se conserva sin cambios: sus volcados, sus "
        "sumas de control, una referencia para citarla y lo que cambió desde la anterior.",
    },
    "no_releases": {
        "en": "No release has been made yet.",
        "fr": "Aucune version n'a encore été publiée.",
        "es": "Aún no se ha publicado ninguna versión.",
    },
    "release": {"en": "Release {version}", "fr": "Version {version}", "es": "Versión {version}"},
    "issued": {"en": "Issued", "fr": "Publiée le", "es": "Publicada el"},
    "triples": {"en": "triples", "fr": "triplets", "es": "tripletas"},
    "current": {
        "en": "the data served now",
        "fr": "les données servies",
        "es": "los datos servidos",
    },
    "changes": {"en": "Changes", "fr": "Modifications", "es": "Cambios"},
    "changes_title": {
        "en": "Changes in release {new}",
        "fr": "Modifications de la version {new}",
        "es": "Cambios de la versión {new}",
    },
    "changes_since": {"en": "since {old}", "fr": "depuis la {old}", "es": "desde la {old}"},
    "changes_first": {
        "en": "The first release: every resource is new.",
        "fr": "La première version : toutes les ressources sont nouvelles.",
        "es": "La primera versión: todos los recursos son nuevos.",
    },
    "changes_summary": {
        "en": "{added} resources added, {removed} removed, {changed} changed; {plus} statements "
        "added, {minus} removed.",
        "fr": "{added} ressources ajoutées, {removed} retirées, {changed} modifiées ; {plus} "
        "énoncés ajoutés, {minus} retirés.",
        "es": "{added} recursos añadidos, {removed} retirados, {changed} modificados; {plus} "
        "enunciados añadidos, {minus} retirados.",
    },
    "resources_added": {
        "en": "Resources added",
        "fr": "Ressources ajoutées",
        "es": "Recursos añadidos",
    },
    "resources_removed": {
        "en": "Resources removed",
        "fr": "Ressources retirées",
        "es": "Recursos retirados",
    },
    "resources_changed": {
        "en": "Resources changed",
        "fr": "Ressources modifiées",
        "es": "Recursos modificados",
    },
    "ontology_at": {
        "en": "Ontology at this version",
        "fr": "Ontologie de cette version",
        "es": "Ontología de esta versión",
    },
}


def translator(language: str):
    """``t(key, **values)``: the message in ``language`` (English where it has none)."""

    def t(key: str, **values) -> str:
        entry = MESSAGES[key]
        text = entry.get(language) or entry[DEFAULT_LANGUAGE]
        return text.format(**values) if values else text

    return t
