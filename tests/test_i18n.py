"""Translations live in one place (rivm_graph/i18n), complete in every language it names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rivm_graph.i18n import FALLBACK, LANGUAGES, label_languages
from rivm_graph.i18n import LANGUAGES as INTERFACE_LANGUAGES
from rivm_graph.i18n.descriptions import KEYWORDS, TEXTS
from rivm_graph.i18n.messages import MESSAGES
from rivm_graph.rdf.namespaces import KINDS

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("table", [MESSAGES, TEXTS], ids=["interface", "descriptions"])
def test_every_text_is_in_every_language(table):
    incomplete = {key: set(LANGUAGES) - set(texts) for key, texts in table.items()}
    assert not {key: missing for key, missing in incomplete.items() if missing}
    for texts in table.values():
        fields = {lang: set(re.findall(r"{(\w+)}", text)) for lang, text in texts.items()}
        assert len({frozenset(f) for f in fields.values()}) == 1, texts  # the same placeholders


def test_keywords_in_every_language():
    assert set(KEYWORDS) == set(LANGUAGES)


def test_the_fallback_rule_puts_the_readers_language_first_without_repeats():
    assert label_languages("es") == ["es", "en", "fr"]
    assert label_languages("fr") == ["fr", "en", "es"]
    assert label_languages("de") == ["de", *FALLBACK]


def test_no_other_module_lists_languages():
    """One list of languages and one fallback rule: nothing else spells ("en", "fr", …)."""
    listing = re.compile(r"""[\[(]\s*(?:\w+\s*,\s*)?["']en["']\s*,\s*["'](?:fr|es)["']""")
    offending = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "rivm_graph").rglob("*.py")
        if (ROOT / "rivm_graph" / "i18n") not in path.parents and listing.search(path.read_text())
    ]
    assert not offending


def test_every_kind_has_a_listing_title_in_every_language(client):
    """A kind added to the IRI scheme without its title made its listing answer 503."""
    for kind in KINDS:
        assert set(MESSAGES[f"kind_{kind}"]) >= set(INTERFACE_LANGUAGES), kind
    assert client.get("/id/claim/", headers={"Accept": "text/html"}).status_code == 200
