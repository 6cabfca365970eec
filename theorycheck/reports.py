"""A verification run as data: the claim reports ``verify --json`` writes and the docs site reads.

Everything the site shows comes from here, so ``docs build --from RUN.json`` renders the same site
without re-running anything: the statement as printed (and whether it agrees with the SymPy form), the
paper's section and order, the links between claims, and the plot-ready tables of the claim's curves
(computed once, by the run).
"""
from __future__ import annotations

import ast
import json
from typing import Any

from .texfmt import latex, printed_agreement, statement_tex


def section_title(paper, section: str) -> str:
    """A section's name from its module docstring ("`adai`, Sec. 3 and App. A.1: ..." -> "Sec. 3 and App. A.1")."""
    try:
        doc = ast.get_docstring(ast.parse((paper.folder / f"{section}.py").read_text())) or ""
    except (OSError, SyntaxError):
        return section
    first = doc.strip().split("\n", 1)[0]
    head = first.split(":", 1)[0] if ":" in first else first
    head = head.split(",", 1)[1].strip() if head.startswith("`") and "," in head else head
    return head.strip(" .") or section


def papers_meta(registry) -> dict[str, dict[str, Any]]:
    """Per paper: its metadata (title, authors, url, citation) and its sections in the paper's order; papers of
    claim files get their key and the file they came from."""
    out: dict[str, dict[str, Any]] = {}
    for key, paper in registry.papers.items():
        meta = {k: v for k, v in paper.meta.items() if k != "file"}
        meta["sections"] = [{"key": s, "title": section_title(paper, s)} for s in paper.sections]
        out[key] = meta
    for e in registry.entries():
        if e.paper not in out:
            out[e.paper] = {"key": e.paper, "title": f"claims of {e.origin}", "origin": e.origin, "sections": [],
                            "citation": ""}
    return out


def jsonable(x: Any) -> Any:
    """Plain JSON data: keys as strings (a claim may key its symbols by SymPy Symbol), other objects as text,
    so writing a run never fails after the run itself succeeded."""
    if isinstance(x, dict):
        return {k if isinstance(k, str) else str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if x is None or isinstance(x, (bool, int, float, str)):
        return x
    try:
        return float(x)
    except (TypeError, ValueError):
        return str(x)


def dumps(data: Any) -> str:
    return json.dumps(jsonable(data), indent=1)


def report_dict(report, registry=None, ctx=None, tables: bool = True) -> dict[str, Any]:
    """ClaimReport.to_dict plus what readers and the site need (never re-computed by the site)."""
    d = report.to_dict()
    claim = report.claim
    d["statement_latex"] = statement_tex(claim)
    for cond, out in zip(claim.regime.conditions, d["regime"].get("conditions", [])):
        out["relation_latex"] = latex(cond.relation)          # shown as math, not as SymPy's text
    d["printed"] = getattr(claim, "printed", "")
    if d["printed"]:
        d["statement_sympy_latex"] = latex(claim.statement)
        d["printed_agreement"] = printed_agreement(claim).to_dict()
    if getattr(claim, "corrected", None) is not None:
        d["corrected"] = {"id": claim.corrected.id, "statement_latex": statement_tex(claim.corrected)}
    if registry is not None:
        try:
            e = registry.entry(claim.id)
        except Exception:
            e = None
        if e is not None:
            d["section"] = e.module.rsplit(".", 1)[-1] if e.module else ""
            d["order"] = registry.ids().index(claim.id)
        d["corrections"] = registry.corrections_of(claim.id)
        d["reading_ids"] = registry.readings_of(claim.id)
    d["tables"] = []
    if tables and getattr(claim, "curves", None):
        from checks.curves import tables_for

        d["tables"] = [t.to_dict() for t in tables_for(claim, ctx)]
    return jsonable(d)


def broken_report(cid: str, entry, error: BaseException) -> dict[str, Any]:
    """A claim whose declaration itself fails (a bad Param, an exception in its body): an error result."""
    return {"id": cid, "paper": getattr(entry, "paper", cid.split(".")[0]), "location": getattr(entry, "location", ""),
            "title": getattr(entry, "title", ""), "citation": "", "status": "error",
            "reason": f"{cid}: the claim could not be built: {type(error).__name__}: {error}", "counterexample": None,
            "statement_latex": "", "statement": "", "about": "", "regime": {"params": [], "conditions": []},
            "symbols": {}, "dynamics": "", "observable": "", "notes": [], "uses": [], "corrects": None,
            "reading_of": None, "reading": "", "readings": None, "origin": getattr(entry, "origin", ""),
            "checks": [], "corrected": None, "mutants": None, "seconds": 0.0}
