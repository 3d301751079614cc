"""The dumps, served as files: media types, Content-Length, ETag, Last-Modified, ranges."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    send_file,
)

from .negotiation import NotAcceptable, choose, explicit_format
from .state import get_dumps

blueprint = Blueprint("downloads", __name__)


@blueprint.get("/dumps/")
def index():
    dumps = get_dumps()
    try:
        media_type = choose(
            request, ["text/html", "application/json"], explicit_format(request.args)
        )
    except NotAcceptable:
        media_type = "text/html"
    if media_type == "application/json":
        response = jsonify(
            version=dumps.version,
            triples=dumps.triples,
            quads=dumps.quads,
            files=[
                {
                    "name": f.name,
                    "mediaType": f.format.served_as,
                    "format": f.format.label,
                    "bytes": f.size,
                    "sha256": f.sha256,
                }
                for f in dumps.files
            ],
        )
    else:
        response = current_app.response_class(
            render_template("dumps.html", dumps=dumps), mimetype="text/html"
        )
    response.headers["Vary"] = "Accept"
    return response


@blueprint.get("/dumps/<name>")
def file(name: str):
    dumps = get_dumps()
    if name == "SHA256SUMS":
        path, mimetype, etag = dumps.directory / name, "text/plain", dumps.version
    else:
        found = dumps.file(name)
        if found is None:
            abort(404)
        path, mimetype, etag = found.path, found.format.served_as, found.sha256
        if not path.is_file() or path.stat().st_size != found.size:
            current_app.logger.error("dump %s is missing or damaged on disk", path)
            return Response(
                f"The dump {name} is missing or damaged on the server, so it is not served. "
                "It is rebuilt when the server starts; try again later.\n",
                status=503,
                mimetype="text/plain",
                headers={"Retry-After": "300"},
            )
    # The ETag is the file's SHA-256: the same in every process and on every machine.
    response = send_file(
        path,
        mimetype=mimetype,
        as_attachment=True,
        download_name=name,
        conditional=True,
        etag=etag,
        max_age=3600,
    )
    response.headers["Accept-Ranges"] = "bytes"
    return response
