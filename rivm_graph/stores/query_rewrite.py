"""Rewrites of SPARQL text that keep its meaning, for a remote engine that would read it otherwise.

The remote store gives the engine a query's dataset as protocol parameters (only graphs the dataset
holds), and Virtuoso 7.2 reads three things in the text in its own way:

- it *adds* a query's FROM / FROM NAMED graphs to the ``default-graph-uri`` / ``named-graph-uri``
  it is sent, where the protocol says the parameters replace them. The store has already read the
  clauses into the parameters, so :func:`without_dataset_clauses` takes them out of the text, and
  a graph outside the dataset never reaches the engine;
- a VALUES block after the query (what rdflib's SPARQLStore sends for ``initBindings``) is refused
  after ASK, joined after LIMIT instead of before it, and unknown to select expressions.
  :func:`with_values_inside` moves it into the WHERE clause where it means the same (SPARQL 1.1
  section 18.2.4: it is joined after GROUP BY and HAVING, before the select expressions, ORDER BY,
  projection and LIMIT): ``{ { pattern } VALUES … }`` when nothing is grouped, otherwise the
  grouping goes into a sub-query whose aggregates the outer query reads as variables;
- it has no base IRI: a relative IRI (``<s>``), which Oxigraph resolves against the service's
  base, is an error there, so :func:`with_base` declares that base;
- ``GRAPH ?g { }`` (what rdflib's SPARQLStore sends for ``contexts()``) matches nothing there,
  where SPARQL gives one solution per named graph of the dataset: :func:`with_named_graphs_listed`
  lists them as ``{ VALUES ?g { … } }``.

The text has been parsed by Oxigraph before it gets here, so it is valid SPARQL 1.1: its tokens
and their nesting are enough, no grammar is needed. Where the nesting cannot be followed (an
unbalanced token stream), the text is left as it is.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                 |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
    | (?P<var>[?$]\w+)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<pname>(?:[A-Za-z_][\w\-]*(?:\.+[\w\-]+)*)?:(?:[\w\-:%]|\\.|\.(?=[\w\-:%\\]))*)
    | (?P<word>[A-Za-z_]\w*)
    | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)
AGGREGATES = frozenset({"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"})
CLAUSES = ("GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET")
FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int
    braces: int  # how many { } enclose it (for a brace itself: outside it)
    parens: int  # how many ( ) enclose it, likewise

    @property
    def word(self) -> str | None:
        return self.text.upper() if self.kind == "word" else None

    @property
    def top(self) -> bool:
        return self.braces == 0 and self.parens == 0


def _tokens(text: str) -> list[_Token] | None:
    """The tokens with their nesting; None if braces or parentheses do not balance."""
    found: list[_Token] = []
    braces = parens = 0
    for match in _TOKEN.finditer(text):
        kind, token = match.lastgroup or "other", match.group()
        if kind == "comment":
            continue
        if token == "}":
            braces -= 1
        elif token == ")":
            parens -= 1
        if braces < 0 or parens < 0:
            return None
        found.append(_Token(kind, token, match.start(), match.end(), braces, parens))
        if token == "{":
            braces += 1
        elif token == "(":
            parens += 1
    return found if braces == 0 and parens == 0 else None


def without_dataset_clauses(text: str) -> str:
    """The query without its FROM and FROM NAMED clauses (kept in the protocol parameters).

    FROM is never anything but a dataset clause: a prefixed name or a variable is another token.
    """
    if "from" not in text.lower():
        return text
    toks = list(_plain_tokens(text))
    cuts = []
    for i, token in enumerate(toks):
        if token.word != "FROM":
            continue
        graph = i + 2 if i + 1 < len(toks) and toks[i + 1].word == "NAMED" else i + 1
        if graph < len(toks):
            cuts.append((token.start, toks[graph].end))
    for start, end in reversed(cuts):
        text = text[:start] + text[end:]
    return text


def with_base(text: str, base: str) -> str:
    """The query with relative IRIs resolving against ``base``, as Oxigraph is told to resolve
    them: one absolute ``BASE`` declaration, first.

    Virtuoso has no base of its own (``<s>`` is an error there) and reads one BASE only, before
    any PREFIX (SPARQL 1.0's prologue). A query's own BASE is made absolute and moved first
    when the PREFIX IRIs before it do not depend on it; otherwise the text is left as it is.
    """
    if "base" not in text.lower():
        return f"BASE <{base}>\n{text}"
    prologue = []
    toks = _plain_tokens(text)
    for keyword in toks:
        if keyword.word not in ("BASE", "PREFIX"):
            break
        declared = [next(toks, None) for _ in range(1 if keyword.word == "BASE" else 2)]
        if declared[-1] is None or declared[-1].kind != "iri":
            return text
        prologue.append((keyword.word, keyword, declared[-1]))
    bases = [n for n, (word, _, _) in enumerate(prologue) if word == "BASE"]
    if not bases:
        return f"BASE <{base}>\n{text}"
    if len(bases) > 1 or any(
        not urllib.parse.urlsplit(iri.text[1:-1]).scheme for _, _, iri in prologue[: bases[0]]
    ):
        return text
    _, keyword, iri = prologue[bases[0]]
    absolute = urllib.parse.urljoin(base, iri.text[1:-1])
    return f"BASE <{absolute}>\n{text[: keyword.start]}{text[iri.end :]}"


def with_named_graphs_listed(text: str, graphs: Iterable[str]) -> str:
    """The query with each ``GRAPH ?g { }`` written ``{ VALUES ?g { <graph> … } }``: the same
    solutions (one per named graph of the dataset, ``graphs``, empty graphs too)."""
    if "graph" not in text.lower():
        return text
    toks = list(_plain_tokens(text))
    empty = [
        i
        for i in range(len(toks) - 3)
        if toks[i].word == "GRAPH"
        and toks[i + 1].kind == "var"
        and toks[i + 2].text == "{"
        and toks[i + 3].text == "}"
    ]
    listed = " ".join(f"<{graph}>" for graph in graphs)
    for i in reversed(empty):
        values = f"{{ VALUES {toks[i + 1].text} {{ {listed} }} }}"
        text = text[: toks[i].start] + values + text[toks[i + 3].end :]
    return text


def _plain_tokens(text: str) -> Iterator[_Token]:
    """The tokens, comments left out, without their nesting (read as far as asked)."""
    for match in _TOKEN.finditer(text):
        if match.lastgroup != "comment":
            yield _Token(
                match.lastgroup or "other", match.group(), match.start(), match.end(), 0, 0
            )


@dataclass(frozen=True)
class _Layout:
    """Where the parts of a query with a trailing VALUES clause are (token indices); a query
    without a WHERE clause is a DESCRIBE."""

    text: str
    toks: list[_Token]
    top: list[int]  # the tokens outside any braces and parentheses
    values: int  # the VALUES keyword

    def span(self, first: int, last: int) -> str:
        """The text from token ``first`` up to (not including) token ``last``."""
        return self.text[self.toks[first].start : self.toks[last].start]

    @property
    def block(self) -> str:
        return self.text[self.toks[self.values].start :].rstrip()


@dataclass(frozen=True)
class _WhereLayout(_Layout):
    """The layout of a query with a WHERE clause."""

    opening: int  # the WHERE clause's braces
    closing: int

    @property
    def pattern(self) -> str:
        return self.text[self.toks[self.opening].start : self.toks[self.closing].end]


def _layout(text: str) -> _Layout | None:
    toks = _tokens(text)
    if toks is None:
        return None
    top = [i for i, t in enumerate(toks) if t.top]
    values = next((i for i in top if toks[i].word == "VALUES"), None)
    if values is None:
        return None
    groups = [i for i in top if i < values and toks[i].text == "{"]
    if not groups:
        return _Layout(text, toks, top, values)
    closing = next(i for i in top if i > groups[-1] and toks[i].text == "}")
    return _WhereLayout(text, toks, top, values, groups[-1], closing)


def with_values_inside(text: str) -> str:
    """The query with a trailing VALUES clause moved into its WHERE clause, same meaning."""
    if "values" not in text.lower():
        return text
    query = _layout(text)
    if query is None:
        return text
    if not isinstance(query, _WhereLayout):  # DESCRIBE without WHERE: VALUES is the pattern
        at = next((i for i in query.top if query.toks[i].word in CLAUSES), query.values)
        head = text[: query.toks[at].start]
        return f"{head}WHERE {{\n{query.block}\n}}\n{query.span(at, query.values)}"
    if _short_construct(query):
        query = _layout(_long_construct(query))
        assert isinstance(query, _WhereLayout)
    if _grouped(query):
        return _grouped_rewrite(query) or text
    start, end = query.toks[query.opening].start, query.toks[query.closing].end
    modifiers = query.text[end : query.toks[query.values].start]
    return f"{query.text[:start]}{{ {query.pattern}\n{query.block}\n}}{modifiers}"


def _short_construct(query: _WhereLayout) -> bool:
    """``CONSTRUCT WHERE { … }``: one group before VALUES, both template and pattern."""
    toks = query.toks
    form = next((toks[i].word for i in query.top if toks[i].word in FORMS), None)
    groups = [i for i in query.top if i < query.values and toks[i].text == "{"]
    return form == "CONSTRUCT" and len(groups) == 1


def _long_construct(query: _WhereLayout) -> str:
    """``CONSTRUCT WHERE { triples }`` written out as ``CONSTRUCT { triples } WHERE { triples }``,
    so that its pattern can change while its template stays."""
    at = next(t.end for t in query.toks if t.top and t.word == "CONSTRUCT")
    return f"{query.text[:at]} {query.pattern}{query.text[at:]}"


def _call_end(toks: list[_Token], start: int) -> int:
    """The index of the ``)`` closing the call whose name is at ``start``."""
    opening = start + 1
    return next(
        i
        for i in range(opening + 1, len(toks))
        if toks[i].text == ")" and toks[i].parens == toks[opening].parens
    )


def _aggregates(toks: list[_Token], indices: Iterable[int]) -> list[tuple[int, int]]:
    """(first, last) token indices of the aggregate calls among ``indices``, outside any braces."""
    calls: list[tuple[int, int]] = []
    for i in indices:
        t = toks[i]
        if calls and i <= calls[-1][1]:
            continue
        if t.braces == 0 and t.word in AGGREGATES and i + 1 < len(toks) and toks[i + 1].text == "(":
            calls.append((i, _call_end(toks, i)))
    return calls


def _grouped(query: _WhereLayout) -> bool:
    """Whether the query groups its solutions: GROUP BY, HAVING, or an aggregate in the
    projection or ORDER BY (a sub-query's grouping is inside braces and does not count)."""
    toks, closing = query.toks, query.closing
    if any(toks[i].word in ("GROUP", "HAVING") for i in query.top if closing < i < query.values):
        return True
    outside = [*range(0, query.opening), *range(closing + 1, query.values)]
    return bool(_aggregates(toks, outside))


def _clauses(query: _WhereLayout) -> dict[str, tuple[int, int]]:
    """The solution modifiers present: GROUP, HAVING, ORDER and LIMIT (with OFFSET), each as
    (first token, token after its last)."""
    starts: dict[str, int] = {}
    for i in query.top:
        word = query.toks[i].word
        if query.closing < i < query.values and word in CLAUSES:
            starts.setdefault("LIMIT" if word in ("LIMIT", "OFFSET") else word, i)
    bounds = sorted([*starts.values(), query.values])
    return {key: (i, next(b for b in bounds if b > i)) for key, i in starts.items()}


def _group_keys(toks: list[_Token], first: int, last: int) -> list[str]:
    """The variables a GROUP BY clause (tokens first..last-1, after GROUP BY) names: plain
    variables and ``(expression AS ?var)``; an expression without a name cannot be read."""
    keys: list[str] = []
    base = toks[first].parens
    i = first
    while i < last:
        t = toks[i]
        if t.parens == base and t.kind == "var":
            keys.append(t.text)
        elif t.parens == base and t.text == "(":
            end = next(
                j for j in range(i + 1, last) if toks[j].text == ")" and toks[j].parens == base
            )
            inner = toks[i + 1 : end]
            if len(inner) >= 2 and inner[-2].word == "AS" and inner[-1].kind == "var":
                keys.append(inner[-1].text)
            i = end
        i += 1
    return list(dict.fromkeys(keys))


def _fresh_names(toks: list[_Token], count: int) -> list[str]:
    """``count`` variable names the query does not use."""
    used = {t.text[1:] for t in toks if t.kind == "var"}
    stem = "rivm_agg"
    while any(name.startswith(stem) for name in used):
        stem += "_"
    return [f"?{stem}{n}" for n in range(count)]


def _replaced(
    query: _Layout, first: int, last: int, calls: list[tuple[int, int]], names: list[str]
) -> str:
    """The text of tokens first..last-1 with each aggregate call in it read as its variable."""
    toks, parts = query.toks, []
    at = toks[first].start if first else 0
    for (a, b), name in zip(calls, names, strict=True):
        if first <= a and b < last:
            parts += [query.text[at : toks[a].start], name]
            at = toks[b].end
    parts.append(query.text[at : toks[last].start])
    return "".join(parts)


def _grouped_rewrite(query: _WhereLayout) -> str | None:
    """``SELECT proj WHERE { { SELECT keys (agg AS ?a)… WHERE {…} GROUP BY… HAVING… }
    VALUES… } ORDER BY… LIMIT…``: the grouping happens before the VALUES join, as in the
    original, and the projection and ORDER BY read its aggregates as ?a…"""
    toks, opening = query.toks, query.opening
    if any(toks[i].text == "*" for i in query.top if i < opening):
        return None  # SELECT * cannot be grouped: Oxigraph would have refused it
    clauses = _clauses(query)
    keys = []
    if "GROUP" in clauses:
        first, last = clauses["GROUP"]
        keys = _group_keys(toks, first + 2, last)  # after GROUP BY
    order = clauses.get("ORDER", (query.values, query.values))
    calls = _aggregates(toks, [*range(0, opening), *range(*order)])
    *names, spare = _fresh_names(toks, len(calls) + 1)
    counted = [
        f"({query.text[toks[a].start : toks[b].end]} AS {name})"
        for (a, b), name in zip(calls, names, strict=True)
    ]
    projection = " ".join(keys + counted) or f"(COUNT(*) AS {spare})"
    grouping = "".join(query.span(*clauses[k]) for k in ("GROUP", "HAVING") if k in clauses)
    subquery = f"SELECT {projection} WHERE {query.pattern} {grouping}"
    head = _replaced(query, 0, opening, calls, names)
    ordering = _replaced(query, *order, calls, names) if "ORDER" in clauses else ""
    limits = query.span(*clauses["LIMIT"]) if "LIMIT" in clauses else ""
    return f"{head}{{ {{ {subquery}}}\n{query.block}\n}}\n{ordering}{limits}"
