"""How to cite the dataset, or one resource of it, at a version: BibTeX, RIS, CSL-JSON, formatted
text and the <meta> tags reference managers read. No Flask here.

One ``Work`` holds what every form says (title, creator, publisher, version, year, URL, access
date); each form is written by a well-kept library: CSL-JSON is the item citeproc-py formats
(the text, in the reader's language), BibTeX is written by bibtexparser, RIS by rispy. The media
types are those DOI content negotiation answers with (DataCite, Crossref), so a client that
asks a DOI resolver for a citation asks this server the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from html import escape
from threading import Lock

import bibtexparser
import rispy
from bibtexparser.model import Entry, Field
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from ..i18n.descriptions import TEXTS
from ..rdf.formats import CITATION_FORMATS

#: The style citeproc-py ships (Cite Them Right, Harvard): its bibliography gives author, year,
#: title, publisher, URL and access date.
STYLE = "harvard-cite-them-right"
#: Interface language → CSL locale for the formatted text.
LOCALES = {"en": "en-GB", "fr": "fr-FR", "es": "es-ES"}


@dataclass(frozen=True)
class Work:
    """What is cited: the dataset at a version, or one resource of it (``container`` set)."""

    key: str  # BibTeX key and CSL id
    title: str
    creator: str
    publisher: str
    version: str
    issued: date
    url: str
    accessed: date
    identifier: str  # the IRI of the dataset, release or resource
    container: str | None = None  # a resource's dataset title
    language: str = "en"

    @property
    def csl_type(self) -> str:
        return "dataset" if self.container is None else "entry"


def resource_work(dataset: Work, label: str, iri: str, url: str) -> Work:
    """One resource of the dataset, cited as an entry of it (at the dataset's version)."""
    slug = iri.rstrip("/").split("/")
    return replace(
        dataset,
        key=f"{dataset.key}-{slug[-2]}-{slug[-1]}" if len(slug) > 1 else dataset.key,
        title=label,
        url=url,
        identifier=iri,
        container=dataset.title,
    )


def _parts(day: date) -> dict:
    return {"date-parts": [[day.year, day.month, day.day]]}


def csl_item(work: Work) -> dict:
    """The CSL-JSON item (CSL 1.0.2 data schema)."""
    item = {
        "id": work.key,
        "type": work.csl_type,
        "title": work.title,
        "author": [{"literal": work.creator}],
        "publisher": work.publisher,
        "version": work.version,
        "issued": _parts(work.issued),
        "accessed": _parts(work.accessed),
        "URL": work.url,
        "language": work.language,
    }
    if work.container:
        item["container-title"] = work.container
    return item


def csl_json(work: Work) -> str:
    return json.dumps([csl_item(work)], ensure_ascii=False, indent=1) + "\n"


def _tex(value: str) -> str:
    """A value as BibTeX text: TeX's special characters escaped, braces kept balanced."""
    for char in "\\&%$#_":
        value = value.replace(char, "\\" + char if char != "\\" else "\\textbackslash ")
    return value.replace("{", "(").replace("}", ")")


def bibtex(work: Work) -> str:
    fields = [
        # a corporate author in double braces, so it is not split into first and last names
        Field("author", "{" + _tex(work.creator) + "}"),
        Field("title", "{" + _tex(work.title) + "}"),
        Field("year", str(work.issued.year)),
        Field("publisher", _tex(work.publisher)),
        Field("version", _tex(work.version)),
        Field("url", work.url),
        Field("urldate", work.accessed.isoformat()),
    ]
    if work.container:
        fields.append(Field("howpublished", f"In: {_tex(work.container)}, version {work.version}"))
    library = bibtexparser.Library()
    library.add(Entry("misc", work.key, fields))
    return bibtexparser.write_string(library)


class _RisWriter(rispy.RisWriter):
    """rispy's writer without its "1." line before each record, which RIS itself has not."""

    def set_header(self, count: int) -> str:
        return ""


def ris(work: Work) -> str:
    entry = {
        "type_of_reference": "DATA",
        "id": work.key,
        "title": work.title,
        "authors": [work.creator],
        "year": str(work.issued.year),
        "date": work.issued.strftime("%Y/%m/%d"),
        "publisher": work.publisher,
        "edition": work.version,
        "urls": [work.url],
        "access_date": work.accessed.strftime("%Y/%m/%d"),
        "language": work.language,
    }
    if work.container:
        entry["secondary_title"] = work.container
    return rispy.dumps([entry], implementation=_RisWriter)


@lru_cache(maxsize=len(LOCALES) + 1)
def _style(locale: str) -> tuple[CitationStylesStyle, Lock]:
    """The parsed style and locale (parsing them cost 3 ms a citation), and a lock: citeproc-py
    sets the output formatter on the style itself, so one citation is formatted at a time."""
    return CitationStylesStyle(STYLE, locale=locale, validate=False), Lock()


def formatted(work: Work, *, html: bool = False) -> str:
    """The citation as text (or HTML, its values escaped) in the work's language, by
    citeproc-py."""
    item = csl_item(work)
    # The style prints no version: it goes with the title, where a reader looks for it.
    version = {"en": "version", "fr": "version", "es": "versión"}.get(work.language, "version")
    if work.container:
        item["container-title"] = f"{work.container} ({version} {work.version})"
    else:
        item["title"] = f"{work.title} ({version} {work.version})"
    if html:  # citeproc-py's HTML formatter adds its markup around the values as they are
        item = _escaped(item)
    style, lock = _style(LOCALES.get(work.language, "en-GB"))
    with lock:
        bibliography = CitationStylesBibliography(
            style, CiteProcJSON([item]), formatter.html if html else formatter.plain
        )
        bibliography.register(Citation([CitationItem(work.key)]))
        return str(bibliography.bibliography()[0])


def _escaped(value):
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    return value


def meta_tags(work: Work) -> list[tuple[str, str]]:
    """Highwire Press ``citation_*`` and Dublin Core tags, as Zotero's and Google Scholar's
    embedded-metadata readers take them."""
    tags = [
        ("citation_title", work.title),
        ("citation_author", work.creator),
        ("citation_publisher", work.publisher),
        ("citation_date", work.issued.strftime("%Y/%m/%d")),
        ("citation_publication_date", work.issued.strftime("%Y/%m/%d")),
        ("citation_online_date", work.issued.strftime("%Y/%m/%d")),
        ("citation_public_url", work.url),
        ("citation_language", work.language),
        ("citation_technical_report_number", work.version),
        ("DC.title", work.title),
        ("DC.creator", work.creator),
        ("DC.publisher", work.publisher),
        ("DC.date", work.issued.isoformat()),
        ("DC.identifier", work.identifier),
        ("DC.type", "Dataset"),
        ("DC.language", work.language),
        ("DC.rights", "https://creativecommons.org/licenses/by/4.0/"),
        ("DCTERMS.hasVersion", work.version),
    ]
    if work.container:
        tags.append(("DC.relation.ispartof", work.container))
    return tags


#: The downloads by extension (a view of the format registry); ``txt`` is the formatted text.
FORMATS = {f.extension: f for f in CITATION_FORMATS}


def render(work: Work, extension: str) -> str:
    if extension == "bib":
        return bibtex(work)
    if extension == "ris":
        return ris(work)
    if extension == "json":
        return csl_json(work)
    if extension == "txt":
        return formatted(work) + "\n"
    raise KeyError(extension)


def dataset_work(
    *,
    names: dict[str, str],
    publisher: str,
    version: str,
    issued: date,
    url: str,
    identifier: str,
    accessed: date,
    language: str,
) -> Work:
    """The dataset at ``version``, titled as the descriptions title it, in ``language``."""
    name = names.get(language) or names.get("en") or "rivm-graph"
    templates = TEXTS["title"]
    title = templates.get(language, templates["en"]).format(name=name)
    return Work(
        key=f"rivm-graph-{version}",
        title=title,
        creator=publisher,
        publisher=publisher,
        version=version,
        issued=issued,
        url=url,
        accessed=accessed,
        identifier=identifier,
        language=language,
    )
