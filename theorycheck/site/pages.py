"""The site's pages: index, errata, graph, one page per paper and one per claim, all from the run's data."""
from __future__ import annotations

from collections import Counter
from typing import Any

from checks.result import VERDICTS
from theorycheck.summaries import weakest_evidence

from . import graph
from .html import VERDICT_CLASS, badge, claim_link, esc, math, name_html, num, slug

MAIN_VERDICTS = ("verified", "refuted")
NOT_CHECKED = " <span class='verdict open' title='no mutant of the statement was killed'>statement not checked</span>"


class Site:
    """The run's claims with what every page needs: by id, by paper and section, users, mutant flags."""

    def __init__(self, reports: list[dict[str, Any]], meta: dict[str, Any], ledger: dict[str, Any] | None):
        self.meta, self.ledger = meta, ledger or {}
        papers = meta.get("papers") or {}
        rank = {k: i for i, k in enumerate(papers)}
        self.reports = sorted(reports, key=lambda r: (rank.get(r["paper"], len(rank)), r.get("order", 10 ** 6)))
        self.by_id = {r["id"]: r for r in self.reports}
        self.known = set(self.by_id)
        keys = dict.fromkeys(r["paper"] for r in self.reports)
        self.papers = {k: papers.get(k, {"key": k, "title": k}) for k in keys}
        self.used_by: dict[str, list[str]] = {}
        for r in self.reports:
            for u in r.get("uses") or []:
                self.used_by.setdefault(u, []).append(r["id"])

    def of_paper(self, key: str) -> list[dict[str, Any]]:
        return [r for r in self.reports if r["paper"] == key]

    def sections(self, key: str) -> list[tuple[str, list[dict[str, Any]]]]:
        """(section title, claims) in the paper's order; claims outside any section come last."""
        rs = self.of_paper(key)
        out = []
        for sec in self.papers[key].get("sections") or []:
            mine = [r for r in rs if r.get("section") == sec["key"]]
            if mine:
                out.append((sec["title"], mine))
        rest = [r for r in rs if not any(r in group for _, group in out)]
        if rest:
            out.append(("claims" if not out else "other claims", rest))
        return out

    def not_checked(self, r: dict[str, Any]) -> bool:
        m = r.get("mutants") or (self.ledger.get(r["id"]) or {}).get("mutants") or {}
        return m.get("statement_checked") is False

    def counts(self, rs=None) -> Counter:
        return Counter(r["status"] for r in (self.reports if rs is None else rs))


def counts_html(c: Counter) -> str:
    return "<p class='counts'>" + "".join(f"<span>{badge(v)} {c.get(v, 0)}</span>" for v in VERDICTS
                                           if c.get(v) or v in MAIN_VERDICTS) + "</p>"


def sentence(c: Counter, n: int) -> str:
    other = n - c.get("verified", 0) - c.get("refuted", 0)
    return (f"{c.get('verified', 0)} verified, {c.get('refuted', 0)} refuted"
            + (f", {other} neither (inconclusive, depending on the reading, not checkable or broken)" if other else ""))


def paper_link(meta: dict[str, Any]) -> str:
    url = meta.get("url")
    return f'<a href="{esc(url)}" rel="external">{esc(url)}</a>' if url else ""


# --- listings ----------------------------------------------------------------------------------------------
def claims_table(site: Site, rs: list[dict[str, Any]], up: str) -> str:
    rows = []
    for r in rs:
        flag = NOT_CHECKED if site.not_checked(r) else ""
        rows.append(
            f'<tr data-paper="{esc(r["paper"])}" data-verdict="{esc(r["status"])}">'
            f'<td data-label="claim"><a href="{up}claims/{slug(r["id"])}.html">{esc(r["id"])}</a>'
            f'<span class="ctitle">{esc(r.get("title", ""))}</span></td>'
            f'<td data-label="formula" class="formula"><div class="fx">{math(r.get("statement_latex", ""))}</div></td>'
            f'<td data-label="where">{esc(r.get("location", ""))}</td>'
            f'<td data-label="verdict">{badge(r["status"])}{flag}</td>'
            f'<td data-label="evidence">{esc(weakest_evidence(r))}</td></tr>')
    return ("<div class='scroll'><table class='claims'><colgroup><col class='c-id'><col class='c-formula'>"
            "<col class='c-where'><col class='c-verdict'><col class='c-evidence'></colgroup><thead><tr><th>claim</th>"
            "<th>formula as printed</th><th>where</th><th>verdict</th><th>weakest evidence</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></div>")


