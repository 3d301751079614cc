"""A lexical look at SPARQL text, made before any engine sees it.

The engine decides what the query means; this module only has to be sure of three things, fast
(a lookup query is answered in well under a millisecond, so a full parse here would dominate):
which form the request has (query or update), which SERVICE endpoints it names, and which graphs its
FROM / FROM NAMED clauses name. It reads tokens, skipping strings, IRIs and comments, after
expanding the codepoint escapes (``\\u0053ERVICE``) that SPARQL allows anywhere in a query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<long_string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
    | (?P<string>'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<pname>[A-Za-z][\w.\-]*?:[^\s{}()\[\];,.]*|:[^\s{}()\[\];,.]*)
    | (?P<var>[?$]\w+)
    | (?P<word>[A-Za-z_]\w*)
    | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)


class QueryTextError(ValueError):
    """The text cannot be read as SPARQL at all (an unterminated string or IRI, for instance)."""


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


@dataclass
class QueryInfo:
    form: str | None = None  # SELECT, ASK, CONSTRUCT, DESCRIBE, or the update keyword
    is_update: bool = False
    services: list[str] = field(default_factory=list)  # IRIs, or "?var" for a variable endpoint
    from_graphs: list[str] = field(default_factory=list)
    from_named_graphs: list[str] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)


def expand_escapes(text: str) -> str:
    def replace(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QueryTextError(f"invalid codepoint escape {match.group(0)}")
        return chr(code)

    return _ESCAPE.sub(replace, text)


def tokens(text: str) -> list[Token]:
    found = []
    for match in _TOKEN.finditer(expand_escapes(text)):
        kind = match.lastgroup
        if kind == "comment":
            continue
        found.append(Token(kind, match.group()))
    return found


def _resolve(token: Token, prefixes: dict[str, str]) -> str:
    if token.kind == "iri":
        return token.text[1:-1]
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
        return token.text
    if token.kind == "var":
        return token.text
    return token.text


def inspect_query(text: str) -> QueryInfo:
    """What the text asks for, read from its tokens (never raises on valid SPARQL)."""
    info = QueryInfo()
    toks = tokens(text)
    upper = [t.text.upper() if t.kind == "word" else None for t in toks]
    for i in range(len(toks)):
        word = upper[i]
        if word == "PREFIX" and i + 2 < len(toks) and toks[i + 2].kind == "iri":
            info.prefixes[toks[i + 1].text.rstrip(":")] = toks[i + 2].text[1:-1]
        elif word in QUERY_FORMS | UPDATE_KEYWORDS:
            # An update keyword is never a bare word of a query (prefixed names and variables are
            # other tokens), so wherever it stands, the request is an update.
            info.form = info.form or word
            info.is_update = info.is_update or word in UPDATE_KEYWORDS
        elif word == "SERVICE":
            j = i + 1
            if j < len(toks) and upper[j] == "SILENT":
                j += 1
            info.services.append(_resolve(toks[j], info.prefixes) if j < len(toks) else "")
        elif word == "FROM" and i + 1 < len(toks):
            if upper[i + 1] == "NAMED" and i + 2 < len(toks):
                info.from_named_graphs.append(_resolve(toks[i + 2], info.prefixes))
            else:
                info.from_graphs.append(_resolve(toks[i + 1], info.prefixes))
    return info


_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)


def syntax_error_message(error: SyntaxError) -> str:
    """The engine's parse error as a person reads it: ``line 3, column 7: expected …``."""
    text = str(error.args[0]) if error.args else str(error)
    match = _POSITION.match(text)
    if match:
        line, column, rest = match.groups()
        return f"SPARQL syntax error at line {line}, column {column}: {rest}"
    return f"SPARQL syntax error: {text}"
