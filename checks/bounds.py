"""Bounds checked by worst-case search.

Random points of a regime rarely come near the worst case, so a false bound can pass sampling. A
``BoundCheck`` searches for it: it maximises the ratio left side / bound (or the gap) over the regime and
over problem instances (extra parameters), with scipy's differential evolution and with hypothesis's
``target()`` steering its own search, then re-evaluates the best candidates. Where the left side comes from
simulation, a violation counts only when it is significant at the run's per-comparison level (a one-sided
test on fresh paths), so search noise never becomes a refutation.

It reports what PEPit reports for a rate: the theoretical value beside the computed worst case (the worst
ratio, where it was found, and how the search was budgeted). Its self-test runs the same search against the
bound tightened below the worst ratio found (by ``tighten``, 10% by default) and must find a violation.

Problem instances whose constants are computed rather than chosen (a loss's smoothness constant and gradient
bound, a process's expectations): ``derive(point) -> {name: value}`` fills the statement's ``derived`` symbols
(scalars, or arrays for IndexedBase symbols) at every searched point; they are not searched over (a point whose
instance ``derive`` cannot build raises Undecidable there and is skipped by the search). A quantity
that is a minimum of several expectations (``reduce="min"``: min_k E[X_k] over the simulated observables) is
a violation only when every E[X_k] is significantly above the bound (an intersection-union test at ALPHA). A
bound whose sides may change sign is measured by its normalised gap ``1 + (lhs - bound) / scale(point)``
(``scale``), which is the ratio lhs / bound when scale is the bound. ``derive`` may state the instance's absolute
rounding allowance as ``"_atol"``: a gap below it is not a violation, and a point where both sides are below
1000 allowances (a run that has converged) is no evidence either way.

Search options: ``narrow`` searches a smaller box of some parameters (where an exact model reaches); ``polish``
climbs (Nelder-Mead, that many evaluations) from the best points found; ``deep_factor`` multiplies the search and
refine budgets under ``--deep``; ``self_test="replay"`` repeats the search with the original search's seeds against
the tightened bound (every measure is monotone in the bound, so the same points are reached) instead of a fresh search.
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import sympy as sp

from theory.model import Param, Regime

from .base import FormulaCheck, RunContext, Undecidable, check_sample
from .result import FAIL, INCONCLUSIVE, CheckResult
from .stats import ALPHA

UPPER = (sp.LessThan, sp.StrictLessThan)
LOWER = (sp.GreaterThan, sp.StrictGreaterThan)


class BoundCheck(FormulaCheck):
    """``statement``: ``Le(quantity, bound)`` (or ``Ge`` for a lower bound). The quantity is the statement's
    left side as a formula, or comes from ``exact(point) -> float`` or ``simulate(point, n_paths, rng) ->
    Sample`` (its first observable's mean) for a quantity of a process. An ``exact(point, claim)`` of two
    arguments computes the quantity from the claim's statement (a left side SymPy cannot lambdify, such as a
    derivative of a sum), so a changed statement (a mutant) changes it. ``instances`` are extra parameters
    (a problem family) searched over together with the regime."""

    kind = "bound"
    form = "bound"

    def __init__(self, name: str, *, exact: Callable[..., float] | None = None,
                 simulate: Callable[..., Any] | None = None, instances: Sequence[Param] = (),
                 n_paths: int = 2000, refine_paths: int = 20_000, maxiter: int = 20, popsize: int = 10,
                 hypothesis_examples: int = 60, refine_top: int = 3, tighten: float = 0.9,
                 evidence: str | None = None, rtol: float = 1e-12,
                 derive: Callable[[dict], dict] | None = None, derived: Sequence[Any] = (),
                 reduce: str | None = None, scale: Callable[[dict], float] | None = None,
                 deep_factor: float = 1.0, narrow: dict[str, tuple[float, float]] | None = None,
                 polish: int = 0, self_test: str = "independent"):
        self.name, self.exact, self.simulate = name, exact, simulate
        self.exact_reads_claim = exact is not None and _positional_arity(exact) >= 2
        self.instances = tuple(instances)
        self.n_paths, self.refine_paths, self.maxiter, self.popsize = n_paths, refine_paths, maxiter, popsize
        self.hypothesis_examples, self.refine_top, self.tighten = hypothesis_examples, refine_top, tighten
        self.rtol = rtol          # an exact quantity meets its bound within rounding: equality is not a violation
        self.derive, self.reduce, self.scale, self.deep_factor = derive, reduce, scale, deep_factor
        self.polish = int(polish)            # evaluations of a local climb (Nelder-Mead) from each of the best points
        if self_test not in ("independent", "replay"):
            raise ValueError(f"BoundCheck {name!r}: self_test={self_test!r}, expected 'independent' or 'replay'")
        # "independent": a fresh search (other seeds) against the tightened bound; "replay": the same search (same
        # seeds, so the same points: every measure here is monotone in the bound's factor) with fresh refine paths
        self.self_test_mode = self_test
        self.narrow = dict(narrow or {})     # parameter -> (low, high): a smaller box searched (an exact mode's reach)
        # IndexedBase symbols (arrays) are passed by their label
        self.derived = tuple(getattr(d, "label", d) for d in derived)
        if reduce not in (None, "min"):
            raise ValueError(f"BoundCheck {name!r}: reduce={reduce!r}, expected None or 'min'")
        self.evidence = evidence or ("model" if (exact or simulate) else "derivation")

    # --- the objective ------------------------------------------------------------------------------------
    def _sides(self, claim):
        st = claim.statement
        if not isinstance(st, UPPER + LOWER):
            raise Undecidable(f"a bound check needs an inequality statement, got {type(st).__name__}", "bound")
        upper = isinstance(st, UPPER)
        regime = claim.regime.extended(*self.instances)
        if self.narrow:
            from dataclasses import replace

            params = tuple(replace(p, low=self.narrow[p.name][0], high=self.narrow[p.name][1])
                           if p.name in self.narrow else p for p in regime.params)
            regime = Regime(params, regime.conditions, regime.description)
        symbols = list(regime.symbols) + [d for d in self.derived if d not in regime.symbols]
        bound = on_values(symbols, claim.formula)
        lhs = None if (self.exact or self.simulate) else on_values(symbols, claim.lhs)
        names = [s.name for s in symbols]
        return upper, regime, names, bound, lhs

    def _values(self, point, ctx, claim) -> dict:
        """The searched point with the derived symbols' values (the instance's constants) filled in."""
        if self.derive is None:
            return dict(point)
        extra = self.cached(ctx, claim, "derive", self.derive, (dict(point),))
        return {**point, **extra}

    def _quantity(self, point, lhs, names, n_paths, seed, ctx, claim) -> tuple[float, float, Any]:
        """(estimate, standard error, per-observable (means, ses) for reduce='min') of the left side at a point."""
        if lhs is not None:
            return float(lhs(point)), 0.0, None
        if self.exact is not None and self.exact_reads_claim:
            exact = self.exact

            def from_statement(values, _statement):      # the statement's text keys the cache (mutants differ)
                return exact(values, claim)

            return float(self.cached(ctx, claim, "exact", from_statement,
                                     (dict(point), sp.srepr(claim.statement)))), 0.0, None
        if self.exact is not None:
            return float(self.cached(ctx, claim, "exact", self.exact, (dict(point),))), 0.0, None
        rng = np.random.default_rng(seed)
        assert self.simulate is not None
        sample = check_sample(self.cached(ctx, claim, "simulate", self.simulate, (dict(point), n_paths), rng),
                              claim, self.name)
        if sample.diverged_fraction > 0:
            return math.nan, math.nan, None
        if self.reduce == "min":
            v = sample.values
            means, ses = v.mean(axis=0), v.std(axis=0, ddof=1) / math.sqrt(v.shape[0])
            k = int(np.argmin(means))
            return float(means[k]), float(ses[k]), (means, ses)
        v = sample.values[:, 0]
        return float(v.mean()), float(v.std(ddof=1) / math.sqrt(v.size)), None

    def _ratio(self, q: float, b: float, upper: bool, s: float | None = None) -> float:
        """How far the point goes toward a violation: q / b for an upper bound (b / q for a lower one);
        above 1 is a violation. Signs: a positive quantity under a non-positive bound is infinitely bad.
        With a scale s (``scale``): the normalised gap 1 + (q - b) / s (1 + (b - q) / s for a lower bound)."""
        if not (math.isfinite(q) and math.isfinite(b)):
            return -math.inf
        if s is not None:
            if not (math.isfinite(s) and s > 0):
                return -math.inf
            return 1 + ((q - b) if upper else (b - q)) / s
        num, den = (q, b) if upper else (b, q)
        if den > 0:
            return num / den
        return math.inf if num > den else -math.inf

    # --- the search -------------------------------------------------------------------------------------
    def _run(self, claim, ctx: RunContext) -> CheckResult:
        start = time.perf_counter()
        upper, regime, names, bound_fn, lhs = self._sides(claim)
        seed = ctx.seed_sequence(claim.id, self.name)
        search_seed, hyp_seed, refine_seed, self_seed = (int(s.generate_state(1)[0]) for s in seed.spawn(4))
        budget = self._budget(ctx)

        def evaluate(point, n_paths, s, shift=None):
            """The point's quantity and bound; ``shift`` tightens the bound (the self-test)."""
            try:
                values = self._values(point, ctx, claim)
            except Undecidable:                  # an instance the family cannot build: not a point of the search
                return {"q": math.nan, "se": math.nan, "b": math.nan, "s": None, "parts": None, "values": {}}
            q, se, parts = self._quantity(values, lhs, names, n_paths, s, ctx, claim)
            b = float(bound_fn(values))
            sc = float(self.scale(values)) if self.scale is not None else None
            if shift is not None:
                b = self._tightened(b, sc, shift, upper)
            return {"q": q, "se": se, "b": b, "s": sc, "parts": parts, "values": values}

        found = self._search(regime, upper, evaluate, search_seed, hyp_seed, budget)
        candidates = found["candidates"]
        if not candidates:
            raise Undecidable("no point of the regime could be evaluated", "worst-case search", found["budget"])
        worst, violation, refined = self._refine(candidates, upper, evaluate, refine_seed, ctx, None, budget)
        details = {"worst_ratio": worst["ratio"], "worst_point": worst["point"], "quantity": worst["q"],
                   "quantity_se": worst["se"], "bound": worst["b"], "direction": "upper" if upper else "lower",
                   "measure": "ratio" if self.scale is None else "normalised gap 1 + (lhs - bound) / scale",
                   "derived_at_worst": worst.get("derived", {}),
                   "refined": refined, "budget": {**found["budget"], "seconds": round(time.perf_counter() - start, 2)},
                   "seed": self.seed(claim, ctx), "alpha_per_comparison": ALPHA}
        method = (f"worst-case search (differential evolution {found['budget']['de_evaluations']} evaluations + "
                  f"hypothesis target {found['budget']['hypothesis_examples']}), best {len(refined)} refined")
        if violation is not None:
            return CheckResult(self.kind, self.name, FAIL, method, details, violation)
        seeds = (search_seed, hyp_seed) if self.self_test_mode == "replay" else (self_seed, self_seed + 7)
        details["self_test"] = [self._self_test(regime, upper, evaluate, worst["ratio"], seeds, self_seed, ctx,
                                                budget)]
        if worst["ratio"] <= 0 or not math.isfinite(worst["ratio"]):
            return CheckResult(self.kind, self.name, INCONCLUSIVE, method, details,
                               reason="the quantity never comes near the bound (worst ratio "
                                      f"{worst['ratio']:.3g}): the search says nothing about tightness")
        from .montecarlo import with_power

        return with_power(self.kind, self.name, method, details)

    def _budget(self, ctx: RunContext) -> dict[str, int]:
        f = self.deep_factor if ctx.deep else 1.0
        return {"maxiter": max(1, int(round(self.maxiter * f))), "popsize": self.popsize,
                "hypothesis_examples": int(round(self.hypothesis_examples * f)),
                "n_paths": self.n_paths, "refine_paths": int(round(self.refine_paths * f))}

    @staticmethod
    def _tightened(b: float, s: float | None, shift: float, upper: bool) -> float:
        if s is None:                      # ratio measure: the bound scaled
            return shift * b
        return b + shift * s if upper else b - shift * s

    def _point_ratio(self, e: dict, upper: bool) -> float:
        atol = float(e["values"].get("_atol", 0.0))
        if atol and max(abs(e["q"]), abs(e["b"])) < 1e3 * atol:
            return -math.inf                 # both sides at rounding level (a run that has converged): no evidence
        return self._ratio(e["q"], e["b"], upper, e["s"] if self.scale is not None else None)

    def _search(self, regime, upper, evaluate, search_seed, hyp_seed, budget, shift=None) -> dict[str, Any]:
        from scipy import optimize

        params = list(regime.params)
        seen: list[dict] = []

        def to_point(u):
            point = {}
            for p, x in zip(params, u):
                v = math.exp(math.log(p.low) + x * (math.log(p.high) - math.log(p.low))) if p.log \
                    else p.low + x * (p.high - p.low)
                point[p.name] = float(round(v)) if p.integer else float(v)
            return point

        def objective(u):
            point = to_point(np.clip(u, 0, 1))
            if not regime.admits(point):
                return 1e6
            r = self._point_ratio(evaluate(point, budget["n_paths"], search_seed, shift), upper)
            if math.isfinite(r) or r == math.inf:
                seen.append({"point": point, "ratio": r})
            return -min(r, 1e6) if math.isfinite(r) or r == math.inf else 1e6

        de = optimize.differential_evolution(objective, [(0.0, 1.0)] * len(params), maxiter=budget["maxiter"],
                                             popsize=budget["popsize"], seed=search_seed, polish=False, tol=1e-8)
        n_de = len(seen)
        n_hyp = self._hypothesis(regime, upper, evaluate, hyp_seed, seen, budget, shift)
        n_polish = self._polish(params, seen, objective, to_point) if self.polish else 0
        seen.sort(key=lambda r: -r["ratio"])
        unique, keys = [], set()
        for r in seen:
            key = tuple(round(v, 9) for v in r["point"].values())
            if key not in keys:
                keys.add(key)
                unique.append(r)
        return {"candidates": unique[: self.refine_top],
                "budget": {"de_evaluations": int(de.nfev), "de_points_evaluated": n_de, "hypothesis_examples": n_hyp,
                           "polish_evaluations": n_polish,
                           "de_maxiter": budget["maxiter"], "de_popsize": budget["popsize"],
                           "searched_parameters": [p.name for p in params],
                           "search_paths": budget["n_paths"] if (self.simulate is not None) else None,
                           "refine_paths": budget["refine_paths"] if (self.simulate is not None) else None}}

    def _polish(self, params, seen, objective, to_point) -> int:
        """Nelder-Mead over the continuous parameters (integers held) from the best point of each of the best
        integer settings found so far; every point it evaluates joins the candidates."""
        from scipy import optimize

        cont = [n for n, p in enumerate(params) if not p.integer]
        if not cont or not seen:
            return 0
        tops, keys = [], set()
        for r in sorted(seen, key=lambda r: -r["ratio"]):
            key = tuple(r["point"][p.name] for p in params if p.integer)
            if key not in keys and math.isfinite(r["ratio"]):
                keys.add(key)
                tops.append(r["point"])
            if len(tops) == self.refine_top:
                break
        before = len(seen)
        for point in tops:
            u0 = np.array([_to_unit(p, point[p.name]) for p in params])

            def local(x, u0=u0):
                u = u0.copy()
                u[cont] = np.clip(x, 0, 1)
                return objective(u)

            optimize.minimize(local, u0[cont], method="Nelder-Mead",
                              options={"maxfev": self.polish, "initial_simplex": _simplex(u0[cont])})
        return len(seen) - before

    def _hypothesis(self, regime, upper, evaluate, seed, seen, budget, shift=None) -> int:
        if budget["hypothesis_examples"] <= 0:
            return 0
        from hypothesis import HealthCheck, Phase, given, settings, target

        count = [0]

        @settings(max_examples=budget["hypothesis_examples"], database=None, derandomize=True, deadline=None,
                  phases=(Phase.generate, Phase.target), suppress_health_check=list(HealthCheck))
        @given(point=regime.strategy())
        def probe(point):
            r = self._point_ratio(evaluate(point, budget["n_paths"], seed, shift), upper)
            count[0] += 1
            if math.isfinite(r):
                seen.append({"point": dict(point), "ratio": r})
                target(max(min(r, 1e6), -1e6), label="ratio")

        try:
            probe()
        except Exception:
            pass
        return count[0]

    def _refine(self, candidates, upper, evaluate, seed, ctx, shift, budget) -> tuple[dict, dict | None, list]:
        """Fresh evaluations of the best candidates; a violation must be significant (one-sided, ALPHA)."""
        from scipy import stats

        rows, violation = [], None
        for k, cand in enumerate(candidates):
            e = evaluate(cand["point"], budget["refine_paths"], seed + k + 1, shift)
            q, se, b = e["q"], e["se"], e["b"]
            r = self._point_ratio(e, upper)
            gap = (q - b) if upper else (b - q)
            if e["parts"] is not None:                   # min_k E[X_k]: every E[X_k] must exceed the bound
                means, ses = e["parts"]
                gaps = (means - b) if upper else (b - means)
                zs = np.where(ses > 0, gaps / np.where(ses > 0, ses, 1.0), np.where(gaps > 0, np.inf, -np.inf))
                z = float(np.min(zs)) if upper else float(np.max(zs))
                p = stats.norm.sf(z) if upper else min(1.0, stats.norm.sf(z) * len(zs))
            else:
                z = gap / se if se > 0 else (math.inf if gap > 0 else -math.inf)
                p = stats.norm.sf(z) if se > 0 else (0.0 if gap > 0 else 1.0)
            if se > 0:
                ctx.counter.add(1)
            # rounding: relative, plus the instance's absolute allowance when derive states one ("_atol")
            rounding = self.rtol * max(abs(q), abs(b)) + float(e["values"].get("_atol", 0.0))
            significant = gap > rounding and (se == 0 or p < ALPHA)
            row = {"point": cand["point"], "ratio": r, "q": q, "se": se, "b": b, "z": z, "violation": significant,
                   "derived": _scalars(e["values"], cand["point"])}
            rows.append(row)
            if significant and violation is None:
                violation = {"params": cand["point"], "quantity": q, "quantity_se": se, "bound": b, "ratio": r,
                             "z": z, "derived": row["derived"]}
        worst = max(rows, key=lambda r: r["ratio"])
        return worst, violation, rows

    def _self_test(self, regime, upper, evaluate, worst_ratio, seeds, seed, ctx, budget) -> dict[str, Any]:
        """The same search against the bound tightened below the worst case must find a violation."""
        if not (math.isfinite(worst_ratio) and worst_ratio > 0):
            return {"perturbation": f"bound x{self.tighten:g} of the worst case", "rejected": False}
        if self.scale is None:
            shift = worst_ratio * self.tighten if upper else 1 / (worst_ratio * self.tighten)
        else:
            shift = worst_ratio - 1 - (1 - self.tighten) * abs(worst_ratio)
        found = self._search(regime, upper, evaluate, seeds[0], seeds[1], budget, shift)
        _, violation, _ = self._refine(found["candidates"], upper, evaluate, seed + 11, ctx, shift, budget) \
            if found["candidates"] else (None, None, [])
        return {"perturbation": f"bound tightened to {self.tighten:g} x the worst ratio found",
                "factor" if self.scale is None else "shift": shift, "search": self.self_test_mode,
                "rejected": violation is not None}


