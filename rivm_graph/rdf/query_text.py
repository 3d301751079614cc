"""A lexical look at SPARQL text, made before any engine sees it.

The engine decides what the query means; this module only has to be sure of a few things, fast
(a lookup query is answered in well under a millisecond, so a full parse here would dominate):
which form the request has (query or update), which SERVICE endpoints it names, which graphs its
FROM / FROM NAMED clauses name, and how big it is (:class:`QuerySize`). It reads tokens, skipping
strings, IRIs and comments, after expanding the codepoint escapes (``\\u0053ERVICE``) that SPARQL
allows anywhere in a query. Nothing here recurses: it is safe on any text a client can send.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..config import SettingError

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
#: Each alternative either matches or fails within the run of characters it then consumes (a word
#: takes every character a prefix could), so reading a text takes time in proportion to its length:
#: with ``[A-Za-z][\w.\-]*?:`` tried at each letter of ``a.a.a.…``, 64 KB took 23 s.
_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<long_string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
    | (?P<string>'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<pname>(?>[A-Za-z][\w\-]*(?:\.+[\w\-]+)*)?:[^\s{}()\[\];,.]*)
    | (?P<var>[?$]\w+)
    | (?P<word>[A-Za-z_][\w\-]*(?:\.+[\w\-]+)*)
    | (?P<number>\d+\.\d*[eE][+-]?\d+|\d*\.\d+(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?)
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


@dataclass(frozen=True)
class QuerySize:
    """What a query can cost an engine before it reads any data, measured on its tokens.

    Oxigraph's parser recurses on the nesting of ``{ ( [`` (``depth``) and on chains such as
    ``!!!…`` or ``{…} UNION {…} UNION …`` (bounded by ``tokens``): deep enough, it overflows the
    stack of the thread that parses, and the process dies. Its planner takes time growing with the
    cube of the number of triple patterns or faster (``patterns``, an estimate that errs on the
    high side: measured, 100 patterns joined on one variable took 1.4-1.7 s of processor time).
    """

    tokens: int = 0
    depth: int = 0
    patterns: int = 0


@dataclass
class QueryInfo:
    form: str | None = None  # SELECT, ASK, CONSTRUCT, DESCRIBE, or the update keyword
    is_update: bool = False
    services: list[str] = field(default_factory=list)  # IRIs, or "?var" for a variable endpoint
    from_graphs: list[str] = field(default_factory=list)
    from_named_graphs: list[str] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)
    size: QuerySize = field(default_factory=QuerySize)
    #: Read row by row from index ranges (see :func:`is_streamed`): cheap in every row.
    streamed: bool = False


def expand_escapes(text: str) -> str:
    def replace(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QueryTextError(f"invalid codepoint escape {match.group(0)}")
        return chr(code)

    return _ESCAPE.sub(replace, text)


def tokens(text: str, most: int | None = None) -> list[Token]:
    """The text's tokens, comments left out; with ``most``, reading stops one token past it."""
    found = []
    for match in _TOKEN.finditer(expand_escapes(text)):
        kind = match.lastgroup
        if kind is None or kind == "comment":  # (every alternative of _TOKEN is a named group)
            continue
        found.append(Token(kind, match.group()))
        if most is not None and len(found) > most:
            break
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


_TERM_KINDS = frozenset({"iri", "pname", "var", "string", "long_string", "number"})
_TERM_WORDS = frozenset({"a", "true", "false"})
#: After these words a group lists variables or sort keys, not triples, until a group opens.
_LISTING_WORDS = frozenset({"SELECT", "DISTINCT", "REDUCED", "BY", "DESCRIBE"})
_LISTING = -(10**9)


def _add_term(level: list | None) -> int:
    """A term (or a closed ``[…]`` or collection) in ``level``: the triple patterns it ends."""
    if level is None:
        return 0
    if level[0] == "collection":  # each member is two triples: rdf:first and rdf:rest
        return 2
    if level[0] in ("group", "blank"):
        level[1] += 1
        return 1 if level[1] == 3 else 0
    return 0


