"""The reader's language: ?lang= first, then Accept-Language, then English.

A language chosen with ``?lang=`` (the switch on every page, or a link) sticks: every link from
that page to another page carries it on, so the choice lives in the address, where a reader can
bookmark, share or cache it. Without ``?lang=`` a page follows Accept-Language and its links
carry nothing, so they go on following it. No cookie: a cookie would make one address answer
differently for each reader (``Vary: Cookie``, which shared caches do not keep) and it would
override what a Linked Data client asks for in Accept-Language. Every HTML answer varies on
Accept-Language.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, Response, has_request_context, request, url_for
from markupsafe import Markup

from ..i18n import DEFAULT_LANGUAGE, LANGUAGES
from ..i18n.messages import translator

#: The query parameter that chooses the language.
PARAMETER = "lang"
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


def negotiate_language(request: Request) -> str:
    return (
        chosen_language(request)
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
        if response.mimetype == "text/html":
            response.vary.add("Accept-Language")
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
