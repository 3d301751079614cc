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


#: Words a template may hold as they are: names of formats, files and standards, the same in
#: every language.
NOT_TRANSLATED = {
    "URL",
    "SHA-256",
    "SHA256SUMS",
    "release.json",
    "JSON",
    "JSON-LD",
    "RDF/XML",
    "GeoJSON",
    ".geojson",
    "sparql-examples",
    "rdfs:label @",
    "skos:definition @",
    "rdf:type",
    "rdfs:domain",
    "rdfs:range",
}
TEMPLATES = sorted((ROOT / "rivm_graph" / "web" / "templates").glob("*.html"))


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_no_interface_word_is_written_into_a_template(template):
    """Every word a reader sees, or hears (title, aria-label, placeholder, alt), comes from the
    messages, so it is in every language: a template holds none of its own."""
    text = re.sub(r"\{#.*?#\}", "", template.read_text(encoding="utf-8"), flags=re.S)
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", text, flags=re.S)
    attributes = re.findall(r'\b(?:title|aria-label|placeholder|alt)="([^"]*)"', text)
    text = re.sub(r"<(script|style|pre|code)\b.*?</\1>", "", text, flags=re.S)
    words = [t.strip(" \n·—()") for t in re.split(r"<[^>]+>", text)]
    found = [w.strip(" ()") for w in [*words, *attributes] if re.search(r"[A-Za-z]{3}", w)]
    assert [w for w in found if w not in NOT_TRANSLATED] == []
