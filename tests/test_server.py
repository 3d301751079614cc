"""The production server (gunicorn) serves the app for real on loopback."""

from __future__ import annotations

import json
import urllib.request


def test_health_check_answers_with_the_graphs(live_server):
    with urllib.request.urlopen(live_server + "/healthz", timeout=5) as response:
        assert response.status == 200
        body = json.load(response)
    assert body["status"] == "ok"
    assert body["graphs"] >= 10


def test_home_page_is_html(live_server):
    with urllib.request.urlopen(live_server + "/", timeout=5) as response:
        assert response.headers["Content-Type"].startswith("text/html")
        assert "International Network of Michelin Cities" in response.read().decode()
