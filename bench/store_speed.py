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
    python bench/store_speed.py --only export --store PATH --formats turtle --repeat 3   # a big store
"""
from __future__ import annotations

import argparse
import json
import pathlib
import shutil
import statistics
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


def export_table(store: pathlib.Path, what: str, formats: list[str], repeat: int) -> str:
    """``mawqif export`` vs ``oxigraph dump`` on one store: each pair back to back, ``repeat`` times."""
    from graph_builder import terms

    ox_cli = tool("oxigraph")

    def measure(cmd: list[str], out: pathlib.Path) -> tuple[Run, float]:
        r = run(cmd)
        mb = size_mb(out)
        out.unlink()
        return r, mb

    def pair(mfmt: str) -> tuple[tuple[list[str], pathlib.Path], tuple[list[str], pathlib.Path]]:
        mout, oout = DATA / f"sb-export.{mfmt}", DATA / f"sb-dump.{ANCHOR_FORMAT[mfmt]}"
        return (([*mawqif(), "export", "--format", mfmt, "--store", str(store), "--output", str(mout)], mout),
                ([ox_cli, "dump", "--location", str(store), "--format", ANCHOR_FORMAT[mfmt], "--file", str(oout)],
                 oout))

    # once each, untimed: the first opening for writing may recover the store or build its edge
    # index, and both tools then read a store the page cache holds as much of as it can
    first, _ = measure(*pair(formats[0])[0])
    measure(*pair(formats[0])[1])
    results: dict[str, tuple[list[tuple[Run, float]], list[tuple[Run, float]]]] = {f: ([], []) for f in formats}
    for _ in range(repeat):
        for fmt in formats:
            mine, anchor = pair(fmt)
            results[fmt][0].append(measure(*mine))
            results[fmt][1].append(measure(*anchor))
    dumped, exported = (int(x) for x in run([sys.executable, "-c", COUNT_SCRIPT, str(store),
                                              terms.DEFAULT_BASE]).stdout.split())
    rows: list[list[object]] = []
    for fmt, (ms, os_) in results.items():
        m, o = statistics.median(r.seconds for r, _ in ms), statistics.median(r.seconds for r, _ in os_)
        rows.append([f"`mawqif export --format {fmt}`", f"{m:.2f}", f"{max(r.peak_rss_mb for r, _ in ms):.0f}",
                     f"{ms[-1][1]:.0f}", f"{m / o:.2f}", f"{m / exported / (o / dumped):.2f}"])
        rows.append([f"`oxigraph dump --format {ANCHOR_FORMAT[fmt]}` (anchor)", f"{o:.2f}",
                     f"{max(r.peak_rss_mb for r, _ in os_):.0f}", f"{os_[-1][1]:.0f}", "1.00", "1.00"])
    return (f"{what}: {size_mb(store):,.0f} MB, {dumped:,} quads. Each pair run back to back {repeat} times, "
            f"after one untimed run of each tool (the first `mawqif export` took {first.seconds:.1f} s, "
            f"{first.peak_rss_mb:.0f} MB).\n\n"
            + table(["what", "s (median)", "peak RSS MB", "output MB", "÷ anchor (target ≤ 1.3)",
                     "÷ anchor per quad written"], rows)
            + f"\n\n`oxigraph dump` writes every quad of the store; mawqif leaves out the derived edge-index "
              f"graph and writes {exported:,}, hence the last column, which divides each time by the quads "
              "written. mawqif's Turtle and TriG use its prefixes (`mq:`, `state:`, `article:`…), hence "
              "the smaller files; the anchor writes full IRIs.")


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
        body = "\n\n".join(parts)
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
                                    *([f"--formats {args.formats}"] if args.formats != "turtle,trig,nquads" else [])])
            write_section(key, title, f"Machine: {machine()}.\n\nCommand: `{command}`.\n\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
