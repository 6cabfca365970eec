"""The site's stylesheet, script and search index (all local files: the site works offline, from file://)."""
from __future__ import annotations

import json
import re
from typing import Any

from .html import slug

STYLE = """
:root { --fg: #1d2329; --muted: #5b6570; --line: #d9dee3; --bg2: #f5f7f9; --accent: #1f4e79; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: var(--fg); line-height: 1.5; }
a { color: var(--accent); }
header.top { position: sticky; top: 0; z-index: 5; display: flex; flex-wrap: wrap; gap: .4em 1.2em; align-items: center;
  background: #17324d; color: #fff; padding: .5em 1.2em; }
header.top a { color: #fff; text-decoration: none; }
header.top .brand { font-weight: 700; letter-spacing: .02em; }
header.top nav.main { display: flex; flex-wrap: wrap; gap: .2em 1em; }
.search { position: relative; margin-left: auto; flex: 1 1 16em; max-width: 28em; }
.search input { width: 100%; padding: .35em .6em; border-radius: .3em; border: 0; font-size: 1em; }
#search-results { position: absolute; right: 0; left: 0; margin: .2em 0 0; padding: 0; list-style: none;
  background: #fff; color: var(--fg); border: 1px solid var(--line); border-radius: .3em;
  box-shadow: 0 4px 14px rgba(0,0,0,.18);
  max-height: 70vh; overflow-y: auto; }
#search-results li a { display: block; padding: .35em .6em; color: var(--fg); border-bottom: 1px solid var(--bg2); }
#search-results li a:hover, #search-results li a.active { background: #e9f1f8; }
#search-results .sid { font-weight: 600; } #search-results .stitle { color: var(--muted); font-size: .88em; }
.layout { display: grid; grid-template-columns: minmax(0, 1fr); max-width: 78em; margin: 0 auto; }
.layout.with-sidebar { grid-template-columns: 17em minmax(0, 1fr); }
.sidebar { border-right: 1px solid var(--line); padding: .8em; font-size: .88em; align-self: start; position: sticky;
  top: 3em; max-height: calc(100vh - 3em); overflow-y: auto; }
.sidebar > summary { font-weight: 600; cursor: pointer; }
.sidebar h4 { margin: .8em 0 .2em; font-size: 1em; } .sidebar ul { list-style: none; margin: 0; padding-left: .4em; }
.sidebar li { margin: .1em 0; } .sidebar li.current > a { font-weight: 700; color: var(--fg); }
.sidebar details > summary { cursor: pointer; color: var(--muted); margin-top: .4em; }
.dot { display: inline-block; width: .55em; height: .55em; border-radius: 50%; margin-right: .35em;
  background: #cbb767; }
.dot.ok { background: #3a8f4a; } .dot.bad { background: #c0392b; }
main { padding: 1em 1.4em 2em; min-width: 0; }
h1 { font-size: 1.6em; margin: .3em 0; line-height: 1.25; } h2 { font-size: 1.25em; margin-top: 1.6em;
  border-bottom: 1px solid var(--line); } h3 { font-size: 1.05em; margin: .2em 0; }
.lead { font-size: 1.08em; color: var(--muted); }
.counts { display: flex; flex-wrap: wrap; gap: .5em 1.2em; margin: .6em 0; }
footer { font-size: .8em; color: var(--muted); border-top: 1px solid var(--line); padding: 1em 1.4em; }
table { border-collapse: collapse; margin: .6em 0; font-size: .9em; }
td, th { border-bottom: 1px solid var(--line); padding: .3em .55em; text-align: left; vertical-align: top; }
th { background: var(--bg2); font-weight: 600; }
.scroll { overflow-x: auto; max-width: 100%; }
table.claims { width: 100%; table-layout: fixed; }
col.c-id { width: 21%; } col.c-formula { width: 31%; } col.c-where { width: 12%; } col.c-verdict { width: 11%; }
table.claims .fx { overflow-x: auto; overflow-y: hidden; max-width: 100%; padding-bottom: .2em; }
table.claims td:not(.formula) { overflow-wrap: anywhere; }
table.claims .ctitle { display: block; color: var(--muted); font-size: .92em; }
.verdict { padding: .05em .5em; border-radius: .3em; font-size: .85em; font-weight: 600; white-space: nowrap; }
.verdict.ok { background: #d8f0d8; color: #14602a; } .verdict.bad { background: #f6d6d6; color: #8f1f1f; }
.verdict.open { background: #eee6c8; color: #5c5320; }
.status { font-size: .8em; font-weight: 600; padding: .05em .4em; border-radius: .25em; background: #eee; }
.status.pass { color: #14602a; background: #e3f3e3; }
.status.fail, .status.error { color: #8f1f1f; background: #f8e1e1; }
.statement { overflow-x: auto; background: var(--bg2); border-left: 3px solid var(--accent); padding: .4em .8em; }
.statement math { font-size: 1.15em; }
.warn { background: #fff4d6; border-left: 3px solid #d4a21a; padding: .4em .8em; }
.ce { background: #fff4f0; padding: .4em .6em; font-size: .9em; overflow-wrap: anywhere; }
section.check { border-left: 3px solid #cdd; padding-left: .9em; margin: 1.4em 0; }
section.check.fail, section.check.error { border-left-color: #c0392b; }
section.check.pass { border-left-color: #3a8f4a; }
.meta, .seed, .selftest, .more { color: var(--muted); font-size: .86em; }
.side { overflow-x: auto; } .side .label { color: var(--muted); font-size: .85em; margin-right: .6em; }
figure { margin: .8em 0; } figure img { max-width: 100%; height: auto; }
figcaption { font-size: .85em; color: var(--muted); }
pre { white-space: pre-wrap; font-size: .8em; background: var(--bg2); padding: .5em; overflow-x: auto; }
details.raw > summary, details.latex > summary { cursor: pointer; color: var(--muted); font-size: .88em; }
math[display="block"] { margin: .4em 0; }
.graph-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: .3em; background: #fff; }
svg.graph { display: block; max-width: none; }
.legend { font-size: .85em; color: var(--muted); } .legend .sw { display: inline-block; width: .9em; height: .9em;
  vertical-align: middle; margin: 0 .25em 0 .6em; border: 1px solid #667; }
.sw.ok { background: #d8f0d8; } .sw.bad { background: #f6d6d6; } .sw.open { background: #eee6c8; }
.red { color: #b22; } .blue { color: #27a; }
.paper-card { border: 1px solid var(--line); border-radius: .4em; padding: .6em .9em; margin: .6em 0; }
.absent { color: var(--muted); }
button.copy { font-size: .8em; }
.filters { display: flex; flex-wrap: wrap; gap: .4em 1em; align-items: center; }
@media (max-width: 760px) {
  .layout.with-sidebar { grid-template-columns: minmax(0, 1fr); }
  .sidebar { position: static; max-height: none; border-right: 0; border-bottom: 1px solid var(--line); }
  main { padding: .8em .8em 2em; }
  header.top { padding: .5em .8em; } .search { max-width: none; flex-basis: 100%; }
  table.claims, table.claims tbody, table.claims tr, table.claims td { display: block; width: 100%; }
  table.claims thead { display: none; }
  table.claims tr { border: 1px solid var(--line); border-radius: .4em; margin: .6em 0; padding: .3em .5em; }
  table.claims td { border: 0; padding: .15em 0; max-width: none; }
  table.claims td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); font-size: .85em; }
  h1 { font-size: 1.3em; }
}
"""

