"""One test per bug found, named for what went wrong (pySHACL keeps test/issues/test_NNN.py)."""

from __future__ import annotations


def test_an_error_asked_as_json_by_a_format_parameter_is_json(client):
    """`format=json` made the error writer raise TypeError (a tuple joined to a set), so every
    error of a request with a format parameter became another error."""
    response = client.get("/sparql", query_string={"query": "SELECT * WHERE {", "format": "json"})
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert "syntax error" in response.get_json()["error"]["message"]
