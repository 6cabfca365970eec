"""``theorycheck show``: a claim as a reader meets it -- the statement pretty-printed as the paper prints it,
where it is printed, what it assumes, how it is checked, and (``--evidence``) what each check found in one
line each; ``--json`` gives the whole report instead."""
from __future__ import annotations

import textwrap

WIDTH = 100


def _wrap(label: str, text: str) -> str:
    return textwrap.fill(text, WIDTH, initial_indent=f"  {label:<12}", subsequent_indent=" " * 14)


def show_claim(reg, c, ledger: dict, args) -> None:
    import sympy as sp

    from .texfmt import printed_agreement, readable, statement_tex

    if args.evidence and args.json:
        _evidence(reg, c, args)
        return
    paper = reg.paper_meta(c.paper)
    print(f"{c.id}: {c.title}")
    source = c.location + (f" of {paper['title']}" if paper.get("title") else "")
    print(_wrap("source:", source))
    cite = c.source.citation if c.source and c.source.citation else paper.get("citation", "")
    if cite or paper.get("url"):
        print(_wrap("", " ".join(x for x in (cite, paper.get("url", "")) if x)))
    print("  statement:")
    print("    " + sp.pretty(readable(c.statement), use_unicode=True, wrap_line=False).replace("\n", "\n    "))
    print(_wrap("LaTeX:", statement_tex(c)))
    if c.printed:
        a = printed_agreement(c)
        print(_wrap("as printed:", f"{a.status} with the SymPy statement ({a.detail})"))
    print(_wrap("about:", c.about + (f"; reading of {c.reading_of}: {c.reading}" if c.reading_of else "")
                + (" (the reading the paper's proof uses)" if c.proof_reading else "")))
    if c.quantified:
        print(_wrap("quantified:", c.quantified))
    for label, text in (("dynamics:", c.dynamics), ("observable:", c.observable), ("regime:", c.regime.description)):
        if text:
            print(_wrap(label, text))
    for p in c.regime.params:
        kinds = ", ".join(k for k in ("positive", "negative", "nonzero", "integer", "real")
                          if p.symbol.assumptions0.get(k))
        shown = p.ascii + (f" ({p.name})" if p.ascii != p.name else "")
        doc = c.symbols.get(p.name) or p.doc
        print(f"    {shown}: {kinds or 'any value'}; sampled in [{p.low:g}, {p.high:g}]"
              f"{' (log)' if p.log else ''}{'  ' + doc if doc else ''}")
    for cond in c.regime.conditions:
        print(f"    {'samples where' if cond.sampling else 'assumes'} {cond.text}")
    for note in c.notes:
        print(_wrap("note:", note))
    print("  checks:")
    for check in c.checks:
        print(f"    [{check.kind}/{check.evidence}] {check.name}")
    for rid in reg.readings_of(c.id):
        print(f"  reading:    {rid}")
    for cor in reg.corrections_of(c.id):
        print(f"  corrected form: {cor}")
    if c.corrects:
        print(f"  corrects:   {c.corrects}")
    if c.uses:
        print(_wrap("uses:", ", ".join(c.uses)))
    rec = ledger.get(c.id)
    print(f"  recorded verdict: {rec['status'] if rec else 'none (run theorycheck verify ' + c.id + ')'}")
    if rec and rec.get("mutants", {}).get("statement_checked") is False:
        print("  WARNING: statement not checked (no mutant of the statement was killed)")
    if args.evidence:
        _evidence(reg, c, args)
    print()


def _evidence(reg, c, args) -> None:
    from checks.base import RunContext
    from checks.engine import run_claims

    from .reports import dumps, report_dict
    from .summaries import summary

    ctx = RunContext(seed=args.seed, convention=getattr(args, "optimizer_convention", "paper"))
    report = run_claims([c], ctx, reg)[-1]
    if args.json:
        print(dumps(report_dict(report, reg, ctx)))
        return
    print(f"  verdict now: {report.verdict.status}")
    print(_wrap("", report.verdict.reason[:400]))
    for r in report.results:
        print(f"    {r.status:<13} {r.name}")
        print(textwrap.fill(summary(r.to_dict()), WIDTH, initial_indent=" " * 18, subsequent_indent=" " * 18))
    if report.readings:
        print("  readings: " + ", ".join(f"{k}: {v}" for k, v in report.readings.items()))
