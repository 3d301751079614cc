"""Errors on every route: a page for a browser, else one plain sentence; never a trace."""

from __future__ import annotations

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: "The request is malformed.",
    404: "There is nothing at this address.",
    405: "This address does not accept that method.",
    406: "None of the formats asked for is offered here.",
    413: "The request is larger than this server accepts.",
    414: "The address is longer than this server accepts.",
    431: "The request headers are larger than this server accepts.",
}


def _wants_html() -> bool:
    accept = request.accept_mimetypes
    return accept["text/html"] > 0 and accept["text/html"] >= accept["text/plain"]


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        message = MESSAGES.get(status) or error.description or "Error."
        if _wants_html() and status == 404:
            body = render_template("not_found.html", iri=request.path, kind=None)
            response = Response(body, status=status, mimetype="text/html")
        else:
            response = Response(message + "\n", status=status, mimetype="text/plain")
        if status == 405 and error.get_response().headers.get("Allow"):
            response.headers["Allow"] = error.get_response().headers["Allow"]
        response.headers["Vary"] = "Accept"
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        app.logger.exception("unexpected error on %s", request.path)
        return Response(
            "The server could not answer this request; it has been logged.\n",
            status=503,
            mimetype="text/plain",
        )
