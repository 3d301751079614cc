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


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def add_headers(response: Response) -> Response:
        framable = response.headers.get("Content-Security-Policy") == FRAMABLE_POLICY
        for name, value in HEADERS.items():
            if not (framable and name == "X-Frame-Options"):
                response.headers.setdefault(name, value)
        return response
