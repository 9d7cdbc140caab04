// driftlint serve: the page's behaviour. No libraries, nothing fetched from
// anywhere but this server (/api/rules and /api/check).
"use strict";

(function () {
  const CATEGORY_LABELS = {
    "credential": "Degrees, diplomas and professional credentials",
    "police-check": "Police and background checks",
    "abstinence": "Abstinence and clean-time conditions",
    "clinician-supervision": "Supervision by clinicians",
    "clinical-duty": "Clinical duties",
    "menial-duty": "Menial duties",
    "lived-experience-missing": "Lived experience not asked for",
    "deficit-language": "Deficit language",
    "peer-certification": "Peer certification",
  };
  const CATEGORY_ORDER = Object.keys(CATEGORY_LABELS);
  const SEVERITY_LABELS = { error: "Error", warning: "Warning", info: "Info" };
  const SEVERITY_RANK = { error: 3, warning: 2, info: 1 };
  const STRENGTH_LABELS = {
    required: "asked as a requirement",
    preferred: "asked as an asset or preference",
    unspecified: "not said how firmly",
  };
  const TEXT_EXTENSIONS = ["md", "markdown", "txt", "text"];
  const UNSUPPORTED = {
    docx: "Word", doc: "Word", odt: "OpenDocument", rtf: "Rich Text", pdf: "PDF",
    html: "web page (HTML)", htm: "web page (HTML)", pages: "Pages",
  };

  // ---- Byte offsets (UTF-8, from the server) to string indices (UTF-16) ----

  function utf8Length(cp) {
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }

  /** A function from a UTF-8 byte offset in `text` to its UTF-16 index, or -1
   *  when the offset falls inside a character. Lone surrogates count as
   *  U+FFFD (3 bytes), as TextEncoder sends them. */
  function byteIndexer(text) {
    let bytes = 0;
    for (const ch of text) bytes += utf8Length(ch.codePointAt(0));
    const map = new Int32Array(bytes + 1).fill(-1);
    let b = 0;
    let i = 0;
    for (const ch of text) {
      map[b] = i;
      b += utf8Length(ch.codePointAt(0));
      i += ch.length;
    }
    map[b] = i;
    return (offset) => (Number.isInteger(offset) && offset >= 0 && offset <= bytes ? map[offset] : -1);
  }

  // ---- State ----

  const state = {
    rules: new Map(),
    rulesLoaded: null,
    filename: null,
    loadedText: null, // the text of the opened file, while the box still holds it
    result: null, // { text, name, format, findings: [...], summary }
  };

  const $ = (id) => document.getElementById(id);
  const maxBody = parseInt(document.body.dataset.maxBody, 10) || 2 * 1024 * 1024;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  function plural(n, one, many) {
    return `${n} ${n === 1 ? one : many}`;
  }

  function setStatus(message, isError) {
    const s = $("status");
    s.textContent = message;
    s.classList.toggle("is-error", Boolean(isError));
  }

  function categoryLabel(c) {
    return CATEGORY_LABELS[c] || c;
  }

  function summaryText(summary) {
    if (!summary.findings) return "No drift found: nothing in this posting was flagged.";
    const parts = [];
    if (summary.error) parts.push(plural(summary.error, "error", "errors"));
    if (summary.warning) parts.push(plural(summary.warning, "warning", "warnings"));
    if (summary.info) parts.push(`${summary.info} info`);
    return `Found ${plural(summary.findings, "finding", "findings")}: ${parts.join(", ")}.`;
  }

  // ---- Rules catalogue ----

  function loadRules() {
    state.rulesLoaded = fetch("/api/rules")
      .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
      .then((rules) => {
        for (const r of rules) state.rules.set(r.id, r);
      })
      .catch(() => {
        // Findings still show message, citations and suggestion; only the rationale is missing.
      });
    return state.rulesLoaded;
  }

  // ---- Checking ----

  function chosenFormat() {
    const f = document.querySelector('input[name="format"]:checked');
    return f ? f.value : "markdown";
  }

  function setFormat(value) {
    const r = document.querySelector(`input[name="format"][value="${value}"]`);
    if (r) r.checked = true;
  }

  async function check() {
    const box = $("posting");
    let text = box.value;
    if (text.startsWith("\uFEFF")) {
      text = text.slice(1);
      box.value = text;
    }
    if (!text.trim()) {
      setStatus("Paste a posting into the box, or open a file, first.", true);
      box.focus();
      return;
    }
    const size = new TextEncoder().encode(text).length;
    if (size > maxBody) {
      setStatus(`The posting is larger than the ${formatSize(maxBody)} limit.`, true);
      return;
    }
    const format = chosenFormat();
    const params = new URLSearchParams({ format });
    if (state.filename) params.set("filename", state.filename);
    const button = $("check");
    button.disabled = true;
    setStatus("Checking…");
    try {
      const res = await fetch(`/api/check?${params}`, {
        method: "POST",
        headers: { "Content-Type": (format === "plain" ? "text/plain" : "text/markdown") + "; charset=utf-8" },
        body: text,
      });
      let doc = null;
      try {
        doc = await res.json();
      } catch (_) {
        doc = null;
      }
      if (!res.ok) {
        const reason = doc && doc.error ? doc.error : `the server answered ${res.status}`;
        setStatus(`Could not check the posting: ${reason}.`.replace(/\.\.$/, "."), true);
        return;
      }
      const file = doc && doc.files && doc.files[0];
      if (!file || file.error) {
        setStatus(`Could not check the posting: ${file ? file.error : "no result"}.`, true);
        return;
      }
      await state.rulesLoaded;
      state.result = {
        text,
        name: state.filename,
        format,
        findings: file.findings || [],
        notes: file.notes || [],
        summary: doc.summary,
      };
      render();
      const notes = state.result.notes.length ? ` Note: ${state.result.notes.join("; ")}.` : "";
      setStatus(summaryText(doc.summary) + notes);
    } catch (e) {
      setStatus(`Could not reach driftlint (is it still running?): ${e.message}`, true);
    } finally {
      button.disabled = false;
    }
  }

  function formatSize(n) {
    if (n >= 1048576 && n % 1048576 === 0) return `${n / 1048576} MiB`;
    if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
    return `${n}-byte`;
  }

  // ---- Rendering ----

  function render() {
    const r = state.result;
    const toIndex = byteIndexer(r.text);
    r.findings.forEach((f, i) => {
      f.index = i;
      const start = toIndex(f.byte_start);
      const end = toIndex(f.byte_end);
      // Highlight only when the offsets land on the very phrase reported.
      f.span = start >= 0 && end > start && r.text.slice(start, end) === f.matched ? [start, end] : null;
      f.marks = [];
    });
    renderPosting(r);
    renderFindings(r);
    $("summary").textContent = summaryText(r.summary) + (r.name ? ` (${r.name})` : "");
    $("results").hidden = false;
    $("copy").disabled = r.findings.length === 0;
    $("copy-fallback").hidden = true;
  }

  function renderPosting(r) {
    const out = $("rendered");
    out.textContent = "";
    const spans = r.findings.filter((f) => f.span);
    const cuts = new Set([0, r.text.length]);
    for (const f of spans) {
      cuts.add(f.span[0]);
      cuts.add(f.span[1]);
    }
    const points = [...cuts].sort((a, b) => a - b);
    const frag = document.createDocumentFragment();
    for (let k = 0; k + 1 < points.length; k++) {
      const [a, b] = [points[k], points[k + 1]];
      const piece = r.text.slice(a, b);
      const covering = spans.filter((f) => f.span[0] <= a && b <= f.span[1]);
      if (!covering.length) {
        frag.append(piece);
        continue;
      }
      const top = covering.reduce((x, y) => (SEVERITY_RANK[y.severity] > SEVERITY_RANK[x.severity] ? y : x));
      const first = covering.some((f) => f.span[0] === a);
      const mark = el("mark", {
        class: `hl sev-${top.severity}${first ? " first" : ""}`,
        tabindex: "0",
        role: "button",
        "data-findings": covering.map((f) => f.index).join(" "),
        "aria-describedby": covering.map((f) => `finding-${f.index}-title`).join(" "),
        title: covering.map((f) => `${SEVERITY_LABELS[f.severity]}: ${f.message}`).join("\n"),
      }, piece);
      for (const f of covering) f.marks.push(mark);
      frag.append(mark);
    }
    out.append(frag);
  }

  function renderFindings(r) {
    const list = $("findings");
    const counts = $("counts");
    list.textContent = "";
    counts.textContent = "";
    if (!r.findings.length) {
      list.append(el("p", { class: "no-findings" }, "Nothing in this posting was flagged. driftlint only knows the patterns in its rules: a careful read by someone with lived experience of peer support is still worth it."));
      return;
    }
    for (const [cat, items] of byCategory(r.findings)) {
      const id = `category-${cat}`;
      counts.append(el("li", {}, el("a", { href: `#${id}` }, `${categoryLabel(cat)}: `, el("span", { class: "n" }, items.length))));
      const section = el("section", { class: "category", id, "aria-labelledby": `${id}-h` },
        el("h4", { id: `${id}-h` }, `${categoryLabel(cat)} (${items.length})`));
      for (const f of items) section.append(findingCard(f));
      list.append(section);
    }
  }

  function rank(cat) {
    const i = CATEGORY_ORDER.indexOf(cat);
    return i < 0 ? CATEGORY_ORDER.length : i;
  }

  // Findings grouped by category, as [category, findings] pairs in the
  // catalogue's category order (unknown categories last, by name).
  function byCategory(findings) {
    const groups = new Map();
    for (const f of findings) {
      if (!groups.has(f.category)) groups.set(f.category, []);
      groups.get(f.category).push(f);
    }
    return [...groups.entries()].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  }

  function findingCard(f) {
    const rule = state.rules.get(f.rule);
    const id = `finding-${f.index}`;
    const quote = el("button", {
      type: "button",
      class: "quote",
      disabled: f.span ? null : true,
      "aria-describedby": `${id}-title`,
    },
    el("q", {}, f.matched.replace(/\s+/g, " ")),
    el("span", { class: "where" }, f.span ? `Line ${f.line}: show in the posting` : `Line ${f.line}`));
    quote.addEventListener("click", (e) => {
      e.stopPropagation();
      showMark(f);
    });
    const cites = el("ul", { class: "cites" });
    for (const c of f.citations || []) {
      cites.append(el("li", {}, c.title, c.section ? el("span", { class: "section" }, ` (${c.section})`) : null));
    }
    const details = el("dl", {},
      rule && rule.rationale ? el("dt", {}, "Why it matters") : null,
      rule && rule.rationale ? el("dd", {}, rule.rationale) : null,
      el("dt", {}, "The position statement"),
      el("dd", {}, cites),
      el("dt", {}, "Suggested wording"),
      el("dd", { class: "suggestion" }, f.suggestion));
    const card = el("article", {
      class: `finding sev-${f.severity}`,
      id,
      tabindex: "-1",
      "aria-labelledby": `${id}-title`,
      "data-index": f.index,
    },
    el("div", { class: "meta" },
      el("span", { class: `badge sev-${f.severity}` }, SEVERITY_LABELS[f.severity] || f.severity),
      el("span", { class: "strength" }, STRENGTH_LABELS[f.strength] || f.strength),
      el("span", { class: "rule-id" }, `${f.rule} ${f.name}`)),
    el("h5", { id: `${id}-title` },
      el("span", { class: "visually-hidden" }, `${SEVERITY_LABELS[f.severity] || f.severity}, ${STRENGTH_LABELS[f.strength] || f.strength}: `),
      f.message),
    quote,
    details);
    card.addEventListener("click", (e) => {
      if (e.target.closest("a, button") || String(window.getSelection() || "")) return;
      showMark(f);
    });
    f.card = card;
    return card;
  }

  // ---- Moving between marks and findings ----

  function clearCurrent() {
    for (const n of document.querySelectorAll(".is-current")) n.classList.remove("is-current");
  }

  function showMark(f) {
    const mark = f.marks[0];
    if (!mark) return;
    clearCurrent();
    for (const m of f.marks) m.classList.add("is-current");
    f.card.classList.add("is-current");
    mark.scrollIntoView({ block: "center", inline: "nearest" });
    mark.focus({ preventScroll: true });
  }

  function showFinding(mark) {
    const indices = (mark.dataset.findings || "").split(" ").filter(Boolean).map(Number);
    const findings = indices.map((i) => state.result.findings[i]).filter(Boolean);
    if (!findings.length) return;
    clearCurrent();
    for (const f of findings) {
      f.card.classList.add("is-current");
      for (const m of f.marks) m.classList.add("is-current");
    }
    const card = findings[0].card;
    card.scrollIntoView({ block: "start", inline: "nearest" });
    card.focus({ preventScroll: true });
    if (findings.length > 1) setStatus(`This phrase has ${findings.length} findings; the first is shown.`);
  }

  // ---- Markdown for a hiring committee ----

  function markdown() {
    const r = state.result;
    const lines = [];
    lines.push(`# driftlint findings${r.name ? ` for ${r.name}` : ""}`, "");
    lines.push(summaryText(r.summary), "");
    lines.push("Citations refer to PeerWorks (2024), *Drift from Peer Support Values and Standards: A Position Statement and Call for Action*.", "");
    for (const [cat, items] of byCategory(r.findings)) {
      lines.push(`## ${categoryLabel(cat)} (${items.length})`, "");
      for (const f of items) {
        const rule = state.rules.get(f.rule);
        lines.push(`### ${SEVERITY_LABELS[f.severity]}: ${f.message}`, "");
        lines.push(`> ${f.matched.replace(/\s+/g, " ")}`, "");
        lines.push(`- **Where:** line ${f.line}, ${STRENGTH_LABELS[f.strength] || f.strength} (${f.rule} ${f.name})`);
        if (rule && rule.rationale) lines.push(`- **Why it matters:** ${rule.rationale.replace(/\s+/g, " ")}`);
        if ((f.citations || []).length) {
          lines.push("- **The position statement:**");
          for (const c of f.citations) lines.push(`  - ${c.title}${c.section ? ` (${c.section})` : ""}`);
        }
        lines.push(`- **Suggested wording:** ${f.suggestion}`, "");
      }
    }
    return lines.join("\n");
  }

  async function copyMarkdown() {
    if (!state.result) return;
    const text = markdown();
    const n = plural(state.result.findings.length, "finding", "findings");
    try {
      await navigator.clipboard.writeText(text);
      setStatus(`Copied ${n} as Markdown.`);
      $("copy-fallback").hidden = true;
    } catch (_) {
      const box = $("copy-text");
      box.value = text;
      $("copy-fallback").hidden = false;
      box.focus();
      box.select();
      setStatus(`Could not copy automatically: the ${n} are in the box below, selected. Press Ctrl+C (or ⌘C) to copy.`);
    }
  }

  // ---- Opening files ----

  function extension(name) {
    const i = name.lastIndexOf(".");
    return i < 0 ? "" : name.slice(i + 1).toLowerCase();
  }

  /** Decodes file bytes the way driftlint reads files. */
  function decode(buf) {
    const b = new Uint8Array(buf);
    if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return new TextDecoder("utf-8").decode(b.subarray(3));
    if (b[0] === 0xff && b[1] === 0xfe) return new TextDecoder("utf-16le").decode(b.subarray(2));
    if (b[0] === 0xfe && b[1] === 0xff) return new TextDecoder("utf-16be").decode(b.subarray(2));
    if (b.subarray(0, 8192).includes(0)) return null;
    return new TextDecoder("utf-8").decode(b);
  }

  async function openFile(file) {
    setStatus(`Opening ${file.name}…`);
    const ext = extension(file.name);
    if (ext && !TEXT_EXTENSIONS.includes(ext)) {
      const kind = UNSUPPORTED[ext];
      setStatus(kind
        ? `${kind} files (.${ext}) are not supported yet: open the file, copy its text and paste it into the box.`
        : `Cannot open .${ext} files: driftlint reads Markdown (.md, .markdown) and plain text (.txt).`, true);
      return;
    }
    if (file.size > maxBody) {
      setStatus(`${file.name} is larger than the ${formatSize(maxBody)} limit.`, true);
      return;
    }
    let text;
    try {
      text = decode(await file.arrayBuffer());
    } catch (e) {
      setStatus(`Could not read ${file.name}: ${e.message}`, true);
      return;
    }
    if (text === null) {
      setStatus(`${file.name} is not a text file (it looks binary).`, true);
      return;
    }
    $("posting").value = text;
    state.filename = file.name;
    state.loadedText = $("posting").value;
    const plain = ext === "txt" || ext === "text";
    setFormat(plain ? "plain" : "markdown");
    setStatus(`Opened ${file.name} as ${plain ? "plain text" : "Markdown"}.`);
    await check();
  }

  // ---- Wiring ----

  function init() {
    loadRules();
    $("check-form").addEventListener("submit", (e) => {
      e.preventDefault();
      check();
    });
    $("copy").addEventListener("click", copyMarkdown);
    $("file").addEventListener("change", (e) => {
      const file = e.target.files && e.target.files[0];
      if (file) openFile(file);
    });
    $("posting").addEventListener("input", () => {
      // The file's name goes with its text: pasting or editing drops it.
      if (state.loadedText !== null && $("posting").value !== state.loadedText) {
        state.filename = null;
        state.loadedText = null;
        $("file").value = "";
      }
    });
    const rendered = $("rendered");
    rendered.addEventListener("click", (e) => {
      const mark = e.target.closest("mark.hl");
      if (mark) showFinding(mark);
    });
    rendered.addEventListener("keydown", (e) => {
      const mark = e.target.closest("mark.hl");
      if (mark && (e.key === "Enter" || e.key === " ")) {
        e.preventDefault();
        showFinding(mark);
      }
    });
  }

  // Exposed for the browser tests.
  window.driftlint = { byteIndexer, markdown: () => (state.result ? markdown() : "") };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
