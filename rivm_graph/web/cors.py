"""Cross-origin reading (CORS): the data is open, so a page of any origin may read every answer,
and no request carries credentials.

- Every answer says ``Access-Control-Allow-Origin: *`` and exposes the headers a script needs
  beyond the ones browsers always show: the ETag to revalidate, the truncation and unknown-graph
  notes of a SPARQL answer, a warning, Retry-After of a 429 or 503, the file name of a download.
- A preflight (``OPTIONS`` with ``Access-Control-Request-Method``) is told the methods the address
  really answers (Flask's ``Allow``: a read-only service allows no PUT or DELETE), the headers
  asked for, and that the answer holds for a day.

This replaced flask-cors, whose general machinery (per-request resource matching and option
resolution) took 54 µs of a 612 µs lookup for this one fixed policy (measured in-process, the
minimum of 15 interleaved rounds), and which told a preflight that DELETE, PATCH and PUT were
allowed.
"""

from __future__ import annotations

from flask import Flask, Response, request

#: Headers a cross-origin script may read besides the CORS-safelisted ones.
EXPOSED = ", ".join(
    [
        "ETag",
        "Link",
        "Warning",
        "Retry-After",
        "Content-Disposition",
        "X-Result-Truncated",
        "X-Result-Limit",
        "X-Unknown-Graphs",
    ]
)
#: How long a browser may keep a preflight's answer: one day.
PREFLIGHT_SECONDS = "86400"
#: The methods of a preflight's answer when the address says none (it does not exist: 404).
DEFAULT_METHODS = "GET, HEAD, POST, OPTIONS"
_ANY_ORIGIN = [
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Expose-Headers", EXPOSED),
]


def init_cors(app: Flask) -> None:
    @app.after_request
    def allow_any_origin(response: Response) -> Response:
        headers = response.headers
        headers.extend(_ANY_ORIGIN)
        if request.method == "OPTIONS":
            asked = request.headers.get("Access-Control-Request-Method")
            if asked:
                headers["Access-Control-Allow-Methods"] = headers.get("Allow", DEFAULT_METHODS)
                headers["Access-Control-Max-Age"] = PREFLIGHT_SECONDS
                wanted = request.headers.get("Access-Control-Request-Headers")
                if wanted:
                    headers["Access-Control-Allow-Headers"] = wanted
        return response