def _opened(text: str, level: list | None, after_keyword: str | None, values: bool) -> list:
    """The level a bracket opens: [kind, terms of the current triple read so far]."""
    if (level is not None and level[0] == "template") or after_keyword == "CONSTRUCT":
        return ["template", 0]  # instantiated for each answer, never planned
    if text == "{":
        return ["values" if values else "group", 0]
    if text == "[":
        return ["blank", 1]  # the blank node is the subject of what follows
    if level is not None and level[0] == "path":
        return ["path", 1]
    if level is None or level[0] not in ("group", "blank", "collection") or after_keyword:
        return ["expression", 0]
    if level[0] != "collection" and level[1] == 1:
        return ["path", 1]  # in a predicate's place
    # Otherwise a "(" in triples is a collection, unless a keyword or function name comes
    # before it (FILTER(…), BIND(…), VALUES (…)).
    if level[0] == "collection" or level[1] in (0, 2):
        return ["collection", 0]
    return ["expression", 0]


def measure(toks: list[Token]) -> QuerySize:
    """The size of a query, in one pass over its tokens and without recursion (any text is safe).

    Triple patterns are counted by following each ``{…}`` and ``[…]`` level: a pattern ends at
    its third term; ``;`` keeps the subject, ``,`` the subject and predicate, ``.`` neither;
    every member of a collection ``( … )`` is two patterns, and every ``/`` of a property path one
    more (the planner joins the steps of a sequence: 1,000 steps took 105 s of processor time).
    Expressions, VALUES blocks and CONSTRUCT templates hold none that is planned.
    """
    stack: list[list] = []
    depth = patterns = 0
    values = False
    after_keyword: str | None = None
    for tok in toks:
        kind, text = tok.kind, tok.text
        level = stack[-1] if stack else None
        keyword = text.upper() if kind == "word" and text not in _TERM_WORDS else None
        if kind == "other" and text in ("{", "[", "("):
            opened = _opened(text, level, after_keyword, values)
            values = values and text != "{"
            if text == "{" and level is not None and level[0] in ("group", "blank"):
                level[1] = 0
            stack.append(opened)
            depth = max(depth, len(stack))
        elif kind == "other" and text in ("}", "]", ")"):
            closed = stack.pop() if stack else ["expression", 0]
            level = stack[-1] if stack else None
            if closed[0] in ("blank", "collection"):
                patterns += _add_term(level)
            elif level is not None and level[0] in ("group", "blank"):
                if closed[0] in ("group", "values"):
                    level[1] = 0
                elif closed[0] == "path":
                    level[1] = 2
        elif kind in _TERM_KINDS or (kind == "word" and text in _TERM_WORDS):
            patterns += _add_term(level)
        elif level is not None and level[0] in ("group", "blank") and text in (".", ";", ","):
            level[1] = {".": 0, ";": 1, ",": 2}[text]
        elif level is not None and text in ("/", "|") and (level[0] == "path" or level[1] == 2):
            patterns += text == "/"
            if level[0] != "path":
                level[1] = 1  # the next step is still the predicate
        elif keyword and keyword != "_":  # "_" begins a blank node's label
            values = values or keyword == "VALUES"
            if level is not None and level[0] in ("group", "blank"):
                level[1] = _LISTING if keyword in _LISTING_WORDS else 0
        after_keyword = keyword
    return QuerySize(tokens=len(toks), depth=depth, patterns=patterns)


@dataclass(frozen=True)
class QueryLimits:
    """The largest query accepted (RIVM_MAX_QUERY_TOKENS, _DEPTH, _PATTERNS): see QuerySize."""

    tokens: int
    depth: int
    patterns: int

    @classmethod
    def from_settings(cls, settings) -> QueryLimits:
        """The limits set; SettingError for limits above what Oxigraph's parser survives in a
        serving thread (SAFE_TOKENS, SAFE_DEPTH): beyond them one query could end a serving
        process (on a remote store the query is parsed there) and every request in it."""
        limits = cls(
            tokens=int(settings["MAX_QUERY_TOKENS"]),
            depth=int(settings["MAX_QUERY_DEPTH"]),
            patterns=int(settings["MAX_QUERY_PATTERNS"]),
        )
        for name, value, most in (
            ("RIVM_MAX_QUERY_TOKENS", limits.tokens, SAFE_TOKENS),
            ("RIVM_MAX_QUERY_DEPTH", limits.depth, SAFE_DEPTH),
        ):
            if not 1 <= value <= most:
                raise SettingError(
                    f"{name} is {value}; it must be between 1 and {most:,}: beyond, one query "
                    "could overflow the query parser's stack and end a serving process"
                )
        return limits


#: The largest limits a serving thread's parse is known to survive: every shape of query at
#: these limits (chains of ``!`` or ``+``, UNIONs, nested ``{ ( [``) parses in half of a thread's
#: default 8 MB stack (tests/test_hostile.py); 5,000 ``!`` in a row did not.
SAFE_TOKENS = 4_000
SAFE_DEPTH = 256