def sidebar(site: Site, key: str, up: str, current: str | None = None, others: bool = True) -> str:
    meta = site.papers[key]
    parts = [f"<h4><a href='{up}papers/{esc(key)}.html'>{esc(meta.get('title', key))}</a></h4>"]
    for title, rs in site.sections(key):
        items = "".join(
            f"<li{' class=current' if r['id'] == current else ''}>"
            f"<span class='dot {VERDICT_CLASS.get(r['status'], 'open')}'></span>"
            f"<a href='{up}claims/{slug(r['id'])}.html' title='{esc(r.get('title', ''))}'>{esc(r['id'])}</a></li>"
            for r in rs)
        here = any(r["id"] == current for r in rs) or (current is None and others)
        parts.append(f"<details{' open' if here else ''}><summary>{esc(title)} ({len(rs)})</summary>"
                     f"<ul>{items}</ul></details>")
    rest = [k for k in site.papers if k != key] if others else []
    if rest:
        parts.append("<h4>Other papers</h4><ul>" + "".join(
            f"<li><a href='{up}papers/{esc(k)}.html'>{esc(site.papers[k].get('title', k))}</a></li>" for k in rest)
            + "</ul>")
    return "".join(parts)


def index_body(site: Site) -> str:
    c, n = site.counts(), len(site.reports)
    cards = "".join(
        f"<div class='paper-card'><b><a href='papers/{esc(k)}.html'>{esc(m.get('title', k))}</a></b><br>"
        f"{esc(m.get('authors', ''))}{' · ' + esc(m['venue']) if m.get('venue') else ''} {paper_link(m)}"
        f"{counts_html(site.counts(site.of_paper(k)))}</div>" for k, m in site.papers.items())
    paper_opts = "".join(f'<option value="{esc(p)}">{esc(p)}</option>' for p in site.papers)
    verdict_opts = "".join(f'<option value="{esc(v)}">{esc(v)}</option>' for v in VERDICTS)
    ours = any(not m.get("origin") for m in site.papers.values())
    heading = "Published claims about SGD, momentum, Adam, AMSGrad and Adai, checked" if ours else "Claims, checked"
    return f"""<h1>{heading}</h1>
<p class="lead">{n} claims from {len(site.papers)} paper{'s' if len(site.papers) != 1 else ''}, each encoded as printed
and checked symbolically and against the dynamics it describes: {sentence(c, n)}. Every refuted statement is listed
with its counterexample and corrected form in the <a href="errata.html">errata</a>.</p>
{counts_html(c)}
<h2>Papers</h2>{cards}
<h2>All claims</h2>
<p class="filters"><label>paper <select id="filter-paper"><option value="">all</option>{paper_opts}</select></label>
<label>verdict <select id="filter-verdict"><option value="">all</option>{verdict_opts}</select></label>
<span id="shown"></span></p>
{claims_table(site, site.reports, "")}"""


def paper_body(site: Site, key: str) -> str:
    m, rs = site.papers[key], site.of_paper(key)
    sections = "".join(f"<h2>{esc(title)}</h2>{claims_table(site, group, '../')}"
                       for title, group in site.sections(key))
    cite = m.get("citation") or ""
    return (f"<h1>{esc(m.get('title', key))}</h1><p class='lead'>{esc(m.get('authors', ''))}"
            f"{' · ' + esc(m['venue']) if m.get('venue') else ''}</p>"
            + (f"<p>Paper: {paper_link(m)}</p>" if m.get("url") else "")
            + (f"<p>Cite: {esc(cite)}</p>" if cite else "") + (f"<p>Claim file: <code>{esc(m['origin'])}</code></p>"
                                                               if m.get("origin") else "")
            + f"<p>{len(rs)} claims: {sentence(site.counts(rs), len(rs))}.</p>{counts_html(site.counts(rs))}"
            + "<h2>Dependency graph</h2>" + graph.LEGEND
            + f"<div class='graph-wrap'>{graph.svg(rs, '../', title=key)}</div>{sections}")


