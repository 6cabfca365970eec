"""The docs site of verified claims: ``theorycheck docs build [--out DIR]``.

A static site that works offline: math is MathML generated at build time (latex2mathml; no script,
no CDN), plots are SVG drawn by matplotlib at build time, and every piece of evidence comes from the
verification run the build performs (or from a saved ``theorycheck verify --json`` output), with the
run's time, version and seeds on every page.

Pages: index (counts, a filterable table of every claim), one page per paper, errata (every refuted
claim with its counterexample and corrected form), one page per claim.
"""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sympy as sp

from checks.result import VERDICTS
from checks.stats import Z_CRIT
from theory.errors import TheoryCheckError

# Evidence strength, weakest first: how a check decided.
STRENGTH = {"not-checkable": 0, "montecarlo": 1, "mpmath": 2, "exact": 3, "proof": 4}
VERDICT_CLASS = {"verified": "ok", "refuted": "bad", "inconclusive": "open", "not-checkable": "open",
                 "depends-on-reading": "open", "error": "bad"}
MARKER = ".theorycheck-site"          # written into every site folder: only such a folder is ever replaced


class SiteError(TheoryCheckError):
    pass


def _require_docs_extra():
    try:
        import latex2mathml.converter  # noqa: F401
        import matplotlib  # noqa: F401
    except ImportError as e:          # a user mistake, not a crash: say what to install
        raise SiteError(f"the docs site needs the 'docs' extra ({e.name} is missing): pip install -e '.[docs]'") from e


# --- small HTML helpers ---------------------------------------------------------------------------------
def esc(x: Any) -> str:
    return html.escape(str(x), quote=True)


def math(tex: str, display: bool = False) -> str:
    """LaTeX -> MathML at build time. A formula the converter cannot read is shown as its source in a
    tex-source block (never as loose TeX in the page text)."""
    from latex2mathml.converter import convert

    try:
        return convert(tex, display="block" if display else "inline")
    except Exception:                 # noqa: BLE001 - any converter failure falls back to the source
        return f'<code class="tex-source">{esc(tex)}</code>'


def name_html(name: str) -> str:
    """A parameter name; names written in TeX (\\bar{v}, m_{t-1}) are shown as math, not as source."""
    name = str(name)
    if "\\" in name or "{" in name:
        return math(sp.latex(sp.Symbol(name)))
    return esc(name)


def slug(claim_id: str) -> str:
    return re.sub(r"[^a-zA-Z0-9.-]", "_", claim_id)


def fmt(v: Any, digits: int = 4) -> str:
    if isinstance(v, bool) or v is None:
        return esc(v)
    if isinstance(v, (int, float)):
        if v == 0 or 1e-3 <= abs(v) < 1e5:
            return esc(f"{v:.{digits}g}")
        return esc(f"{v:.{digits - 1}e}")
    if isinstance(v, dict):
        return ", ".join(f"{name_html(k)}={fmt(x, 3)}" for k, x in v.items() if not str(k).startswith("_"))
    if isinstance(v, list) and len(v) <= 6:
        return "[" + ", ".join(fmt(x, 3) for x in v) + "]"
    if isinstance(v, str) and "\\" in v:          # evidence strings in TeX (e.g. what both sides were divided by)
        return math(v)
    return esc(v)


