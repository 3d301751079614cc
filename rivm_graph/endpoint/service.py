"""The SPARQL query service without Flask: what a query may do, what identifies its answer, and
running it under the deadline.

The web layer (``web/sparql.py`` for the Protocol, ``web/query_page.py`` for people) reads the
request, negotiates the format and writes the response; everything between is here:

1. :meth:`QueryService.check`: the policy, before any engine sees the text (its length, its size
   measured lexically, updates refused, SERVICE only to allowed endpoints, graphs not held noted);
2. :meth:`QueryService.answer_key` and :func:`etag`: what identifies an answer (data version,
   format, text, dataset, row cap), hence the cache key and the strong ETag;
3. :meth:`QueryService.run`: the answer from the per-process cache or from the executor, every
   failure turned into a :class:`QueryRefused` that says what happened in a person's words.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..config import allowlist
from ..rdf.formats import GRAPH_FORMATS, RESULT_FORMATS, media_types
from ..rdf.query_text import (
    QueryInfo,
    QueryLimits,
    QueryTextError,
    inspect_query,
    size_refusal,
    syntax_error_message,
)
from ..rdf.results import SerializedAnswer
from ..stores.base import GraphStore, QueryNotEvaluable, QueryTimeout
from ..stores.executor import (
    InProcessExecutor,
    QueryExecutor,
    ServerStopping,
    TooManySlowQueries,
    WorkerLost,
)

#: The formats of each kind of answer, the default first: JSON for SELECT and ASK, Turtle for
#: CONSTRUCT and DESCRIBE.
RESULT_TYPES = media_types(RESULT_FORMATS)
GRAPH_TYPES = media_types(GRAPH_FORMATS)


class QueryRefused(Exception):
    """A query the service will not answer, or could not: the HTTP status that says which, one
    sentence for the person who wrote it, headers to add (Retry-After), how it ended for the
    access log (``outcome``) and, when it ran, what it cost (``seconds``)."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        outcome: str | None = None,
        seconds: float | None = None,
    ):
        super().__init__(message)
        self.status, self.message = status, message
        self.headers = headers or {}
        self.outcome, self.seconds = outcome, seconds


class AnswerCache(Protocol):
    def get(self, key: Hashable) -> Any: ...

    def put(self, key: Hashable, value: Any) -> None: ...


@dataclass(frozen=True)
class QueryPolicy:
    """What the operator allows (``RIVM_*`` settings)."""

    max_query_bytes: int
    limits: QueryLimits
    allowed_services: frozenset[str]
    max_rows: int
    deadline: float  # seconds of wall clock from the request's arrival

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> QueryPolicy:
        return cls(
            max_query_bytes=int(settings["MAX_QUERY_BYTES"]),
            limits=QueryLimits.from_settings(settings),
            allowed_services=allowlist(settings["SERVICE_ALLOWLIST"]),
            max_rows=int(settings["MAX_ROWS"]),
            deadline=float(settings["QUERY_DEADLINE"]),
        )


@dataclass(frozen=True)
class CheckedQuery:
    """A query that passed the policy, with its dataset as the protocol gave it."""

    text: str
    info: QueryInfo
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    #: graphs named (FROM, FROM NAMED, protocol) that the dataset does not hold: read as empty
    unknown_graphs: list[str] = field(default_factory=list)

    @property
    def answers_with_graph(self) -> bool:
        return self.info.form in ("CONSTRUCT", "DESCRIBE")

    @property
    def offered(self) -> list[str]:
        """The formats its answer can be written in, the default first."""
        return GRAPH_TYPES if self.answers_with_graph else RESULT_TYPES


@dataclass(frozen=True)
class Answered:
    answer: SerializedAnswer
    cached: bool  # from the per-process cache: cost nothing
    seconds: float | None  # what evaluating it cost (None when cached)


def etag(answer_key: str) -> str:
    """The ETag of the answer that ``answer_key`` identifies (without quotes)."""
    return hashlib.sha256(answer_key.encode()).hexdigest()[:32]


def unknown_graphs(
    info: QueryInfo,
    default_graphs: Sequence[str],
    named_graphs: Sequence[str],
    known: Collection[str],
) -> list[str]:
    """The graphs named by FROM, FROM NAMED, default-graph-uri or named-graph-uri that the
    dataset does not hold. Each is an empty graph (as Oxigraph server and Fuseki read them), never
    fetched; the answer names them so that a mistyped graph is still seen."""
    named = [*info.from_graphs, *info.from_named_graphs, *default_graphs, *named_graphs]
    return list(dict.fromkeys(g for g in named if g not in known))


