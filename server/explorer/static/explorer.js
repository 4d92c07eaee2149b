/* mawqif explorer: the graph view (vis-network), search, filters, timeline, evidence, export, URL state. */
"use strict";
(function () {
  const { MQ, el, dirOf, cleanLabel, labelSpan, api, download, toCSV, loadStrings, tr, applyStrings } = window.Mawqif;
  const SHAPES = { State: "dot", Organisation: "square", ArmedGroup: "triangle", Conflict: "star", Region: "hexagon" };
  const CLASS_COLOURS = { State: "#5b8dc9", Organisation: "#8e6cc0", ArmedGroup: "#b5544a", Conflict: "#d38b2c", Region: "#4a9a8f" };
  const FONT = "DejaVu Sans, Noto Sans Arabic, sans-serif";

  const state = { focus: null, expand: [], types: new Set(), classes: new Set(), from: "", to: "", lang: "en",
                  edge: null, selected: null };
  let meta = null;
  let maxNodes = 300;
  const nodes = new vis.DataSet();
  const edges = new vis.DataSet();
  let network = null;
  let capped = false;
  let building = 0;

  const $ = (id) => document.getElementById(id);
  const t = (key) => tr(state.lang, key);
  const typeInfo = (name) => (meta && meta.stance_types.find((s) => s.name === name)) || { name, label_en: name, label_ar: name, colour: "#777" };
  const typeLabel = (name) => { const i = typeInfo(name); return state.lang === "ar" ? i.label_ar : i.label_en; };
  const relationLabel = (name) => {
    const r = meta && meta.relations && meta.relations.find((x) => x.name === name);
    return r ? (state.lang === "ar" ? r.label_ar : r.label_en) : name;
  };
  //: How far one arrow key moves the selected node, in screen pixels (with Shift: BIG_STEP).
  const STEP_PX = 10;
  const BIG_STEP_PX = 50;

  // ------------------------------------------------------------------------------ URL state
  function readURL() {
    const p = new URLSearchParams(location.search);
    state.focus = p.get("focus") || null;
    state.expand = p.getAll("expand");
    state.types = new Set((p.get("types") || "").split(",").filter(Boolean));
    state.classes = new Set((p.get("classes") || "").split(",").filter(Boolean));
    state.from = p.get("from") || "";
    state.to = p.get("to") || "";
    state.lang = p.get("lang") === "ar" ? "ar" : "en";
    state.edge = p.get("edge") || null;
    state.selected = p.get("selected") || null;
  }

  function writeURL() {
    const p = new URLSearchParams();
    if (state.focus) p.set("focus", state.focus);
    for (const x of state.expand) p.append("expand", x);
    if (state.types.size) p.set("types", [...state.types].sort().join(","));
    if (state.classes.size) p.set("classes", [...state.classes].sort().join(","));
    if (state.from) p.set("from", state.from);
    if (state.to) p.set("to", state.to);
    if (state.lang !== "en") p.set("lang", state.lang);
    if (state.edge) p.set("edge", state.edge);
    if (state.selected) p.set("selected", state.selected);
    const qs = p.toString();
    history.replaceState(null, "", qs ? "?" + qs : location.pathname);
  }

  function filterParams() {
    return { types: [...state.types], classes: [...state.classes], from: state.from, to: state.to };
  }

  // ------------------------------------------------------------------------------ graph
  function nodeLabel(n) { return cleanLabel(state.lang === "ar" ? n.label_ar : n.label_en); }

  function visNode(n, isFocus) {
    const colour = CLASS_COLOURS[n.class] || "#888";
    return {
      id: n.id, label: nodeLabel(n), shape: SHAPES[n.class] || "dot", size: isFocus ? 26 : 14,
      color: { background: colour, border: isFocus ? "#17324d" : "#ffffff", highlight: { background: colour, border: "#ff9800" } },
      borderWidth: isFocus ? 4 : 2, font: { face: FONT, size: isFocus ? 18 : 14, color: "#1d232b", strokeWidth: 3, strokeColor: "#ffffff" },
      data: n,
    };
  }

  function visEdge(e) {
    if (e.kind === "link") {
      return { id: e.id, from: e.from, to: e.to, arrows: "to", dashes: true, color: { color: "#9aa5b1", highlight: "#55606c" },
               label: relationLabel(e.relation), font: { face: FONT, size: 10, color: "#6b7785", strokeWidth: 2 }, data: e };
    }
    const colour = typeInfo(e.type).colour || "#777";
    return { id: e.id, from: e.from, to: e.to, arrows: "to", color: { color: colour, highlight: colour },
             width: 1.5 + Math.log2(1 + e.count), label: e.count > 1 ? String(e.count) : undefined,
             font: { face: FONT, size: 11, color: colour, strokeWidth: 3 }, data: e };
  }

  function curveParallel() {
    const groups = new Map();
    for (const e of edges.get()) {
      const key = [e.from, e.to].sort().join(" ");
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(e);
    }
    const updates = [];
    for (const list of groups.values()) {
      list.sort((a, b) => (a.id < b.id ? -1 : 1));
      list.forEach((e, i) => {
        const smooth = list.length === 1 ? { enabled: false } :
          { enabled: true, type: e.from < e.to ? "curvedCW" : "curvedCCW", roundness: 0.12 + 0.12 * i };
        updates.push({ id: e.id, smooth });
      });
    }
    edges.update(updates);
  }

  function initNetwork() {
    network = new vis.Network($("graph"), { nodes, edges }, {
      autoResize: true,
      layout: { randomSeed: 7, improvedLayout: true },
      physics: { enabled: true, solver: "forceAtlas2Based", forceAtlas2Based: { gravitationalConstant: -60, springLength: 120 },
                 stabilization: { enabled: true, iterations: 400, fit: true }, minVelocity: 0.75 },
      interaction: { hover: true, keyboard: false, multiselect: false, tooltipDelay: 300 },
      nodes: { font: { face: FONT } },
      edges: { font: { face: FONT, align: "top" }, selectionWidth: 2 },
    });
    network.on("stabilizationIterationsDone", () => {
      network.setOptions({ physics: { enabled: false } });
      document.body.dataset.stable = "1";
    });
    network.on("dragEnd", (params) => {
      // Dragging pins a node where it is dropped (P and the arrow keys do the same from the keyboard).
      for (const id of params.nodes) setPinned(id, true);
      if (params.nodes.length) renderNeighbours();
    });
    network.on("click", (params) => {
      if (params.nodes.length) {
        const id = params.nodes[0];
        if (String(id).startsWith("more:")) {
          expand(String(id).slice(5));
        } else {
          expand(id);
        }
      } else if (params.edges.length) {
        showEdge(params.edges[0]);
      }
    });
  }

  // ------------------------------------------------------------------------------ pinning and the keyboard on the canvas
  function isPinned(id) {
    const n = nodes.get(id);
    return Boolean(n && n.fixed && n.fixed.x && n.fixed.y);
  }

  /** Pin a node where it is (out of the physics, drawn with a dashed border) or let it go again. */
  function setPinned(id, pinned) {
    const n = nodes.get(id);
    if (!n) return;
    const base = id === state.focus ? 4 : 2;
    if (pinned) {
      const p = network.getPositions([id])[id];
      nodes.update({ id, x: p.x, y: p.y, fixed: { x: true, y: true }, physics: false, borderWidth: base + 1,
                     shapeProperties: { borderDashes: [5, 3] } });
    } else {
      nodes.update({ id, fixed: { x: false, y: false }, physics: true, borderWidth: base,
                     shapeProperties: { borderDashes: false } });
    }
  }

  function togglePin(id) {
    const pinned = !isPinned(id);
    setPinned(id, pinned);
    if (!pinned) settle();
    renderNeighbours();
    announce(t(pinned ? "pinned" : "unpinned") + ": " + nodeLabel(nodes.get(id).data));
  }

  /** Move a node by (dx, dy) screen pixels; moving pins it, as dragging does. */
  function nudge(id, dx, dy) {
    const scale = network.getScale() || 1;
    if (!isPinned(id)) { setPinned(id, true); renderNeighbours(); announce(t("pinned") + ": " + nodeLabel(nodes.get(id).data)); }
    const p = network.getPositions([id])[id];
    const x = p.x + dx / scale;
    const y = p.y + dy / scale;
    nodes.update({ id, x, y });
    network.moveNode(id, x, y);
    keepVisible(id);
  }

  /** Bring a node into view when it is outside the canvas. */
  function keepVisible(id) {
    const p = network.getPositions([id])[id];
    if (!p) return;
    const dom = network.canvasToDOM(p);
    const box = $("graph");
    if (dom.x < 20 || dom.y < 20 || dom.x > box.clientWidth - 20 || dom.y > box.clientHeight - 20) {
      network.moveTo({ position: p, animation: false });
    }
  }

  /** The entity nodes on the canvas (not the "+N more" nodes, which the neighbours list offers). */
  function drawnNodes() {
    return nodes.getIds().filter((id) => { const n = nodes.get(id); return n.data && !n.data.more; });
  }

  function announce(text) {
    $("graph-live").textContent = text;
  }

  // Keys on the focused canvas: N / Shift+N select, Enter expands, P pins, arrows move, Esc leaves.
  // ``ev.code`` keeps the letters where they are on an Arabic keyboard too.
  function onGraphKey(ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const selected = state.selected && nodes.get(state.selected) ? state.selected : null;
    const arrows = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (arrows[ev.key]) {
      ev.preventDefault();
      if (!selected) return;
      const step = ev.shiftKey ? BIG_STEP_PX : STEP_PX;
      nudge(selected, arrows[ev.key][0] * step, arrows[ev.key][1] * step);
    } else if (ev.code === "KeyP" || ev.key === "p" || ev.key === "P") {
      ev.preventDefault();
      if (selected) togglePin(selected);
    } else if (ev.code === "KeyN" || ev.key === "n" || ev.key === "N") {
      ev.preventDefault();
      const ids = drawnNodes();
      if (!ids.length) return;
      const i = ids.indexOf(selected);
      const j = i < 0 ? 0 : (i + (ev.shiftKey ? -1 : 1) + ids.length) % ids.length;
      selectNode(ids[j]);
      keepVisible(ids[j]);
      const n = nodes.get(ids[j]);
      announce(t("selected") + ": " + nodeLabel(n.data) + (isPinned(ids[j]) ? " (" + t("pinned") + ")" : ""));
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      if (selected) expand(selected);
    } else if (ev.key === "Escape") {
      ev.preventDefault();
      $("neighbours-h").focus();
    }
  }

  function onGraphFocus() {
    if (!state.selected || !nodes.get(state.selected)) {
      if (state.focus && nodes.get(state.focus)) selectNode(state.focus);
    } else if (network) {
      network.selectNodes([state.selected]);
    }
  }

  function settle() {
    document.body.dataset.stable = "0";
    network.setOptions({ physics: { enabled: true } });
    network.stabilize(300);
  }

  function addEgo(result, center) {
    const pos = nodes.get(center) ? network.getPosition(center) : { x: 0, y: 0 };
    const fresh = [];
    for (const n of result.nodes) {
      if (nodes.get(n.id)) continue;
      if (nodes.length >= maxNodes) { capped = true; break; }
      const angle = Math.random() * 2 * Math.PI;
      fresh.push({ ...visNode(n, n.id === state.focus), x: pos.x + 150 * Math.cos(angle), y: pos.y + 150 * Math.sin(angle) });
    }
    nodes.add(fresh);
    const moreId = "more:" + center;
    if (result.more > 0) {
      const label = "+" + result.more + " " + t("more");
      const more = { id: moreId, label, shape: "box", color: { background: "#eef2f6", border: "#9aa5b1" },
                     font: { face: FONT, size: 12 }, data: { more: result.more, center } };
      if (nodes.get(moreId)) nodes.update(more); else nodes.add({ ...more, x: pos.x + 80, y: pos.y + 80 });
      if (!edges.get(moreId)) edges.add({ id: moreId, from: center, to: moreId, dashes: true, color: { color: "#c0c8d0" }, data: { kind: "more" } });
    } else if (nodes.get(moreId)) {
      nodes.remove(moreId);
      edges.remove(moreId);
    }
    const newEdges = result.edges.filter((e) => !edges.get(e.id) && nodes.get(e.from) && nodes.get(e.to)).map(visEdge);
    edges.add(newEdges);
  }

  async function rebuild() {
    const token = ++building;
    document.body.dataset.stable = "0";
    writeURL();
    capped = false;
    nodes.clear();
    edges.clear();
    renderNeighbours();
    loadTimeline();
    if (!state.focus) {
      $("status").textContent = t("no_focus");
      renderEvidenceHint();
      document.body.dataset.stable = "1";
      return;
    }
    $("status").textContent = t("loading");
    try {
      const pages = new Map([[state.focus, 1]]);
      const order = [state.focus];
      for (const x of state.expand) {
        if (!pages.has(x)) { pages.set(x, 0); order.push(x); }
        pages.set(x, pages.get(x) + 1);
      }
      for (const iri of order) {
        const result = await api("/api/explorer/ego", { entity: iri, page: pages.get(iri), ...filterParams() });
        if (token !== building) return;
        if (iri === state.focus && !nodes.get(iri)) nodes.add(visNode(result.entity, true));
        addEgo(result, iri);
      }
      curveParallel();
      if (nodes.length > 1) settle(); else document.body.dataset.stable = "1";
      setStatus();
      selectNode(state.selected && nodes.get(state.selected) ? state.selected : state.focus);
      if (state.edge && edges.get(state.edge)) showEdge(state.edge); else renderEvidenceHint();
    } catch (err) {
      $("status").textContent = String(err.message || err);
      document.body.dataset.stable = "1";
    }
  }

  function setStatus() {
    const focus = nodes.get(state.focus);
    const status = $("status");
    status.replaceChildren(...[
      focus ? labelSpan(focus.data, state.lang) : "", " · ",
      el("bdi", { dir: "ltr", lang: "en", text: nodes.length + " nodes · " + edges.length + " edges" }),
      capped ? el("span", { text: " — " + t("capped") }) : ""].filter((x) => x !== ""));
    status.setAttribute("dir", dirOf(state.lang));
  }

  async function expand(iri) {
    if (!nodes.get(iri)) return;
    selectNode(iri);
    const pages = state.expand.filter((x) => x === iri).length + (iri === state.focus ? 1 : 0);
    const moreNode = nodes.get("more:" + iri);
    if (pages > 0 && !moreNode) return; // everything already shown
    if (nodes.length >= maxNodes) { capped = true; setStatus(); return; }
    state.expand.push(iri);
    document.body.dataset.stable = "0";
    writeURL();
    try {
      const result = await api("/api/explorer/ego", { entity: iri, page: pages + 1, ...filterParams() });
      addEgo(result, iri);
      curveParallel();
      settle();
      setStatus();
      renderNeighbours();
    } catch (err) {
      $("status").textContent = String(err.message || err);
    }
  }

  // ------------------------------------------------------------------------------ neighbours (keyboard path)
  function selectNode(iri) {
    state.selected = iri;
    writeURL();
    if (network && nodes.get(iri)) network.selectNodes([iri]);
    renderNeighbours();
  }

  function renderNeighbours() {
    const card = $("focus-card");
    const list = $("neighbours");
    card.replaceChildren();
    list.replaceChildren();
    const node = state.selected && nodes.get(state.selected);
    if (!node) return;
    const d = node.data;
    card.append(
      el("div", { class: "name" }, labelSpan(d, state.lang)),
      el("div", { class: "muted" }, labelSpan(d, state.lang === "ar" ? "en" : "ar"), " · ", el("span", { dir: "ltr", text: d.class || "" })),
      el("div", { class: "toolbar" },
        el("button", { type: "button", class: "expand-btn", "data-iri": d.id, text: t("expand") }),
        d.page ? el("a", { href: d.page + "?lang=" + state.lang, class: "entity-link", text: t("open_page") }) : null,
        d.id !== state.focus ? el("button", { type: "button", class: "focus-btn", text: t("focus") }) : null,
        el("button", { type: "button", class: "pin-btn", "aria-pressed": isPinned(d.id) ? "true" : "false",
                       title: t("key_p"), text: t("pin") })),
    );
    card.querySelector(".expand-btn").addEventListener("click", () => expand(d.id));
    const fb = card.querySelector(".focus-btn");
    if (fb) fb.addEventListener("click", () => setFocus(d.id));
    card.querySelector(".pin-btn").addEventListener("click", () => {
      togglePin(d.id);
      const again = $("focus-card").querySelector(".pin-btn");
      if (again) again.focus();
    });
    // Group this node's edges by relation: held (→) and received (←) per stance type, and links.
    const groups = new Map();
    for (const e of edges.get()) {
      if (!e.data || e.data.kind === "more") continue;
      if (e.from !== d.id && e.to !== d.id) continue;
      const out = e.from === d.id;
      const rel = e.data.kind === "link" ? e.data.relation : e.data.type;
      const key = (out ? "out:" : "in:") + rel;
      if (!groups.has(key)) groups.set(key, { out, rel, kind: e.data.kind, items: [] });
      groups.get(key).items.push(e);
    }
    const keys = [...groups.keys()].sort();
    for (const key of keys) {
      const g = groups.get(key);
      const relText = g.kind === "link" ? relationLabel(g.rel) : typeLabel(g.rel);
      list.append(el("li", { class: "group", role: "presentation" },
        el("span", { class: "swatch line", "data-type": g.kind === "link" ? "link" : g.rel }),
        el("span", { lang: state.lang, dir: dirOf(state.lang), text: (g.out ? "→ " : "← ") + relText + " (" + g.items.length + ")" })));
      for (const e of g.items) {
        const otherId = g.out ? e.to : e.from;
        const other = nodes.get(otherId);
        if (!other) continue;
        const item = el("li", { class: "item" },
          el("button", { type: "button", class: "node-btn", "data-iri": otherId }, labelSpan(other.data, state.lang)),
          el("button", { type: "button", class: "edge-btn", "data-edge": e.id, "data-kind": g.kind,
                         "aria-label": t("evidence") + ": " + relText + " " + nodeLabel(other.data),
                         text: g.kind === "stance" ? t("evidence") + " (" + e.data.count + ")" : t("evidence") }));
        list.append(item);
      }
    }
    if (nodes.get("more:" + d.id)) {
      const more = nodes.get("more:" + d.id);
      list.append(el("li", { class: "item" }, el("button", { type: "button", class: "more-btn", text: more.label })));
    }
    for (const b of list.querySelectorAll(".node-btn")) b.addEventListener("click", () => expand(b.dataset.iri));
    for (const b of list.querySelectorAll(".edge-btn")) b.addEventListener("click", () => showEdge(b.dataset.edge));
    for (const b of list.querySelectorAll(".more-btn")) b.addEventListener("click", () => expand(d.id));
  }

  // Arrow keys walk the buttons of the neighbours list; Home/End jump.
  function onListKey(ev) {
    const buttons = [...$("neighbours").querySelectorAll("button")];
    const i = buttons.indexOf(document.activeElement);
    if (i < 0) return;
    let j = null;
    if (ev.key === "ArrowDown") j = Math.min(i + 1, buttons.length - 1);
    else if (ev.key === "ArrowUp") j = Math.max(i - 1, 0);
    else if (ev.key === "Home") j = 0;
    else if (ev.key === "End") j = buttons.length - 1;
    if (j !== null) { ev.preventDefault(); buttons[j].focus(); }
  }

  // ------------------------------------------------------------------------------ evidence
  function renderEvidenceHint() {
    $("evidence").replaceChildren(el("p", { class: "hint", lang: state.lang, dir: dirOf(state.lang), text: t("evidence_hint") }));
  }

  async function showEdge(edgeId, page) {
    const e = edges.get(edgeId);
    if (!e || !e.data || (e.data.kind !== "stance" && e.data.kind !== "link")) return;
    state.edge = edgeId;
    writeURL();
    network.selectEdges([edgeId]);
    const box = $("evidence");
    box.replaceChildren(el("p", { class: "hint", text: t("loading") }));
    if (e.data.kind === "link") { await showLink(e, page); return; }
    try {
      const doc = await api("/api/explorer/stances", { holder: e.from, type: MQ + e.data.type, target: e.to,
                                                     from: state.from, to: state.to, page: page || 1, size: 10 });
      box.replaceChildren(...doc.stances.map(stanceCard));
      if (doc.pages > 1) box.append(pager(doc, (p) => showEdge(edgeId, p)));
      if (!doc.stances.length) box.append(el("p", { text: t("empty") }));
    } catch (err) {
      box.replaceChildren(el("p", { class: "error", text: String(err.message || err) }));
    }
  }

  /** Where a membership, location or party link comes from: the articles whose graphs state it, or the curated fact. */
  async function showLink(e, page) {
    const box = $("evidence");
    try {
      const doc = await api("/api/explorer/link", { source: e.from, relation: MQ + e.data.relation, dest: e.to,
                                                   page: page || 1, size: 10 });
      box.replaceChildren(linkCard(doc));
      if (doc.articles.pages > 1) box.append(pager(doc.articles, (p) => showEdge(e.id, p)));
      revealEvidence();
    } catch (err) {
      box.replaceChildren(el("p", { class: "error", text: String(err.message || err) }));
    }
  }

  /** Scroll the side panel (not the page) so that the evidence heading is at its top. */
  function revealEvidence() {
    const heading = $("evidence-h");
    const panel = heading.closest(".panel");
    if (!panel) return;
    const gap = heading.getBoundingClientRect().top - panel.getBoundingClientRect().top;
    if (gap > panel.clientHeight / 2) panel.scrollTop += gap - 8;
  }

  function wikidataLink(w) {
    return w && w.url ? el("a", { href: w.url, rel: "noopener noreferrer", class: "wikidata", dir: "ltr",
                                  text: w.iri.split("/").pop() }) : null;
  }

  function linkCard(doc) {
    const rel = state.lang === "ar" ? doc.relation.label_ar : doc.relation.label_en;
    const card = el("article", { class: "link-evidence", "data-relation": doc.relation.name },
      el("p", { class: "link-statement" }, entityLink(doc.source), " ",
        el("span", { class: "swatch line", "data-type": "link" }), " ",
        el("bdi", { lang: state.lang, dir: dirOf(state.lang), class: "relation", text: rel }),
        dirOf(state.lang) === "rtl" ? " ← " : " → ", entityLink(doc.dest)));
    const dl = el("dl", {},
      el("dt", { text: t("relation") }),
      el("dd", {}, el("bdi", { lang: state.lang, text: rel }), " ", el("code", { dir: "ltr", text: "mq:" + doc.relation.name })));
    if (doc.wikidata.source || doc.wikidata.dest) {
      dl.append(el("dt", { text: t("wikidata") }),
        el("dd", {}, labelSpan(doc.source, state.lang), " ", wikidataLink(doc.wikidata.source) || "—", " · ",
          labelSpan(doc.dest, state.lang), " ", wikidataLink(doc.wikidata.dest) || "—"));
    }
    card.append(dl);
    if (doc.articles.total) {
      card.append(
        el("h3", { text: t("stated_in") + " (" + doc.articles.total + ")" }),
        el("p", { class: "no-sentence hint", lang: state.lang, dir: dirOf(state.lang), text: t("no_sentence") }));
      const list = el("ul", { class: "link-articles" });
      for (const a of doc.articles.items) {
        const title = el("bdi", { lang: a.title_lang || "", dir: a.title_dir, text: cleanLabel(a.title || a.url_text || a.iri) });
        list.append(el("li", { "data-article": a.iri },
          a.page ? el("a", { href: a.page + "?lang=" + state.lang, class: "article-page" }, title) : title,
          el("span", { class: "muted", dir: "auto", text: " · " + [a.date, a.source].filter(Boolean).join(" · ") }),
          a.url ? [" · ", el("a", { href: a.url, rel: "noopener noreferrer", class: "article-link", dir: "ltr", text: t("link") })] : null,
          a.run ? el("div", { class: "small" }, t("extraction_run") + ": ",
            a.run.page ? el("a", { href: a.run.page + "?lang=" + state.lang, dir: "ltr", text: a.run.software || a.run.iri })
                       : el("span", { dir: "ltr", text: a.run.software || a.run.iri }),
            a.run.ended ? el("span", { dir: "ltr", text: " · " + a.run.ended }) : null) : null));
      }
      card.append(list);
    }
    for (const c of doc.curated) {
      const g = c.gazetteer;
      card.append(el("h3", { text: t("curated") }),
        el("p", { class: "curated hint", lang: state.lang, dir: dirOf(state.lang), text: t("curated_note") }),
        el("dl", { class: "curated-facts" },
          el("dt", { text: t("named_graph") }), el("dd", {}, el("code", { dir: "ltr", text: c.graph })),
          g ? el("dt", { text: t("gazetteer") }) : null,
          g ? el("dd", { dir: "ltr", class: "gazetteer" },
                el("div", {}, el("code", { class: "gazetteer-file", text: g.file })),
                el("div", {}, el("code", { class: "gazetteer-entry", text: g.key + " → " + g.field + ": " + g.value }),
                  g.wikidata_url ? [" · ", el("a", { href: g.wikidata_url, rel: "noopener noreferrer", class: "wikidata", text: g.wikidata })] : null)) : null));
    }
    if (doc.default_graph) card.append(el("p", { class: "hint", text: t("default_graph") }));
    if (doc.other_graphs.length) {
      card.append(el("h3", { text: t("named_graph") }),
        el("ul", {}, doc.other_graphs.map((g) => el("li", {}, el("code", { dir: "ltr", text: g })))));
    }
    return card;
  }

  function pager(doc, go) {
    const nav = el("div", { class: "pager" });
    if (doc.page > 1) { const b = el("button", { type: "button", text: t("prev") }); b.addEventListener("click", () => go(doc.page - 1)); nav.append(b); }
    nav.append(el("span", { text: t("page") + " " + doc.page + " " + t("of") + " " + doc.pages }));
    if (doc.page < doc.pages) { const b = el("button", { type: "button", text: t("next") }); b.addEventListener("click", () => go(doc.page + 1)); nav.append(b); }
    return nav;
  }

  function entityLink(n) {
    return n.page ? el("a", { href: n.page + "?lang=" + state.lang }, labelSpan(n, state.lang)) : labelSpan(n, state.lang);
  }

  function stanceCard(s) {
    const type = s.type;
    const sentence = el("p", { class: "sentence", lang: s.evidence.lang || "", dir: s.evidence.dir });
    for (const seg of s.evidence.segments) {
      if (!seg.mark) { sentence.append(document.createTextNode(seg.text)); continue; }
      const m = el("mark", { class: seg.mark, text: seg.text });
      if (seg.mark === "cue") m.setAttribute("title", t("cue"));
      sentence.append(m);
    }
    const a = s.article;
    const title = el("bdi", { lang: a.title_lang || "", dir: a.title_dir, text: cleanLabel(a.title || a.url_text || a.iri) });
    const dl = el("dl", {},
      el("dt", { text: t("holder") }), el("dd", {}, entityLink(s.holder)),
      el("dt", { text: t("type") }), el("dd", {}, el("span", { class: "swatch", "data-type": type.name }), " ",
        el("bdi", { lang: state.lang, text: state.lang === "ar" ? type.label_ar : type.label_en }),
        " ", el("span", { class: "cameo", dir: "ltr", text: "CAMEO " + (type.cameo || "—") + (type.plover ? " · PLOVER " + type.plover : "") })),
      el("dt", { text: t("targets") }), el("dd", {}, ...s.targets.flatMap((g, i) => (i ? [", ", entityLink(g)] : [entityLink(g)]))),
      s.principles.length ? el("dt", { text: t("principles") }) : null,
      s.principles.length ? el("dd", {}, s.principles.map((p) => (state.lang === "ar" ? p.label_ar : p.label_en)).join("، ")) : null,
      el("dt", { text: t("date") }), el("dd", { dir: "ltr", text: s.date || "" }),
      el("dt", { text: t("article") }), el("dd", {}, a.url ? el("a", { href: a.url, rel: "noopener noreferrer", class: "article-link" }, title) : title),
      el("dt", { text: t("source") }), el("dd", { dir: "auto", text: (a.source || "") + (a.published ? " · " + a.published : "") }),
    );
    return el("article", { class: "stance", "data-stance": s.stance || "" }, sentence, dl,
      s.page ? el("a", { href: s.page + "?lang=" + state.lang, class: "small", text: t("stance_page") }) : null);
  }

  // ------------------------------------------------------------------------------ filters, legend, timeline
  function renderFilters() {
    const tf = $("type-filter");
    tf.querySelectorAll("label").forEach((x) => x.remove());
    for (const s of meta.stance_types) {
      const box = el("input", { type: "checkbox", value: s.name, name: "type", checked: state.types.has(s.name) });
      box.addEventListener("change", () => { box.checked ? state.types.add(s.name) : state.types.delete(s.name); state.edge = null; rebuild(); });
      tf.append(el("label", {}, box, el("span", { class: "swatch", "data-type": s.name }),
        el("span", { lang: state.lang, dir: dirOf(state.lang), text: state.lang === "ar" ? s.label_ar : s.label_en }),
        el("small", { class: "muted", dir: "ltr", text: s.cameo ? "CAMEO " + s.cameo : "" })));
    }
    const cf = $("class-filter");
    cf.querySelectorAll("label").forEach((x) => x.remove());
    for (const name of meta.holder_classes) {
      const c = meta.classes.find((x) => x.name === name) || { label_en: name, label_ar: name };
      const box = el("input", { type: "checkbox", value: name, name: "class", checked: state.classes.has(name) });
      box.addEventListener("change", () => { box.checked ? state.classes.add(name) : state.classes.delete(name); state.edge = null; rebuild(); });
      cf.append(el("label", {}, box, el("span", { lang: state.lang, dir: dirOf(state.lang), text: state.lang === "ar" ? c.label_ar : c.label_en })));
    }
    $("date-from").value = state.from;
    $("date-to").value = state.to;
    const legend = $("legend");
    legend.replaceChildren();
    for (const s of meta.stance_types) {
      legend.append(el("li", {}, el("span", { class: "swatch line", "data-type": s.name }),
        el("span", { lang: state.lang, dir: dirOf(state.lang), text: state.lang === "ar" ? s.label_ar : s.label_en })));
    }
    legend.append(el("li", {}, el("span", { class: "swatch line", "data-type": "link" }),
      el("span", { lang: state.lang, dir: dirOf(state.lang), text: ["memberOf", "location", "party"].map(relationLabel).join(" / ") })));
    for (const [cls, shape] of Object.entries(SHAPES)) {
      const c = meta.classes.find((x) => x.name === cls) || { label_en: cls, label_ar: cls };
      legend.append(el("li", {}, el("span", { class: "muted", dir: "ltr", text: shape }),
        el("span", { lang: state.lang, dir: dirOf(state.lang), text: state.lang === "ar" ? c.label_ar : c.label_en })));
    }
  }

  let brush = null;
  async function loadTimeline() {
    const box = $("timeline");
    try {
      const doc = await api("/api/explorer/timeline", { entity: state.focus, types: [...state.types], classes: [...state.classes] });
      const max = Math.max(1, ...doc.months.map((m) => m.count));
      box.replaceChildren();
      doc.months.forEach((m, i) => {
        const bar = el("button", { type: "button", class: "bar" + (m.count ? "" : " empty"), "data-month": m.month, "data-index": i,
                                   "aria-label": m.month + ": " + m.count + " " + t("stances"), title: m.month + ": " + m.count });
        bar.style.height = Math.max(4, Math.round((100 * m.count) / max)) + "%";
        box.append(bar);
      });
      const axis = box.nextElementSibling && box.nextElementSibling.classList.contains("timeline-axis") ? box.nextElementSibling : null;
      if (axis) axis.remove();
      if (doc.months.length) {
        box.after(el("div", { class: "timeline-axis" }, el("span", { text: doc.months[0].month }), el("span", { text: doc.months[doc.months.length - 1].month })));
      }
      markRange();
    } catch (err) {
      box.replaceChildren(el("p", { class: "error", text: String(err.message || err) }));
    }
  }

  function monthEnd(month) {
    const [y, m] = month.split("-").map(Number);
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return month + "-" + String(last).padStart(2, "0");
  }

  function markRange(a, b) {
    for (const bar of $("timeline").querySelectorAll(".bar")) {
      const month = bar.dataset.month;
      let inRange;
      if (a !== undefined) {
        const i = Number(bar.dataset.index);
        inRange = i >= Math.min(a, b) && i <= Math.max(a, b);
      } else {
        inRange = (state.from || state.to) && (!state.from || monthEnd(month) >= state.from) && (!state.to || month + "-01" <= state.to);
      }
      bar.classList.toggle("in-range", Boolean(inRange));
    }
  }

  function applyBrush(a, b) {
    const bars = [...$("timeline").querySelectorAll(".bar")];
    const lo = bars[Math.min(a, b)].dataset.month;
    const hi = bars[Math.max(a, b)].dataset.month;
    state.from = lo + "-01";
    state.to = monthEnd(hi);
    $("date-from").value = state.from;
    $("date-to").value = state.to;
    state.edge = null;
    rebuild();
  }

  function initTimeline() {
    const box = $("timeline");
    box.addEventListener("pointerdown", (ev) => {
      const bar = ev.target.closest(".bar");
      if (!bar) return;
      ev.preventDefault();
      brush = { start: Number(bar.dataset.index), end: Number(bar.dataset.index) };
      markRange(brush.start, brush.end);
    });
    box.addEventListener("pointermove", (ev) => {
      if (!brush) return;
      const hit = document.elementFromPoint(ev.clientX, ev.clientY);
      const bar = hit && hit.closest && hit.closest(".bar");
      if (bar) { brush.end = Number(bar.dataset.index); markRange(brush.start, brush.end); }
    });
    const finish = () => { if (brush) { const b = brush; brush = null; applyBrush(b.start, b.end); } };
    box.addEventListener("pointerup", finish);
    box.addEventListener("pointerleave", finish);
    box.addEventListener("keydown", (ev) => {
      const bar = ev.target.closest(".bar");
      if (bar && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); applyBrush(Number(bar.dataset.index), Number(bar.dataset.index)); }
    });
  }

  // ------------------------------------------------------------------------------ search
  let searchTimer = null;
  let searchResults = [];
  let active = -1;
  function initSearch() {
    const input = $("search");
    const list = $("search-results");
    input.addEventListener("input", () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(runSearch, 120);
    });
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        if (!searchResults.length) return;
        ev.preventDefault();
        active = (active + (ev.key === "ArrowDown" ? 1 : -1) + searchResults.length) % searchResults.length;
        markActive();
      } else if (ev.key === "Enter") {
        ev.preventDefault();
        if (searchResults.length) choose(searchResults[Math.max(active, 0)]);
      } else if (ev.key === "Escape") {
        closeList();
      }
    });
    input.addEventListener("blur", () => setTimeout(closeList, 200));
    list.addEventListener("mousedown", (ev) => ev.preventDefault());
  }

  async function runSearch() {
    const input = $("search");
    const q = input.value.trim();
    if (!q) { closeList(); return; }
    const doc = await api("/api/explorer/search", { q, limit: 10 });
    if (input.value.trim() !== q) return;
    searchResults = doc.results;
    active = searchResults.length ? 0 : -1;
    const list = $("search-results");
    list.replaceChildren(...searchResults.map((r, i) => {
      const other = state.lang === "ar" ? "en" : "ar";
      const li = el("li", { role: "option", id: "search-opt-" + i, "data-iri": r.id },
        labelSpan(r, state.lang), el("span", { class: "secondary" }, labelSpan(r, other)),
        el("span", { class: "secondary", dir: "ltr", text: r.class || "" }));
      li.addEventListener("click", () => choose(r));
      return li;
    }));
    if (!searchResults.length) list.append(el("li", { role: "option", "aria-disabled": "true", text: t("empty") }));
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    markActive();
  }

  function markActive() {
    const items = $("search-results").querySelectorAll("li[role=option]");
    items.forEach((li, i) => li.setAttribute("aria-selected", i === active ? "true" : "false"));
    if (active >= 0 && items[active]) $("search").setAttribute("aria-activedescendant", items[active].id);
  }

  function closeList() {
    $("search-results").hidden = true;
    $("search").setAttribute("aria-expanded", "false");
    $("search").removeAttribute("aria-activedescendant");
  }

  function choose(r) {
    closeList();
    $("search").value = cleanLabel(state.lang === "ar" ? r.label_ar : r.label_en);
    setFocus(r.id);
  }

  function setFocus(iri) {
    state.focus = iri;
    state.expand = [];
    state.edge = null;
    state.selected = iri;
    rebuild();
  }

  // ------------------------------------------------------------------------------ export
  function exportPNG() {
    const canvas = $("graph").querySelector("canvas");
    const out = document.createElement("canvas");
    out.width = canvas.width;
    out.height = canvas.height;
    const ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    out.toBlob((blob) => download("mawqif-graph.png", blob), "image/png");
  }

  function shownNodes() {
    return nodes.get().filter((n) => n.data && !n.data.more).map((n) => ({ id: n.id, class: n.data.class, label_en: n.data.label_en, label_ar: n.data.label_ar }));
  }
  function shownEdges() {
    return edges.get().filter((e) => e.data && e.data.kind !== "more").map((e) => ({
      id: e.id, kind: e.data.kind, from: e.from, to: e.to, type: e.data.type || "", relation: e.data.relation || "",
      count: e.data.count || "", latest: e.data.latest || "" }));
  }

  function initExport() {
    $("export-png").addEventListener("click", exportPNG);
    $("export-json").addEventListener("click", () => {
      const doc = { focus: state.focus, filters: filterParams(), nodes: shownNodes(), edges: shownEdges() };
      download("mawqif-graph.json", new Blob([JSON.stringify(doc, null, 2)], { type: "application/json" }));
    });
    $("export-csv-nodes").addEventListener("click", () => download("mawqif-nodes.csv",
      new Blob([toCSV(["id", "class", "label_en", "label_ar"], shownNodes())], { type: "text/csv" })));
    $("export-csv-edges").addEventListener("click", () => download("mawqif-edges.csv",
      new Blob([toCSV(["id", "kind", "from", "type", "relation", "to", "count", "latest"], shownEdges())], { type: "text/csv" })));
    $("export-ttl").addEventListener("click", async () => {
      const resp = await fetch("/api/explorer/turtle", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ nodes: shownNodes().map((n) => n.id), edges: shownEdges().filter((e) => e.kind === "stance") }) });
      download("mawqif-view.ttl", await resp.blob());
    });
  }

  // ------------------------------------------------------------------------------ language
  function setLanguage(lang) {
    state.lang = lang;
    applyStrings(lang);
    const sw = $("lang-switch");
    sw.textContent = t("language");
    const other = lang === "ar" ? "en" : "ar";
    sw.setAttribute("lang", other);
    sw.setAttribute("dir", dirOf(other));
    for (const a of document.querySelectorAll("header nav a")) {
      const u = new URL(a.href);
      u.searchParams.set("lang", lang);
      a.href = u.pathname + u.search;
    }
    nodes.update(nodes.get().filter((n) => n.data && !n.data.more).map((n) => ({ id: n.id, label: nodeLabel(n.data) })));
    nodes.update(nodes.get().filter((n) => n.data && n.data.more).map((n) => ({ id: n.id, label: "+" + n.data.more + " " + t("more") })));
    edges.update(edges.get().filter((e) => e.data && e.data.kind === "link").map((e) => ({ id: e.id, label: relationLabel(e.data.relation) })));
    renderFilters();
    renderNeighbours();
    if (state.edge && edges.get(state.edge)) showEdge(state.edge); else renderEvidenceHint();
    if (state.focus) setStatus(); else $("status").textContent = t("no_focus");
    writeURL();
  }

  // ------------------------------------------------------------------------------ start
  async function start() {
    readURL();
    await loadStrings();
    meta = await api("/api/explorer/meta");
    maxNodes = meta.max_nodes || 300;
    initNetwork();
    initSearch();
    initTimeline();
    initExport();
    $("neighbours").addEventListener("keydown", onListKey);
    $("graph").addEventListener("keydown", onGraphKey);
    $("graph").addEventListener("focus", onGraphFocus);
    $("lang-switch").addEventListener("click", () => setLanguage(state.lang === "ar" ? "en" : "ar"));
    const dateChange = () => { state.from = $("date-from").value; state.to = $("date-to").value; state.edge = null; rebuild(); };
    $("date-from").addEventListener("change", dateChange);
    $("date-to").addEventListener("change", dateChange);
    $("clear-filters").addEventListener("click", () => {
      state.types.clear(); state.classes.clear(); state.from = ""; state.to = ""; state.edge = null;
      renderFilters(); rebuild();
    });
    setLanguage(state.lang);
    await rebuild();
    document.body.dataset.ready = "1";
  }

  window.mawqifExplorer = { state, nodes, edges, get network() { return network; }, rebuild, expand, showEdge, settle, isPinned };
  start().catch((err) => { const s = $("status"); if (s) s.textContent = String(err.message || err); });
})();
