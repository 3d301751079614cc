"""The ``rivm-graph`` command line: validate, stats, query, dump, release, load, serve."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from .built_folders import built_here
from .config import SettingError, load_settings, unknown_settings
from .endpoint.catalogue import find_query, load_catalogue
from .i18n import label_languages
from .rdf.formats import GRAPH_FORMATS, RESULT_FORMATS
from .rdf.labels import compact, display
from .rdf.namespaces import sparql_prologue
from .rdf.query_text import QueryLimits, inspect_query, size_refusal, syntax_error_message
from .stores.base import DataFileError, GraphStore, StoreError
from .stores.oxigraph import OxigraphStore

RESULT_MEDIA_TYPES = {f.name: f.media_type for f in RESULT_FORMATS}
GRAPH_MEDIA_TYPES = {f.name: f.media_type for f in GRAPH_FORMATS}


def _root(args: argparse.Namespace) -> Path:
    return Path(args.root or load_settings()["DATA_ROOT"])


def _open_store(args: argparse.Namespace) -> GraphStore:
    return OxigraphStore.from_root(_root(args))


def cmd_validate(args: argparse.Namespace) -> int:
    from .publish.validation import validate_project  # pyshacl is slow to import; only load it here

    report = validate_project(_root(args))
    print(report.to_json() if args.format == "json" else report.to_text())
    return 0 if report.conforms else 1


def cmd_stats(args: argparse.Namespace) -> int:
    store = _open_store(args)
    counts = store.counts()
    sources = counts.classes.get("https://w3id.org/rivm/ontology#Source", 0)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "triples": counts.triples,
                    "sources": sources,
                    "graphs": counts.graphs,
                    "classes": counts.classes,
                },
                indent=2,
            )
        )
        return 0
    print(f"triples (distinct, all graphs): {counts.triples}")
    print(f"sources: {sources}")
    print(f"named graphs: {len(counts.graphs)}")
    rows = [(compact(g), str(n)) for g, n in counts.graphs.items()]
    print(_table(["graph", "triples"], rows, indent="  "))
    print("entities per class:")
    rows = [(compact(c), str(n)) for c, n in sorted(counts.classes.items(), key=lambda kv: -kv[1])]
    print(_table(["class", "entities"], rows, indent="  "))
    return 0


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "") -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=False)]

    def line(cells: Sequence[str]) -> str:
        return (
            indent
            + "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=False)).rstrip()
        )

    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def cmd_query_list(args: argparse.Namespace) -> int:
    catalogue = load_catalogue(_root(args))
    rows = []
    for q in catalogue:
        bounds = "check" if q.is_quality_check else q.kind
        rows.append((q.slug, bounds, q.title(args.lang)))
    print(_table(["slug", "kind", "title"], rows))
    return 0


def _query_text(args: argparse.Namespace) -> tuple[str, str] | None:
    if args.file:
        return args.file, Path(args.file).read_text(encoding="utf-8")
    query = find_query(load_catalogue(_root(args)), args.slug)
    if query is None:
        print(
            f"error: no query '{args.slug}' in the catalogue (see 'rivm-graph query list')",
            file=sys.stderr,
        )
        return None
    return query.slug, query.text


def cmd_query_run(args: argparse.Namespace) -> int:
    if bool(args.slug) == bool(args.file):
        print("error: give either a catalogue slug or --file", file=sys.stderr)
        return 2
    found = _query_text(args)
    if found is None:
        return 2
    name, text = found
    limits = QueryLimits.from_settings(load_settings())
    refusal = size_refusal(inspect_query(text, most_tokens=limits.tokens).size, limits)
    if refusal:
        print(f"error: {name}: {refusal}", file=sys.stderr)
        return 2
    store = _open_store(args)
    try:
        if args.format in RESULT_MEDIA_TYPES or args.format in GRAPH_MEDIA_TYPES:
            media_type = RESULT_MEDIA_TYPES.get(args.format) or GRAPH_MEDIA_TYPES[args.format]
            sys.stdout.buffer.write(store.query_serialized(text, media_type).body)
            sys.stdout.flush()
            return 0
        result = store.query(text)
    except SyntaxError as error:
        print(f"error: {name}: {syntax_error_message(error)}", file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"error: {name}: {error}", file=sys.stderr)
        return 2
    if result.kind == "ask":
        print("true" if result.boolean else "false")
    elif result.graph is not None:  # a graph answer
        print(result.graph.serialize(format="turtle"))
    else:
        iris = {
            str(v) for row in result.rows for v in row.values() if v.__class__.__name__ == "URIRef"
        }
        labels = store.labels(iris, label_languages(args.lang))
        # A column whose label the query already selects (?city with ?cityLabel) shows the IRI.
        labelled = {v for v in result.variables if f"{v}Label" in result.variables}
        rows = [
            tuple(display(row.get(v), {} if v in labelled else labels) for v in result.variables)
            for row in result.rows
        ]
        print(_table(result.variables, rows))
        print(f"({len(rows)} rows)")
    return 0


def cmd_prefixes(args: argparse.Namespace) -> int:
    print(sparql_prologue(), end="")
    return 0


def cmd_dump(args: argparse.Namespace) -> int:
    from .publish.dumps import CHECKSUMS, write_dumps

    store = _open_store(args)
    target = Path(args.directory)
    target.mkdir(parents=True, exist_ok=True)
    write_dumps(list(store.quads()), target)
    for line in (target / CHECKSUMS).read_text().splitlines():
        digest, name = line.split("  ", 1)
        print(f"{name:<14} {(target / name).stat().st_size:>12,} bytes  sha256 {digest}")
    print(f"written to {target}")
    return 0


def cmd_release(args: argparse.Namespace) -> int:
    from . import __version__
    from .config import releases_base
    from .publish.tables.files import write_tables
    from .releases.archive import ReleaseError, list_releases, make_release, release_quads
    from .releases.changelog import add_to_changelog_file, changelog, changelog_markdown

    settings = load_settings({"DATA_ROOT": str(_root(args))})
    base = Path(args.releases_dir) if args.releases_dir else releases_base(settings)
    store = _open_store(args)
    previous = list_releases(base)
    try:
        release = make_release(
            store.quads(),
            version=args.version,
            base=base,
            data_version=store.data_version,
            package_version=__version__,
            tables=lambda folder: write_tables(store, folder, args.version),
        )
        before = previous[-1] if previous else None
        log = changelog(
            release_quads(before) if before else None,
            release_quads(release),
            old_version=before.version if before else None,
            new_version=release.version,
            issued=release.issued,
        )
    except ReleaseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for f in release.files:
        print(f"{f.name:<14} {f.size:>12,} bytes  sha256 {f.sha256}")
    print(
        f"release {release.version} ({release.issued}): {release.triples:,} triples, "
        f"written to {release.directory}"
    )
    print(
        f"changes since {log.old or 'nothing (first release)'}: "
        f"{len(log.of_kind('added'))} resources added, {len(log.of_kind('removed'))} removed, "
        f"{len(log.of_kind('changed'))} changed"
    )
    if not args.no_changelog:
        changelog_file = _root(args) / "CHANGELOG.md"
        add_to_changelog_file(changelog_file, changelog_markdown(log))
        print(f"section added to {changelog_file}")
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from .stores.loader import Loader, LoadError

    settings = load_settings()
    store = _open_store(args)
    loader = Loader(
        args.into,
        graph_store_url=args.graph_store,
        user=settings.get("SPARQL_USER") or None,
        password=settings.get("SPARQL_PASSWORD") or None,
    )
    try:
        report = loader.load(store, force=args.force)
    except LoadError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if report.skipped:
        print(
            f"{args.into} already holds data version {report.version} "
            f"({report.triples:,} triples in {len(report.graphs)} graphs, counts verified)"
        )
        return 0
    for graph, count in report.graphs.items():
        print(f"{count:>10,}  <{graph}>")
    for graph in report.removed:
        print(f"   removed  <{graph}>")
    print(
        f"loaded data version {report.version} into {args.into}: {report.triples:,} triples "
        f"in {len(report.graphs)} graphs, counts verified"
    )
    return 0


#: Set (outside the RIVM_* settings) when ``serve`` starts itself again after a build.
STARTED_AFRESH = "_RIVM_GRAPH_STARTED_AFRESH"


def cmd_serve(args: argparse.Namespace) -> int:
    from .server import RivmServer  # gunicorn and Flask only when serving

    overrides = {"HOST": args.host, "PORT": args.port}
    if args.root:
        overrides["DATA_ROOT"] = args.root
    server = RivmServer(load_settings({k: v for k, v in overrides.items() if v is not None}))
    built = built_here()
    if built and not os.environ.get(STARTED_AFRESH):
        # What the build took stays in this process, which every server process is forked from.
        print(
            f"rivm-graph: built {', '.join(p.name for p in built)} for this data version; "
            "starting again, to serve without the memory the build took",
            file=sys.stderr,
            flush=True,
        )
        os.environ[STARTED_AFRESH] = "1"
        sys.stdout.flush()
        os.execv(sys.executable, sys.orig_argv)
    server.run()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rivm-graph",
        description="The International Network of Michelin Cities as Linked Data.",
    )
    parser.add_argument(
        "--root",
        help="folder with ontology/, data/, shapes/, queries/ "
        "(default: RIVM_DATA_ROOT or the repository)",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("validate", help="SHACL-validate ontology, data and query catalogue")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_validate)

    p = commands.add_parser("stats", help="triples, entities per class, sources, named graphs")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_stats)

    p = commands.add_parser("prefixes", help="print the project's SPARQL PREFIX lines")
    p.set_defaults(func=cmd_prefixes)

    query = commands.add_parser("query", help="the catalogue of example queries")
    sub = query.add_subparsers(dest="query_command", required=True)
    p = sub.add_parser("list", help="list the example queries")
    p.add_argument("--lang", default="en")
    p.set_defaults(func=cmd_query_list)
    p = sub.add_parser("run", help="run a catalogue query by slug, or a query file")
    p.add_argument("slug", nargs="?")
    p.add_argument("--file", help="a file holding a SPARQL query")
    p.add_argument(
        "--format", default="table", choices=["table", *RESULT_MEDIA_TYPES, *GRAPH_MEDIA_TYPES]
    )
    p.add_argument("--lang", default="en", help="preferred language of labels")
    p.set_defaults(func=cmd_query_run)

    p = commands.add_parser("dump", help="write the whole graph in every RDF format")
    p.add_argument("directory", nargs="?", default="dumps", help="where to write (default: dumps)")
    p.set_defaults(func=cmd_dump)

    p = commands.add_parser(
        "release", help="keep the data as it is now as a named version (its dumps, a changelog)"
    )
    p.add_argument("version", help="a version such as 0.2.0 or 1.0.0-rc.1")
    p.add_argument(
        "--releases-dir", help="where releases are kept (default: RIVM_RELEASES_DIR or releases/)"
    )
    p.add_argument(
        "--no-changelog", action="store_true", help="do not add a section to CHANGELOG.md"
    )
    p.set_defaults(func=cmd_release)

    p = commands.add_parser(
        "load", help="load the named graphs into a remote SPARQL engine (for RIVM_STORE=sparql)"
    )
    p.add_argument("--into", required=True, help="the engine's SPARQL query endpoint URL")
    p.add_argument(
        "--graph-store",
        help="its Graph Store Protocol URL (default: Virtuoso's, next to the query endpoint: "
        "/sparql-graph-crud-auth with RIVM_SPARQL_USER, else /sparql-graph-crud)",
    )
    p.add_argument("--force", action="store_true", help="reload even if the version is there")
    p.set_defaults(func=cmd_load)

    p = commands.add_parser("serve", help="run the web application with the production server")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.set_defaults(func=cmd_serve)
    return parser


def _stop_writing_quietly() -> int:
    """The reader of our output has gone (``rivm-graph stats | head -3``): stop as other
    command-line tools do, without a traceback, and with the status a shell gives them."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())  # the interpreter's last flush must not fail again
    return 128 + signal.SIGPIPE


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    for name in unknown_settings():
        print(f"warning: {name} is not a setting of rivm-graph; it is ignored", file=sys.stderr)
    try:
        status = args.func(args)
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        return _stop_writing_quietly()
    except DataFileError as error:
        print(f"error: cannot load the graph: {error}", file=sys.stderr)
        return 2
    except StoreError as error:
        print(f"error: cannot open the store: {error}", file=sys.stderr)
        return 2
    except SettingError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
