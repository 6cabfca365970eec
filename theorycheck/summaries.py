"""One line that says what a check found, for every form of evidence (read from its JSON, imports nothing).

Forms: equality, limit, order (symbolic ladder, exact ladder, Monte Carlo ladder), z-test, density,
fraction, exact, bound, not-checkable, and error. The CLI prints these lines (``show --evidence``,
``verify -v``); the site uses them in listings and above each evidence table.
"""
from __future__ import annotations

import math
from typing import Any

# How strongly a check decides, weakest first (the site's "weakest evidence" column).
STRENGTH = {"not-checkable": 0, "montecarlo": 1, "bound": 1, "mpmath": 2, "exact": 3, "proof": 4}


def _g(x: Any, digits: int = 3) -> str:
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        if x != x:
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return f"{x:.{digits}g}"
    return str(x)


def _point(p: Any) -> str:
    if not isinstance(p, dict):
        return str(p)
    return ", ".join(f"{k}={_g(v)}" for k, v in p.items() if not str(k).startswith("_"))


def form_of(check: dict[str, Any]) -> str:
    """The evidence form, also for runs saved before checks named it."""
    if check.get("form"):
        return check["form"]
    rows = (check.get("details") or {}).get("rows") or [{}]
    first = rows[0] if isinstance(rows[0], dict) else {}
    if "z" in first:
        return "z-test"
    if "cells" in first:
        return "density"
    if "rungs" in first or "relative_error" in first or "remainder_slope" in first:
        return "order"
    if "relative_difference" in first:
        return "exact"
    return "equality" if check.get("kind") == "symbolic" else check.get("kind", "")


def summary(check: dict[str, Any]) -> str:
    """What the check found, in one line; evidence of a shape this module does not know gives its reason or
    method (a summary never fails)."""
    try:
        return _summary(check)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return check.get("reason") or check.get("method") or check.get("status", "")


def _summary(check: dict[str, Any]) -> str:
    status, d = check.get("status"), check.get("details") or {}
    rows = [r for r in d.get("rows") or [] if isinstance(r, dict)]
    form = form_of(check)
    if status == "error":
        return "broke: " + check.get("reason", "")
    if status == "not-checkable":
        return "not checkable: " + check.get("reason", "")
    if form == "equality":
        if status == "fail":
            ce = check.get("counterexample") or {}
            rel = ce.get("relative_difference", d.get("relative_difference"))
            return f"the two sides differ ({check.get('method')}); relative difference {_g(rel)}"
        how = {"simplify": "proved by simplify", "rewrite": "proved by a rewrite"}.get(check.get("method", ""))
        return how or f"equal numerically: {check.get('method')}" + (f" at {d['points_checked']} points"
                                                                      if d.get("points_checked") else "")
    if form == "limit":
        return f"the limit of remainder / bound as {d.get('small', 'the parameter')} -> 0 is finite: the O(...) holds"
    if form == "order":
        fitted = [r for r in rows if r.get("order") is not None or r.get("fitted_order") is not None]
        if fitted:
            parts = []
            for r in fitted:
                q = r.get("order", r.get("fitted_order"))
                se = f" ± {_g(r['order_se'], 2)}" if r.get("order_se") is not None else ""
                parts.append(f"{_g(q)}{se}")
            claimed = fitted[0].get("claimed_order")
            along = d.get("ladder_parameter", "the ladder")
            return f"fitted order {'; '.join(parts)} (claimed {_g(claimed)}) along {along}"
        slopes = [r for r in rows if r.get("remainder_slope") is not None]
        if slopes:
            worst = min(slopes, key=lambda r: r["remainder_slope"] - r["bound_slope"])
            return (f"remainder shrinks with slope {_g(worst['remainder_slope'])} against the bound's "
                    f"{_g(worst['bound_slope'])} ({len(slopes)} points, mpmath)")
        if rows:
            return "remainder exactly 0 along the ladder"
        return check.get("method", "")
    if form == "z-test" and rows:
        z = max(abs(r["z"]) for r in rows if "z" in r)
        zc = d.get("z_critical")
        mde = d.get("min_detectable_relative_error")
        return (f"max |z| = {z:.2f}" + (f" (limit {zc:.2f})" if zc else "") + f" over {len(rows)} comparisons"
                + (f"; detects relative errors above {_g(mde, 2)}" if mde else ""))
    if form == "density" and rows:
        p = min(r["p_value"] for r in rows)
        return f"chi-square goodness of fit, min p = {_g(p, 2)} over {len(rows)} samples"
    if form == "fraction" and rows:
        worst = min(rows, key=lambda r: r.get("p_value", 1))
        k, n = worst.get("k", worst.get("count")), worst.get("n")
        observed = worst.get("observed", k / n if k is not None and n else None)
        text = f"exact binomial test, min p = {_g(worst.get('p_value'), 2)}"
        if observed is not None:
            text += f": observed {_g(observed)}" + (f" ({k}/{n})" if k is not None and n else "")
        if worst.get("claimed") is not None:
            text += f" against claimed {_g(worst['claimed'])}"
        return text
    if form == "exact" and rows:
        rel = max(max(r["relative_difference"]) if isinstance(r["relative_difference"], list)
                  else r["relative_difference"] for r in rows)
        return f"largest relative difference from the exact model {_g(rel, 2)} (tolerance {_g(d.get('rtol'))})"
    if form == "bound" and "worst_ratio" in d:
        se = f" ± {_g(d['quantity_se'], 2)}" if d.get("quantity_se") else ""
        return (f"theoretical {_g(d.get('bound'))} vs computed {_g(d.get('quantity'))}{se}: worst ratio "
                f"{_g(d['worst_ratio'])} ({d.get('direction', 'upper')} bound) at {_point(d.get('worst_point'))}")
    if check.get("reason"):
        return check["reason"]
    return check.get("method", "")


def strength(check: dict[str, Any]) -> int:
    if check.get("status") == "not-checkable":
        return STRENGTH["not-checkable"]
    kind, method = check.get("kind"), check.get("method", "")
    if kind in ("montecarlo", "bound"):
        return STRENGTH[kind]
    if kind == "exact":
        return STRENGTH["exact"]
    return STRENGTH["mpmath"] if "mpmath" in method else STRENGTH["proof"]


def weakest_evidence(report: dict[str, Any]) -> str:
    """For a refuted claim, the check that refuted it; otherwise the weakest check that decided."""
    checks = report.get("checks") or []
    if not checks:
        return "no checks"
    if report.get("status") == "refuted":
        failed = next((c for c in checks if c["status"] == "fail" and c.get("evidence") == "model"),
                      next((c for c in checks if c["status"] == "fail"), checks[0]))
        return f"refuted by {failed['kind']}: {summary(failed)}"
    weakest = min(checks, key=strength)
    return f"{weakest['kind']}: {summary(weakest)}"
