"""Compressed answers on the real server: smaller pages, their own strong validators, and the
exact bytes wherever a range or a checksum is at stake; and the favicon."""

from __future__ import annotations

import hashlib
import http.client
import zlib
from urllib.parse import urlsplit

import brotli
import pytest

from tests.conftest import running_server


@pytest.fixture(scope="module")
def server():
    with running_server() as base:
        yield urlsplit(base).netloc


def get(netloc: str, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(netloc, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "identity", **headers})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


DECODE = {"br": brotli.decompress, "deflate": zlib.decompress}


@pytest.mark.parametrize("encoding", ["br", "deflate"])
@pytest.mark.parametrize(
    "path", ["/", "/doc/city/clermont-ferrand", "/ontology", "/static/site.css"]
)
def test_pages_are_compressed_for_clients_that_accept_it(server, path, encoding):
    _, plain_headers, plain = get(server, path)
    status, headers, body = get(server, path, **{"Accept-Encoding": encoding})
    assert status == 200 and headers["content-encoding"] == encoding
    assert DECODE[encoding](body) == plain
    assert "accept-encoding" in headers["vary"].lower()
    if "etag" in plain_headers:
        assert headers["etag"] not in (plain_headers["etag"], None), "its own strong validator"
        assert not headers["etag"].startswith("W/")
        again, _, _ = get(
            server, path, **{"Accept-Encoding": encoding, "If-None-Match": headers["etag"]}
        )
        assert again == 304
        other, _, _ = get(server, path, **{"If-None-Match": headers["etag"]})
        assert other == 200, "the compressed validator does not stand for the identity bytes"


def test_the_same_request_gives_the_same_compressed_bytes(server):
    """Strong ETags promise the same bytes; gzip would write the time into each answer."""
    headers = {"Accept-Encoding": "gzip, deflate, br, zstd"}
    first = get(server, "/doc/city/cuneo", **headers)
    second = get(server, "/doc/city/cuneo", **headers)
    assert first[1]["etag"] == second[1]["etag"] and first[2] == second[2]


def test_a_gzip_only_client_gets_the_page_as_it_is(server):
    status, headers, body = get(server, "/", **{"Accept-Encoding": "gzip"})
    assert status == 200 and "content-encoding" not in headers
    assert body.startswith(b"<!doctype html>")


def test_the_home_page_is_light_when_compressed(server):
    _, _, plain = get(server, "/")
    _, _, packed = get(server, "/", **{"Accept-Encoding": "br"})
    # 220 KB as HTML (the world map 102 KB, Europe's 37 KB), about 59 KB with Brotli
    assert len(packed) < 70_000 and len(packed) < len(plain) / 3, (len(packed), len(plain))


def test_ranges_and_dumps_keep_their_exact_bytes(server):
    accept = {"Accept-Encoding": "gzip, deflate, br, zstd"}
    for path in ("/static/site.css", "/dumps/rivm.ttl", "/dumps/rivm.nt"):
        _, _, whole = get(server, path)
        status, headers, part = get(server, path, Range="bytes=10-109", **accept)
        assert status == 206 and "content-encoding" not in headers, path
        assert part == whole[10:110]
    status, headers, dump = get(server, "/dumps/rivm.ttl", **accept)
    assert status == 200 and "content-encoding" not in headers
    sums = get(server, "/dumps/SHA256SUMS")[2].decode()
    assert f"{hashlib.sha256(dump).hexdigest()}  rivm.ttl" in sums


def test_a_favicon_instead_of_a_404(server):
    status, headers, _ = get(server, "/favicon.ico")
    assert status == 301 and headers["location"].endswith("/static/favicon.svg")
    status, headers, icon = get(server, "/static/favicon.svg")
    assert status == 200 and headers["content-type"].startswith("image/svg+xml")
    assert icon.startswith(b"<svg")
    _, _, home = get(server, "/")
    assert b'<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in home
