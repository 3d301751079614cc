"""Interface language: ?lang= first, then Accept-Language, then English."""

from __future__ import annotations

from flask import Request

LANGUAGES = ("en", "fr", "es")

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
}


def negotiate_language(request: Request) -> str:
    asked = (request.args.get("lang") or "").lower()
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES) or "en"


def translator(language: str):
    def t(key: str, **values) -> str:
        entry = MESSAGES[key]
        text = entry.get(language) or entry["en"]
        return text.format(**values) if values else text

    return t
