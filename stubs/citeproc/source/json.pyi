from typing import Any

class CiteProcJSON:
    def __init__(self, json_data: list[dict[str, Any]]) -> None: ...