def _positional_arity(fn: Callable[..., Any]) -> int:
    import inspect

    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return 1
    return sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty for p in params)


def _to_unit(p: Param, v: float) -> float:
    if p.high == p.low:
        return 0.0
    if p.log:
        return (math.log(v) - math.log(p.low)) / (math.log(p.high) - math.log(p.low))
    return (v - p.low) / (p.high - p.low)


def _simplex(x0: np.ndarray, step: float = 0.1) -> np.ndarray:
    """A starting simplex of size ``step`` in the unit box around x0 (stepping inward at the box's edges)."""
    pts = [x0]
    for n in range(x0.size):
        e = x0.copy()
        e[n] = e[n] + step if e[n] + step <= 1 else e[n] - step
        pts.append(e)
    return np.array(pts)


def _scalars(values: dict, point: dict) -> dict[str, float]:
    """The derived constants of an instance (scalars as numbers, arrays by their length), for the report."""
    out: dict[str, Any] = {}
    for k, v in values.items():
        if k in point:
            continue
        if np.ndim(v) == 0:
            try:
                out[k] = float(v)
            except (TypeError, ValueError):
                continue
        else:
            out[k] = f"array of {np.size(v)}"
    return out


class _ProductPrinter:
    """A SciPy printer that also prints finite products (the weights q_{k,t} of a momentum recursion)."""

    _cls = None

    @classmethod
    def get(cls):
        if cls._cls is None:
            from sympy.printing.numpy import SciPyPrinter

            class Printer(SciPyPrinter):
                def _print_Product(self, expr):
                    loops = " ".join(f"for {self._print(i)} in range({self._print(a)}, {self._print(b)}+1)"
                                     for i, a, b in expr.limits)
                    return f"(_prod({self._print(expr.function)} {loops}))"

            cls._cls = Printer
        return cls._cls


