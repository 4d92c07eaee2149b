"""The real ``mawqif`` entry point, end to end on a real on-disk store."""
from __future__ import annotations

import json
import pathlib

import pytest
import rdflib

AR_ARTICLE = (
    "أدانت وزارة الخارجية الفرنسية بشدة الهجوم على المدنيين في سوريا، ودعت إلى وقف فوري لإطلاق النار.\n"
    "وأعربت الجامعة العربية عن قلقها البالغ إزاء تدهور الأوضاع في ليبيا.\n"
)
EN_ARTICLE = ("The European Union welcomed the ceasefire agreement in Yemen. "
              "Russia rejected the proposal on Ukraine, the Kremlin said.\n")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s a mq:Stance }"


def _count(mawqif, store: str) -> int:
    p = mawqif("query", "--store", store, "--format", "json", COUNT, check=True)
    return int(json.loads(p.stdout)["results"]["bindings"][0]["n"]["value"])


@pytest.fixture
def article(tmp_path: pathlib.Path) -> pathlib.Path:
    f = tmp_path / "article.txt"
    f.write_text(AR_ARTICLE, encoding="utf-8")
    return f


def test_ingest_query_export_roundtrip(mawqif, article, tmp_path):
    store = str(tmp_path / "s")
    p = mawqif("ingest", "--store", store, str(article), check=True)
    assert "ingested 1 article" in p.stderr
    assert _count(mawqif, store) >= 2
    ttl = mawqif("export", "--store", store, check=True).stdout
    g = rdflib.Graph().parse(data=ttl, format="turtle")
    assert len(g) > 20
    assert "@prefix mq:" in ttl


def test_reingest_leaves_export_unchanged(mawqif, article, tmp_path):
    store = str(tmp_path / "s")
    mawqif("ingest", "--store", store, str(article), check=True)
    first = mawqif("export", "--store", store, "--format", "nquads", check=True).stdout
    p = mawqif("ingest", "--store", store, str(article), check=True)
    assert "1 unchanged" in p.stderr
    second = mawqif("export", "--store", store, "--format", "nquads", check=True).stdout
    assert first == second


def test_same_url_replaces_earlier_version(mawqif, tmp_path):
    store = str(tmp_path / "s")
    f = tmp_path / "a.jsonl"
    f.write_text(json.dumps({"url": "https://example.org/x", "lang": "en", "text": EN_ARTICLE}) + "\n",
                 encoding="utf-8")
    mawqif("ingest", "--store", store, str(f), check=True)
    f.write_text(json.dumps({"url": "https://example.org/x", "lang": "en",
                             "text": "The European Union welcomed the ceasefire agreement in Yemen."}) + "\n",
                 encoding="utf-8")
    mawqif("ingest", "--store", store, str(f), check=True)
    p = mawqif("query", "--store", store, "--format", "csv",
               "SELECT ?a WHERE { ?a a mq:Article }", check=True)
    assert len(p.stdout.strip().splitlines()) == 2  # header + one article
    assert _count(mawqif, store) == 1


def test_bad_lines_reported_good_ones_stored(mawqif, tmp_path):
    store = str(tmp_path / "s")
    f = tmp_path / "batch.jsonl"
    f.write_text("\n".join([
        json.dumps({"url": "https://example.org/1", "lang": "en", "text": EN_ARTICLE}),
        "{not json",
        json.dumps({"url": "https://example.org/2", "lang": "en", "published": "2024-13-40",
                    "text": EN_ARTICLE}),
        json.dumps({"url": "https://example.org/3", "lang": "ar", "text": AR_ARTICLE}),
    ]) + "\n", encoding="utf-8")
    p = mawqif("ingest", "--store", store, str(f))
    assert p.returncode != 0
    assert "batch.jsonl:2" in p.stderr
    assert "batch.jsonl:3" in p.stderr and "published" in p.stderr
    rows = mawqif("query", "--store", store, "--format", "csv",
                  "SELECT ?u WHERE { ?a a mq:Article ; schema:url ?u } ORDER BY ?u", check=True)
    assert rows.stdout.split() == ["u", "https://example.org/1", "https://example.org/3"]


def test_stdin_ingest(mawqif, tmp_path):
    store = str(tmp_path / "s")
    mawqif("ingest", "--store", store, "-", input=EN_ARTICLE, check=True)
    assert _count(mawqif, store) >= 1


def test_store_from_environment(mawqif, article, tmp_path):
    env = {"MAWQIF_STORE": str(tmp_path / "envstore")}
    mawqif("ingest", str(article), env=env, check=True)
    assert (tmp_path / "envstore").is_dir()


