# Type stubs for the part of rispy (it ships none) used by rivm_graph/publish/citation.py.
from typing import Any

class RisWriter:
    def __init__(self, **kwargs: Any) -> None: ...
    def set_header(self, count: int) -> str: ...

def dumps(
    references: list[dict[str, Any]], *, implementation: type[RisWriter] = ..., **kw: Any
) -> str: ...