SCRIPT = """
(function () {
  var root = document.body.dataset.root || '';
  // filters of the claim listing
  var paper = document.getElementById('filter-paper'), verdict = document.getElementById('filter-verdict');
  function apply() {
    var rows = document.querySelectorAll('table.claims tbody tr'), shown = 0;
    rows.forEach(function (r) {
      var ok = (!paper.value || r.dataset.paper === paper.value) &&
               (!verdict.value || r.dataset.verdict === verdict.value);
      r.style.display = ok ? '' : 'none';
      if (ok) { shown += 1; }
    });
    document.getElementById('shown').textContent = shown + ' shown';
  }
  if (paper && verdict) { paper.addEventListener('change', apply); verdict.addEventListener('change', apply); apply(); }
  // copy the LaTeX source
  document.querySelectorAll('button.copy').forEach(function (b) {
    b.addEventListener('click', function () {
      var text = document.getElementById(b.dataset.target).textContent;
      if (navigator.clipboard) {
        navigator.clipboard.writeText(text).then(function () { b.textContent = 'copied'; },
                                                 function () { b.textContent = 'select and copy'; });
      }
    });
  });
  // the contents start folded on a phone
  var side = document.querySelector('details.sidebar');
  if (side && window.matchMedia('(max-width: 760px)').matches) { side.open = false; }
  // search over ids, titles, locations and formulas (the index is a local script: works offline)
  var input = document.getElementById('search'), list = document.getElementById('search-results');
  var index = window.THEORYCHECK_INDEX || [];
  function score(e, terms) {
    var s = 0;
    for (var i = 0; i < terms.length; i++) {
      var t = terms[i];
      if (e.id.toLowerCase() === t) { s += 100; }
      else if (e.id.toLowerCase().indexOf(t) === 0) { s += 30; }
      else if (e.id.toLowerCase().indexOf(t) >= 0) { s += 20; }
      else if (e.title.toLowerCase().indexOf(t) >= 0) { s += 10; }
      else if (e.location.toLowerCase().indexOf(t) >= 0) { s += 6; }
      else if (e.text.toLowerCase().indexOf(t) >= 0) { s += 3; }
      else { return 0; }
    }
    return s;
  }
  function render() {
    var q = input.value.trim().toLowerCase();
    list.innerHTML = '';
    if (!q) { list.hidden = true; return; }
    var terms = q.split(/\\s+/), hits = [];
    index.forEach(function (e) { var s = score(e, terms); if (s) { hits.push([s, e]); } });
    hits.sort(function (a, b) { return b[0] - a[0] || (a[1].id < b[1].id ? -1 : 1); });
    hits.slice(0, 15).forEach(function (h, k) {
      var e = h[1], li = document.createElement('li'), a = document.createElement('a');
      a.href = root + e.url;
      if (k === 0) { a.className = 'active'; }
      var id = document.createElement('span'); id.className = 'sid'; id.textContent = e.id + ' ';
      var v = document.createElement('span'); v.className = 'verdict ' + e.cls; v.textContent = e.status;
      var t = document.createElement('span'); t.className = 'stitle';
      t.textContent = ' ' + e.location + ' · ' + e.title;
      a.appendChild(id); a.appendChild(v); a.appendChild(t); li.appendChild(a); list.appendChild(li);
    });
    if (!hits.length) {
      var none = document.createElement('li'); none.textContent = 'no claim matches'; none.style.padding = '.4em .6em';
      list.appendChild(none);
    }
    list.hidden = false;
  }
  if (input && list) {
    input.addEventListener('input', render);
    input.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter') { var a = list.querySelector('a'); if (a) { window.location.href = a.href; } }
      if (ev.key === 'Escape') { input.value = ''; render(); }
    });
    document.addEventListener('click', function (ev) { if (!ev.target.closest('.search')) { list.hidden = true; } });
  }
})();
"""


def _plain_formula(r: dict[str, Any]) -> str:
    """Searchable text of a formula: SymPy's plain form and the LaTeX with its commands spelled as words."""
    tex = r.get("statement_latex") or ""
    words = re.sub(r"\\(left|right|frac|operatorname|mathrm)", " ", tex)
    words = re.sub(r"[\\{}]", " ", words)
    return f"{r.get('statement', '')} {' '.join(words.split())}"


def search_index(reports: list[dict[str, Any]]) -> str:
    from .html import VERDICT_CLASS, VERDICT_WORDS

    entries = [{"id": r["id"], "title": r.get("title", ""), "location": r.get("location", ""),
                "status": VERDICT_WORDS.get(r["status"], r["status"]), "cls": VERDICT_CLASS.get(r["status"], "open"),
                "url": f"claims/{slug(r['id'])}.html", "text": _plain_formula(r)} for r in reports]
    return "window.THEORYCHECK_INDEX = " + json.dumps(entries, separators=(",", ":")) + ";\n"
