"""The one error of the search and reconciliation core: a request it cannot answer as asked."""

from __future__ import annotations


class SearchError(ValueError):
    """Bad input (a query too long, a batch too large, an unknown property, a bad language tag):
    the message says what to change, for the web layer to send with ``status`` (a 4xx)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status

    def to_dict(self) -> dict:
        return {"status": "error", "message": self.message}
