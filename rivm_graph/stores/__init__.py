"""Where the graph is held: the store interface (``base``), the embedded Oxigraph store
(``oxigraph``), a remote SPARQL engine (``remote``), the data files (``files``), the query workers
(``executor``) and the loader into a remote engine (``loader``)."""
