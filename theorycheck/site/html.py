"""HTML building blocks: escaping, math (MathML at build time), numbers, badges, tables, and the page layout
(top bar with search, a sidebar per paper, main column, footer naming the run)."""
from __future__ import annotations

import html
import re
from typing import Any

VERDICT_CLASS = {"verified": "ok", "refuted": "bad", "inconclusive": "open", "not-checkable": "open",
                 "depends-on-reading": "open", "error": "bad", "unverified": "open"}
VERDICT_WORDS = {"depends-on-reading": "depends on the reading", "not-checkable": "not checkable"}
STATUS_WORDS = {"pass": "pass", "fail": "fail", "inconclusive": "inconclusive", "not-checkable": "not checkable",
                "error": "error"}


def esc(x: Any) -> str:
    return html.escape(str(x), quote=True)


def math(tex: str, display: bool = False) -> str:
    """LaTeX -> MathML at build time; a formula the converter cannot read is shown as its source, marked."""
    from latex2mathml.converter import convert

    if not tex:
        return ""
    try:
        return convert(tex, display="block" if display else "inline")
    except Exception:
        return f'<code class="tex-source">{esc(tex)}</code>'


def name_html(name: str) -> str:
    """A parameter name; names written in TeX (\\bar{v}, m_{t-1}) are shown as math, not as source."""
    from theorycheck.texfmt import tex_name

    name = str(name)
    if "\\" in name or "{" in name or "_" in name or "^" in name:
        return math(tex_name(name))
    return esc(name)


def slug(claim_id: str) -> str:
    return re.sub(r"[^a-zA-Z0-9.-]", "_", claim_id)


def num(v: Any, digits: int = 4) -> str:
    """A number as a reader wants it: 4 significant digits, scientific only when very large or small."""
    if isinstance(v, bool) or v is None:
        return esc("yes" if v is True else "no" if v is False else "–")
    if isinstance(v, (int, float)):
        if v != v:
            return "NaN"
        if v in (float("inf"), float("-inf")):
            return "∞" if v > 0 else "−∞"
        if isinstance(v, int) or (v == int(v) and abs(v) < 1e6):
            return esc(f"{v:.0f}" if v == int(v) else f"{v:.{digits}g}")
        if 1e-3 <= abs(v) < 1e5:
            return esc(f"{v:.{digits}g}")
        return esc(f"{v:.{digits - 1}e}")
    if isinstance(v, dict):
        return point(v)
    if isinstance(v, (list, tuple)):
        if len(v) <= 6:
            return "(" + ", ".join(num(x, 3) for x in v) + ")"
        return f"({len(v)} values)"
    if isinstance(v, str) and "\\" in v:
        return text_or_math(v)
    return esc(v)


def text_or_math(s: str) -> str:
    """Evidence strings are TeX ("\\frac{D}{H}") or words followed by TeX ("divided by \\frac{D}{H}")."""
    m = re.match(r"^([A-Za-z][A-Za-z ,.;:()'-]* )(?=[^ ]*\\)", s)
    if m and len(m.group(1).split()) > 1:
        return esc(m.group(1)) + math(s[m.end():])
    return math(s)


def point(p: dict[str, Any]) -> str:
    return ", ".join(f"{name_html(k)} = {num(x, 3)}" for k, x in p.items() if not str(k).startswith("_"))


def badge(status: str) -> str:
    words = VERDICT_WORDS.get(status, status)
    return f'<span class="verdict {VERDICT_CLASS.get(status, "open")}">{esc(words)}</span>'


def status_badge(status: str) -> str:
    return f'<span class="status {esc(status)}">{esc(STATUS_WORDS.get(status, status))}</span>'


def table(rows: list[dict[str, Any]], columns: list[tuple[str, str]], limit: int = 30, cls: str = "") -> str:
    """A table of rows; columns are (key, heading); a column with no value in any row is left out, so
    there is never a column (or a table) of blanks."""
    cols = [(k, h) for k, h in columns if any(r.get(k) is not None for r in rows)]
    if not rows or not cols:
        return ""
    head = "".join(f"<th>{h}</th>" for _, h in cols)
    body = "".join("<tr>" + "".join(f'<td data-label="{esc(_plain(h))}">{num(r.get(k))}</td>' for k, h in cols)
                   + "</tr>" for r in rows[:limit])
    more = f"<p class='more'>… {len(rows) - limit} more rows in the raw evidence.</p>" if len(rows) > limit else ""
    return (f"<div class='scroll'><table class='evidence {cls}'><thead><tr>{head}</tr></thead><tbody>{body}"
            f"</tbody></table></div>{more}")


def _plain(h: str) -> str:
    return re.sub(r"<[^>]+>", "", h)


def claim_link(cid: str, up: str, known: set[str], label: str | None = None) -> str:
    if cid in known:
        return f'<a href="{up}claims/{slug(cid)}.html">{esc(label or cid)}</a>'
    return f'<span class="absent" title="not in this site">{esc(label or cid)}</span>'


def page(title: str, body: str, meta: dict[str, Any], depth: int, sidebar: str = "", description: str = "") -> str:
    up = "../" * depth
    papers = meta.get("papers") or {}
    paper_links = "".join(f'<a href="{up}papers/{esc(k)}.html">{esc(k)}</a>' for k in papers)
    aside = (f'<details class="sidebar" open><summary>Contents</summary><nav>{sidebar}</nav></details>'
             if sidebar else "")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<meta name="description" content="{esc(description or title)}">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{up}assets/style.css">
</head><body data-root="{up}">
<header class="top"><a class="brand" href="{up}index.html">theorycheck</a>
<nav class="main"><a href="{up}index.html">claims</a><a href="{up}errata.html">errata</a>
<a href="{up}graph.html">graph</a>{paper_links}</nav>
<div class="search"><input id="search" type="search" placeholder="Search ids, titles, formulas"
aria-label="search claims" autocomplete="off"><ol id="search-results" hidden></ol></div></header>
<div class="layout{' with-sidebar' if sidebar else ''}">{aside}<main>
{body}
</main></div>
<footer>{footer(meta)}</footer>
<script src="{up}assets/search-index.js"></script>
<script src="{up}assets/site.js"></script>
</body></html>
"""


def footer(meta: dict[str, Any]) -> str:
    commit = f" (commit {esc(meta['commit'])})" if meta.get("commit") else ""
    source = " Rendered from a saved run." if meta.get("from_json") else ""
    return (f"Evidence from a verification run at {esc(meta.get('utc', '?'))} UTC by theorycheck "
            f"{esc(meta.get('version', '?'))}{commit}, root seed {esc(meta.get('seed', '?'))}, "
            f"{'deep' if meta.get('deep') else 'default'} run, {esc(meta.get('convention', 'paper'))} optimizer "
            f"convention, Python {esc(meta.get('python', ''))}; every check's own seed is listed with its evidence. "
            f"Monte Carlo comparisons in the run: {esc(meta.get('comparisons', ''))} (family-wise false-alarm bound "
            f"{num(meta.get('family_wise_false_alarm_bound', 0), 2)}).{source}")
