"""The reader's language: ?lang= first, then the language the reader chose before, then
Accept-Language, then English.

A language chosen with ``?lang=`` (the switch on every page, or a link) sticks in two ways:
every link from that page to another page carries it on, so the choice lives in the address,
where a reader can bookmark, share or cache it; and it is remembered in a cookie (``lang``, a
year, this site only, never sent to scripts), so a page reached without ``?lang=`` (an address
typed, a bookmark made before, a visit next week) opens in it too. The cookie counts only for the
pages (PAGES, as HTML): data, files and the SPARQL endpoint answer what Accept-Language and the
format ask, whatever a browser remembers. Every HTML answer varies on Accept-Language, and a page
without ``?lang=`` on Cookie too.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, Response, has_request_context, request, url_for
from markupsafe import Markup

from ..i18n import DEFAULT_LANGUAGE, LANGUAGES
from ..i18n.messages import translator

#: The query parameter that chooses the language, and the cookie that remembers the choice.
PARAMETER = "lang"
COOKIE = "lang"
#: How long the choice is remembered.
COOKIE_SECONDS = 365 * 24 * 3600
#: The pages (HTML for a browser) whose links keep a chosen language; data, files and the
#: SPARQL protocol endpoint do not take it.
PAGES = frozenset(
    {
        "home.home",
        "query_page.page",
        "resources.thing",
        "resources.document",
        "resources.listing",
        "search.search",
        "vocabulary.ontology",
        "vocabulary.shapes",
        "downloads.index",
        "reuse.index",
        "releases.index",
        "releases.release",
        "releases.changes",
        "unknowns.page",
    }
)


def chosen_language(request: Request) -> str | None:
    """The language the address asks for, if it names one of ours."""
    asked = (request.args.get(PARAMETER) or "").lower()
    return asked if asked in LANGUAGES else None


def remembered_language(request: Request) -> str | None:
    """The language a reader chose before (the cookie), for the pages only."""
    if request.endpoint not in PAGES:
        return None
    kept = (request.cookies.get(COOKIE) or "").lower()
    return kept if kept in LANGUAGES else None


def negotiate_language(request: Request) -> str:
    return (
        chosen_language(request)
        or remembered_language(request)
        or request.accept_languages.best_match(LANGUAGES)
        or DEFAULT_LANGUAGE
    )


def with_chosen_language(href: str) -> str:
    """A link to one of this server's pages, carrying the language chosen for this request."""
    chosen = chosen_language(request) if has_request_context() else None
    if not chosen or not href.startswith("/") or href.startswith("//"):
        return href
    path, hash_mark, fragment = href.partition("#")
    joiner = "&" if "?" in path else "?"
    return f"{path}{joiner}{PARAMETER}={chosen}{hash_mark}{fragment}"


def init_language(app: Flask) -> None:
    @app.url_defaults
    def keep_chosen_language(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint in PAGES and PARAMETER not in values and has_request_context():
            chosen = chosen_language(request)
            if chosen:
                values[PARAMETER] = chosen

    @app.after_request
    def vary_on_language(response: Response) -> Response:
        if response.mimetype != "text/html":
            return response
        response.vary.add("Accept-Language")
        if request.endpoint not in PAGES:
            return response
        chosen = chosen_language(request)
        if chosen is None:
            response.vary.add("Cookie")
        elif request.cookies.get(COOKIE) != chosen:
            response.set_cookie(
                COOKIE,
                chosen,
                max_age=COOKIE_SECONDS,
                path="/",
                secure=request.is_secure,
                httponly=True,
                samesite="Lax",
            )
        return response

    @app.context_processor
    def page_context() -> dict:
        language = negotiate_language(request)

        def lang_url(code: str) -> str:
            args: dict[str, Any] = {k: v for k, v in request.args.lists() if k != PARAMETER}
            args[PARAMETER] = code
            return url_for(request.endpoint or "home.home", **(request.view_args or {}), **args)

        def other_lang(code: str) -> Markup:
            """` lang="…"` for a text in another language than the page's (WCAG 3.1.2)."""
            return Markup(' lang="{}"').format(code) if code and code != language else Markup("")

        return {
            "lang": language,
            "chosen_lang": chosen_language(request),
            "languages": LANGUAGES,
            "t": translator(language),
            "lang_url": lang_url,
            "other_lang": other_lang,
        }
