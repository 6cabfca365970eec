"""SVG plots drawn at build time by matplotlib, one per numeric check (by its evidence form) and one per
plot-ready table of a claim. Each function returns False when the evidence holds nothing to draw."""
from __future__ import annotations

import textwrap
import warnings
from pathlib import Path
from typing import Any

Z_DEFAULT = 5.45           # the suite-wide two-sided level, when a saved check does not state it
KIND_STYLE = {"formula": dict(color="#b22", lw=1.6), "corrected": dict(color="#2a2", lw=1.4, ls="--"),
              "exact": dict(color="k", lw=1.0, ls=":")}


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.hashsalt": "theorycheck", "figure.dpi": 100, "font.size": 9})
    return plt


def _wrap(title: str, width: int = 88) -> str:
    """Long titles wrap instead of running off the figure."""
    return "\n".join(textwrap.wrap(title, width))


def _save(fig, path: Path) -> bool:
    with warnings.catch_warnings():                  # a crowded axis keeps its layout; no console noise
        warnings.simplefilter("ignore")
        fig.tight_layout()
        fig.savefig(path, format="svg", metadata={"Date": None})
    _plt().close(fig)
    return True


def _loglog(fig, ax, path: Path, xlabel: str, ylabel: str, title: str) -> bool:
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(_wrap(title), fontsize=9)
    ax.legend(fontsize=7)
    return _save(fig, path)


def _label(r: dict[str, Any], i: int) -> str:
    p = r.get("params") or {}
    short = ", ".join(f"{k}={v:.2g}" for k, v in list(p.items())[:2] if isinstance(v, (int, float)))
    return f"{r.get('observable', '')} {short}".strip() or str(i)


def z_test(check, path: Path) -> bool:
    d = check["details"]
    rows = [r for r in d.get("rows", []) if "z" in r]
    if not rows:
        return False
    zc = d.get("z_critical", Z_DEFAULT)
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.4, 2.8))
    zs = [r["z"] for r in rows]
    ax.bar(range(len(zs)), zs, color=["#b22" if abs(z) > zc else "#27a" for z in zs])
    ax.axhspan(-zc, zc, color="#27a", alpha=0.08, label=f"|z| ≤ {zc:.2f} (suite-wide level)")
    ax.axhline(0, color="k", lw=0.6)
    ax.set_xticks(range(len(zs)), [_label(r, i) for i, r in enumerate(rows)], rotation=60, ha="right", fontsize=7)
    ax.set_ylabel("(observed − claimed) / se")
    ax.set_title("simulated mean against the formula, per observable and point", fontsize=9)
    ax.legend(fontsize=7, loc="best")
    return _save(fig, path)


def order(check, path: Path) -> bool:
    d = check["details"]
    rows = d.get("rows", [])
    plt = _plt()
    if rows and "rungs" in rows[0]:                       # Monte Carlo ladder
        fig, ax = plt.subplots(figsize=(6.4, 3.2))
        small = d.get("ladder_parameter", "eta")
        for i, row in enumerate(rows):
            rungs = [r for r in row["rungs"] if r.get("claimed")]
            xs = [r["params"].get(small) for r in rungs]
            ys = [max(abs(r["relative_deviation"]), 1e-17) for r in rungs]
            es = [1.96 * r["se"] / abs(r["claimed"]) for r in rungs]
            lab = f"point {i + 1}" + (f": fitted order {row['order']:.2f}" if row.get("order") is not None else "")
            ax.errorbar(xs, ys, yerr=es, marker="o", ms=3, capsize=2, label=lab)
            if ys and ys[0] > 0:
                ax.plot(xs, [ys[0] * (x / xs[0]) ** row["claimed_order"] for x in xs], ls="--", color="gray", lw=0.8)
        return _loglog(fig, ax, path, f"{small} (ladder)", "|simulated / formula − 1| (95% CI)",
                       "relative error along the ladder; dashed: the claimed order")
    if rows and "relative_error" in rows[0]:               # exact ladder
        fig, ax = plt.subplots(figsize=(6.4, 3.0))
        for i, row in enumerate(rows):
            ax.plot(row["small"], [max(x, 1e-17) for x in row["relative_error"]], marker="o", ms=3,
                    label=f"point {i + 1}: fitted order {row['fitted_order']:.2f} (claimed {row['claimed_order']:g})")
        return _loglog(fig, ax, path, f"{d.get('ladder_parameter', 'small parameter')} (ladder)",
                       "|exact / formula − 1|", "relative error of the formula against the exact computation")
    return False


def density(check, path: Path) -> bool:
    rows = [r for r in check["details"].get("rows", []) if "cells" in r]
    if not rows:
        return False
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.4, 2.8))
    row = min(rows, key=lambda r: r["p_value"])
    cells = row["cells"]
    k, n = range(len(cells["claimed_mass"])), cells["n"]
    band = [1.96 * (min(max(m, 1e-12), 1.0) * max(1 - m, 0.0) / n) ** 0.5 for m in cells["claimed_mass"]]
    ax.errorbar(k, cells["observed_fraction"], yerr=band, fmt="o", ms=3,
                label="simulated fraction (95% band of the claim)")
    ax.step(k, cells["claimed_mass"], where="mid", color="#b60", label="claimed mass")
    ax.set_xlabel("cell (pilot-sample quantiles; first and last are the tails)")
    ax.set_ylabel("probability")
    ax.set_title(f"histogram against the claimed density (p = {row['p_value']:.2g})", fontsize=9)
    ax.legend(fontsize=7)
    return _save(fig, path)


