"""Security headers on every response: a strict CSP (all assets are served from here)."""

from __future__ import annotations

from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
#: For a page other sites may show in a frame (the reconciliation preview, in OpenRefine).
FRAMABLE_POLICY = CONTENT_SECURITY_POLICY.replace("frame-ancestors 'none'", "frame-ancestors *")
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


def allow_framing(response: Response) -> Response:
    """Let any site frame this response (X-Frame-Options has no value for that: it is left out)."""
    response.headers["Content-Security-Policy"] = FRAMABLE_POLICY
    return response


#: The headers of every response, as added (a list: one extend instead of a look-up per header).
_EVERY = list(HEADERS.items())
#: Those of a response that ``allow_framing`` gave its own policy: no X-Frame-Options.
_FRAMABLE = [(n, v) for n, v in _EVERY if n not in ("Content-Security-Policy", "X-Frame-Options")]


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def add_headers(response: Response) -> Response:
        # Only allow_framing sets a policy of its own; no view sets the others.
        framable = "Content-Security-Policy" in response.headers
        response.headers.extend(_FRAMABLE if framable else _EVERY)
        return response
