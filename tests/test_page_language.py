"""The reader's language on the pages: names instead of IRIs, and a choice that sticks."""

from __future__ import annotations

import re

import pytest

#: The languages the data's sources are written in, by their name in each interface language.
LANGUAGE_NAMES = {
    "en": {"French", "English", "German", "Spanish"},
    "fr": {"français", "anglais", "allemand", "espagnol"},
    "es": {"francés", "inglés", "alemán", "español"},
}


@pytest.mark.parametrize("lang", LANGUAGE_NAMES)
def test_a_language_value_shows_its_name_not_its_iri(client, lang):
    """dct:language points into the EU Languages authority; the page names the language."""
    for path in ("/doc/declaration/queretaro-2022", "/doc/source/7jours-2018"):
        html = client.get(path, query_string={"lang": lang}).get_data(as_text=True)
        shown = set(re.findall(r'authority/language/[A-Z]{3}"[^>]*>([^<]+)</a>', html))
        assert shown and shown <= LANGUAGE_NAMES[lang], (path, shown)
