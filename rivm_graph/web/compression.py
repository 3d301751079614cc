"""Compressed answers for clients that accept them (Flask-Compress), without breaking validators.

- Brotli, Zstandard or deflate, never gzip: Python's gzip writes the time into its header, so
  the same page would come out as different bytes under the same strong ETag (see README, "same
  bytes"); the three others give the same bytes for the same input. Every browser accepts
  Brotli. A gzip-only client gets the page uncompressed.
- Whole answers only (200): a range (206) must be of the representation's own bytes, and the
  dumps are files with exact sizes and checksums, so the downloads are never touched.
- A compressed answer has its own strong ETag (Flask-Compress appends ``:br``, ``:zstd`` or
  ``:deflate``), and answers If-None-Match with it.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_compress import Compress

#: What is worth compressing: pages, the stylesheet, JSON (search and reconciliation answers).
MEDIA_TYPES = ["text/html", "text/css", "application/json"]
#: The server's preference among what the client accepts (the client's q-values come first).
ALGORITHMS = ["br", "zstd", "deflate"]
#: Endpoints whose bytes are served exactly as they are (dumps and tables: ranges, checksums).
UNTOUCHED = frozenset({"downloads.file", "reuse.file"})


def init_compression(app: Flask) -> None:
    app.config.update(
        COMPRESS_REGISTER=False,
        COMPRESS_MIMETYPES=MEDIA_TYPES,
        COMPRESS_ALGORITHM=ALGORITHMS,
        COMPRESS_ALGORITHM_STREAMING=ALGORITHMS,
    )
    compress = Compress(app)

    @app.after_request
    def compress_whole_answers(response: Response) -> Response:
        if (
            response.status_code != 200
            or response.mimetype not in MEDIA_TYPES
            or request.endpoint in UNTOUCHED
            or "Content-Range" in response.headers
        ):
            return response
        return compress.after_request(response)
