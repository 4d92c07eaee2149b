"""The ``mawqif`` command: a thin layer over the library; errors are converted here, once."""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Sequence
from typing import IO, TYPE_CHECKING

from graph_builder import __version__, terms
from graph_builder.errors import InputError, MawqifError, QueryError
from graph_builder.ingest import extraction_time
from graph_builder.named import plan
from graph_builder.store import EXPORT_FORMATS, GRAPH_FORMATS, RESULT_FORMATS, Store, write_results

if TYPE_CHECKING:
    from graph_builder.ingest import IngestReport

DEFAULT_STORE = "./mawqif-data"


def _store_path(args: argparse.Namespace) -> str:
    return args.store or os.environ.get("MAWQIF_STORE") or DEFAULT_STORE


def _base(args: argparse.Namespace) -> str:
    return getattr(args, "base", None) or os.environ.get("MAWQIF_BASE") or terms.DEFAULT_BASE


def _open(args: argparse.Namespace, *, command: str) -> Store:
    """The embedded store in a folder, or a remote SPARQL store for an http(s):// URL."""
    path = _store_path(args)
    if path.startswith(("http://", "https://")):
        from graph_builder.sparql_store import SparqlStore

        return SparqlStore(path, base=_base(args))  # type: ignore[return-value]
    return Store(path, base=_base(args), command=command)


# -- commands --------------------------------------------------------------------------------------
def _token(args: argparse.Namespace) -> str | None:
    return getattr(args, "token", None) or os.environ.get("MAWQIF_TOKEN") or None


def _ingest_remote(args: argparse.Namespace) -> int:
    """``mawqif ingest --server URL``: read and check here, extract and store in the running server."""
    from graph_builder.loaders import iter_articles
    from graph_builder.remote import ingest_remote

    def error(e: MawqifError) -> None:
        print(f"mawqif: {e}", file=sys.stderr)

    report = ingest_remote(args.server, iter_articles(args.paths, stdin=sys.stdin.buffer), token=_token(args),
                           on_error=error)
    if not args.quiet:
        print(report.summary(args.server), file=sys.stderr)
    return 1 if report.errors else 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from graph_builder.ingest import ingest
    from graph_builder.loaders import iter_articles

    if getattr(args, "server", None):
        return _ingest_remote(args)
    tty = sys.stderr.isatty() and not args.quiet
    shown = [0.0]

    def progress(report: IngestReport) -> None:
        now = time.monotonic()
        if tty and now - shown[0] >= 0.2:
            shown[0] = now
            print(f"\r{_progress_line(report)}", end="", file=sys.stderr, flush=True)

    def error(e: MawqifError) -> None:
        if tty:
            print("\r", end="", file=sys.stderr)
        print(f"mawqif: {e}", file=sys.stderr)

    generated_at = extraction_time(args.record_time)
    with _open(args, command="mawqif ingest") as store:
        if args.dask:
            from graph_builder.distributed import ingest_dask

            report = ingest_dask(store, args.paths, address=args.dask, shards_dir=args.shards_dir,
                                 keep_shards=args.shards_dir is not None, base=_base(args),
                                 generated_at=generated_at, on_error=error)
        else:
            report = ingest(store, iter_articles(args.paths, stdin=sys.stdin.buffer), base=_base(args),
                            generated_at=generated_at, workers=args.workers, on_progress=progress,
                            on_error=error)
    if tty:
        print("\r\033[K", end="", file=sys.stderr)
    if not args.quiet:
        print(report.summary(), file=sys.stderr)
    return 1 if report.errors else 0


def _progress_line(report: IngestReport, width: int = 24) -> str:
    """``⠿ 12,345 articles  1,234 stances  95 articles/s  [■■■■■□□□…]`` (the bar cycles: the total is
    not known while the input streams)."""
    rate = report.read / report.seconds if report.seconds > 0 else 0.0
    pos = int(report.seconds * 4) % (2 * width)
    lit = pos if pos < width else 2 * width - pos
    bar = "■" * lit + "□" * (width - lit)
    return (f"{report.read:,} articles  {report.stances:,} stances  {rate:,.0f} articles/s  [{bar}]"
            f"{f'  {len(report.errors)} failed' if report.errors else ''}\033[K")


