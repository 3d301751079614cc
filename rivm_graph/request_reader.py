"""Knowing when a request has arrived whole, from its bytes as they come (no I/O here).

A request thread that reads from the socket waits as long as the client takes: a few clients
sending a header every few seconds (the "slowloris" pattern) held every thread of a server
process, and nobody else was answered. So the server's main loop reads each request into memory
as its bytes arrive and gives it to a thread only once it is whole (`rivm_graph.server.Worker`);
this module tells when that is. The head ends at the first empty line; a request that declares
neither Content-Length nor Transfer-Encoding has no body (RFC 9112, section 6.3); any other body,
chunked or not, is framed by h11, a sans-I/O HTTP/1.1 parser. Validating the request stays
gunicorn's job, in the thread.
"""

from __future__ import annotations

import enum

import h11


class Verdict(enum.Enum):
    #: Not whole yet: wait for more bytes.
    MORE = "more"
    #: A whole request (``RequestReader.split`` gives it and any bytes that followed it).
    WHOLE = "whole"
    #: Stop reading and hand over what has come: the request cannot become valid or acceptable
    #: (malformed, request line too long, body over the limit), and gunicorn or the application
    #: answers it from these bytes (400, 414, 413).
    CUT = "cut"
    #: The head (request line and headers) is longer than ``head_limit``: answer 431 here.
    HEAD_TOO_LARGE = "head-too-large"


def _declares_body(head: bytes) -> bool:
    lowered = head.lower()
    return b"\ncontent-length:" in lowered or b"\ntransfer-encoding:" in lowered


class RequestReader:
    """The bytes of one request so far, and whether it is whole.

    ``line_limit`` is the longest request line (gunicorn's, which answers 414 beyond it),
    ``head_limit`` the longest head, ``body_limit`` the largest body worth waiting for (the
    application refuses larger ones with 413 without reading them).
    """

    def __init__(self, *, line_limit: int, head_limit: int, body_limit: int):
        self.line_limit, self.head_limit, self.body_limit = line_limit, head_limit, body_limit
        self.buffer = bytearray()
        #: The client sent ``Expect: 100-continue`` and waits for a go-ahead before its body.
        self.expects_continue = False
        self._framer: h11.Connection | None = None
        self._body_bytes = 0
        self._length = 0

    def feed(self, data: bytes) -> Verdict:
        self.buffer += data
        if self._framer is None:
            return self._read_head()
        return self._frame(self._framer, data)

    def split(self) -> tuple[bytes, bytes]:
        """After WHOLE: the request's own bytes, and what the client sent after them (the next
        request of a pipelining client)."""
        return bytes(self.buffer[: self._length]), bytes(self.buffer[self._length :])

    def _line_too_long(self) -> bool:
        """gunicorn's own test (LimitRequestLine), so that it answers 414 from these bytes."""
        end = self.buffer.find(b"\r\n")
        if end < 0:
            return len(self.buffer) - 2 > self.line_limit
        return end > self.line_limit

    def _read_head(self) -> Verdict:
        if self._line_too_long():
            return Verdict.CUT
        end = self.buffer.find(b"\r\n\r\n")
        head_length = len(self.buffer) if end < 0 else end + 4
        if head_length > self.head_limit:
            return Verdict.HEAD_TOO_LARGE
        if end < 0:
            return Verdict.MORE
        if not _declares_body(bytes(self.buffer[:end])):
            self._length = head_length
            return Verdict.WHOLE
        self._framer = h11.Connection(h11.SERVER, max_incomplete_event_size=self.head_limit)
        return self._frame(self._framer, bytes(self.buffer))

    def _frame(self, framer: h11.Connection, data: bytes) -> Verdict:
        framer.receive_data(data)
        while True:
            try:
                event = framer.next_event()
            except h11.RemoteProtocolError:
                return Verdict.CUT
            if event is h11.NEED_DATA:
                return Verdict.MORE
            if isinstance(event, h11.Request):
                self.expects_continue = framer.they_are_waiting_for_100_continue
                declared = dict(event.headers).get(b"content-length")
                if declared is not None and int(declared) > self.body_limit:
                    return Verdict.CUT
            elif isinstance(event, h11.Data):
                self._body_bytes += len(event.data)
                if self._body_bytes > self.body_limit:
                    return Verdict.CUT
            elif isinstance(event, h11.EndOfMessage):
                self._length = len(self.buffer) - len(framer.trailing_data[0])
                return Verdict.WHOLE