def on_values(symbols, expr):
    """expr as a function of a dict of values by name: only the symbols it contains are read (a missing one is an
    error naming it)."""
    free = {getattr(s, "name", str(s)) for s in sp.sympify(expr).free_symbols}
    used = [s for s in symbols if s.name in free or any(s.name == getattr(b, "name", None) for b in
                                                           sp.sympify(expr).atoms(sp.IndexedBase))]
    f = lambdify_bound(used, expr)
    names = [s.name for s in used]
    integer = [bool(getattr(s, "is_integer", False)) for s in used]

    def call(values):
        missing = [n for n in names if n not in values]
        if missing:
            raise KeyError(f"no value for {', '.join(missing)} (neither searched nor derived)")
        # integers stay integers: they bound the sums and products over an index
        return f(*(int(values[n]) if isint else values[n] for n, isint in zip(names, integer)))

    return call


def lambdify_bound(symbols, expr):
    """expr as a numeric function of symbols; sums and products over an index run as Python loops, so
    IndexedBase symbols take arrays."""
    import functools

    # arguments renamed to plain identifiers in one pass (lambdify's own renaming of TeX-named symbols, one
    # xreplace per symbol, is slow on large expressions)
    plain = [sp.Symbol(f"_x{n}") for n in range(len(symbols))]
    renamed = sp.sympify(expr).xreplace(dict(zip(symbols, plain)))
    return sp.lambdify(plain, renamed, modules=[{"_prod": math.prod, "functools": functools}, "numpy", "scipy"],
                       printer=_ProductPrinter.get(), dummify=False)
