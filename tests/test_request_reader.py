"""The reader that tells the server's main loop when a request has arrived whole."""

from __future__ import annotations

import pytest

from rivm_graph.request_reader import RequestReader, Verdict


def reader(body_limit: int = 1000) -> RequestReader:
    return RequestReader(line_limit=100, head_limit=400, body_limit=body_limit)


def feed_bytewise(target: RequestReader, data: bytes) -> list[Verdict]:
    return [target.feed(data[i : i + 1]) for i in range(len(data))]


GET = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
POST = (
    b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
    b"Content-Length: 16\r\n\r\nASK { ?s ?p ?o }"
)
CHUNKED = (
    b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
    b"Transfer-Encoding: chunked\r\n\r\n6\r\nASK { \r\na\r\n?s ?p ?o }\r\n0\r\n\r\n"
)


@pytest.mark.parametrize("request_bytes", [GET, POST, CHUNKED], ids=["get", "length", "chunked"])
def test_a_request_is_whole_at_its_last_byte_and_not_before(request_bytes):
    target = reader()
    verdicts = feed_bytewise(target, request_bytes)
    assert verdicts[:-1] == [Verdict.MORE] * (len(request_bytes) - 1)
    assert verdicts[-1] is Verdict.WHOLE
    assert target.split() == (request_bytes, b"")


def test_pipelined_requests_are_split_where_the_first_ends():
    target = reader()
    assert target.feed(POST + GET + b"GET /") is Verdict.WHOLE
    assert target.split() == (POST, GET + b"GET /")


def test_a_header_named_like_a_body_header_only_in_a_value_is_no_body():
    target = reader()
    request = b"GET / HTTP/1.1\r\nHost: x\r\nX-Note: content-length: 5\r\n\r\n"
    assert target.feed(request) is Verdict.WHOLE


def test_an_over_long_request_line_is_cut_at_once_for_gunicorn_to_answer_414():
    target = reader()
    assert target.feed(b"GET /" + b"x" * 90) is Verdict.MORE
    assert target.feed(b"x" * 20) is Verdict.CUT


def test_a_head_over_the_limit_is_refused_even_before_it_ends():
    target = reader()
    assert target.feed(b"GET / HTTP/1.1\r\n") is Verdict.MORE
    assert target.feed(b"X-Padding: " + b"x" * 390 + b"\r\n") is Verdict.HEAD_TOO_LARGE


def test_a_body_over_the_limit_is_not_waited_for():
    declared = POST.replace(b"Content-Length: 16", b"Content-Length: 5000")
    assert reader().feed(declared[: declared.index(b"\r\n\r\n") + 4]) is Verdict.CUT
    chunked = CHUNKED.split(b"\r\n\r\n")[0] + b"\r\n\r\n" + b"400\r\n" + b"x" * 1024
    assert reader().feed(chunked) is Verdict.CUT


def test_a_malformed_body_framing_is_cut_for_gunicorn_to_refuse():
    bad = CHUNKED.replace(b"6\r\nASK", b"zz\r\nASK")
    assert reader().feed(bad) is Verdict.CUT


def test_a_client_waiting_for_100_continue_is_noticed():
    head = POST.replace(b"\r\n\r\n", b"\r\nExpect: 100-continue\r\n\r\n").split(b"\r\n\r\n")[0]
    target = reader()
    assert target.feed(head + b"\r\n\r\n") is Verdict.MORE
    assert target.expects_continue
    assert target.feed(b"ASK { ?s ?p ?o }") is Verdict.WHOLE