def page(title: str, body: str, meta: dict[str, Any], depth: int) -> str:
    up = "../" * depth
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} · theorycheck</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{up}assets/style.css">
</head><body>
<nav><a href="{up}index.html">theorycheck</a> · <a href="{up}errata.html">errata</a>
{''.join(f' · <a href="{up}papers/{esc(p)}.html">{esc(p)}</a>' for p in meta["papers"])}</nav>
<main>
{body}
</main>
<footer>Evidence from a verification run at {esc(meta["utc"])} UTC by theorycheck {esc(meta["version"])}
{('(commit ' + esc(meta["commit"]) + ')') if meta.get("commit") else ''}, root seed {esc(meta["seed"])},
{'deep' if meta.get("deep") else 'default'} run, Python {esc(meta.get("python", ""))}; every check's own seed
is listed with its evidence. Monte Carlo comparisons in the run: {esc(meta.get("comparisons", ""))}
(family-wise false-alarm bound {fmt(meta.get("family_wise_false_alarm_bound", 0), 2)}).</footer>
<script src="{up}assets/site.js"></script>
</body></html>
"""


def verdict_badge(status: str) -> str:
    return f'<span class="verdict {VERDICT_CLASS.get(status, "open")}">{esc(status)}</span>'


# --- evidence summaries ------------------------------------------------------------------------------------
def check_strength(check: dict[str, Any]) -> tuple[int, str]:
    """(rank, words) of how strongly one check decided."""
    kind, method, d = check["kind"], check["method"], check.get("details", {})
    if check["status"] == "not-checkable":
        return STRENGTH["not-checkable"], "not checkable: " + check.get("reason", "")
    if kind == "montecarlo":
        zs = [abs(r["z"]) for r in d.get("rows", []) if "z" in r]
        if zs:
            return STRENGTH["montecarlo"], f"Monte Carlo, max |z| = {max(zs):.2f} (limit {Z_CRIT:.2f})"
        orders = [r for r in d.get("rows", []) if r.get("order") is not None]
        if orders:
            return STRENGTH["montecarlo"], "Monte Carlo order fit: " + "; ".join(
                f"{r['order']:.2f} ± {r['order_se']:.2f} (claimed {r['claimed_order']:g})" for r in orders)
        ps = [r["p_value"] for r in d.get("rows", []) if "p_value" in r]
        if ps:
            return STRENGTH["montecarlo"], f"Monte Carlo chi-square, min p = {min(ps):.2g}"
        return STRENGTH["montecarlo"], "Monte Carlo: " + method
    if kind == "montecarlo" and d.get("rows") and "fits" in d["rows"][0]:
        return STRENGTH["montecarlo"], "Monte Carlo model comparison: " + "; ".join(
            f"{r['optimizer']} prefers k^-{r['preferred_power']:g}" for r in d["rows"])
    if kind == "exact" and d.get("rows") and "fitted_order" in d["rows"][0]:
        return STRENGTH["exact"], "exact order fit: " + "; ".join(f"{r['fitted_order']:.2f} (claimed {r['claimed_order']:g})"
                                                                  for r in d["rows"])
    if kind == "exact":
        return STRENGTH["exact"], "exact computation: " + method
    if method.startswith("mpmath"):
        return STRENGTH["mpmath"], method
    return STRENGTH["proof"], f"symbolic ({method})"


def weakest_evidence(report: dict[str, Any]) -> str:
    checks = report["checks"]
    if not checks:
        return "no checks"
    if report["status"] == "refuted":
        failed = next(c for c in checks if c["status"] == "fail")
        return "failed: " + check_strength(failed)[1]
    return min((check_strength(c) for c in checks), key=lambda x: x[0])[1]


# --- plots ---------------------------------------------------------------------------------------------------
def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.hashsalt": "theorycheck", "figure.dpi": 100, "font.size": 9})
    return plt


def _finish_loglog(fig, ax, path: Path, xlabel: str, ylabel: str, title: str) -> bool:
    """Log-log axes, labels, legend, saved: the tail every ladder plot shares."""
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=7)
    _save(fig, path)
    return True


def _save(fig, path: Path) -> None:
    fig.tight_layout()
    fig.savefig(path, format="svg", metadata={"Date": None})
    _plt().close(fig)


def plot_check(check: dict[str, Any], path: Path) -> bool:
    """One plot per numeric check, drawn from its evidence. Returns False when there is nothing to draw."""
    plt = _plt()
    d = check.get("details", {})
    rows = d.get("rows", [])
    if not rows:
        return False
    if check["kind"] == "montecarlo" and rows and "z" in rows[0]:
        fig, ax = plt.subplots(figsize=(6.4, 2.8))
        zs = [r["z"] for r in rows]
        if "observable" in rows[0]:
            labels = [f"{r['observable']} @{i // max(1, len({x['observable'] for x in rows}))}" for i, r in enumerate(rows)]
        else:
            labels = [", ".join(f"{k}={v:.3g}" for k, v in r.items() if k in ("a", "k", "lambda") and
                                isinstance(v, (int, float))) or str(i) for i, r in enumerate(rows)]
        colors = ["#b22" if abs(z) > Z_CRIT else "#27a" for z in zs]
        ax.bar(range(len(zs)), zs, color=colors)
        ax.axhspan(-Z_CRIT, Z_CRIT, color="#27a", alpha=0.08, label=f"|z| ≤ {Z_CRIT:.2f} (suite-wide level)")
        ax.axhline(0, color="k", lw=0.6)
        ax.set_xticks(range(len(zs)), labels, rotation=60, ha="right", fontsize=7)
        ax.set_ylabel("(observed − claimed) / se")
        ax.set_title("simulated mean against the formula, per observable and point", fontsize=9)
        ax.legend(fontsize=7, loc="best")
        _save(fig, path)
        return True
    if check["kind"] == "montecarlo" and "rungs" in rows[0]:
        fig, ax = plt.subplots(figsize=(6.4, 3.2))
        small = d.get("small") or next(iter(k for k in rows[0]["rungs"][0]["params"] if k == "eta"), "eta")
        for i, row in enumerate(rows):
            xs = [r["params"].get(small, r["params"].get("eta")) for r in row["rungs"]]
            ys = [abs(r["relative_deviation"]) for r in row["rungs"]]
            es = [1.96 * r["se"] / abs(r["claimed"]) for r in row["rungs"]]
            lab = f"point {i + 1}: fitted order {row['order']:.2f}" if row.get("order") is not None else f"point {i + 1}"
            ax.errorbar(xs, ys, yerr=es, marker="o", ms=3, capsize=2, label=lab)
            if ys[0] > 0:
                ax.plot(xs, [ys[0] * (x / xs[0]) ** row["claimed_order"] for x in xs], ls="--", color="gray", lw=0.8)
        return _finish_loglog(fig, ax, path, small + " (ladder)", "|simulated / formula − 1| (95% CI)",
                              "relative error along the ladder; dashed: the claimed order")
    if check["kind"] == "montecarlo" and "cells" in rows[0]:
        fig, ax = plt.subplots(figsize=(6.4, 2.8))
        row = min(rows, key=lambda r: r["p_value"])
        cells = row["cells"]
        k = range(len(cells["claimed_mass"]))
        n = cells["n"]
        obs = cells["observed_fraction"]
        ax.errorbar(k, obs, yerr=[1.96 * (min(max(m, 1e-12), 1.0) * max(1 - m, 0.0) / n) ** 0.5 for m in cells["claimed_mass"]],
                    fmt="o", ms=3, label="simulated fraction (95% band of the claim)")
        ax.step(k, cells["claimed_mass"], where="mid", color="#b60", label="claimed mass")
        ax.set_xlabel("cell (pilot-sample quantiles; first and last are the tails)")
        ax.set_ylabel("probability")
        ax.set_title(f"histogram against the claimed density (p = {row['p_value']:.2g})", fontsize=9)
        ax.legend(fontsize=7)
        _save(fig, path)
        return True
    if "fits" in rows[0] and "points" in rows[0]:          # a model comparison of fitted curves
        fig, ax = plt.subplots(figsize=(6.4, 3.4))
        for row in rows:
            ks = [p["k"] for p in row["points"]]
            ys = [p["minus_log_Gamma"] for p in row["points"]]
            line = ax.errorbar(ks, ys, yerr=[1.96 * p["se"] for p in row["points"]], fmt="o", ms=3, capsize=2,
                               label=f"{row['optimizer']} (claimed k^-{row['claimed_power']:g})")
            grid = [min(ks) + (max(ks) - min(ks)) * i / 40 for i in range(41)]
            for fit, ls in zip(row["fits"], ("-", ":")):
                ax.plot(grid, [fit["intercept"] + fit["slope"] * g ** -fit["power"] for g in grid], ls=ls, lw=0.9,
                        color=line[0].get_color())
        ax.set_xlabel("k (sharpness)")
        ax.set_ylabel("-log Gamma (95% CI)")
        ax.set_title("fits in k^-1 (solid) and k^-1/2 (dotted)", fontsize=9)
        ax.legend(fontsize=7)
        _save(fig, path)
        return True
    if "s_of_switch" in rows[0] and d.get("ladders"):                 # fitted path parameter against the truth
        fig, ax = plt.subplots(figsize=(6.4, 3.0))
        for row, lad in zip(rows, d["ladders"]):
            line = ax.plot([r["DeltaL_over_Ta"] for r in lad], [r["fitted_s"] for r in lad], marker="o", ms=3,
                           label=f"switch at theta = {row['switch_theta']:g}")
            ax.axhline(row["s_of_switch"], ls="--", lw=0.8, color=line[0].get_color())
        ax.set_xscale("log")
        ax.set_xlabel("DeltaL / T_a")
        ax.set_ylabel("fitted s (dashed: the switch's s)")
        ax.set_title("path parameter s needed to match the exact escape time", fontsize=9)
        ax.legend(fontsize=7)
        _save(fig, path)
        return True
    frac_key = next((k for k in ("fraction_within_1e-3", "fraction_at_boundary") if k in rows[0]), None)
    if frac_key and "se" in rows[0]:                                   # simulated fractions with standard errors
        fig, ax = plt.subplots(figsize=(6.4, 2.8))
        labels = [str(r.get("optimizer", r.get("T", r.get("a", i)))) for i, r in enumerate(rows)]
        ax.errorbar(range(len(rows)), [r[frac_key] for r in rows], yerr=[1.96 * r["se"] for r in rows], fmt="o",
                    capsize=3)
        ax.set_xticks(range(len(rows)), labels, rotation=20, ha="right", fontsize=7)
        ax.set_ylim(-0.05, 1.05)
        ax.set_ylabel(frac_key.replace("_", " ") + " (95% CI)")
        ax.set_title("simulated fractions", fontsize=9)
        _save(fig, path)
        return True
    if check["kind"] == "exact" and "relative_error" in rows[0]:      # an order check along a ladder
        fig, ax = plt.subplots(figsize=(6.4, 3.0))
        for i, row in enumerate(rows):
            ax.plot(row["small"], [max(x, 1e-17) for x in row["relative_error"]], marker="o", ms=3,
                    label=f"point {i + 1}: fitted order {row['fitted_order']:.2f} (claimed {row['claimed_order']:g})")
        return _finish_loglog(fig, ax, path, "small parameter (ladder)", "|exact / formula - 1|",
                              "relative error of the formula against the exact computation")
    if check["kind"] == "exact" and "relative_difference" in rows[0]:
        fig, ax = plt.subplots(figsize=(6.4, 2.6))
        rel = [max(max(r["relative_difference"]), 1e-17) for r in rows]
        ax.bar(range(len(rel)), rel, color=["#b22" if x > d.get("rtol", 1e-7) else "#27a" for x in rel])
        ax.axhline(d.get("rtol", 1e-7), color="k", ls="--", lw=0.8, label="tolerance")
        ax.set_yscale("log")
        ax.set_xlabel("regime point")
        ax.set_ylabel("|claimed − exact| / |exact|")
        ax.set_title("formula against the exact computation", fontsize=9)
        ax.legend(fontsize=7)
        _save(fig, path)
        return True
    return False


KIND_STYLE = {"formula": dict(color="#b22", lw=1.6), "corrected": dict(color="#2a2", lw=1.4, ls="--"),
              "exact": dict(color="k", lw=1.0, ls=":")}


def plot_table(table: dict[str, Any], path: Path) -> None:
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    cols, x = table["columns"], table["x"]
    xs = cols[x]
    markers = iter("osD^v")
    for name, kind in table["kinds"].items():
        if kind == "simulated":
            se = cols.get(name + "_se")
            lo = [m - 1.96 * s for m, s in zip(cols[name], se)] if se else None
            ax.plot(xs, cols[name], marker=next(markers, "o"), ms=3, lw=0.8, label=name)
            if se:
                ax.fill_between(xs, lo, [m + 1.96 * s for m, s in zip(cols[name], se)], alpha=0.25)
        else:
            ax.plot(xs, cols[name], label=name, **KIND_STYLE.get(kind, {}))
    if table.get("log", True):
        ax.set_xscale("log")
        ax.set_yscale("log")
    ax.set_xlabel(x)
    ax.set_ylabel(table.get("ylabel", "mean squared displacement"))
    ax.set_title(table["title"], fontsize=9)
    ax.legend(fontsize=7)
    _save(fig, path)


# --- pages -----------------------------------------------------------------------------------------------------
def _claim_link(cid: str, depth: int, known: set[str]) -> str:
    if cid in known:
        return f'<a href="{"../" * depth}claims/{slug(cid)}.html">{esc(cid)}</a>'
    return esc(cid)


def _regime_html(claim) -> str:
    rows = []
    for p in claim.regime.params:
        assumptions = ", ".join(a for a in ("positive", "negative", "nonzero", "integer", "real")
                                if p.symbol.assumptions0.get(a))
        rows.append(f"<tr><td>{math(sp.latex(p.symbol))}</td><td>{esc(claim.symbols.get(p.name, p.doc))}</td>"
                    f"<td>{esc(assumptions)}</td><td>[{fmt(p.low)}, {fmt(p.high)}]{' (log)' if p.log else ''}</td></tr>")
    conds = "".join(f"<li>{math(sp.latex(c.relation))} — {esc(c.text)}</li>" for c in claim.regime.conditions)
    return (f"<p>{esc(claim.regime.description)}</p><table><tr><th>symbol</th><th>meaning</th><th>assumptions</th>"
            f"<th>sampled in</th></tr>{''.join(rows)}</table>" + (f"<p>Conditions:</p><ul>{conds}</ul>" if conds else ""))


def _rows_table(rows: list[dict[str, Any]], keys: list[str], limit: int = 24) -> str:
    head = "".join(f"<th>{esc(k)}</th>" for k in keys)
    body = "".join("<tr>" + "".join(f"<td>{fmt(r.get(k))}</td>" for k in keys) + "</tr>" for r in rows[:limit])
    more = f"<p>… {len(rows) - limit} more rows in the raw evidence.</p>" if len(rows) > limit else ""
    return f"<table><tr>{head}</tr>{body}</table>{more}"


def _evidence_html(check: dict[str, Any], plot: str | None) -> str:
    d = check.get("details", {}) or {}
    parts = [f'<h3>{esc(check["name"])} <span class="status {esc(check["status"])}">{esc(check["status"])}</span></h3>',
             f"<p>{esc(check['kind'])} · {esc(check['method'])} · {check.get('seconds', 0):.2f} s</p>"]
    if check.get("reason"):
        parts.append(f"<p>{esc(check['reason'])}</p>")
    if d.get("seed"):
        parts.append(f"<p>Seed: SeedSequence(entropy={esc(d['seed']['entropy'])}, spawn_key={esc(d['seed']['spawn_key'])})"
                     + (f", {esc(d['n_paths'])} paths per point" if "n_paths" in d else "") + "</p>")
    if "lhs" in d and "rhs" in d:
        for side in ("lhs", "rhs"):
            tex = d[side]
            parts.append(f"<div class='side'><b>{side}</b> " + (math(tex, True) if len(tex) < 4000 else
                         f"<details><summary>long expression</summary>{math(tex, True)}</details>") + "</div>")
        extra = {k: v for k, v in d.items() if k in ("simplified", "points_checked", "max_relative_difference",
                                                     "relative_difference", "note", "entries", "methods")}
        if extra:
            parts.append("<p>" + fmt(extra) + "</p>")
    rows = d.get("rows", [])
    if rows and "lambda_boundary_printed" in rows[0]:
        parts.append(_rows_table(rows, list(rows[0])))
    elif rows and "z" in rows[0]:
        parts.append(_rows_table(rows, ["params", "observable", "claimed", "observed", "se", "z"]
                                 + [k for k in ("discretization_bias", "exact") if k in rows[0]]))
    elif rows and "rungs" in rows[0]:
        for r in rows:
            order = (f"fitted order {r['order']:.3f} ± {r['order_se']:.3f}" if r.get("order") is not None
                     else "no fit (remainder below resolution)")
            parts.append(f"<p>{fmt(r['params'])}: {order} (claimed {r['claimed_order']:g})</p>")
            parts.append(_rows_table(r["rungs"], ["claimed", "observed", "se", "relative_deviation"]
                                     + [k for k in ("exact", "model_gap", "sampling_z") if k in r["rungs"][0]]))
    elif rows and "p_value" in rows[0]:
        parts.append(_rows_table(rows, ["params", "observable", "chi2", "p_value", "claimed_total_mass"]))
    elif rows and "relative_difference" in rows[0]:
        parts.append(_rows_table(rows, ["params", "claimed", "exact", "relative_difference"]))
    elif rows and "s_of_switch" in rows[0]:
        parts.append(_rows_table(rows, ["switch_theta", "s_of_switch", "fitted_s_last", "ok"]))
        for lad in d.get("ladders", []):
            parts.append(_rows_table(lad, ["DeltaL_over_Ta", "log_tau_exact", "log_tau_s0", "log_tau_s1", "fitted_s",
                                           "inside_band"]))
    elif rows and "fits" in rows[0]:
        for r in rows:
            parts.append(f"<p><b>{esc(r['optimizer'])}</b>: claimed k^-{r['claimed_power']:g}, preferred "
                         f"k^-{r['preferred_power']:g} ({esc(r['status'])})</p>")
            parts.append(_rows_table(r["fits"], ["power", "intercept", "slope", "se_slope", "chi2", "dof", "p_value"]))
            parts.append(_rows_table(r["points"], ["k", "escapes", "censored", "mean_escape_steps", "Gamma_hat",
                                                   "minus_log_Gamma", "se"]))
    elif rows and "relative_error" in rows[0]:
        for r in rows:
            parts.append(f"<p>{fmt(r['params'])}: fitted order {r['fitted_order']:.3f} (claimed {r['claimed_order']:g})</p>")
            parts.append(_rows_table([{"small": a, "claimed": b, "exact": c, "relative_error": d} for a, b, c, d in
                                      zip(r["small"], r["claimed"], r["exact"], r["relative_error"])],
                                     ["small", "claimed", "exact", "relative_error"]))
    elif rows and "remainder_slope" in rows[0]:
        parts.append(_rows_table(rows, ["params", "remainder_slope", "bound_slope", "remainder_over_bound"]))
    if d.get("self_test"):
        parts.append("<p>Self-test (deliberately wrong formulas must be rejected): " + "; ".join(
            f"{esc(s['perturbation'])}: {'rejected' if s['rejected'] else 'NOT rejected'}" for s in d["self_test"]) + "</p>")
    if check.get("counterexample"):
        parts.append(f"<p class='ce'>Counterexample: {fmt(_flat(check['counterexample']))}</p>")
    if plot:
        parts.append(f'<figure><img src="../plots/{esc(plot)}" alt="plot of the evidence of {esc(check["name"])}"></figure>')
    parts.append("<details><summary>raw evidence (JSON)</summary><pre class='raw'>"
                 f"{esc(json.dumps(check, indent=1, default=str))}</pre></details>")
    return "<section class='check'>" + "".join(parts) + "</section>"


def _flat(ce: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in ce.items() if k not in ("rungs",)}


@dataclass
class SiteSummary:
    out: Path
    pages: int
    plots: int
    seconds: float


def render_site(out: Path, reports: list[dict[str, Any]], meta: dict[str, Any], registry,
                tables: dict[str, list[dict[str, Any]]]) -> SiteSummary:
    start = time.perf_counter()
    prepare_output(out)
    for sub in ("claims", "papers", "plots", "assets"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    _write_assets(out / "assets")
    by_id = {r["id"]: r for r in reports}
    known = set(by_id)
    papers = sorted({r["paper"] for r in reports})
    meta = {**meta, "papers": papers}
    n_pages, n_plots = 0, 0

    for r in reports:
        claim = registry.get(r["id"])
        plots_html = []
        for i, table in enumerate(tables.get(r["id"], [])):
            name = f"{slug(r['id'])}-curve{i}.svg"
            plot_table(table, out / "plots" / name)
            n_plots += 1
            plots_html.append(f'<figure><img src="../plots/{name}" alt="{esc(table["title"])}"><figcaption>'
                              f'{esc(table["title"])} at {fmt(table["point"])}; simulated bands are 95% '
                              f'(±1.96 se); seed {esc(table["seed"])}. {esc(table.get("notes", ""))}</figcaption></figure>')
        checks_html = []
        for i, ch in enumerate(r["checks"]):
            name = f"{slug(r['id'])}-check{i}.svg"
            drawn = ch["kind"] in ("montecarlo", "exact") and plot_check(ch, out / "plots" / name)
            n_plots += int(bool(drawn))
            checks_html.append(_evidence_html(ch, name if drawn else None))
        links = []
        if claim.uses:
            links.append("Uses: " + ", ".join(_claim_link(u, 1, known) for u in claim.uses))
        for cid in registry.corrections_of(claim.id):
            links.append("Corrected form: " + _claim_link(cid, 1, known))
        if claim.corrects:
            links.append("Corrects: " + _claim_link(claim.corrects, 1, known))
        used_by = [x["id"] for x in reports if r["id"] in registry.get(x["id"]).uses]
        if used_by:
            links.append("Used by: " + ", ".join(_claim_link(u, 1, known) for u in used_by))
        tex = claim.latex()
        body = f"""<h1>{esc(r['id'])} {verdict_badge(r['status'])}</h1>
