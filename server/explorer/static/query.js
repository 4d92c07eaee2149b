/* mawqif query page: SPARQL editor with the named queries as examples, sortable paged table, downloads, graph. */
"use strict";
(function () {
  const { el, api, download, toCSV, loadStrings, tr, cleanLabel } = window.Mawqif;
  const PAGE = 50;
  const lang = new URLSearchParams(location.search).get("lang") === "ar" ? "ar" : "en";
  const t = (k) => tr(lang, k);
  const $ = (id) => document.getElementById(id);
  let columns = [];
  let rows = [];        // [{col: {type, value, "xml:lang"?, datatype?}}]
  let raw = null;       // the raw response body (for JSON download)
  let sort = { col: null, asc: true };
  let page = 1;
  let queries = [];

  function termText(term) {
    if (!term) return "";
    return term.value;
  }

  function renderTable() {
    const box = $("results");
    box.replaceChildren();
    if (!columns.length) return;
    let view = rows.slice();
    if (sort.col) {
      view.sort((a, b) => {
        const x = termText(a[sort.col]);
        const y = termText(b[sort.col]);
        const nx = Number(x), ny = Number(y);
        const cmp = x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y);
        return sort.asc ? cmp : -cmp;
      });
    }
    const pages = Math.max(1, Math.ceil(view.length / PAGE));
    page = Math.min(page, pages);
    const head = el("tr", {}, columns.map((c) => {
      const b = el("button", { type: "button", "data-col": c, text: c + (sort.col === c ? (sort.asc ? " ▲" : " ▼") : "") });
      b.addEventListener("click", () => { sort = { col: c, asc: sort.col === c ? !sort.asc : true }; renderTable(); });
      return el("th", { scope: "col", "aria-sort": sort.col === c ? (sort.asc ? "ascending" : "descending") : "none" }, b);
    }));
    const body = el("tbody", {}, view.slice((page - 1) * PAGE, page * PAGE).map((r) => el("tr", {}, columns.map((c) => {
      const term = r[c];
      if (!term) return el("td", {});
      if (term.type === "uri") {
        const local = term.value.startsWith(location.origin) ? term.value : null;
        return el("td", { dir: "ltr" }, el("a", { href: pagePath(term.value) || local || term.value, text: term.value }));
      }
      const l = term["xml:lang"] || "";
      return el("td", { lang: l, dir: /^(ar|fa|ur|he)\b/.test(l) ? "rtl" : "auto", text: cleanLabel(term.value) });
    }))));
    box.append(el("table", { class: "data", id: "results-table" }, el("thead", {}, head), body));
    const pager = $("pager");
    pager.replaceChildren(el("span", { text: rows.length + " " + t("rows") }));
    if (pages > 1) {
      const prev = el("button", { type: "button", text: t("prev"), disabled: page <= 1 });
      const next = el("button", { type: "button", text: t("next"), disabled: page >= pages });
      prev.addEventListener("click", () => { page -= 1; renderTable(); });
      next.addEventListener("click", () => { page += 1; renderTable(); });
      pager.append(prev, el("span", { text: t("page") + " " + page + " " + t("of") + " " + pages }), next);
    }
  }

  let BASE = "https://w3id.org/mawqif/id/";
  function pagePath(iri) { return iri.startsWith(BASE) ? "/id/" + iri.slice(BASE.length) : null; }

  // A small N-Triples reader (the server writes one triple a line, with escapes).
  function parseNTriples(text) {
    const term = /\s*(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?)/y;
    const unescape = (s) => s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})|\\(.)/g, (m, u, U, c) =>
      u ? String.fromCharCode(parseInt(u, 16)) : U ? String.fromCodePoint(parseInt(U, 16)) : ({ n: "\n", t: "\t", r: "\r" }[c] || c));
    const toTerm = (tok) => {
      if (tok.startsWith("<")) return { type: "uri", value: unescape(tok.slice(1, -1)) };
      if (tok.startsWith("_:")) return { type: "bnode", value: tok.slice(2) };
      const m = /^"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?$/.exec(tok);
      const out = { type: "literal", value: unescape(m[1]) };
      if (m[2]) out["xml:lang"] = m[2];
      if (m[3]) out.datatype = m[3];
      return out;
    };
    const out = [];
    for (const line of text.split("\n")) {
      if (!line.trim() || line.trim().startsWith("#")) continue;
      term.lastIndex = 0;
      const parts = [];
      for (let i = 0; i < 3; i++) {
        const m = term.exec(line);
        if (!m) break;
        parts.push(toTerm(m[1]));
      }
      if (parts.length === 3) out.push({ subject: parts[0], predicate: parts[1], object: parts[2] });
    }
    return out;
  }

  async function run(ev) {
    if (ev) ev.preventDefault();
    const status = $("query-status");
    status.textContent = t("loading");
    $("result-graph").hidden = true;
    const body = new URLSearchParams({ query: $("sparql").value });
    try {
      const resp = await fetch("/sparql", { method: "POST", body,
        headers: { Accept: "application/sparql-results+json, application/n-triples;q=0.9" } });
      const type = resp.headers.get("content-type") || "";
      const text = await resp.text();
      if (!resp.ok) {
        let msg = text;
        try { msg = JSON.parse(text).error || text; } catch (e) { /* not JSON */ }
        throw new Error(msg);
      }
      raw = { type, text };
      if (type.includes("n-triples")) {
        columns = ["subject", "predicate", "object"];
        rows = parseNTriples(text);
      } else {
        const doc = JSON.parse(text);
        if (typeof doc.boolean === "boolean") {
          columns = ["boolean"];
          rows = [{ boolean: { type: "literal", value: String(doc.boolean) } }];
        } else {
          columns = doc.head.vars || [];
          rows = doc.results.bindings;
        }
      }
      sort = { col: null, asc: true };
      page = 1;
      renderTable();
      status.textContent = rows.length + " " + t("rows");
      $("result-tools").hidden = false;
      const hasIRI = rows.some((r) => columns.some((c) => r[c] && r[c].type === "uri"));
      $("show-graph").hidden = !hasIRI;
      if (type.includes("n-triples") && hasIRI) showGraph();
    } catch (err) {
      status.textContent = String(err.message || err);
      columns = [];
      rows = [];
      renderTable();
      $("result-tools").hidden = true;
    }
  }

  function shortName(iri) { return iri.replace(/^.*[/#]/, "") || iri; }

  function showGraph() {
    const nodes = new Map();
    const edges = [];
    const labels = new Map();
    const addNode = (iri) => { if (!nodes.has(iri) && nodes.size < 300) nodes.set(iri, { id: iri, label: shortName(iri) }); return nodes.has(iri); };
    if (columns.join() === "subject,predicate,object") {
      for (const r of rows) {
        if (r.predicate.value.endsWith("#label") && r.object["xml:lang"] === lang) labels.set(r.subject.value, r.object.value);
        if (r.subject.type !== "uri" || r.object.type !== "uri") continue;
        if (r.predicate.value.endsWith("22-rdf-syntax-ns#type")) continue;
        if (addNode(r.subject.value) && addNode(r.object.value)) edges.push({ from: r.subject.value, to: r.object.value, label: shortName(r.predicate.value), arrows: "to" });
      }
    } else {
      for (const r of rows) {
        const iris = columns.filter((c) => r[c] && r[c].type === "uri").map((c) => [c, r[c].value]);
        iris.forEach(([, v]) => addNode(v));
        for (let i = 1; i < iris.length; i++) {
          if (nodes.has(iris[i - 1][1]) && nodes.has(iris[i][1])) edges.push({ from: iris[i - 1][1], to: iris[i][1], label: iris[i][0], arrows: "to" });
        }
      }
    }
    for (const [iri, label] of labels) if (nodes.has(iri)) nodes.get(iri).label = cleanLabel(label);
    const box = $("result-graph");
    box.hidden = false;
    const seen = new Set();
    const unique = edges.filter((e) => { const k = e.from + " " + e.label + " " + e.to; if (seen.has(k)) return false; seen.add(k); return true; });
    const net = new vis.Network(box, { nodes: new vis.DataSet([...nodes.values()]), edges: new vis.DataSet(unique) }, {
      nodes: { shape: "dot", size: 10, font: { face: "DejaVu Sans, sans-serif", size: 12 } },
      edges: { font: { face: "DejaVu Sans, sans-serif", size: 9 }, color: { color: "#9aa5b1" } },
      physics: { stabilization: { iterations: 300 } },
    });
    net.on("stabilizationIterationsDone", () => net.setOptions({ physics: false }));
    net.on("doubleClick", (p) => { if (p.nodes.length) { const path = pagePath(p.nodes[0]); if (path) location.href = path; } });
  }

  async function start() {
    await loadStrings();
    try { BASE = (await api("/api/explorer/meta")).base || BASE; } catch (e) { /* keep the default */ }
    queries = (await api("/api/explorer/queries")).queries;
    const select = $("examples");
    for (const q of queries) select.append(el("option", { value: q.name, text: q.title + " (" + q.name + ")" }));
    select.addEventListener("change", () => {
      const q = queries.find((x) => x.name === select.value);
      if (!q) return;
      $("sparql").value = q.text;
      $("example-description").textContent = q.description + (q.params.length ? " — ?" + q.params.map((p) => p.name).join(", ?") : "");
    });
    $("query-form").addEventListener("submit", run);
    $("sparql").addEventListener("keydown", (ev) => { if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) run(ev); });
    $("download-csv").addEventListener("click", () => {
      const flat = rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ? r[c].value : ""])));
      download("mawqif-results.csv", new Blob([toCSV(columns, flat)], { type: "text/csv" }));
    });
    $("download-json").addEventListener("click", () => {
      const isGraph = raw && raw.type.includes("n-triples");
      const text = isGraph ? JSON.stringify(rows, null, 2) : raw ? raw.text : "{}";
      download("mawqif-results.json", new Blob([text], { type: "application/json" }));
    });
    $("show-graph").addEventListener("click", showGraph);
    document.body.dataset.ready = "1";
  }
  start();
})();
