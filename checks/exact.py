"""Exact numeric checks: a claimed formula against an exact, deterministic computation of the model
(a moment recursion iterated to the end, a quadrature) at points drawn from the claim's regime.

There is no sampling error, so the comparison is a relative tolerance at the level of floating-point
rounding; the same self-test as the Monte Carlo checks (deliberately wrong formulas) must be rejected.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .base import DEFAULT_PERTURBATIONS, FormulaCheck, RunContext, Undecidable
from .montecarlo import with_power
from .result import FAIL, CheckResult


def _relative(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """|a - b| relative to the larger magnitude of the two (exactly equal values differ by 0)."""
    scale = np.maximum(np.abs(a), np.abs(b))
    return np.where(a == b, 0.0, np.abs(a - b) / np.where(scale > 0, scale, 1.0))


class ExactComparison(FormulaCheck):
    """``exact(point)`` -> array of exact values; ``predict(point, f)`` -> the claimed values."""

    kind = "exact"
    evidence = "model"
    form = "exact"

    def __init__(self, name: str, exact: Callable[[dict], Any], predict: Callable[[dict, Callable], Any],
                 formula=None, n_points: int = 8, rtol: float = 1e-7, perturbations=DEFAULT_PERTURBATIONS,
                 evidence: str = "model"):
        self.name, self.exact, self.predict, self.formula = name, exact, predict, formula
        self.n_points, self.rtol, self.perturbations, self.evidence = n_points, rtol, tuple(perturbations), evidence

    def _values(self, point: dict, f) -> np.ndarray:
        with np.errstate(all="ignore"):
            return np.atleast_1d(np.asarray(self.predict(point, f), dtype=float)).ravel()

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        points = self.points(claim, ctx, self.rng(claim, ctx), self.n_points)
        expr = self.expression(claim)
        f = self.lambdified(claim, expr)
        rows, worst, exacts, skipped = [], None, [], []
        for point in points:
            ex = np.atleast_1d(np.asarray(self.cached(ctx, claim, "exact", self.exact, (dict(point),)),
                                          dtype=float)).ravel()
            cl = self._values(point, f)
            if not (np.all(np.isfinite(ex)) and np.all(np.isfinite(cl))):
                # a point where the formula (or the model) is not finite decides nothing; the others still do
                skipped.append({"params": point, "claimed": cl.tolist(), "exact": ex.tolist()})
                continue
            exacts.append(ex)
            rel = _relative(cl, ex)
            row = {"params": point, "claimed": cl.tolist(), "exact": ex.tolist(), "relative_difference": rel.tolist()}
            rows.append(row)
            if rel.max() > self.rtol and (worst is None or rel.max() > max(worst["relative_difference"])):
                worst = row
        if not rows:
            raise Undecidable(f"neither formula nor model is finite at any of {len(points)} points", "exact",
                              {"not_finite": skipped})
        evaluated = [r["params"] for r in rows]
        self_test = []
        for label, perturb in self.perturbations:
            g = self.lambdified(claim, perturb(expr))
            # rejected only if every point where the wrong formula moves the value is rejected
            moved = [(self._values(p, g), ex, self._values(p, f)) for p, ex in zip(evaluated, exacts)]
            rels = [float(np.max(_relative(w, ex)[_relative(w, r) > 0])) for w, ex, r in moved
                    if np.any(_relative(w, r) > 0)]
            self_test.append({"perturbation": label, "min_relative_difference": min(rels) if rels else None,
                              "rejected": bool(rels) and min(rels) > self.rtol})
        details = {"rows": rows, "rtol": self.rtol, "self_test": self_test, "seed": self.seed(claim, ctx),
                   "not_finite": skipped}
        method = f"exact computation at {len(rows)} regime points, relative tolerance {self.rtol:g}"
        if worst is not None:
            return CheckResult(self.kind, self.name, FAIL, method, details, worst)
        return with_power(self.kind, self.name, method, details)


class ExactOrder(FormulaCheck):
    """An asymptotic formula against an exact, deterministic computation: along a ladder
    small_k = small_0 / factor^k the relative error |exact/formula - 1| must shrink at least like
    small^order (fitted on the last rungs). A formula that is off by a constant factor keeps a
    constant relative error (order 0) and fails. The same ladder applied to the formula scaled by
    1.5 and 0.5 must fail too (self-test)."""

    kind = "exact"
    evidence = "model"
    form = "order"

    def __init__(self, name: str, exact: Callable[[dict], float], small, order: float | str = 1.0, rungs: int = 5,
                 factor: float = 2.0, n_points: int = 2, start: Callable[[dict], dict] | None = None,
                 formula=None, perturbations=DEFAULT_PERTURBATIONS[:2], slack: float = 0.2):
        self.name, self.exact, self.small, self.order = name, exact, small, order
        self.rungs, self.factor, self.n_points, self.formula = rungs, factor, n_points, formula
        self.start = start or (lambda p: p)
        self.perturbations, self.slack = tuple(perturbations), slack

    def claimed_order(self, claim) -> float:
        """The order as given, or read from the statement: the power of ``small`` by which its O(...) term is
        smaller than its formula (so a typo in a printed O term changes the outcome)."""
        if self.order != "statement":
            return float(self.order)
        import sympy as sp

        bound, formula = claim.remainder_bound, claim.formula
        if bound is None:
            raise Undecidable("the statement has no O(...) term to read the order from", "order")
        s = self.small
        q = sp.limit(s * sp.diff(sp.log(sp.Abs(bound / formula)), s), s, 0, "+")
        if not q.is_finite:
            raise Undecidable(f"the order of the O(...) term relative to the formula is {q}", "order")
        return float(q)

    def _fit(self, f, ladders, order=None):
        order = self.order if order is None else order
        rows, failure = [], None
        for ladder in ladders:
            smalls = np.array([p[self.small.name] for p, _ in ladder])
            claimed = np.array([float(f(**p)) for p, _ in ladder])
            exact = np.array([e for _, e in ladder])
            rel = np.abs(exact / claimed - 1)
            tail = slice(-3, None)
            slope = float(np.polyfit(np.log(smalls[tail]), np.log(np.maximum(rel[tail], 1e-300)), 1)[0])
            row = {"params": ladder[0][0], "small": smalls.tolist(), "claimed": claimed.tolist(),
                   "exact": exact.tolist(), "relative_error": rel.tolist(), "fitted_order": slope,
                   "claimed_order": order}
            rows.append(row)
            if slope < order - self.slack and rel[-1] > 1e-9 and failure is None:
                failure = {"params": ladder[-1][0], "claimed": float(claimed[-1]), "exact": float(exact[-1]),
                           "relative_error_at_smallest": float(rel[-1]), "fitted_order": slope,
                           "claimed_order": order}
        return rows, failure

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        points = self.points(claim, ctx, self.rng(claim, ctx), self.n_points)
        ladders = []
        for point in points:
            point = self.start(point)
            ladder = []
            for k in range(self.rungs):
                p = {**point, self.small.name: point[self.small.name] / self.factor ** k}
                ladder.append((p, float(self.cached(ctx, claim, "exact", self.exact, (dict(p),)))))
            ladders.append(ladder)
        expr = self.expression(claim)
        order = self.claimed_order(claim)
        rows, failure = self._fit(self.lambdified(claim, expr), ladders, order)
        self_test = []
        for label, perturb in self.perturbations:
            _, bad = self._fit(self.lambdified(claim, perturb(expr)), ladders, order)
            self_test.append({"perturbation": label, "rejected": bad is not None})
        details = {"rows": rows, "self_test": self_test, "seed": self.seed(claim, ctx),
                   "ladder_parameter": self.small.name}
        method = (f"exact computation along a ladder of {self.small.name} (/{self.factor:g} per rung, {self.rungs} "
                  f"rungs): fitted order of the relative error >= {order:g} - {self.slack:g}")
        if failure is not None:
            return CheckResult(self.kind, self.name, FAIL, method, details, failure)
        return with_power(self.kind, self.name, method, details)
