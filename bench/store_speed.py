"""Storage, export and the rdflib alternative, each against its anchor measured in the same run.

* ingest: ``mawqif ingest`` (1 worker) vs ``oxigraph load`` of the N-Quads that mawqif exports for
  the same corpus (the physical limit for the store), and where the rest of the time goes, per stage;
* export: ``mawqif export --format turtle`` vs ``oxigraph dump --format trig`` of the same store
  (Turtle of a dataset is not something ``oxigraph dump`` writes; TriG is its nearest), TriG vs TriG
  and N-Quads vs N-Quads; each pair run back to back, ``--repeat`` times, medians of wall time, the
  largest peak RSS;
* rdflib: load the same N-Quads into an ``rdflib.Dataset`` and run two bundled queries, vs
  mawqif's store opening and running the same queries.

    python bench/store_speed.py                      # 1k articles (about 2 minutes)
    python bench/store_speed.py --count 10k --rdflib-count 1k
    python bench/store_speed.py --only export        # the export table alone, on a copy of the store
                                                     # of the last run (ingested first if missing)
    python bench/store_speed.py --only export --worth 100k   # and on 100k articles' worth (30+ minutes)
"""
from __future__ import annotations

import argparse
import json
import pathlib
import shutil
import statistics
import subprocess
import sys
import textwrap
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from bench._common import (  # noqa: E402
    DATA,
    Run,
    corpus_file,
    fresh,
    machine,
    mawqif,
    run,
    size_mb,
    table,
    tool,
    write_section,
)
from bench.synthetic import parse_count  # noqa: E402

ACTOR = "https://w3id.org/mawqif/id/state/EGY"