class QueryService:
    def __init__(
        self,
        store: GraphStore,
        executor: QueryExecutor | InProcessExecutor,
        answers: AnswerCache,
        policy: QueryPolicy,
    ):
        self.store, self.executor, self.answers, self.policy = store, executor, answers, policy

    def deadline_from_now(self) -> float:
        """The ``time.monotonic()`` past which the client no longer waits (RIVM_QUERY_DEADLINE):
        taken when the request arrives, so checking and queueing count against it."""
        return time.monotonic() + self.policy.deadline

    def check(
        self,
        text: str,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> CheckedQuery:
        """The query if the policy lets it through, else :class:`QueryRefused`."""
        policy = self.policy
        if len(text.encode()) > policy.max_query_bytes:
            raise QueryRefused(413, "The query is longer than this endpoint accepts.")
        try:
            info = inspect_query(text, most_tokens=policy.limits.tokens)
        except QueryTextError as error:
            raise QueryRefused(400, f"The query cannot be read: {error}") from error
        # Before any parser: Oxigraph's recurses (a deep query overflows the stack of the process
        # that parses it, the serving process itself on a remote store) and its planner is slow
        # on many patterns.
        refusal = size_refusal(info.size, policy.limits)
        if refusal:
            raise QueryRefused(400, refusal, outcome="too-big")
        if info.is_update:
            raise QueryRefused(
                403,
                "This endpoint is read-only: SPARQL Update "
                f"({info.form}) is not accepted, and the data is unchanged.",
            )
        for service in info.services:
            if service not in policy.allowed_services:
                raise QueryRefused(
                    400,
                    f"SERVICE <{service}> is refused: federated queries are disabled on this "
                    "endpoint (the server makes no outbound request). An operator can allow "
                    "named endpoints with RIVM_SERVICE_ALLOWLIST.",
                )
        return CheckedQuery(
            text=text,
            info=info,
            default_graphs=tuple(default_graphs),
            named_graphs=tuple(named_graphs),
            unknown_graphs=unknown_graphs(
                info, default_graphs, named_graphs, set(self.store.graphs())
            ),
        )

    def answer_key(self, query: CheckedQuery, media_type: str) -> str:
        """What identifies the answer: the same key, the same bytes (the cache key, the ETag)."""
        return "\x00".join(
            [
                self.store.data_version,
                media_type,
                query.text,
                ",".join(query.default_graphs),
                ",".join(query.named_graphs),
                str(self.policy.max_rows),
            ]
        )

    def run(self, query: CheckedQuery, media_type: str, until: float) -> Answered:
        """The answer in ``media_type``, from the cache or evaluated by ``until``."""
        key = self.answer_key(query, media_type)
        cached = self.answers.get(key)
        if cached is not None:
            return Answered(cached, cached=True, seconds=None)
        started = time.monotonic()
        try:
            answer = self.executor.run(
                query.text,
                media_type,
                default_graphs=query.default_graphs or None,
                named_graphs=query.named_graphs or None,
                add_labels=query.info.form == "DESCRIBE",
                until=until,
                streamed=query.info.streamed,
            )
        except Exception as error:
            # What the query cost, even when it failed: the client's query-time budget pays it.
            refused = self._refusal(error, query)
            refused.seconds = time.monotonic() - started
            raise refused from error
        self.answers.put(key, answer)
        return Answered(answer, cached=False, seconds=time.monotonic() - started)

    @staticmethod
    def _refusal(error: Exception, query: CheckedQuery) -> QueryRefused:
        """What a failure of evaluation means for the client (unexpected errors go on up)."""
        if isinstance(error, SyntaxError):
            return QueryRefused(400, syntax_error_message(error), outcome="syntax-error")
        if isinstance(error, QueryNotEvaluable):
            return QueryRefused(
                400,
                "The query is valid SPARQL 1.1, but the query engine behind this endpoint "
                f"does not evaluate it ({error}); it gives the same answer every time, so "
                "write the query another way.",
                outcome="not-evaluable",
            )
        if isinstance(error, ValueError):
            return QueryRefused(406, str(error))
        if isinstance(error, QueryTimeout):
            return QueryRefused(
                503,
                f"The query was stopped: {error}. Narrow it down (a LIMIT, a more selective "
                "pattern) and try again.",
                outcome="timeout",
            )
        if isinstance(error, TooManySlowQueries):
            return QueryRefused(
                503,
                f"The query was stopped as soon as it turned out to be long: {error}, and "
                "quick queries keep the rest. Try again later, or narrow it down.",
                headers={"Retry-After": str(math.ceil(error.retry_after))},
                outcome="busy",
            )
        if isinstance(error, ServerStopping):
            return QueryRefused(
                503,
                "The server is stopping; the query was cut. Send it again in a moment.",
                outcome="stopping",
            )
        if isinstance(error, WorkerLost):
            return QueryRefused(
                503,
                "The query worker stopped while evaluating this query "
                "(it may have needed too much memory); other queries are "
                "unaffected. Try again, or narrow the query down.",
                outcome="worker-lost",
            )
        if isinstance(error, (OSError, RuntimeError)):
            if query.info.services:
                return QueryRefused(502, f"A SERVICE endpoint failed: {error}")
            return QueryRefused(503, f"The query engine could not answer: {error}")
        raise error
