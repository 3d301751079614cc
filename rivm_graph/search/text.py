"""How names and queries are compared: folded to lowercase words without accents, and quoted
before they reach FTS5's query language."""

from __future__ import annotations

import re
import unicodedata

from .errors import SearchError

#: A language tag as BCP 47 spells it (primary subtag, then subtags), e.g. ``fr`` or ``pt-BR``.
_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{1,8})*")
#: Runs of characters that are neither letters nor digits (``\w`` less the underscore).
_SEPARATORS = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """``Santiago de Querétaro`` → ``santiago de queretaro``: lowercase words without accents,
    split on anything that is neither a letter nor a digit (as FTS5's unicode61 tokenizer reads
    them), joined by one space.

    Names are indexed folded and queries folded the same way, so both sides of every comparison
    (FTS5 words, exact names, similarity) went through this one function.
    """
    text = text.lower()
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_SEPARATORS.sub(" ", text).split())


def phrase(word: str, *, prefix: bool = False) -> str:
    """One word as an FTS5 string: quoted (a ``"`` doubled), so ``AND``, ``NEAR``, ``*``, ``:``
    or ``^`` in a visitor's text are words, never operators."""
    return '"' + word.replace('"', '""') + '"' + ("*" if prefix else "")


def language(tag: str | None, default: str) -> str:
    """The primary language of a reader's tag (``fr-CA`` → ``fr``); names are tagged that way."""
    if tag is None or tag == "":
        return default
    tag = tag.strip().lower()
    if not _LANGUAGE_TAG.fullmatch(tag):
        raise SearchError(f"lang must be a language tag such as 'en' or 'fr', not {tag[:20]!r}")
    return tag.split("-")[0]
