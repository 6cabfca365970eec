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
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import sympy as sp

from theory.model import Param

from .base import FormulaCheck, RunContext, Undecidable, check_sample
from .result import FAIL, INCONCLUSIVE, CheckResult
from .stats import ALPHA

UPPER = (sp.LessThan, sp.StrictLessThan)
LOWER = (sp.GreaterThan, sp.StrictGreaterThan)


class BoundCheck(FormulaCheck):
    """``statement``: ``Le(quantity, bound)`` (or ``Ge`` for a lower bound). The quantity is the statement's
    left side as a formula, or comes from ``exact(point) -> float`` or ``simulate(point, n_paths, rng) ->
    Sample`` (its first observable's mean) for a quantity of a process. ``instances`` are extra parameters
    (a problem family) searched over together with the regime."""

    kind = "bound"
    form = "bound"

    def __init__(self, name: str, *, exact: Callable[[dict], float] | None = None,
                 simulate: Callable[..., Any] | None = None, instances: Sequence[Param] = (),
                 n_paths: int = 2000, refine_paths: int = 20_000, maxiter: int = 20, popsize: int = 10,
                 hypothesis_examples: int = 60, refine_top: int = 3, tighten: float = 0.9,
                 evidence: str | None = None, rtol: float = 1e-12):
        self.name, self.exact, self.simulate = name, exact, simulate
        self.instances = tuple(instances)
        self.n_paths, self.refine_paths, self.maxiter, self.popsize = n_paths, refine_paths, maxiter, popsize
        self.hypothesis_examples, self.refine_top, self.tighten = hypothesis_examples, refine_top, tighten
        self.rtol = rtol          # an exact quantity meets its bound within rounding: equality is not a violation
        self.evidence = evidence or ("model" if (exact or simulate) else "derivation")

    # --- the objective ------------------------------------------------------------------------------------
    def _sides(self, claim):
        st = claim.statement
        if not isinstance(st, UPPER + LOWER):
            raise Undecidable(f"a bound check needs an inequality statement, got {type(st).__name__}", "bound")
        upper = isinstance(st, UPPER)
        regime = claim.regime.extended(*self.instances)
        symbols = list(regime.symbols)
        bound = sp.lambdify(symbols, claim.formula, modules=["numpy", "scipy"])
        lhs = None if (self.exact or self.simulate) else sp.lambdify(symbols, claim.lhs, modules=["numpy", "scipy"])
        names = [s.name for s in symbols]
        return upper, regime, names, bound, lhs

    def _quantity(self, point, lhs, names, n_paths, seed, ctx, claim) -> tuple[float, float]:
        """(estimate, standard error) of the left side at a point."""
        if lhs is not None:
            return float(lhs(*(point[n] for n in names))), 0.0
        if self.exact is not None:
            return float(self.cached(ctx, claim, "exact", self.exact, (dict(point),))), 0.0
        rng = np.random.default_rng(seed)
        assert self.simulate is not None
        sample = check_sample(self.cached(ctx, claim, "simulate", self.simulate, (dict(point), n_paths), rng),
                              claim, self.name)
        if sample.diverged_fraction > 0:
            return math.nan, math.nan
        v = sample.values[:, 0]
        return float(v.mean()), float(v.std(ddof=1) / math.sqrt(v.size))

    def _ratio(self, q: float, b: float, upper: bool) -> float:
        """How far the point goes toward a violation: q / b for an upper bound (b / q for a lower one);
        above 1 is a violation. Signs: a positive quantity under a non-positive bound is infinitely bad."""
        if not (math.isfinite(q) and math.isfinite(b)):
            return -math.inf
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
        scale = 1.0

        def evaluate(point, n_paths, s, factor=1.0):
            q, se = self._quantity(point, lhs, names, n_paths, s, ctx, claim)
            b = factor * float(bound_fn(*(point[n] for n in names)))
            return q, se, b

        found = self._search(regime, upper, evaluate, search_seed, hyp_seed, scale)
        candidates = found["candidates"]
        if not candidates:
            raise Undecidable("no point of the regime could be evaluated", "worst-case search", found["budget"])
        worst, violation, refined = self._refine(candidates, upper, evaluate, refine_seed, ctx, 1.0)
        details = {"worst_ratio": worst["ratio"], "worst_point": worst["point"], "quantity": worst["q"],
                   "quantity_se": worst["se"], "bound": worst["b"], "direction": "upper" if upper else "lower",
                   "refined": refined, "budget": {**found["budget"], "seconds": round(time.perf_counter() - start, 2)},
                   "seed": self.seed(claim, ctx), "alpha_per_comparison": ALPHA}
        method = (f"worst-case search (differential evolution {found['budget']['de_evaluations']} evaluations + "
                  f"hypothesis target {found['budget']['hypothesis_examples']}), best {len(refined)} refined")
        if violation is not None:
            return CheckResult(self.kind, self.name, FAIL, method, details, violation)
        details["self_test"] = [self._self_test(regime, upper, evaluate, worst["ratio"], self_seed, ctx)]
        if worst["ratio"] <= 0 or not math.isfinite(worst["ratio"]):
            return CheckResult(self.kind, self.name, INCONCLUSIVE, method, details,
                               reason="the quantity never comes near the bound (worst ratio "
                                      f"{worst['ratio']:.3g}): the search says nothing about tightness")
        from .montecarlo import with_power

        return with_power(self.kind, self.name, method, details)

    def _search(self, regime, upper, evaluate, search_seed, hyp_seed, scale) -> dict[str, Any]:
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
            q, se, b = evaluate(point, self.n_paths, search_seed)
            r = self._ratio(q, b, upper)
            if math.isfinite(r) or r == math.inf:
                seen.append({"point": point, "ratio": r})
            return -min(r, 1e6) if math.isfinite(r) or r == math.inf else 1e6

        de = optimize.differential_evolution(objective, [(0.0, 1.0)] * len(params), maxiter=self.maxiter,
                                             popsize=self.popsize, seed=search_seed, polish=False, tol=1e-8)
        n_de = len(seen)
        n_hyp = self._hypothesis(regime, upper, evaluate, hyp_seed, seen)
        seen.sort(key=lambda r: -r["ratio"])
        unique, keys = [], set()
        for r in seen:
            key = tuple(round(v, 9) for v in r["point"].values())
            if key not in keys:
                keys.add(key)
                unique.append(r)
        return {"candidates": unique[: self.refine_top],
                "budget": {"de_evaluations": int(de.nfev), "de_points_evaluated": n_de, "hypothesis_examples": n_hyp,
                           "search_paths": self.n_paths if (self.simulate is not None) else None,
                           "refine_paths": self.refine_paths if (self.simulate is not None) else None}}

    def _hypothesis(self, regime, upper, evaluate, seed, seen) -> int:
        if self.hypothesis_examples <= 0:
            return 0
        from hypothesis import HealthCheck, Phase, given, settings, target

        count = [0]

        @settings(max_examples=self.hypothesis_examples, database=None, derandomize=True, deadline=None,
                  phases=(Phase.generate, Phase.target), suppress_health_check=list(HealthCheck))
        @given(point=regime.strategy())
        def probe(point):
            q, se, b = evaluate(point, self.n_paths, seed)
            r = self._ratio(q, b, upper)
            count[0] += 1
            if math.isfinite(r):
                seen.append({"point": dict(point), "ratio": r})
                target(max(min(r, 1e6), -1e6), label="ratio")

        try:
            probe()
        except Exception:
            pass
        return count[0]

    def _refine(self, candidates, upper, evaluate, seed, ctx, factor) -> tuple[dict, dict | None, list]:
        """Fresh evaluations of the best candidates; a violation must be significant (one-sided, ALPHA)."""
        from scipy import stats

        rows, violation = [], None
        for k, cand in enumerate(candidates):
            q, se, b = evaluate(cand["point"], self.refine_paths, seed + k + 1, factor)
            r = self._ratio(q, b, upper)
            gap = (q - b) if upper else (b - q)
            z = gap / se if se > 0 else (math.inf if gap > 0 else -math.inf)
            if se > 0:
                ctx.counter.add(1)
            rounding = self.rtol * max(abs(q), abs(b))
            significant = gap > rounding and (se == 0 or stats.norm.sf(z) < ALPHA)
            row = {"point": cand["point"], "ratio": r, "q": q, "se": se, "b": b, "z": z, "violation": significant}
            rows.append(row)
            if significant and violation is None:
                violation = {"params": cand["point"], "quantity": q, "quantity_se": se, "bound": b, "ratio": r,
                             "z": z}
        worst = max(rows, key=lambda r: r["ratio"])
        return worst, violation, rows

    def _self_test(self, regime, upper, evaluate, worst_ratio, seed, ctx) -> dict[str, Any]:
        """The same search against the bound tightened below the worst case must find a violation."""
        if not (math.isfinite(worst_ratio) and worst_ratio > 0):
            return {"perturbation": f"bound x{self.tighten:g} of the worst case", "rejected": False}
        factor = worst_ratio * self.tighten if upper else 1 / (worst_ratio * self.tighten)

        def tightened(point, n_paths, s, f=1.0):
            return evaluate(point, n_paths, s, factor * f)

        found = self._search(regime, upper, tightened, seed, seed + 7, 1.0)
        _, violation, _ = self._refine(found["candidates"], upper, tightened, seed + 11, ctx, 1.0) \
            if found["candidates"] else (None, None, [])
        return {"perturbation": f"bound tightened to {self.tighten:g} x the worst ratio found",
                "factor": factor, "rejected": violation is not None}