<p class="title">{esc(r['title'])}</p>
<p>Source: <b>{esc(claim.source.location)}</b> — {esc(claim.source.citation)}
(<a href="../papers/{esc(r['paper'])}.html">all {esc(r['paper'])} claims</a>)</p>
<h2>Statement as printed</h2>
<div class="statement">{math(tex, True)}</div>
<details class="latex"><summary>LaTeX source</summary><pre class="tex-source" id="tex">{esc(tex)}</pre>
<button type="button" class="copy" data-target="tex">copy</button></details>
{''.join(f'<p>{x}</p>' for x in links)}
<h2>Verdict</h2><p>{verdict_badge(r['status'])} {esc(r['reason'])}</p>
{f"<p class='ce'>Counterexample: {fmt(_flat(r['counterexample']))}</p>" if r.get('counterexample') else ''}
<h2>Model and regime</h2><p>Dynamics: {esc(claim.dynamics)}<br>Observable: {esc(claim.observable)}</p>
{_regime_html(claim)}
{('<h2>Notes</h2><ul>' + ''.join(f'<li>{esc(n)}</li>' for n in claim.notes) + '</ul>') if claim.notes else ''}
{('<h2>Formula, exact model and simulation</h2>' + ''.join(plots_html)) if plots_html else ''}
<h2>Evidence</h2>
{''.join(checks_html)}"""
        (out / "claims" / f"{slug(r['id'])}.html").write_text(page(r["id"], body, meta, 1))
        n_pages += 1

    counts = Counter(r["status"] for r in reports)
    (out / "index.html").write_text(page("verified claims", _index_body(reports, counts, papers), meta, 0))
    (out / "errata.html").write_text(page("errata", _errata_body(reports, by_id, registry), meta, 0))
    n_pages += 2
    for p in papers:
        rs = [r for r in reports if r["paper"] == p]
        c = Counter(r["status"] for r in rs)
        cite = registry.get(rs[0]["id"]).source.citation
        body = (f"<h1>{esc(p)}</h1><p>{esc(cite)}</p><p>{_counts_html(c)}</p>"
                + _claims_table(rs, depth=1))
        (out / "papers" / f"{p}.html").write_text(page(p, body, meta, 1))
        n_pages += 1
    (out / "run.json").write_text(json.dumps({"run": meta, "claims": reports}, indent=1, default=str))
    return SiteSummary(out, n_pages, n_plots, time.perf_counter() - start)


def prepare_output(out: Path) -> None:
    """Empty ``out`` for a new site only if it is a previous theorycheck site (it holds the marker file);
    refuse any other non-empty folder, so nothing the tool did not write is ever deleted."""
    if out.exists() and not out.is_dir():
        raise SiteError(f"--out {out} is a file, not a folder")
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).is_file():
            raise SiteError(f"--out {out} is not empty and is not a theorycheck site (no {MARKER} file): "
                            "choose an empty or new folder; nothing was deleted")
        for child in out.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("written by theorycheck docs build; this folder is replaced on the next build\n")


def _counts_html(counts: Counter) -> str:
    return " ".join(f"{verdict_badge(v)} {counts.get(v, 0)}" for v in VERDICTS)


def _claims_table(reports: list[dict[str, Any]], depth: int) -> str:
    up = "../" * depth
    rows = "".join(
        f'<tr data-paper="{esc(r["paper"])}" data-verdict="{esc(r["status"])}">'
        f'<td><a href="{up}claims/{slug(r["id"])}.html">{esc(r["id"])}</a></td><td>{esc(r["paper"])}</td>'
        f'<td>{esc(r["location"])}</td><td>{verdict_badge(r["status"])}</td><td>{esc(weakest_evidence(r))}</td></tr>'
        for r in reports)
    return ("<table class='claims'><thead><tr><th>claim</th><th>paper</th><th>location</th><th>verdict</th>"
            f"<th>weakest evidence</th></tr></thead><tbody>{rows}</tbody></table>")


def _index_body(reports, counts, papers) -> str:
    paper_opts = "".join(f'<option value="{esc(p)}">{esc(p)}</option>' for p in papers)
    verdict_opts = "".join(f'<option value="{esc(v)}">{esc(v)}</option>' for v in VERDICTS)
    return f"""<h1>Verified claims</h1>