def test_malformed_query_exits_with_parser_message(mawqif, tmp_path):
    p = mawqif("query", "--store", str(tmp_path / "s"), "SELEC ?x WHERE {}")
    assert p.returncode != 0
    assert "malformed query" in p.stderr and "1:" in p.stderr


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_query_result_formats(mawqif, article, tmp_path, fmt):
    store = str(tmp_path / "s")
    mawqif("ingest", "--store", store, str(article), check=True)
    p = mawqif("query", "--store", store, "--format", fmt, COUNT, check=True)
    assert p.stdout.strip()


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld", "rdfxml"])
def test_construct_formats(mawqif, article, tmp_path, fmt):
    store = str(tmp_path / "s")
    mawqif("ingest", "--store", store, str(article), check=True)
    p = mawqif("query", "--store", store, "--format", fmt,
               "CONSTRUCT { ?s a mq:Stance } WHERE { ?s a mq:Stance }", check=True)
    parse_as = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}[fmt]
    assert len(rdflib.Graph().parse(data=p.stdout, format=parse_as)) >= 2


@pytest.mark.parametrize("fmt,parse_as", [("turtle", "turtle"), ("trig", "trig"), ("nquads", "nquads"),
                                          ("ntriples", "nt"), ("jsonld", "json-ld")])
def test_export_formats(mawqif, article, tmp_path, fmt, parse_as):
    store = str(tmp_path / "s")
    mawqif("ingest", "--store", store, str(article), check=True)
    out = tmp_path / f"out.{fmt}"
    mawqif("export", "--store", store, "--format", fmt, "--output", str(out), check=True)
    ds = rdflib.Dataset()
    ds.parse(out, format=parse_as)
    assert sum(1 for _ in ds.quads((None, None, None, None))) > 20


def test_named_query_with_param(mawqif, article, tmp_path):
    store = str(tmp_path / "s")
    mawqif("ingest", "--store", store, str(article), check=True)
    p = mawqif("query", "--store", store, "--format", "json", "stances-of-actor",
               "--param", "actor=https://w3id.org/mawqif/id/state/FRA", check=True)
    assert json.loads(p.stdout)["results"]["bindings"]


def test_extract_marks_cue(mawqif, article):
    p = mawqif("extract", str(article), check=True)
    assert "FRA" in p.stdout and "Condemnation" in p.stdout and "⟦" in p.stdout
    j = json.loads(mawqif("extract", "--format", "json", str(article), check=True).stdout)
    assert any(s["holder"] == "FRA" and s["type"] == "Condemnation" for s in j["stances"])


def test_stats_and_validate(mawqif, article, tmp_path):
    store = str(tmp_path / "s")
    mawqif("ingest", "--store", store, str(article), check=True)
    s = json.loads(mawqif("stats", "--store", store, "--format", "json", check=True).stdout)
    assert s["articles"] == 1 and s["stances"] >= 2 and s["triples"] > 0
    p = mawqif("validate", "--store", store)
    assert p.returncode == 0, p.stdout + p.stderr


def test_load_named_graph(mawqif, tmp_path):
    store = str(tmp_path / "s")
    ttl = tmp_path / "extra.ttl"
    ttl.write_text("<https://example.org/a> <https://example.org/p> \"x\" .\n", encoding="utf-8")
    mawqif("load", "--store", store, str(ttl), "--graph", "https://example.org/g", check=True)
    p = mawqif("query", "--store", store, "--format", "csv",
               "SELECT ?o WHERE { GRAPH <https://example.org/g> { ?s ?p ?o } }", check=True)
    assert p.stdout.split() == ["o", "x"]


def test_demo_ingests_samples(mawqif, tmp_path):
    p = mawqif("demo", "--store", str(tmp_path / "demo"), "--no-serve", check=True)
    assert "ingested" in p.stderr
    s = json.loads(mawqif("stats", "--store", str(tmp_path / "demo"), "--format", "json", check=True).stdout)
    assert s["articles"] >= 8 and s["stances"] >= 10


@pytest.mark.parametrize("command", ["ingest", "query", "export", "serve", "extract", "load", "validate",
                                     "stats", "demo"])
def test_help_has_example(mawqif, command):
    p = mawqif(command, "--help", check=True)
    assert "example:" in p.stdout


def test_locked_store_names_holder(mawqif, tmp_path):
    from graph_builder.store import Store

    path = tmp_path / "held"
    with Store(path, command="a test"):
        p = mawqif("stats", "--store", str(path))
    assert p.returncode != 0
    assert "in use by process" in p.stderr and "a test" in p.stderr
    assert "LOCK" not in p.stderr