def _query_text(spec: str, params: list[str]) -> tuple[str, dict, Callable[[Store], tuple[str, dict]] | None]:
    """The query's text and bindings, and for a named query the planner that picks its form on the
    opened store (:func:`graph_builder.named.plan`)."""
    import queries

    if spec.startswith("@"):
        try:
            with open(spec[1:], encoding="utf-8") as f:
                return f.read(), {}, None
        except OSError as e:
            raise InputError(f"cannot read the query: {e.strerror}", source=spec[1:]) from None
    try:
        named = queries.get_query(spec)
    except KeyError:
        if params:
            raise QueryError(f"--param is only for named queries; {spec!r} is not one "
                             f"(named queries: {', '.join(q.name for q in queries.list_queries())})") from None
        return spec, {}, None
    values = {}
    for p in params:
        if "=" not in p:
            raise QueryError(f"--param {p!r}: write it as NAME=VALUE")
        k, v = p.split("=", 1)
        values[k] = v
    try:
        subs = queries.bind(named, values)
    except ValueError as e:
        raise QueryError(f"query {spec}: {e}") from None

    def planned(store: Store) -> tuple[str, dict]:
        embedded = store.oxigraph if isinstance(store, Store) else None   # (a remote store has no index)
        try:
            form, form_subs = plan(named, values, embedded)
        except ValueError as e:
            raise QueryError(f"query {spec}: {e}") from None
        return form.text, form_subs

    return named.text, subs, planned


def cmd_query(args: argparse.Namespace) -> int:
    text, subs, planned = _query_text(args.query, args.param)
    with _open(args, command="mawqif query") as store:
        if planned is not None:
            text, subs = planned(store)
        results = store.query(text, substitutions=subs)
        out = _output(args)
        try:
            write_results(results, out, args.format)
        finally:
            _close_output(args, out)
    return 0


def _output(args: argparse.Namespace) -> IO[bytes]:
    if getattr(args, "output", None):
        try:
            return open(args.output, "wb")
        except OSError as e:
            raise InputError(f"cannot write: {e.strerror}", source=args.output) from None
    return sys.stdout.buffer


def _close_output(args: argparse.Namespace, out: IO[bytes]) -> None:
    if out is sys.stdout.buffer:
        out.flush()
    else:
        out.close()


def cmd_export(args: argparse.Namespace) -> int:
    with _open(args, command="mawqif export") as store:
        out = _output(args)
        try:
            store.export(out, args.format)
        finally:
            _close_output(args, out)
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from graph_builder.extract import extract
    from graph_builder.loaders import iter_articles
    from graph_builder.render import extraction_json, extraction_table

    status = 0
    for item in iter_articles([args.path], stdin=sys.stdin.buffer):
        if isinstance(item, MawqifError):
            print(f"mawqif: {item}", file=sys.stderr)
            status = 1
            continue
        x = extract(item)
        if args.format == "json":
            print(json.dumps(extraction_json(x), ensure_ascii=False, indent=1))
        else:
            print(extraction_table(x, color=sys.stdout.isatty()))
    return status


def cmd_load(args: argparse.Namespace) -> int:
    import pyoxigraph as ox

    try:
        graph = ox.NamedNode(args.graph)
    except ValueError:
        raise InputError(f"not an IRI: {args.graph!r}", field="--graph") from None
    fmt = ox.RdfFormat.from_extension(args.format or os.path.splitext(args.file)[1].lstrip("."))
    if fmt is None:
        raise InputError("unknown RDF format; give --format (ttl, nt, nq, trig, jsonld, rdf)", source=args.file)
    with _open(args, command="mawqif load") as store:
        try:
            with open(args.file, "rb") as f:
                store.load(f, fmt=fmt, graph=graph)
            store.ensure_edge_index()
        except OSError as e:
            raise InputError(f"cannot read: {e.strerror}", source=args.file) from None
        except QueryError as e:
            raise InputError(str(e), source=args.file) from None
    print(f"loaded {args.file} into <{graph.value}>", file=sys.stderr)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from graph_builder.shacl import validate_store

    with _open(args, command="mawqif validate") as store:
        report = validate_store(store)
    print(report.plain_text())
    return 0 if report.conforms else 1


