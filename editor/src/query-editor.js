// The query page's editor: CodeMirror 6 over the page's <textarea>, as a progressive
// enhancement. Without this script (not built, or JavaScript off) the textarea and its form do
// everything; with it, the textarea stays in the form, hidden, and follows the editor.
//
// - SPARQL highlighting (the sparql mode of @codemirror/legacy-modes), bracket matching, line
//   numbers (codemirror's basicSetup);
// - completion of the prefixes of the one prefix map (adding the PREFIX line a query lacks), of
//   the ontology's terms with their labels (/query/vocabulary.json), and of resources by name
//   through /search (typed after "<" or with Ctrl+Space on a word);
// - hovering an IRI or a prefixed name shows its label (the ontology's, or the store's through
//   /query/labels.json);
// - Ctrl+Enter (Cmd+Enter) runs the query; the server's syntax error is marked at its line and
//   column.
// Every request goes to this server (connect-src 'self'); no inline script or style attribute,
// not even the one Chromium adds when text is typed over a selection (typingOverSelection).

import { autocompletion } from "@codemirror/autocomplete";
import { StreamLanguage } from "@codemirror/language";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { Prec } from "@codemirror/state";
import { EditorView, hoverTooltip, keymap } from "@codemirror/view";
import { basicSetup } from "codemirror";

const vocabulary = { prefixes: {}, terms: [], byIri: new Map(), byName: new Map() };

async function loadVocabulary(url) {
  try {
    const response = await fetch(url, { headers: { Accept: "application/json" } });
    const doc = await response.json();
    vocabulary.prefixes = doc.prefixes;
    vocabulary.terms = doc.terms;
    for (const term of doc.terms) {
      vocabulary.byIri.set(term.iri, term);
      vocabulary.byName.set(term.name, term);
    }
  } catch {
    // no completion of terms: the editor still edits
  }
}

function declared(doc) {
  const names = new Set();
  for (const m of doc.matchAll(/PREFIX\s+([A-Za-z][\w.-]*)?:/gi)) names.add(m[1] || "");
  return names;
}

/** A prefixed name being typed: "rivm:Ci", or a bare word that may become one. */
function completePrefixed(context) {
  const word = context.matchBefore(/[A-Za-z][\w.-]*:[\w.-]*|[A-Za-z][\w-]*/);
  if (!word || (word.from === word.to && !context.explicit)) return null;
  const before = context.state.sliceDoc(Math.max(0, word.from - 1), word.from);
  if (before === "?" || before === "$" || before === "<") return null;
  const text = context.state.doc.toString();
  const line = context.state.doc.lineAt(word.from);
  const inPrefixLine = /^\s*PREFIX\s+$/i.test(line.text.slice(0, word.from - line.from));
  const options = [];
  for (const [prefix, namespace] of Object.entries(vocabulary.prefixes)) {
    options.push({
      label: `${prefix}:`,
      detail: namespace,
      type: "namespace",
      boost: 2,
      apply: (view, completion, from, to) => {
        const insert = inPrefixLine ? `${prefix}: <${namespace}>` : `${prefix}:`;
        const changes = [{ from, to, insert }];
        if (!inPrefixLine && !declared(view.state.doc.toString()).has(prefix)) {
          changes.push({ from: 0, insert: `PREFIX ${prefix}: <${namespace}>\n` });
        }
        view.dispatch({ changes });
      },
    });
  }
  if (!inPrefixLine) {
    const known = declared(text);
    for (const term of vocabulary.terms) {
      const prefix = term.name.split(":")[0];
      options.push({
        label: term.name,
        detail: term.label,
        type: term.kind === "class" ? "class" : term.kind === "property" ? "property" : "constant",
        apply: (view, completion, from, to) => {
          const changes = [{ from, to, insert: term.name }];
          if (!known.has(prefix)) {
            changes.push({ from: 0, insert: `PREFIX ${prefix}: <${vocabulary.prefixes[prefix]}>\n` });
          }
          view.dispatch({ changes });
        },
      });
    }
  }
  return { from: word.from, options, validFor: /^[\w.:-]*$/ };
}

