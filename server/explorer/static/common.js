/* mawqif explorer: shared helpers. Data is only ever rendered as text (textContent), never as HTML. */
"use strict";
(function () {
  const MQ = "https://w3id.org/mawqif/ontology#";
  const RTL_LANGS = new Set(["ar", "fa", "ur", "he"]);
  const FORBIDDEN_ATTR = /^on|^style$|^srcdoc$/i;

  /** An element with attributes and children; strings become text nodes (never parsed as HTML). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") { node.textContent = String(v); continue; }
      if (FORBIDDEN_ATTR.test(k)) throw new Error("refusing attribute " + k);
      if (k === "href") { const safe = safeHref(v); if (safe) node.setAttribute("href", safe); continue; }
      node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  /** Only same-origin paths and http(s) URLs may become links. */
  function safeHref(value) {
    const s = String(value);
    if (s.startsWith("/") && !s.startsWith("//")) return s;
    if (s.startsWith("?") || s.startsWith("#")) return s;
    try {
      const u = new URL(s, location.href);
      if (u.protocol === "http:" || u.protocol === "https:") return u.href;
    } catch (e) { /* not a URL */ }
    return null;
  }

  function dirOf(lang, text) {
    if (lang) return RTL_LANGS.has(String(lang).split("-")[0].toLowerCase()) ? "rtl" : "ltr";
    return /[\u0590-\u08ff]/.test(text || "") ? "rtl" : "ltr";
  }

  /** Remove bidi embedding/override/isolate controls from a label before display. */
  function cleanLabel(text) {
    return String(text || "").replace(/[\u202a-\u202e\u2066-\u2069]/g, "");
  }

  /** A label of a node in the interface language, as an isolated span with lang and dir. */
  function labelSpan(node, lang, extraClass) {
    const text = cleanLabel(lang === "ar" ? node.label_ar : node.label_en);
    return el("bdi", { lang, dir: dirOf(lang), class: "label " + (extraClass || ""), text });
  }

  async function api(path, params, options) {
    const url = new URL(path, location.origin);
    for (const [k, v] of Object.entries(params || {})) {
      if (v === null || v === undefined || v === "") continue;
      if (Array.isArray(v)) { if (v.length) url.searchParams.set(k, v.join(",")); } else url.searchParams.set(k, v);
    }
    const resp = await fetch(url, options || {});
    const type = resp.headers.get("content-type") || "";
    if (!type.includes("json")) {
      if (!resp.ok) throw new Error(resp.status + " " + resp.statusText);
      return resp;
    }
    const doc = await resp.json();
    if (!resp.ok || doc.ok === false) throw new Error(doc.error || resp.statusText);
    return doc;
  }

  function download(filename, blob) {
    const url = URL.createObjectURL(blob);
    const a = el("a", { download: filename });
    a.href = url;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function csvCell(v) {
    const s = v === null || v === undefined ? "" : String(v);
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function toCSV(columns, rows) {
    const lines = [columns.map(csvCell).join(",")];
    for (const r of rows) lines.push(columns.map((c) => csvCell(r[c])).join(","));
    return lines.join("\r\n") + "\r\n";
  }

  let STRINGS = null;
  async function loadStrings() {
    if (!STRINGS) STRINGS = await api("/explorer/i18n.json");
    return STRINGS;
  }
  function tr(lang, key) {
    const table = (STRINGS && STRINGS[lang]) || {};
    return table[key] || (STRINGS && STRINGS.en && STRINGS.en[key]) || key;
  }
  /** Put the interface text of ``lang`` on every [data-i18n] element and set dir everywhere. */
  function applyStrings(lang) {
    const dir = dirOf(lang);
    document.documentElement.lang = lang;
    document.documentElement.dir = dir;
    for (const node of document.querySelectorAll("[data-i18n]")) {
      node.textContent = tr(lang, node.dataset.i18n);
      node.setAttribute("dir", dir);
      node.setAttribute("lang", lang);
    }
    for (const node of document.querySelectorAll("[data-i18n-placeholder]")) {
      node.setAttribute("placeholder", tr(lang, node.dataset.i18nPlaceholder));
    }
    for (const node of document.querySelectorAll("[data-i18n-aria]")) {
      node.setAttribute("aria-label", tr(lang, node.dataset.i18nAria));
    }
  }

  window.Mawqif = { MQ, el, safeHref, dirOf, cleanLabel, labelSpan, api, download, toCSV, loadStrings, tr, applyStrings };
})();