def cmd_stats(args: argparse.Namespace) -> int:
    with _open(args, command="mawqif stats") as store:
        s = store.stats()
    if args.format == "json":
        print(json.dumps(s.__dict__))
    else:
        for k, v in s.__dict__.items():
            print(f"{k:<9} {v}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from server.run import ServeOptions, serve

    options = ServeOptions(host=args.host, port=args.port, base=_base(args), threads=args.threads,
                           token=_token(args), timeout=args.timeout, workers=args.workers,
                           max_body=args.max_body, max_rows=args.max_rows, cors=tuple(args.cors),
                           cache_max_age=args.cache_max_age, reserve=max(0, args.reserve),
                           query_memory=max(0, args.query_memory))
    with _open(args, command="mawqif serve") as store:
        serve(store, options)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from graph_builder.ingest import ingest
    from graph_builder.loaders import iter_articles
    from graph_builder.samples import SAMPLES_PATH
    from server.run import serve

    path = args.store or tempfile.mkdtemp(prefix="mawqif-demo-")
    with Store(path, base=_base(args), command="mawqif demo") as store:
        report = ingest(store, iter_articles([str(SAMPLES_PATH)]), base=_base(args), generated_at=extraction_time())
        print(f"{report.summary()} into {path}", file=sys.stderr)
        if args.no_serve:
            return 0
        serve(store, host=args.host, port=args.port, base=_base(args))
    return 0


# -- parser ----------------------------------------------------------------------------------------
def _positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {n}")
    return n


def _example(text: str) -> str:
    return "example:\n" + textwrap.indent(textwrap.dedent(text).strip(), "  ")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="mawqif",
        description="Build a knowledge graph of diplomatic stances from Arabic and English news.",
        epilog=_example("""
            mawqif ingest article.txt
            mawqif query 'SELECT (COUNT(*) AS ?n) WHERE { ?s a mq:Stance }'
            mawqif export --format turtle --output graph.ttl"""),
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"mawqif {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, help_: str, example: str) -> argparse.ArgumentParser:
        c = sub.add_parser(name, help=help_, description=help_, epilog=_example(example),
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        c.add_argument("--store", metavar="S", help="store folder (default: $MAWQIF_STORE, else ./mawqif-data)")
        c.add_argument("--base", metavar="IRI", help="base of instance IRIs (default: $MAWQIF_BASE, "
                       f"else {terms.DEFAULT_BASE})")
        return c

    c = command("ingest", "Read articles and add what is extracted to the store.",
                "mawqif ingest --store ./graph news/ today.jsonl")
    c.add_argument("paths", nargs="+", metavar="PATH", help=".txt, .html, .jsonl, a folder, or - for stdin")
    c.add_argument("-q", "--quiet", action="store_true", help="no progress and no summary")
    c.add_argument("-w", "--workers", type=_positive_int, default=1, metavar="N",
                   help="extract in N processes (default 1); the store ends the same with any N")
    c.add_argument("--dask", metavar="SCHEDULER", help="extract on the Dask cluster whose scheduler is at "
                   "SCHEDULER (tcp://host:8786), then load the result (needs: pip install 'mawqif[dask]')")
    c.add_argument("--shards-dir", metavar="DIR", help="with --dask: a folder the Dask workers and this "
                   "process share, for the N-Quads shards (kept); default: a temporary folder")
    c.add_argument("--server", metavar="URL", help="ingest through the running `mawqif serve` at URL (when "
                   "it holds the store); needs its token")
    c.add_argument("--token", metavar="T", help="the server's write token (default: $MAWQIF_TOKEN)")
    c.add_argument("--record-time", action="store_true", help="record when the extraction ran "
                   "(prov:endedAtTime; default: not recorded, unless $SOURCE_DATE_EPOCH is set, so that "
                   "the same input gives the same store)")
    c.set_defaults(func=cmd_ingest)

    c = command("query", "Run a SPARQL query (text, @file.rq, or a bundled query's name).",
                "mawqif query --format csv stances-of-actor --param actor=https://w3id.org/mawqif/id/state/FRA")
    c.add_argument("query", metavar="QUERY")
    c.add_argument("--format", choices=[*RESULT_FORMATS, *GRAPH_FORMATS], help="json (default for "
                   "SELECT/ASK), xml, csv, tsv; turtle (default for CONSTRUCT/DESCRIBE), ntriples, jsonld, rdfxml")
    c.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="a parameter of a named query (repeatable)")
    c.set_defaults(func=cmd_query)

    c = command("export", "Write the whole graph.", "mawqif export --format trig --output graph.trig")
    c.add_argument("--format", default="turtle", choices=list(EXPORT_FORMATS))
    c.add_argument("--output", metavar="FILE", help="default: standard output")
    c.set_defaults(func=cmd_export)

    c = command("serve", "Serve SPARQL, the graph explorer and exports over HTTP.",
                "mawqif serve --port 8080 --token \"$(openssl rand -hex 16)\" --timeout 10")
    c.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    c.add_argument("--port", type=int, default=5000)
    c.add_argument("--token", metavar="T", help="allow SPARQL Update, Graph Store writes and POST /api/articles "
                   "to clients sending 'Authorization: Bearer T' (default: $MAWQIF_TOKEN; none: read-only)")
    c.add_argument("--timeout", type=float, default=30.0, metavar="S",
                   help="stop a query after S seconds (default 30; 0: no limit)")
    c.add_argument("--workers", type=int, default=0, metavar="N",
                   help="query worker processes (default: one per thread, at most 2 per core)")
    c.add_argument("--threads", type=_positive_int, default=8, metavar="N", help="HTTP threads (default 8)")
    c.add_argument("--reserve", type=int, default=2, metavar="N",
                   help="threads that SPARQL, named queries and export leave to pages and explorer APIs "
                        "(default 2; 0: none)")
    c.add_argument("--query-memory", type=int, default=4096, metavar="MB",
                   help="memory a query may use before it is stopped (default 4096; 0: no limit)")
    c.add_argument("--max-body", type=_positive_int, default=16 << 20, metavar="BYTES",
                   help="largest request body (default 16 MiB)")
    c.add_argument("--max-rows", type=_positive_int, default=1000, metavar="N",
                   help="rows shown in the HTML views (default 1000)")
    c.add_argument("--cors", action="append", default=[], metavar="ORIGIN",
                   help="allow cross-origin requests from ORIGIN (repeatable; * for any; default: none)")
    c.add_argument("--cache-max-age", type=int, default=0, metavar="S",
                   help="Cache-Control max-age of query results (default 0: revalidate with the ETag)")
    c.set_defaults(func=cmd_serve)

    c = command("extract", "Show what one article yields, without a store.", "mawqif extract article.txt")
    c.add_argument("path", metavar="FILE", help="an article file, or - for stdin")
    c.add_argument("--format", choices=["table", "json"], default="table")
    c.set_defaults(func=cmd_extract)

    c = command("load", "Add an RDF file to a named graph.",
                "mawqif load extra.ttl --graph https://example.org/graph/extra")
    c.add_argument("file", metavar="FILE")
    c.add_argument("--graph", required=True, metavar="IRI")
    c.add_argument("--format", metavar="EXT", help="ttl, nt, nq, trig, jsonld, rdf (default: from the name)")
    c.set_defaults(func=cmd_load)

    c = command("validate", "Check the store against the SHACL shapes.", "mawqif validate --store ./graph")
    c.set_defaults(func=cmd_validate)

    c = command("stats", "Count articles, stances, entities and triples.", "mawqif stats")
    c.add_argument("--format", choices=["text", "json"], default="text")
    c.set_defaults(func=cmd_stats)

    c = command("demo", "Ingest the bundled sample articles into a fresh store and serve them.",
                "mawqif demo --port 8080")
    c.add_argument("--host", default="127.0.0.1")
    c.add_argument("--port", type=int, default=5000)
    c.add_argument("--no-serve", action="store_true", help="ingest only")
    c.set_defaults(func=cmd_demo)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except MawqifError as e:
        print(f"mawqif: {e}", file=sys.stderr)
        return 2 if isinstance(e, QueryError) else 1
    except KeyboardInterrupt:
        print("mawqif: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