<p>Each claim is a published result encoded as printed, with the regime its paper states, checked
symbolically and by simulation. The verdict is computed from the checks. {len(reports)} claims.</p>
<p>{_counts_html(counts)}</p>
<p><label>paper <select id="filter-paper"><option value="">all</option>{paper_opts}</select></label>
<label>verdict <select id="filter-verdict"><option value="">all</option>{verdict_opts}</select></label>
<span id="shown"></span></p>
{_claims_table(reports, depth=0)}"""


def _errata_body(reports, by_id, registry) -> str:
    items = []
    for r in reports:
        if r["status"] != "refuted":
            continue
        claim = registry.get(r["id"])
        corr = ""
        for cid in registry.corrections_of(claim.id):
            cr, cc = by_id.get(cid), registry.get(cid)
            corr += (f"<p>Corrected form (<a href='claims/{slug(cid)}.html'>{esc(cid)}</a>, "
                     f"{verdict_badge(cr['status']) if cr else 'not run'}):</p>{math(cc.latex(), True)}")
        if not corr:
            corr = "<p>No corrected form is given; see the claim's notes.</p>"
        items.append(f"""<section class="erratum"><h2><a href="claims/{slug(r['id'])}.html">{esc(r['id'])}</a> —
{esc(r['location'])}</h2><p>{esc(r['title'])}</p><p>As printed:</p>{math(claim.latex(), True)}
<p>Refuted by: {esc(r['reason'])}</p>
<p class="ce">Counterexample: {fmt(_flat(r['counterexample'] or {}))}</p>{corr}</section>""")
    return f"<h1>Errata</h1><p>{len(items)} refuted claims, each with the check that refuted it.</p>" + "".join(items)


STYLE = """
body { font-family: system-ui, sans-serif; margin: 0; color: #222; line-height: 1.45; }
nav { background: #234; color: #fff; padding: .6em 1.2em; }
nav a { color: #fff; }
main { max-width: 68em; margin: 0 auto; padding: 1em 1.2em; }
footer { font-size: .8em; color: #555; border-top: 1px solid #ccc; padding: 1em 1.2em; }
table { border-collapse: collapse; margin: .6em 0; font-size: .88em; }
td, th { border: 1px solid #ddd; padding: .25em .5em; text-align: left; vertical-align: top; }
.verdict { padding: .05em .45em; border-radius: .3em; font-size: .85em; font-weight: 600; }
.verdict.ok { background: #d8f0d8; color: #174; } .verdict.bad { background: #f6d6d6; color: #922; }
.verdict.open { background: #eee6c8; color: #664; }
.status.pass { color: #174; } .status.fail { color: #922; } .status.inconclusive { color: #664; }
.statement, .side { overflow-x: auto; }
.ce { background: #fff4f0; padding: .4em; font-size: .9em; overflow-wrap: anywhere; }
section.check { border-left: 3px solid #cdd; padding-left: .8em; margin: 1.2em 0; }
figure img { max-width: 100%; }
pre { white-space: pre-wrap; font-size: .8em; background: #f6f6f6; padding: .5em; }
math[display="block"] { margin: .5em 0; }
"""

SCRIPT = """
(function () {
  var paper = document.getElementById('filter-paper');
  var verdict = document.getElementById('filter-verdict');
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
  document.querySelectorAll('button.copy').forEach(function (b) {
    b.addEventListener('click', function () {
      var text = document.getElementById(b.dataset.target).textContent;
      if (navigator.clipboard) { navigator.clipboard.writeText(text).then(function () { b.textContent = 'copied'; },
                                                                          function () { b.textContent = 'select and copy'; }); }
    });
  });
})();
"""


def _write_assets(d: Path) -> None:
    (d / "style.css").write_text(STYLE)
    (d / "site.js").write_text(SCRIPT)


def _git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5,
                              cwd=Path(__file__).resolve().parent).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def build(out: Path, seed: int, deep: bool = False, from_json: Path | None = None, pattern: str | None = None,
          log=print) -> SiteSummary:
    """Run the verification (or read a saved `verify --json` run), compute the plot tables, render."""
    _require_docs_extra()
    from checks.base import RunContext
    from checks.curves import tables_for
    from checks.engine import run_claims, run_metadata
    from theory.registry import builtin_registry

    registry = builtin_registry()
    claims = registry.select(pattern) if pattern else list(registry)
    ctx = RunContext(seed=seed, deep=deep)
    t0 = time.perf_counter()
    if from_json is not None:
        try:
            data = json.loads(Path(from_json).read_text())
            meta, reports = data["run"], data["claims"]
        except (OSError, ValueError, KeyError) as e:
            raise SiteError(f"cannot read a verification run from {from_json}: {e}") from e
        wanted = {c.id for c in claims}
        reports = [r for r in reports if r["id"] in wanted]
        log(f"read {len(reports)} claims from {from_json}")
    else:
        log(f"verifying {len(claims)} claims (seed {seed}{', deep' if deep else ''}) ...")
        reports = [r.to_dict() for r in run_claims(claims, ctx, registry)]
        meta = run_metadata(ctx)
        log(f"  verified in {time.perf_counter() - t0:.1f} s")
    meta = {**meta, "commit": _git_commit()}
    t1 = time.perf_counter()
    tables = {c.id: [t.to_dict() for t in tables_for(c, ctx)] for c in claims if c.curves}
    log(f"  plot tables in {time.perf_counter() - t1:.1f} s")
    summary = render_site(Path(out), reports, meta, registry, tables)
    summary.seconds = time.perf_counter() - t0
    return summary
