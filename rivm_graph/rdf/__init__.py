"""RDF and SPARQL as terms and text, with no store and no Flask: the prefix map (``namespaces``),
term conversion (``terms``, ``literals``), the formats and the one deterministic serialisation
(``formats``, ``serialize``, ``results``), names to show (``labels``) and a lexical look at
queries (``query_text``)."""
