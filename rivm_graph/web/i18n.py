"""The reader's language: ?lang= first, then Accept-Language, then English."""

from __future__ import annotations

from flask import Request

from ..i18n import DEFAULT_LANGUAGE, LANGUAGES


def negotiate_language(request: Request) -> str:
    asked = (request.args.get("lang") or "").lower()
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE
