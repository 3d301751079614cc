"""A crawler starts at / and follows every internal link: each answers 200 (or 303, then 200)."""

from __future__ import annotations

import http.client
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit

import pytest

from tests.conftest import running_server
from tests.test_query_page import Page

PAGES = ("text/html",)


class Client(threading.local):
    """One keep-alive connection per thread."""

    def __init__(self, base: str):
        self.netloc = urlsplit(base).netloc
        self.connection: http.client.HTTPConnection | None = None

    def get(self, path: str, method: str = "GET") -> tuple[int, str, str | None, bytes]:
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.netloc, timeout=30)
            try:
                self.connection.request(method, path, headers={"Accept": "text/html,*/*;q=0.5"})
                response = self.connection.getresponse()
                body = response.read()
                return (
                    response.status,
                    response.getheader("Content-Type", ""),
                    response.getheader("Location"),
                    body,
                )
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt:
                    raise
        raise AssertionError("unreachable")


@pytest.fixture(scope="module")
def crawl_server():
    with running_server(WORKERS=2) as base:
        yield base


def test_every_internal_link_answers(crawl_server):
    live_server = crawl_server
    client = Client(live_server)
    seen: set[str] = {"/"}
    failures: list[str] = []
    lock = threading.Lock()

    def visit(path: str) -> list[str]:
        status, content_type, location, body = client.get(path)
        if status == 503:  # overloaded (a busy CI machine): a person would retry once
            time.sleep(1)
            status, content_type, location, body = client.get(path)
        if status == 303 and location:
            status, content_type, _, body = client.get(urlsplit(urljoin(path, location)).path)
        if status != 200:
            with lock:
                failures.append(f"{path}: {status}")
            return []
        if not content_type.startswith("text/html"):
            return []
        found = []
        for href, _ in Page(body.decode()).links:
            target = urldefrag(urljoin(path, href))[0]
            parts = urlsplit(target)
            if parts.netloc and parts.netloc != urlsplit(live_server).netloc:
                continue  # external: sources' own URLs, Wikidata, GeoNames
            # A chosen language rides on every link (?lang=); the crawl visits each page once,
            # in English, and test_page_language follows links in every language.
            query = urlencode(
                [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
            )
            local = parts.path + (f"?{query}" if query else "")
            found.append(local)
        return found

    frontier = ["/"]
    with ThreadPoolExecutor(max_workers=8) as pool:
        while frontier:
            results = list(pool.map(visit, frontier))
            frontier = []
            for links in results:
                for link in links:
                    if link not in seen:
                        seen.add(link)
                        frontier.append(link)
    assert not failures, failures[:20]
    assert len(seen) > 1500, "the crawl reached every resource page"
