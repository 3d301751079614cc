"""Every translation in one place: the interface languages and the fallback rule (here), the
interface's words (``messages``), and the texts of the open-data descriptions (``descriptions``).

Names in the data are not here: they are labels in the Turtle files, chosen with
``label_languages`` by ``rdf``'s label rules.
"""

from __future__ import annotations

#: The languages of the interface and of the descriptions, the first being the default.
LANGUAGES: tuple[str, ...] = ("en", "fr", "es")
DEFAULT_LANGUAGE = LANGUAGES[0]
#: Where a resource has no name in the reader's language: English, then French (the languages
#: every resource of the data is named in), then the others.
FALLBACK: tuple[str, ...] = ("en", "fr", "es")


def label_languages(language: str) -> list[str]:
    """The languages to choose a resource's name from, in order, for a reader of ``language``."""
    return list(dict.fromkeys((language, *FALLBACK)))
