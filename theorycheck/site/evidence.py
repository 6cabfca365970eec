"""Evidence of one check, rendered for its form: what was compared, the numbers, the uncertainty, the
self-test, the seed, a plot where the form has one, and the raw JSON. Tables never show a column of blanks;
a form this module does not know is shown as the summary and its scalar details."""
from __future__ import annotations

import json
from typing import Any

from theorycheck.summaries import form_of, summary

from .html import esc, math, num, point, status_badge, table

FORM_WORDS = {"equality": "symbolic equality", "limit": "limit", "order": "order of the error", "z-test": "z-tests",
              "density": "goodness of fit", "fraction": "binomial tests", "exact": "exact model",
              "bound": "worst-case search", "not-checkable": "not checkable"}


def _sides(d: dict[str, Any]) -> str:
    parts = []
    for side, label in (("lhs", "left"), ("rhs", "right"), ("exact", "exact"), ("approx", "approximation"),
                        ("bound", "bound")):
        tex = d.get(side)
        if isinstance(tex, str) and tex:
            body = math(tex, True)
            if len(tex) >= 3000:
                body = f"<details><summary>long expression</summary>{body}</details>"
            parts.append(f"<div class='side'><span class='label'>{label}</span>{body}</div>")
    if d.get("divided_by"):
        parts.append(f"<p>Both sides divided by {math(d['divided_by'])} first.</p>")
    return "".join(parts)


def _equality(check, d) -> str:
    facts = []
    if d.get("simplified") is not None:
        facts.append(f"left − right simplifies to {math(str(d['simplified']))}" if d["simplified"] == "0"
                     else f"simplified difference: {num(d['simplified'])}")
    if d.get("points_checked"):
        facts.append(f"checked numerically at {num(d['points_checked'])} points")
    if d.get("relative_difference") is not None:
        facts.append(f"largest relative difference {num(d['relative_difference'])}")
    if isinstance(d.get("numeric"), dict) and d["numeric"].get("points_checked"):
        facts.append(f"numbers first: {num(d['numeric']['points_checked'])} points agree")
    return _sides(d) + (f"<p>{'; '.join(facts)}.</p>" if facts else "")


def _limit(check, d) -> str:
    limit = math(str(d.get("limit_of_remainder_over_bound", "")))
    return _sides(d) + (f"<p>lim (exact − approximation) / bound = {limit} as {esc(d.get('small', ''))} → 0: finite, "
                        "so the remainder is O(bound).</p>")


def _order(check, d) -> str:
    rows = d.get("rows") or []
    if rows and "rungs" in rows[0]:
        parts = []
        for r in rows:
            fit = (f"fitted order {num(r['order'], 3)} ± {num(r.get('order_se'), 2)}" if r.get("order") is not None
                   else "no fit (the error is below Monte Carlo resolution)")
            parts.append(f"<p>From {point(r['params'])}: {fit}, claimed {num(r['claimed_order'])}.</p>")
            parts.append(table(r["rungs"], [("claimed", "formula"), ("observed", "simulated mean"),
                                             ("se", "standard error"), ("relative_deviation", "relative error"),
                                             ("exact", "exact model"),
                                             ("model_gap", "model gap"), ("sampling_z", "z vs exact")]))
        return "".join(parts)
    if rows and "relative_error" in rows[0]:
        parts = []
        for r in rows:
            parts.append(f"<p>From {point(r['params'])}: fitted order {num(r['fitted_order'], 3)}, claimed "
                         f"{num(r['claimed_order'])}.</p>")
            ladder = [{"small": a, "claimed": b, "exact": c, "relative_error": e}
                      for a, b, c, e in zip(r["small"], r["claimed"], r["exact"], r["relative_error"])]
            parts.append(table(ladder, [("small", esc(d.get("ladder_parameter", "small"))), ("claimed", "formula"),
                                        ("exact", "exact"), ("relative_error", "relative error")]))
        return "".join(parts)
    fitted = [r for r in rows if r.get("remainder_slope") is not None]
    body = _sides(d)
    if fitted:
        body += table([{"params": r["params"], **r} for r in fitted],
                      [("params", "point"), ("remainder_slope", "slope of the remainder"),
                       ("bound_slope", "slope of the bound"), ("remainder_over_bound", "remainder / bound")])
    elif rows:
        body += "<p>The remainder is exactly 0 along the ladder at every point.</p>"
    return body


def _ztest(check, d) -> str:
    rows = d.get("rows") or []
    extra = [(k, k.replace("_", " ")) for k in ("discretization_bias", "exact") if rows and k in rows[0]]
    out = table(rows, [("params", "point"), ("observable", "observable"), ("claimed", "claimed"),
                       ("observed", "simulated mean"), ("se", "standard error"), ("z", "z")] + extra)
    if d.get("min_detectable_relative_error"):
        out += ("<p>Smallest relative error of the formula this check detects (90% power): "
                f"{num(d['min_detectable_relative_error'], 2)}.</p>")
    return out


def _density(check, d) -> str:
    return table(d.get("rows") or [], [("params", "point"), ("observable", "sample"), ("chi2", "χ²"),
                                       ("p_value", "p-value"), ("claimed_total_mass", "claimed total mass"),
                                       ("worst_cell", "worst cell"), ("claimed", "claimed mass there"),
                                       ("observed", "observed fraction there")])


def _fraction(check, d) -> str:
    out = table(d.get("rows") or [], [("params", "point"), ("observable", "event"), ("claimed", "claimed probability"),
                                      ("observed", "observed fraction"), ("k", "events"), ("n", "paths"),
                                      ("p_value", "p-value (exact binomial)")])
    if d.get("min_detectable_difference"):
        out += ("<p>Smallest difference in probability this check detects: "
                f"{num(d['min_detectable_difference'], 2)}.</p>")
    return out


