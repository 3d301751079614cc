"""Search and reconciliation timed in-process on the real data (no HTTP).

    python -m bench.search [--rounds 3] [--queries 400]

Prints the index build time (each round builds it anew from a loaded store) and the latency of
``SearchIndex.search`` (p50, p90, p99, max) over a fixed mix of queries drawn from the data's own
names with a seeded random generator: whole names, first words, prefixes (autocompletion), names
with one letter dropped (typos), names with a word added (partial), lowercased and accent-free
names; then reconciliation batches of 10 of the same queries with the City type.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from rivm_graph.search import Reconciler, SearchIndex
from rivm_graph.search.text import fold
from rivm_graph.stores.oxigraph import OxigraphStore

ROOT = Path(__file__).resolve().parent.parent
CITY = "https://w3id.org/rivm/ontology#City"


def queries(index: SearchIndex, count: int) -> list[tuple[str, bool]]:
    """``(text, prefix)`` pairs, the same for the same data."""
    pick = random.Random(20240).choice
    names = sorted({name.text for name in index.names})
    made: list[tuple[str, bool]] = []
    while len(made) < count:
        name = pick(names)
        words = name.split()
        kind = len(made) % 6
        if kind == 0:
            made.append((name, False))
        elif kind == 1:
            made.append((words[0], False))
        elif kind == 2:
            made.append((name[: max(2, len(name) // 3)], True))
        elif kind == 3:
            word = max(words, key=len)
            cut = len(word) // 2
            made.append((name.replace(word, word[:cut] + word[cut + 1 :]), False))
        elif kind == 4:
            made.append((name + " " + pick(["France", "Germany", "city", "plant", "2019"]), False))
        else:
            made.append((fold(name), False))
    return made


def percentiles(seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    cut = statistics.quantiles(ms, n=100)
    return (
        f"p50 {cut[49]:.2f} ms  p90 {cut[89]:.2f} ms  p99 {cut[98]:.2f} ms  max {ms[-1]:.2f} ms"
        f"  (n={len(ms)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--queries", type=int, default=400)
    args = parser.parse_args()
    store = OxigraphStore.from_root(ROOT)
    builds, searches, batches = [], [], []
    for _ in range(args.rounds):
        started = time.perf_counter()
        index = SearchIndex.build(store)
        builds.append(time.perf_counter() - started)
        mix = queries(index, args.queries)
        for text, prefix in mix:
            started = time.perf_counter()
            index.search(text, prefix=prefix)
            searches.append(time.perf_counter() - started)
        service = Reconciler(store, index)
        for i in range(0, len(mix), 10):
            batch = {
                f"q{j}": {"query": text, "type": CITY}
                for j, (text, _) in enumerate(mix[i : i + 10])
            }
            started = time.perf_counter()
            service.reconcile(batch)
            batches.append(time.perf_counter() - started)
    print(
        f"{len(index.entries)} resources, {len(index.names)} names, {len(index.vocabulary)} words"
    )
    print("index build: " + ", ".join(f"{b:.2f} s" for b in builds))
    print("search:              " + percentiles(searches))
    print("reconcile 10 cities: " + percentiles(batches))


if __name__ == "__main__":
    main()