def stages(src: pathlib.Path) -> dict[str, float]:
    """One core, in this process: seconds per stage of the ingest pipeline."""
    import tempfile

    import pyoxigraph as ox

    from graph_builder.extract import extract
    from graph_builder.gazetteer import default_gazetteer
    from graph_builder.loaders import iter_articles
    from graph_builder.parallel import commit_quad
    from graph_builder.quads import build_article_graph
    from graph_builder.store import Store

    default_gazetteer()
    t: dict[str, float] = {}
    t0 = time.perf_counter()
    arts = [a for a in iter_articles([str(src)]) if not isinstance(a, Exception)]
    t["read + parse JSON Lines"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    xs = [extract(a) for a in arts]
    t["extract"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    built = [build_article_graph(x, generated_at="2026-01-01T00:00:00Z") for x in xs]
    t["build quads"] = time.perf_counter() - t0
    del xs
    t0 = time.perf_counter()
    bodies = [(b.graph.value, ox.serialize([q for q in b.quads if q != commit_quad(b.graph)],
                                           format=ox.RdfFormat.N_QUADS) or b"") for b in built]
    seen: set[ox.Quad] = set()
    shared = [q for b in built for q in b.shared if not (q in seen or seen.add(q))]  # type: ignore[func-returns-value]
    shared_bytes = ox.serialize(shared, format=ox.RdfFormat.N_QUADS) or b""
    t["serialise N-Quads"] = time.perf_counter() - t0
    del built
    with Store(tempfile.mkdtemp(dir=DATA)) as store:
        t0 = time.perf_counter()
        for i in range(0, len(bodies), 500):
            store.replace_serialized(bodies[i:i + 500], shared_bytes if i == 0 else b"")
        t["write (bulk load + commits)"] = time.perf_counter() - t0
    return t


RDFLIB_SCRIPT = textwrap.dedent('''
    import json, sys, time, resource
    t0 = time.perf_counter()
    import rdflib
    ds = rdflib.Dataset(default_union=True)
    ds.parse(sys.argv[1], format="nquads")
    load = time.perf_counter() - t0
    import queries
    out = {"load": load, "quads": len(ds)}
    for name, params in json.loads(sys.argv[2]).items():
        q = queries.get_query(name)
        t0 = time.perf_counter()
        rows = list(ds.query(q.text, initBindings={k: rdflib.URIRef(v) for k, v in params.items()}))
        out[name] = [time.perf_counter() - t0, len(rows)]
    out["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))
''')

OX_SCRIPT = textwrap.dedent('''
    import json, sys, time, resource
    t0 = time.perf_counter()
    from graph_builder.store import Store
    import queries
    store = Store(sys.argv[1], read_only=True)
    out = {"load": time.perf_counter() - t0}
    for name, params in json.loads(sys.argv[2]).items():
        q = queries.get_query(name)
        t0 = time.perf_counter()
        rows = list(store.query(q.text, substitutions=queries.bind(q, params)))
        out[name] = [time.perf_counter() - t0, len(rows)]
    out["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))
''')


ANCHOR_FORMAT = {"turtle": "trig", "trig": "trig", "nquads": "nq"}   # mawqif's format → oxigraph dump's

COUNT_SCRIPT = textwrap.dedent('''
    import sys
    import pyoxigraph as ox
    from graph_builder.export import graphs_left_out
    store = ox.Store.read_only(sys.argv[1])
    left = sum(1 for g in graphs_left_out(sys.argv[2]) for _ in store.quads_for_pattern(None, None, None, g))
    print(len(store), len(store) - left)
''')

#: Where the time of a Turtle export goes: the export code alone (read-only store, no CLI), and
#: Oxigraph writing the whole store from Python with no prefixes (the least a Python program does).
INSIDE_SCRIPT = textwrap.dedent('''
    import sys
    import pyoxigraph as ox
    what, path, out = sys.argv[1:4]
    store = ox.Store.read_only(path)
    with open(out, "wb") as f:
        if what == "export_store":
            from graph_builder import terms
            from graph_builder.export import export_store
            export_store(store, f, "turtle", terms.DEFAULT_BASE)
        else:
            store.dump(f, ox.RdfFormat.TRIG)
''')


def export_table(store: pathlib.Path, what: str, formats: list[str], repeat: int) -> str:
    """``mawqif export`` vs ``oxigraph dump`` on one store: each pair back to back, ``repeat`` times
    (for Turtle, also the parts of the difference: see :data:`INSIDE_SCRIPT`)."""
    from graph_builder import terms

    ox_cli = tool("oxigraph")

    def measure(cmd: list[str], out: pathlib.Path) -> tuple[Run, float]:
        r = run(cmd)
        mb = size_mb(out)
        out.unlink()
        return r, mb

    def contenders(fmt: str) -> list[tuple[str, list[str], pathlib.Path, bool]]:
        """(row label, command, output, whether it writes every quad of the store) for ``fmt``, the
        anchor last."""
        mout, oout, iout = DATA / f"sb-export.{fmt}", DATA / f"sb-dump.{ANCHOR_FORMAT[fmt]}", DATA / "sb-inside.out"
        rows = [(f"`mawqif export --format {fmt}`",
                 [*mawqif(), "export", "--format", fmt, "--store", str(store), "--output", str(mout)], mout, False)]
        if fmt == "turtle":
            rows += [("↳ its export code alone (`export_store`, store opened read-only, no CLI)",
                      [sys.executable, "-c", INSIDE_SCRIPT, "export_store", str(store), str(iout)], iout, False),
                     ("↳ pyoxigraph `Store.dump` as TriG, no prefixes (Oxigraph from Python)",
                      [sys.executable, "-c", INSIDE_SCRIPT, "dump", str(store), str(iout)], iout, True)]
        return [*rows, (f"`oxigraph dump --format {ANCHOR_FORMAT[fmt]}` (anchor)",
                        [ox_cli, "dump", "--location", str(store), "--format", ANCHOR_FORMAT[fmt], "--file",
                         str(oout)], oout, True)]

    # once each, untimed: the first opening for writing may recover the store or build its edge
    # index, and both tools then read a store the page cache holds as much of as it can
    first, _ = measure(*contenders(formats[0])[0][1:3])
    measure(*contenders(formats[0])[-1][1:3])
    results: dict[tuple[str, str], list[tuple[Run, float]]] = {}
    for _ in range(repeat):
        for fmt in formats:
            for label, cmd, out, _ in contenders(fmt):
                results.setdefault((fmt, label), []).append(measure(cmd, out))
    dumped, exported = (int(x) for x in run([sys.executable, "-c", COUNT_SCRIPT, str(store),
                                              terms.DEFAULT_BASE]).stdout.split())
    rows: list[list[object]] = []
    for fmt in formats:
        anchor = statistics.median(r.seconds for r, _ in results[(fmt, contenders(fmt)[-1][0])])
        for label, _, _, whole in contenders(fmt):
            runs = results[(fmt, label)]
            t = statistics.median(r.seconds for r, _ in runs)
            per_quad = t / anchor if whole else t / exported / (anchor / dumped)
            rows.append([label, f"{t:.2f}", f"{max(r.peak_rss_mb for r, _ in runs):.0f}", f"{runs[-1][1]:.0f}",
                         f"{t / anchor:.2f}", f"{per_quad:.2f}"])
    return (f"{what}: {size_mb(store):,.0f} MB, {dumped:,} quads, {exported:,} of them exported. Each row "
            f"run {repeat} times, one after the other, after one untimed run of each tool (the first "
            f"`mawqif export` took {first.seconds:.1f} s, {first.peak_rss_mb:.0f} MB).\n\n"
            + table(["what", "s (median)", "peak RSS MB", "output MB", "÷ anchor (target ≤ 1.3)",
                     "÷ anchor per quad written"], rows))


EXPORT_NOTES = (
    "`oxigraph dump` writes every quad of the store; mawqif leaves out the derived edge-index graph, "
    "hence the last column, which divides each time by the quads written. mawqif's Turtle and TriG use "
    "its prefixes (`mq:`, `state:`, `article:`…), hence the smaller files; the anchor writes full IRIs. "
    "`mawqif export` writes the graphs one after the other, so it holds one graph at a time; for Turtle "
    "and N-Triples Oxigraph writes each graph (`Store.dump`), with no Python object per quad. The rest of "
    "its peak RSS is RocksDB's, as for `oxigraph dump`: block caches and the index blocks of the table "
    "files read, which grow with the store.")


MARKER = ("<https://w3id.org/mawqif/id/graph/edges> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
          "<https://w3id.org/mawqif/ontology#EdgeIndex> <https://w3id.org/mawqif/id/graph/edges> .\n")


def worth_store(nq: pathlib.Path, n: int, worth: int) -> pathlib.Path:
    """A store of ``worth`` articles' worth of quads, built once (cached beside the corpora): the N-Quads
    of ``n`` articles loaded ``worth // n`` times by ``oxigraph load``, each copy with its own article,
    stance and run IRIs and its own language-tagged texts (the entity graph is shared), and an empty
    edge index marked complete, so that ``mawqif export`` does not build one first."""
    path, built = DATA / f"sb-worth-{worth}", DATA / f"sb-worth-{worth}.built"
    if built.exists() and path.exists():
        return path
    built.unlink(missing_ok=True)
    path = fresh(path.name)
    t0 = time.perf_counter()
    load = subprocess.Popen([tool("oxigraph"), "load", "--location", str(path), "--format", "nq", "--lenient"],
                            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    assert load.stdin is not None
    for i in range(max(1, worth // n)):
        with nq.open("rb") as f:
            rest = b""
            for chunk in iter(lambda: f.read(1 << 24), b""):
                data = rest + chunk
                end = data.rfind(b"\n") + 1
                body, rest = data[:end], data[end:]
                if i:
                    for segment in (b"/id/article/", b"/id/stance/", b"/id/run/"):
                        body = body.replace(segment, segment + f"c{i}-".encode())
                    for lang in (b'"@en ', b'"@ar '):
                        body = body.replace(lang, f" c{i}".encode() + lang)
                load.stdin.write(body)
            load.stdin.write(rest)
    load.stdin.write(MARKER.encode())
    load.stdin.close()
    if load.wait() != 0:
        raise SystemExit(f"oxigraph load failed ({load.returncode})")
    built.write_text(f"{time.perf_counter() - t0:.0f} s\n")
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=parse_count, default=1000)
    ap.add_argument("--rdflib-count", type=parse_count, default=1000)
    ap.add_argument("--only", choices=["storage", "export", "rdflib"], action="append",
                    help="run only this benchmark (repeatable); export and rdflib reuse the store of the "
                         "last run, ingesting it if missing")
    ap.add_argument("--repeat", type=int, default=5, help="runs of each export pair (default 5)")
    ap.add_argument("--formats", default="turtle,trig,nquads",
                    help="mawqif export formats to compare (default turtle,trig,nquads)")
    ap.add_argument("--worth", type=parse_count, default=0,
                    help="export: also measure a store of this many articles' worth of quads (the store of "
                         "--count articles replicated; built once with oxigraph load), in Turtle")
    ap.add_argument("--worth-repeat", type=int, default=2, help="runs of the pair on that store (default 2)")
    ap.add_argument("--store", type=pathlib.Path, action="append", default=[],
                    help="export: measure this existing store instead, in place (repeatable; `mawqif export` "
                         "opens it for writing, which may recover it or build its edge index)")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    only = set(args.only or ["storage", "export", "rdflib"])
    env = {"SOURCE_DATE_EPOCH": "1767225600"}
    ox_cli = tool("oxigraph")
    n = args.count
    src = corpus_file(n) if only - {"export"} or not args.store else DATA / "unused"
    sections = []
    store = DATA / f"sb-store-{n}"
    nq = DATA / f"sb-{n}.nq"

    # 1. ingest vs oxigraph load
    if "storage" in only or (not store.exists() and (only - {"export"} or not args.store)):
        store = fresh(f"sb-store-{n}")
        ing = run([*mawqif(), "ingest", "--quiet", "--store", str(store), str(src)], env=env)
        run([*mawqif(), "export", "--format", "nquads", "--store", str(store), "--output", str(nq)])
    if "storage" in only:
        oxstore = fresh(f"sb-oxload-{n}")
        load = run([ox_cli, "load", "--location", str(oxstore), "--file", str(nq)])
        st = stages(src)
        rows: list[list[object]] = [
            ["`mawqif ingest` (1 worker, end to end)", f"{ing.seconds:.2f}", f"{ing.peak_rss_mb:.0f}",
             f"{ing.seconds / load.seconds:.1f}×"],
            ["`oxigraph load` of mawqif's N-Quads (anchor)", f"{load.seconds:.2f}", f"{load.peak_rss_mb:.0f}", "1.0×"]]
        for k, v in st.items():
            rows.append([f"stage: {k}", f"{v:.2f}", "", f"{v / load.seconds:.1f}×"])
        body = (f"{n:,} articles → {size_mb(nq):.0f} MB of N-Quads; store {size_mb(store):.0f} MB (mawqif) vs "
                f"{size_mb(oxstore):.0f} MB (oxigraph load).\n\n"
                + table(["what", "s", "peak RSS MB", "÷ oxigraph load"], rows)
                + f"\n\nStages are timed one after another in one process (sum {sum(st.values()):.2f} s); "
                  "`mawqif ingest` overlaps the write with extraction in a writer thread.")
        sections.append(("storage", "Storage: mawqif ingest vs oxigraph load", body))
        print(body)

    # 2. export vs oxigraph dump, on a copy of the store (opening it for writing may change it)
    if "export" in only:
        formats = args.formats.split(",")
        parts = []
        for given in args.store:
            parts.append(export_table(given, f"`{given.name}`", formats, args.repeat))
        if not args.store:
            copy = fresh(f"sb-export-store-{n}")
            shutil.copytree(store, copy)
            parts.append(export_table(copy, f"A copy of the store of the storage benchmark ({n:,} articles)",
                                      formats, args.repeat))
            shutil.rmtree(copy, ignore_errors=True)
        if args.worth:
            if not nq.exists():
                run([*mawqif(), "export", "--format", "nquads", "--store", str(store), "--output", str(nq)])
            big = worth_store(nq, n, args.worth)
            parts.append(export_table(big, f"A store of {args.worth:,} articles' worth of quads (the N-Quads "
                                           f"of the {n:,} articles loaded {args.worth // n:,} times, each copy "
                                           "with its own IRIs and texts)", ["turtle"], args.worth_repeat))
        body = "\n\n".join([*parts, EXPORT_NOTES])
        sections.append(("export", "Export: mawqif export vs oxigraph dump", body))
        print(body)

    # 3. rdflib
    rn = args.rdflib_count
    if "rdflib" in only:
        if rn != n:
            rstore = fresh(f"sb-store-{rn}")
            run([*mawqif(), "ingest", "--quiet", "--store", str(rstore), str(corpus_file(rn))], env=env)
            rnq = DATA / f"sb-{rn}.nq"
            run([*mawqif(), "export", "--format", "nquads", "--store", str(rstore), "--output", str(rnq)])
        else:
            rstore, rnq = store, nq
            if not nq.exists():
                run([*mawqif(), "export", "--format", "nquads", "--store", str(store), "--output", str(nq)])
        qs = {"stance-count": {}, "stances-of-actor": {"actor": ACTOR}}
        r = run([sys.executable, "-c", RDFLIB_SCRIPT, str(rnq), json.dumps(qs)])
        rd = json.loads(r.stdout)
        o = run([sys.executable, "-c", OX_SCRIPT, str(rstore), json.dumps(qs)])
        mq = json.loads(o.stdout)
        rows = [["load / open", f"{rd['load']:.2f}", f"{mq['load']:.3f}", f"{rd['load'] / mq['load']:.0f}×"]]
        for name in qs:
            rows.append([f"query `{name}` ({mq[name][1]} rows; rdflib {rd[name][1]})", f"{rd[name][0]:.3f}",
                         f"{mq[name][0]:.3f}", f"{rd[name][0] / mq[name][0]:.0f}×"])
        rows.append(["peak RSS MB", f"{rd['rss']:.0f}", f"{mq['rss']:.0f}", f"{rd['rss'] / mq['rss']:.1f}×"])
        body = (f"{rn:,} articles, {rd['quads']:,} quads in an `rdflib.Dataset` (N-Quads parsed in memory) vs "
                "the mawqif store opened read-only (on disk, pyoxigraph).\n\n"
                + table(["", "rdflib s", "mawqif s", "rdflib ÷ mawqif"], rows))
        sections.append(("rdflib", "What a Python user would otherwise reach for: rdflib", body))
        print(body)
    if not args.no_write:
        for key, title, text in sections:
            command = f"python bench/store_speed.py --count {n} --rdflib-count {rn}"
            if key == "export":
                command = " ".join(["python bench/store_speed.py --only export", f"--count {n}",
                                    *(f"--store {p}" for p in args.store), f"--repeat {args.repeat}",
                                    *([f"--worth {args.worth}", f"--worth-repeat {args.worth_repeat}"]
                                      if args.worth else []),
                                    *([f"--formats {args.formats}"] if args.formats != "turtle,trig,nquads" else [])])
            write_section(key, title, f"Machine: {machine()}.\n\nCommand: `{command}`.\n\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