def _exact(check, d) -> str:
    return table(d.get("rows") or [], [("params", "point"), ("claimed", "formula"), ("exact", "exact model"),
                                       ("relative_difference", "relative difference")]) + \
        (f"<p>Tolerance: relative {num(d['rtol'])}.</p>" if d.get("rtol") else "")


def _bound(check, d) -> str:
    """PEPit-style: the theoretical value beside the computed worst case, where it was found, and the budget."""
    if "worst_ratio" not in d:
        return ""
    rows = [{"what": "theoretical (the bound)", "value": d.get("bound")},
            {"what": "computed (the quantity)", "value": d.get("quantity"), "se": d.get("quantity_se") or None},
            {"what": "worst ratio computed / theoretical", "value": d.get("worst_ratio")}]
    out = table(rows, [("what", ""), ("value", "value"), ("se", "standard error")], cls="pepit")
    out += f"<p>{esc(d.get('direction', 'upper'))} bound; worst case found at {point(d.get('worst_point') or {})}.</p>"
    out += table(d.get("refined") or [], [("point", "candidate"), ("q", "computed"), ("se", "se"), ("b", "bound"),
                                          ("ratio", "ratio"), ("z", "z"), ("violation", "significant violation")])
    budget = d.get("budget") or {}
    if budget:
        out += "<p>Search budget: " + ", ".join(f"{esc(k.replace('_', ' '))} {num(v)}" for k, v in budget.items()
                                                if v is not None) + ".</p>"
    return out


def _generic(check, d) -> str:
    scalars = {k: v for k, v in d.items() if isinstance(v, (int, float, str)) and k not in ("seed",) and v != ""}
    rows = d.get("rows") if isinstance(d.get("rows"), list) else []
    out = ""
    if scalars:
        out += table([{"k": k.replace("_", " "), "v": v} for k, v in scalars.items()], [("k", ""), ("v", "")])
    if rows and isinstance(rows[0], dict):
        keys = [k for k in rows[0] if not isinstance(rows[0][k], (list, dict)) or k == "params"]
        out += table(rows, [(k, esc(k.replace("_", " "))) for k in keys])
    return out


RENDER = {"equality": _equality, "limit": _limit, "order": _order, "z-test": _ztest, "density": _density,
          "fraction": _fraction, "exact": _exact, "bound": _bound}


def _self_test(d) -> str:
    tests = d.get("self_test") or []
    if not tests:
        return ""
    items = "; ".join(f"{esc(s.get('perturbation'))}: {'rejected' if s.get('rejected') else '<b>not rejected</b>'}"
                      for s in tests)
    return f"<p class='selftest'>Self-test (deliberately wrong versions must be rejected): {items}.</p>"


def check_html(check: dict[str, Any], plot: str | None, up: str) -> str:
    d = check.get("details") or {}
    form = form_of(check)
    parts = [f"<h3>{esc(check['name'])} {status_badge(check['status'])}</h3>",
             f"<p class='meta'>{esc(check['kind'])} · {esc(FORM_WORDS.get(form, form))} · evidence from "
             f"{'the process itself' if check.get('evidence') == 'model' else 'the derivation'} · "
             f"{esc(check.get('method', ''))} · {num(check.get('seconds', 0), 2)} s</p>",
             f"<p class='summary'>{esc(summary(check))}</p>"]
    if check["status"] not in ("error", "not-checkable"):
        try:
            parts.append(RENDER.get(form, _generic)(check, d) or _generic(check, d))
        except (KeyError, TypeError, ValueError, IndexError):
            parts.append(_generic(check, d))
    parts.append(_self_test(d))
    if d.get("seed"):
        s = d["seed"]
        parts.append(f"<p class='seed'>Seed: SeedSequence(entropy={esc(s.get('entropy'))}, "
                     f"spawn_key={esc(s.get('spawn_key'))})"
                     + (f", {num(d['n_paths'])} paths per point" if "n_paths" in d else "") + "</p>")
    if check.get("counterexample"):
        ce = {k: v for k, v in check["counterexample"].items() if k not in ("rungs", "cells")}
        parts.append(f"<p class='ce'>Counterexample: {counterexample(ce)}</p>")
    if plot:
        parts.append(f'<figure><img src="{up}plots/{esc(plot)}" alt="plot of the evidence of {esc(check["name"])}">'
                     '</figure>')
    parts.append("<details class='raw'><summary>raw evidence (JSON)</summary><pre>"
                 f"{esc(json.dumps(check, indent=1, default=str))}</pre></details>")
    return f"<section class='check {esc(check['status'])}'>" + "".join(parts) + "</section>"


def counterexample(ce: dict[str, Any]) -> str:
    return "; ".join(f"{esc(k.replace('_', ' '))} {num(v)}" for k, v in ce.items() if v is not None)


def curve_table_html(tab: dict[str, Any], max_rows: int = 12) -> str:
    """The numbers behind a small curve (e.g. the printed coefficient of each power of eta beside the exact one),
    so that the figure can be read exactly; long curves are left to the figure and the raw evidence."""
    cols, x = tab.get("columns") or {}, str(tab.get("x"))
    xs = cols.get(x) or []
    if not xs or len(xs) > max_rows:
        return ""
    names = [x] + [n for n in (tab.get("kinds") or {}) if n in cols]
    rows = [{n: cols[n][i] for n in names if i < len(cols[n])} for i in range(len(xs))]
    return ("<details class='curve-values' open><summary>the values plotted</summary>"
            + table(rows, [(n, esc(n)) for n in names]) + "</details>")