def errata_body(site: Site) -> str:
    refuted = [r for r in site.reports if r["status"] == "refuted"]
    items = []
    for r in refuted:
        fixes = [site.by_id[x] for x in r.get("corrections") or [] if x in site.by_id]
        if not fixes and r.get("corrected"):
            fixes = [{"id": r["corrected"]["id"], "statement_latex": r["corrected"]["statement_latex"],
                      "status": site.by_id.get(r["corrected"]["id"], {}).get("status", "not run")}]
        corr = "".join(f"<p>Corrected form ({claim_link(f['id'], '', site.known)}, "
                       f"{badge(f.get('status', 'not run'))}):</p>"
                       f"<div class='statement'>{math(f.get('statement_latex', ''), True)}</div>" for f in fixes) \
            or "<p>No corrected form is encoded; see the claim's notes.</p>"
        from .evidence import counterexample
        ce = {k: v for k, v in (r.get("counterexample") or {}).items() if k not in ("rungs", "cells")}
        paper = site.papers.get(r["paper"], {})
        items.append(f"""<section class="erratum"><h2><a href="claims/{slug(r['id'])}.html">{esc(r['id'])}</a> —
{esc(r.get('location', ''))} of {esc(paper.get('title', r['paper']))}</h2><p>{esc(r.get('title', ''))}</p>
<p>As printed:</p><div class="statement">{math(r.get('statement_latex', ''), True)}</div>
<p>Refuted by {esc(weakest_evidence(r).removeprefix('refuted by '))}</p>
{f"<p class='ce'>Counterexample: {counterexample(ce)}</p>" if ce else ''}{corr}</section>""")
    return (f"<h1>Errata: {len(refuted)} refuted statement{'s' if len(refuted) != 1 else ''}</h1>"
            "<p class='lead'>Each statement below is refuted by evidence from the process it describes (a simulation "
            "or an exact solution), with the counterexample and, where one is encoded, a corrected form checked the "
            "same way.</p>" + "".join(items))


def graph_body(site: Site) -> str:
    parts = ["<h1>How the claims depend on each other</h1>", graph.LEGEND]
    for key in site.papers:
        parts.append(f"<h2><a href='papers/{esc(key)}.html'>{esc(site.papers[key].get('title', key))}</a></h2>"
                     f"<div class='graph-wrap'>{graph.svg(site.of_paper(key), '', title=key)}</div>")
    return "".join(parts)


# --- a claim ------------------------------------------------------------------------------------------------
def assumptions(kinds: list[str]) -> str:
    """SymPy's assumptions in a reader's words, without the implied ones (positive implies real and nonzero)."""
    implied = {"positive": {"nonnegative", "nonzero", "real"}, "negative": {"nonpositive", "nonzero", "real"},
               "integer": {"real"}, "nonzero": {"real"}, "nonnegative": {"real"}}
    drop = set().union(*(implied.get(k, set()) for k in kinds))
    words = {"positive": "> 0", "negative": "< 0", "nonnegative": "≥ 0", "nonzero": "≠ 0", "integer": "an integer",
             "real": "real"}
    return ", ".join(words.get(k, k) for k in kinds if k not in drop) or "any value"


def regime_html(r: dict[str, Any]) -> str:
    reg = r.get("regime") or {}
    symbols = r.get("symbols") or {}
    rows = [{"symbol": p["name"], "ascii": p.get("ascii"), "meaning": symbols.get(p["name"]) or p.get("doc") or None,
             "assumes": assumptions(p.get("assumptions") or []),
             "sampled": f"[{num(p['range'][0])}, {num(p['range'][1])}]{' (log)' if p.get('log') else ''}"}
            for p in reg.get("params") or []]
    body = "".join(f"<tr><td>{name_html(x['symbol'])}</td><td><code>{esc(x['ascii'])}</code></td>"
                   f"<td>{esc(x['meaning'] or '')}</td><td>{esc(x['assumes'])}</td><td>{x['sampled']}</td></tr>"
                   for x in rows)
    out = f"<p>{esc(reg.get('description', ''))}</p>"
    if rows:
        out += ("<div class='scroll'><table><thead><tr><th>symbol</th><th>type as</th><th>meaning</th><th>the paper "
                f"assumes</th><th>checks sample in</th></tr></thead><tbody>{body}</tbody></table></div>")
    conds = reg.get("conditions") or []
    if conds:
        def shown(c):
            if c.get("relation_latex"):
                return math(c["relation_latex"])
            return f"<code class='tex-source'>{esc(c['relation'])}</code>"
        out += "<ul>" + "".join(f"<li>{'samples where' if c.get('sampling') else 'assumes'} {esc(c['text'])}: "
                                f"{shown(c)}</li>" for c in conds) + "</ul>"
    return out


def readings_html(site: Site, r: dict[str, Any]) -> str:
    ids = list(r.get("reading_ids") or []) or list((r.get("readings") or {}).keys())
    out = ""
    if ids:
        def row(i: str) -> str:
            x = site.by_id.get(i, {})
            proof = " <b>(the reading the proof uses)</b>" if x.get("proof_reading") else ""
            status = x.get("status") or (r.get("readings") or {}).get(i, "not run")
            return (f"<tr><td>{claim_link(i, '../', site.known)}</td><td>{esc(x.get('reading', ''))}{proof}</td>"
                    f"<td>{badge(status)}</td></tr>")

        rows = "".join(row(i) for i in ids)
        verdict = ("The readings disagree: the verdict depends on the reading." if r["status"] == "depends-on-reading"
                   else "The verdict is the readings' common verdict.")
        out += (f"<h2>Readings of the text</h2><p>{verdict}</p><div class='scroll'><table><thead><tr><th>reading</th>"
                f"<th>how the text is read</th><th>verdict</th></tr></thead><tbody>{rows}</tbody></table></div>")
    if r.get("reading_of"):
        proof = " — the reading the paper’s proof uses." if r.get("proof_reading") else ""
        out += (f"<p>This is one reading of {claim_link(r['reading_of'], '../', site.known)}: "
                f"{esc(r.get('reading', ''))}{proof}</p>")
    return out


