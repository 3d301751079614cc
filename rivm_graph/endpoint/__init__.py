"""The SPARQL service without Flask: what a query may do and how it is run (``service``), the
service description and the catalogue of example queries."""