/** Resources by name, through the search index: after "<", or Ctrl+Space on a word. */
function completeResources(searchUrl) {
  return async (context) => {
    const typed = context.matchBefore(/<[^>\s]*|[^\s{}().;,<>?$"']{3,}/);
    if (!typed) return null;
    const angle = typed.text.startsWith("<");
    const words = angle ? typed.text.slice(1) : typed.text;
    if (words.length < 3 || (!angle && !context.explicit) || /^https?:/.test(words)) return null;
    const url = `${searchUrl}?${new URLSearchParams({ q: words, prefix: "1", format: "json", limit: "10" })}`;
    let doc;
    try {
      doc = await (await fetch(url, { headers: { Accept: "application/json" } })).json();
    } catch {
      return null;
    }
    if (context.aborted || !doc.hits) return null;
    return {
      from: typed.from,
      filter: false,
      options: doc.hits.map((hit) => ({
        label: hit.label,
        detail: hit.kind ? hit.kind.label : "",
        info: hit.iri,
        type: "variable",
        apply: `<${hit.iri}>`,
      })),
    };
  };
}

/** The IRI written at `pos` (in <…> or as a prefixed name of a declared or known prefix). */
function iriAt(view, pos) {
  const line = view.state.doc.lineAt(pos);
  const offset = pos - line.from;
  const pattern = /<([^>\s]+)>|([A-Za-z][\w.-]*):([\w.-]+)/g;
  for (const m of line.text.matchAll(pattern)) {
    if (m.index <= offset && offset <= m.index + m[0].length) {
      const namespace = m[1] ? "" : vocabulary.prefixes[m[2]];
      if (!m[1] && namespace === undefined) return null;
      return { iri: m[1] || namespace + m[3], from: line.from + m.index, to: line.from + m.index + m[0].length };
    }
  }
  return null;
}

const names = new Map(); // IRI → label, from /query/labels.json

async function labelOf(iri, labelsUrl) {
  const term = vocabulary.byIri.get(iri);
  if (term) return term.label;
  if (!names.has(iri)) {
    try {
      const separator = labelsUrl.includes("?") ? "&" : "?";
      const response = await fetch(`${labelsUrl}${separator}${new URLSearchParams({ iri })}`);
      names.set(iri, (await response.json())[iri] || "");
    } catch {
      return "";
    }
  }
  return names.get(iri);
}

function hover(labelsUrl) {
  return hoverTooltip(async (view, pos) => {
    const found = iriAt(view, pos);
    if (!found) return null;
    const label = await labelOf(found.iri, labelsUrl);
    if (!label) return null;
    return {
      pos: found.from,
      end: found.to,
      create() {
        const dom = document.createElement("div");
        dom.className = "query-editor-hover";
        dom.textContent = `${label} — ${found.iri}`;
        return { dom };
      },
    };
  });
}

function markSyntaxError(view, textarea, message) {
  const line = Number(textarea.dataset.errorLine);
  const column = Number(textarea.dataset.errorColumn);
  if (!line || !column) return;
  const doc = view.state.doc;
  const at = doc.line(Math.min(line, doc.lines));
  // a column past the end of its line (the query stopped early) marks the line's last character
  const from = Math.max(at.from, Math.min(at.from + column - 1, at.to - 1));
  const to = Math.min(from + 1, at.to);
  view.dispatch(setDiagnostics(view.state, [{ from, to, severity: "error", message }]));
}

/** The range the page's selection covers in the editor, if it covers some text. */
function selectedInPage(view) {
  const selection = view.root.getSelection ? view.root.getSelection() : document.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const content = view.contentDOM;
  if (!content.contains(range.startContainer) || !content.contains(range.endContainer)) return null;
  const from = view.posAtDOM(range.startContainer, range.startOffset);
  const to = view.posAtDOM(range.endContainer, range.endOffset);
  return from < to ? { from, to } : null;
}

/**
 * Typing over a selection that spans highlighted tokens makes Chromium's editing engine wrap the
 * new text in a <span style="…"> that keeps the old tokens' colours: the page's CSP (style-src
 * 'self') blocks it and reports a breach. The editor makes that change itself instead, through
 * the same input handlers (closing brackets…) as the text the browser inserts. The range is the
 * page's selection, which the editor's own follows only on the next selectionchange event.
 */
const typingOverSelection = EditorView.domEventHandlers({
  beforeinput(event, view) {
    if (event.inputType !== "insertText" || event.isComposing || event.data == null) return false;
    const text = event.data;
    const ranges = view.state.selection.ranges;
    const many = ranges.length > 1; // the editor's own multiple selection: the page has one
    const range = many ? view.state.selection.main : selectedInPage(view);
    if (!range || (many && ranges.every((r) => r.empty))) return false;
    event.preventDefault();
    const { from, to } = range;
    const spec = many
      ? view.state.replaceSelection(text)
      : { changes: { from, to, insert: text }, selection: { anchor: from + text.length } };
    const insert = () => view.state.update(spec, { userEvent: "input.type", scrollIntoView: true });
    const handlers = view.state.facet(EditorView.inputHandler);
    if (!handlers.some((handler) => handler(view, from, to, text, insert))) view.dispatch(insert());
    return true;
  },
});

function start(textarea) {
  const form = textarea.form;
  loadVocabulary(textarea.dataset.vocabulary);
  const run = () => {
    form.requestSubmit();
    return true;
  };
  // In a shadow root: CodeMirror's style modules are then adopted style sheets, which the page's
  // strict CSP (style-src 'self', no inline <style>) allows.
  const host = document.createElement("div");
  host.className = "query-editor-host";
  const shadow = host.attachShadow({ mode: "open" });
  const view = new EditorView({
    root: shadow,
    parent: shadow,
    doc: textarea.value,
    extensions: [
      basicSetup,
      StreamLanguage.define(sparql),
      lintGutter(),
      typingOverSelection,
      Prec.highest(keymap.of([{ key: "Mod-Enter", run }])),
      autocompletion({ override: [completePrefixed, completeResources(textarea.dataset.search)] }),
      hover(textarea.dataset.labels),
      EditorView.lineWrapping,
      EditorView.theme({
        "&": { border: "1px solid #c9c9c9", borderRadius: "4px", background: "#fff" },
        ".cm-content, .cm-gutter": { minHeight: "18em" },
        ".cm-scroller": { fontFamily: "ui-monospace, monospace", maxHeight: "36em" },
        ".query-editor-hover": { padding: "2px 6px", fontSize: "90%" },
      }),
      // tabindex: the editable area is a Tab stop as the textarea was, and axe then sees that the
      // scrolling box holds something the keyboard reaches (scrollable-region-focusable)
      EditorView.contentAttributes.of({
        "aria-label": textarea.labels[0]?.textContent || "Query",
        tabindex: "0",
      }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) textarea.value = update.state.doc.toString();
      }),
    ],
  });
  view.dom.classList.add("query-editor");
  textarea.after(host);
  textarea.hidden = true;
  const label = textarea.labels[0];
  if (label) label.addEventListener("click", () => view.focus());
  const error = document.querySelector(".results .error pre");
  if (error) markSyntaxError(view, textarea, error.textContent);
  window.queryEditor = view; // for the browser tests and the curious
}

const textarea = document.getElementById("query");
if (textarea && textarea.form) start(textarea);
