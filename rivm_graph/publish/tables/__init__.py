"""The graph as CSV tables a person opens without knowing RDF, with the metadata that maps them
back onto the graph: CSV on the Web (``csv-metadata.json``) and a Frictionless Data Package
(``datapackage.json``).

Each table is read from the store by SPARQL of plain triple patterns and VALUES (the same on
Oxigraph and Virtuoso); every column is one triple pattern from the row's resource or from the
resource of another column (a country's label, a geometry's latitude), so its CSVW ``aboutUrl``,
``propertyUrl`` and ``valueUrl`` say exactly which triple each cell is. A column is left out of
the CSVW conversion (``suppressOutput``) where a cell could not give a triple of the graph: several
values in one cell (CSVW cannot expand a list into IRIs), values of more than one datatype (dates
of the precision each source gives), and cells about another resource than the row's (a country's
name, a point's latitude): these are copies for reading, whose triples belong to that resource;
the ``csvw`` package's conversion of rows about several resources also fails on typed values and
on two columns of one property.

Tables are written once per data version into their own folder, beside the dumps, and reused.
"""

from __future__ import annotations

from ...built_folders import CHECKSUMS
from .build import BuiltTable, build_table, to_csv
from .files import TableFile, TableSet, tables_for, write_tables
from .metadata import CSV_MEDIA_TYPE, DATAPACKAGE, METADATA, csv_metadata, datapackage
from .specs import BY_NAME, LABEL, TABLE_OF_KIND, TABLES, Column, TableSpec

__all__ = [
    "BY_NAME",
    "CHECKSUMS",
    "CSV_MEDIA_TYPE",
    "DATAPACKAGE",
    "LABEL",
    "METADATA",
    "TABLES",
    "TABLE_OF_KIND",
    "BuiltTable",
    "Column",
    "TableFile",
    "TableSet",
    "TableSpec",
    "build_table",
    "csv_metadata",
    "datapackage",
    "tables_for",
    "to_csv",
    "write_tables",
]