def fraction(check, path: Path) -> bool:
    rows = [r for r in check["details"].get("rows", []) if "observed" in r and "n" in r]
    if not rows:
        return False
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.4, 2.8))
    obs = [r["observed"] for r in rows]
    err = [1.96 * (max(o * (1 - o), 0.25 / r["n"]) / r["n"]) ** 0.5 for o, r in zip(obs, rows)]
    ax.errorbar(range(len(rows)), obs, yerr=err, fmt="o", capsize=3, label="simulated fraction (95% CI)")
    ax.scatter(range(len(rows)), [r["claimed"] for r in rows], marker="_", s=300, color="#b22", label="claimed")
    ax.set_xticks(range(len(rows)), [_label(r, i) for i, r in enumerate(rows)], rotation=30, ha="right", fontsize=7)
    ax.set_ylim(-0.05, 1.05)
    ax.set_ylabel("probability")
    ax.set_title("simulated fractions against the claimed probabilities", fontsize=9)
    ax.legend(fontsize=7)
    return _save(fig, path)


def exact(check, path: Path) -> bool:
    d = check["details"]
    rows = [r for r in d.get("rows", []) if "relative_difference" in r]
    if not rows:
        return False
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.4, 2.6))
    rel = [max(max(r["relative_difference"]) if isinstance(r["relative_difference"], list)
               else r["relative_difference"], 1e-17) for r in rows]
    rtol = d.get("rtol", 1e-7)
    ax.bar(range(len(rel)), rel, color=["#b22" if x > rtol else "#27a" for x in rel])
    ax.axhline(rtol, color="k", ls="--", lw=0.8, label="tolerance")
    ax.set_yscale("log")
    ax.set_xlabel("regime point")
    ax.set_ylabel("|claimed − exact| / |exact|")
    ax.set_title("formula against the exact computation", fontsize=9)
    ax.legend(fontsize=7)
    return _save(fig, path)


def bound(check, path: Path) -> bool:
    refined = check["details"].get("refined") or []
    if not refined:
        return False
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.4, 2.6))
    ratios = [r["ratio"] for r in refined]
    ax.bar(range(len(ratios)), ratios, color=["#b22" if r.get("violation") else "#27a" for r in refined])
    ax.axhline(1.0, color="k", ls="--", lw=0.8, label="the bound (ratio 1)")
    ax.set_xlabel("best candidates of the search, re-evaluated")
    ax.set_ylabel("computed / theoretical")
    ax.set_title("worst cases found by the search against the bound", fontsize=9)
    ax.legend(fontsize=7)
    return _save(fig, path)


PLOTTERS = {"z-test": z_test, "order": order, "density": density, "fraction": fraction, "exact": exact,
            "bound": bound}


def plot_check(check: dict[str, Any], form: str, path: Path) -> bool:
    """A plot of a check's evidence; False when its form has none or nothing to draw (never raises on odd data)."""
    fn = PLOTTERS.get(form)
    if fn is None or not check.get("details"):
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(check, path)
    except (KeyError, TypeError, ValueError, IndexError, ZeroDivisionError):
        _plt().close("all")
        return False


LINESTYLES = ("-", "--", "-.", ":")


def _line_style(name: str, kind: str, sim_colors: dict[str, Any], seen: dict[str, int]) -> dict[str, Any]:
    """A printed value for one simulated series (e.g. 'printed P_A' for 'P_A') takes that series' colour, dashed;
    several lines of one kind otherwise differ by line style, so no two lines look the same."""
    style = dict(KIND_STYLE.get(kind, {}))
    match = [s for s in sim_colors if name != s and name.endswith(s)]
    if match:
        return {**style, "color": sim_colors[max(match, key=len)], "ls": "--"}
    k = seen[kind] = seen.get(kind, -1) + 1
    if k:
        style["ls"] = LINESTYLES[k % len(LINESTYLES)]
    return style


def plot_table(table: dict[str, Any], path: Path) -> bool:
    """A claim's curves: the printed formula, its corrected form, the exact model and the simulation (95% bands)."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    cols, x = table["columns"], table["x"]
    xs = cols[x]
    markers = iter("osD^v")
    sim_colors: dict[str, Any] = {}
    seen: dict[str, int] = {}
    for name, kind in table["kinds"].items():
        if kind == "simulated":
            se = cols.get(name + "_se")
            (line,) = ax.plot(xs, cols[name], marker=next(markers, "o"), ms=3, lw=0.8, label=name)
            sim_colors[name] = line.get_color()
            if se:
                ax.fill_between(xs, [m - 1.96 * s for m, s in zip(cols[name], se)],
                                [m + 1.96 * s for m, s in zip(cols[name], se)], alpha=0.25, color=line.get_color())
    discrete = len(xs) <= 12 and all(float(v).is_integer() for v in xs)   # e.g. powers of eta: points, not a curve
    for name, kind in table["kinds"].items():
        if kind != "simulated":
            style = _line_style(name, kind, sim_colors, seen)
            if discrete:
                style = {**style, "marker": "os^Dv"[seen.get("_marker", 0) % 5], "ms": 5, "lw": 0.6, "alpha": 0.85}
                seen["_marker"] = seen.get("_marker", 0) + 1
            ax.plot(xs, cols[name], label=name, **style)
    if discrete:
        from matplotlib.ticker import MaxNLocator

        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if table.get("log", True):
        ax.set_xscale("log")
        ax.set_yscale("log")
    ax.set_xlabel(x)
    ax.set_ylabel(table.get("ylabel", "mean squared displacement"))
    ax.set_title(_wrap(table["title"]), fontsize=9)
    ax.legend(fontsize=7)
    return _save(fig, path)
