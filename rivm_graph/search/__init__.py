"""Finding resources without SPARQL: search, lookup and reconciliation, with no Flask in it.

The index
---------
``index_for(store, base=None) -> SearchIndex`` gives the index of a store's data, kept per store
and data version: with ``base`` (the dumps' folder) it is built there once per data version as
one SQLite file and reopened by every later start (``stored``); without, it is built in memory
(``SearchIndex.build(store)`` builds one outright). It is read from the STORE with four SELECTs
of plain triple patterns, VALUES and FILTER (no property path), so the embedded Oxigraph and a
remote Virtuoso give the same index. It holds every name of every resource under
``https://w3id.org/rivm/id/`` — ``rdfs:label``, ``skos:prefLabel``/``altLabel``, ``schema:name``/
``alternateName``, ``dct:title``, ``foaf:name``, in every language — and its codes (ISO 3166 code,
GeoNames and Wikidata ids, source key), folded (case, accents and punctuation ignored) into an
SQLite FTS5 table, beside the resources' types and summary facts (``database``). It is
immutable; threads share it, and each process (gunicorn forks) opens its own connection to the
database (the file read-only, or its own copy of the image in memory).

Search
------
``SearchIndex.search(text, *, types=(), lang=None, limit=10, offset=0, prefix=False)
-> SearchResults``

- ``text``: what the visitor typed (at most ``MAX_QUERY_LENGTH`` = 500 characters). Empty or
  punctuation-only text finds nothing. FTS5 syntax in it (``"``, ``*``, ``AND``, ``NEAR``, ``:``)
  is only ever read as words.
- ``types``: class IRIs or ``prefix:Name`` (``rivm:City``); a resource of any of them, or of a
  subclass, passes. A class the graph does not have is a ``SearchError``.
- ``lang``: the reader's language tag (``fr``, ``pt-BR`` → ``pt``); labels are chosen with
  ``labels.best_label`` over ``i18n.label_languages(lang)``. Default English.
- ``limit`` is capped at ``MAX_LIMIT`` (100); ``offset`` pages (at most ``MAX_OFFSET``).
- ``prefix=True``: autocompletion, the last word read as a prefix (``vall`` → Valladolid).

``SearchResults``: ``query``, ``lang``, ``total`` (every match, before paging), ``offset``,
``limit``, ``hits``; ``.to_dict()`` is JSON-ready. Each ``Hit``: ``iri``; ``label`` in the
reader's language; ``kind`` (``Kind(iri, label)``: the most specific class, a rivm: one where
there is one); ``summary`` (one line: an event's date and host city, a city's country, a site's
city, a person's post, a source's kind and date; may be empty); ``matched`` and ``matched_lang``
(the name the query matched, as written); ``match`` (``exact``, ``words``, ``prefix``, ``typo``
or ``some``: see ``index``); ``score`` (0–100, the similarity of the folded query and name).
Order: match level, then main kinds (cities, events, people, countries, sites, organisations…)
before the rest and records (figures, sources, memberships, participations, geometries) last,
then score, then name and IRI (a stable order on every store).

``SearchIndex.describe(iri, lang) -> Hit | None``: the same fields without a query (previews).

Reconciliation (W3C Entity Reconciliation CG, API 0.2, as OpenRefine speaks it)
-------------------------------------------------------------------------------
``Reconciler(store)`` (the index from ``index_for``, or ``Reconciler(store, index)``); every
method takes the already decoded JSON and an optional ``lang``, and returns JSON-ready dicts in
the shapes of the API's schemas (tests/vendor/reconciliation-api/0.2):

- ``manifest(base_url)``: the service manifest, its URLs under the public base URL, at the paths
  of ``reconcile.PATHS`` (``/reconcile``, ``/reconcile/view?id={{id}}`` — to redirect to the
  resource's page —, ``/reconcile/preview?id={{id}}``, ``/reconcile/suggest/entity|type|property``,
  ``/reconcile/extend/propose``); identifierSpace ``https://w3id.org/rivm/id/``, schemaSpace the
  ontology, defaultTypes the ontology's main classes.
- ``reconcile(queries)``: a batch ``{key: {query, type, limit, properties, type_strict}}`` →
  ``{key: {"result": [{id, name, type: [{id, name}], score, match, description}]}}``. ``id`` is
  the resource's IRI, ``score`` 0–100. ``match`` is true only for the first candidate when its
  name is the query (folded), it has every property asked and the type, and its score stands
  ``MATCH_MARGIN`` above the next. ``properties`` (``[{pid, v}]``; ``v`` text, number, ``{id}``
  or a list) narrow it: a pid is one of the service's properties (``country``, ``coordinates``,
  ``latitude``, ``longitude``, ``geonamesId``, ``wikidataId``, ``sites``, ``memberships``,
  ``events``), an ontology term's IRI or ``rivm:…`` form, or another property of the data; a
  value agrees by IRI, by any name or code of the entity (``FR``, ``fr``, ``France``,
  ``Espagne``), or by folded text or number. A candidate keeps half its score for no agreeing
  property. Types: ``type_strict`` ``any`` (default) or ``all`` filter, ``should`` only prefers.
  At most ``MAX_BATCH`` (100) queries; an unknown type gives no candidates; empty text none.
- ``suggest_entities(prefix, types=, cursor=, limit=)``, ``suggest_types(prefix, …)``,
  ``suggest_properties(prefix, …)``: ``{"result": [...]}`` in the shapes of
  suggest-*-response.json.
- ``propose_properties(type_id, limit=None)``: the properties instances of a type have values
  for; ``extend({"ids": [...], "properties": [{"id": pid}]})`` → ``{"meta", "rows"}`` with
  entities as ``{id, name}``, numbers as ``{float}``, the rest ``{str}`` (coordinates as
  ``"lat,long"``); ids the graph does not have get empty lists.
- ``preview(iri)``: ``describe`` for the preview page.

Errors
------
Bad input raises ``SearchError`` (a ``ValueError``): ``.message`` says what to change, ``.status``
is the HTTP status to send (400, or 413 for a batch or an extension over its limits), and
``.to_dict()`` is ``{"status": "error", "message": …}``. Nothing else is raised for what a client
sends.
"""

from .errors import SearchError
from .index import Hit, Kind, SearchIndex, SearchResults
from .reconcile import Reconciler
from .stored import index_for

__all__ = [
    "Hit",
    "Kind",
    "Reconciler",
    "SearchError",
    "SearchIndex",
    "SearchResults",
    "index_for",
]