def size_refusal(size: QuerySize, limits: QueryLimits) -> str | None:
    """Why a query is too big to be given to an engine (a message for its author), or None."""
    if size.tokens > limits.tokens:
        return (
            f"The query is longer than this endpoint accepts: more than {limits.tokens:,} tokens "
            "(names, values, operators, brackets; RIVM_MAX_QUERY_TOKENS). The query parser needs "
            "memory for each link of a long chain (|| && + UNION …). Shorten the query or split it."
        )
    if size.depth > limits.depth:
        return (
            f"The query nests brackets {{ ( [ {size.depth} levels deep; this endpoint accepts "
            f"at most {limits.depth} (RIVM_MAX_QUERY_DEPTH), because the query parser needs "
            "memory for each level. Write the query with less nesting."
        )
    if size.patterns > limits.patterns:
        return (
            f"The query has about {size.patterns:,} triple patterns; this endpoint accepts at "
            f"most {limits.patterns:,} (RIVM_MAX_QUERY_PATTERNS), because the engine's time to "
            "plan a query grows with the cube of that number, before it reads any data. Split "
            "the query, or list values with VALUES."
        )
    return None


def inspect_query(text: str, *, most_tokens: int | None = None) -> QueryInfo:
    """What the text asks for and how big it is, read from its tokens (never raises on valid
    SPARQL). With ``most_tokens``, a longer text is read no further than one token past it: the
    size then says it is too long, and the rest of the answer is about its beginning only."""
    toks = tokens(text, most_tokens)
    info = QueryInfo(size=measure(toks), streamed=is_streamed(toks))
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


_ONE_PATTERN_TERMS = frozenset({"iri", "pname", "var", "string", "long_string", "number"})


def is_streamed(toks: list[Token]) -> bool:
    """Whether the engine answers the query by reading index ranges, each row costing it a step
    of a range, so that nothing it does between two rows can take long:

    - ``SELECT ?vars|* [WHERE] { s p o [.] } [LIMIT n]`` or ``ASK [WHERE] { s p o [.] }``: one
      triple pattern, every variable in it once, each term an IRI, a prefixed name, ``a``, a plain
      string or a number;
    - ``DESCRIBE`` of named resources only (IRIs or prefixed names, no WHERE): the statements
      about each, read from the range of its subject;

    after PREFIX and BASE declarations. The rows can then be read where the request is served,
    the deadline checked between them, with no worker process. Anything else (a language tag or
    datatype, DISTINCT, OFFSET, ORDER BY, a filter, a second pattern, a variable repeated, which
    makes the engine skip rows, a dataset clause) is not recognised.
    """
    i, n = 0, len(toks)

    def word(at: int) -> str | None:
        return toks[at].text.upper() if at < n and toks[at].kind == "word" else None

    def other(at: int) -> str | None:
        return toks[at].text if at < n and toks[at].kind == "other" else None

    while word(i) in ("PREFIX", "BASE"):
        i += 3 if word(i) == "PREFIX" else 2
    form = word(i)
    i += 1
    if form == "DESCRIBE":
        named = [t for t in toks[i:] if t.kind in ("iri", "pname")]
        return bool(named) and len(named) == n - i
    if form == "SELECT":
        if other(i) == "*":
            i += 1
        else:
            start = i
            while i < n and toks[i].kind == "var":
                i += 1
            if i == start:
                return False
    elif form != "ASK":
        return False
    if word(i) == "WHERE":
        i += 1
    if other(i) != "{" or i + 4 >= n:
        return False
    terms = toks[i + 1 : i + 4]
    if not all(t.kind in _ONE_PATTERN_TERMS or (t.kind == "word" and t.text == "a") for t in terms):
        return False
    variables = [t.text[1:] for t in terms if t.kind == "var"]
    if len(set(variables)) != len(variables):
        return False
    i += 4
    if other(i) == ".":
        i += 1
    if other(i) != "}":
        return False
    i += 1
    if form == "SELECT" and word(i) == "LIMIT" and i + 1 < n and toks[i + 1].kind == "number":
        i += 2
    return i == n


_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)


def syntax_error_message(error: SyntaxError) -> str:
    """The engine's parse error as a person reads it: ``line 3, column 7: expected …``."""
    text = str(error.args[0]) if error.args else str(error)
    match = _POSITION.match(text)
    if match:
        line, column, rest = match.groups()
        return f"SPARQL syntax error at line {line}, column {column}: {rest}"
    return f"SPARQL syntax error: {text}"