def claim_body(site: Site, r: dict[str, Any], checks_html: list[str], plots_html: list[str]) -> str:
    up, cid = "../", r["id"]
    paper = site.papers.get(r["paper"], {})
    section = next((t for t, rs in site.sections(r["paper"]) if r in rs), "")
    title = esc(paper.get("title", r["paper"]))
    src = f"{esc(r.get('location', ''))} of " + (f'<a href="{esc(paper["url"])}" rel="external">{title}</a>'
                                                 if paper.get("url") else title)
    tex = r.get("statement_latex", "")
    agree = r.get("printed_agreement") or {}
    agree_html = ""
    if agree:
        cls = "warn" if agree.get("status") == "disagrees" else "meta"
        agree_html = (f"<p class='{cls}'>The printed form is compared with the SymPy statement the checks use: "
                      f"{esc(agree['status'])} ({esc(agree.get('detail', ''))}).</p><details class='latex'>"
                      f"<summary>the SymPy statement</summary>{math(r.get('statement_sympy_latex', ''), True)}"
                      "</details>")
    links = []
    corrects = [r["corrects"]] if r.get("corrects") else []
    for label, ids in (("Uses", r.get("uses") or []), ("Used by", site.used_by.get(cid, [])),
                       ("Corrects", corrects)):
        if ids:
            links.append(f"<p>{label}: " + ", ".join(claim_link(i, up, site.known) for i in ids) + "</p>")
    fixes = "".join(f"<p>Corrected form {claim_link(i, up, site.known)} {badge(site.by_id[i]['status'])}:</p>"
                    f"<div class='statement'>{math(site.by_id[i].get('statement_latex', ''), True)}</div>"
                    for i in r.get("corrections") or [] if i in site.by_id)
    near = graph.neighbourhood(r, site.by_id)
    from .evidence import counterexample
    ce = {k: v for k, v in (r.get("counterexample") or {}).items() if k not in ("rungs", "cells")}
    crumbs = f'<a href="{up}papers/{esc(r["paper"])}.html">{esc(r["paper"])}</a>'
    crumbs += f" › {esc(section)}" if section else ""
    warn = ("<p class='warn'>Statement not checked: no mutant of the statement changed any check's outcome.</p>"
            if site.not_checked(r) else "")
    return f"""<p class="meta">{crumbs}</p>
<h1>{esc(cid)} {badge(r['status'])}</h1>
<p class="lead">{esc(r.get('title', ''))}</p>
<p>{src}{(' · ' + esc(paper['authors'])) if paper.get('authors') else ''}</p>
<h2>Statement as printed</h2>
<div class="statement">{math(tex, True)}</div>{agree_html}
<details class="latex"><summary>LaTeX source</summary><pre class="tex-source" id="tex">{esc(tex)}</pre>
<button type="button" class="copy" data-target="tex">copy</button></details>
{warn}
<h2>Verdict</h2><p>{badge(r['status'])} {esc(r.get('reason', ''))}</p>
{f"<p class='ce'>Counterexample: {counterexample(ce)}</p>" if ce else ''}
{f"<p>Quantified as: {esc(r['quantified'])}</p>" if r.get('quantified') else ''}
{readings_html(site, r)}{fixes}
{''.join(links)}
{f"<div class='graph-wrap'>{graph.svg(near, up, focus=cid)}</div>" if len(near) > 1 else ''}
<h2>Model and regime</h2><p>About: {esc(r.get('about', ''))}. Dynamics: {esc(r.get('dynamics', '') or '—')}.
Observable: {esc(r.get('observable', '') or '—')}.</p>
{regime_html(r)}
{('<h2>Notes</h2><ul>' + ''.join(f'<li>{esc(n)}</li>' for n in r['notes']) + '</ul>') if r.get('notes') else ''}
{('<h2>Formula, exact model and simulation</h2>' + ''.join(plots_html)) if plots_html else ''}
<h2>Evidence</h2>
{''.join(checks_html) or '<p>No check ran.</p>'}"""

