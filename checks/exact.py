"""Exact numeric checks: a claimed formula against an exact, deterministic computation of the model
(a moment recursion iterated to the end, a quadrature) at points drawn from the claim's regime.

There is no sampling error, so the comparison is a relative tolerance at the level of floating-point
rounding; the same self-test as the Monte Carlo checks (deliberately wrong formulas) must be rejected.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from .base import DEFAULT_PERTURBATIONS, Check, RunContext
from .montecarlo import _MonteCarlo, _with_power
from .result import FAIL, CheckResult


class ExactComparison(Check):
    """``exact(point)`` -> array of exact values; ``predict(point, f)`` -> the claimed values."""

    kind = "exact"

    def __init__(self, name: str, exact: Callable[[dict], np.ndarray], predict: Callable[[dict, Callable], np.ndarray],
                 formula=None, n_points: int = 8, rtol: float = 1e-7, perturbations=DEFAULT_PERTURBATIONS):
        self.name, self.exact, self.predict, self.formula = name, exact, predict, formula
        self.n_points, self.rtol, self.perturbations = n_points, rtol, tuple(perturbations)

    # formula handling is shared with the Monte Carlo checks
    expression = _MonteCarlo.expression
    lambdified = _MonteCarlo.lambdified
    extra_symbols = ()

    def _run(self, claim, ctx: RunContext, index: int) -> CheckResult:
        rng = np.random.default_rng(ctx.seed_sequence(claim.id, index))
        points = [claim.regime.validate(ctx.at, claim.id)] if ctx.at is not None else claim.regime.sample(rng, self.n_points)
        expr = self.expression(claim)
        f = self.lambdified(claim, expr)
        rows, worst = [], None
        exacts = []
        for point in points:
            ex = np.atleast_1d(np.asarray(self.exact(point), dtype=float))
            cl = np.atleast_1d(np.asarray(self.predict(point, f), dtype=float))
            exacts.append(ex)
            rel = np.abs(cl - ex) / np.maximum(np.abs(ex), 1e-300)
            row = {"params": point, "claimed": cl.tolist(), "exact": ex.tolist(), "relative_difference": rel.tolist()}
            rows.append(row)
            if rel.max() > self.rtol and (worst is None or rel.max() > max(worst["relative_difference"])):
                worst = row
        self_test = []
        for label, perturb in self.perturbations:
            g = self.lambdified(claim, perturb(expr))
            rel = max(float(np.max(np.abs(np.atleast_1d(self.predict(p, g)) - ex) / np.maximum(np.abs(ex), 1e-300)))
                      for p, ex in zip(points, exacts))
            self_test.append({"perturbation": label, "max_relative_difference": rel, "rejected": rel > self.rtol})
        details = {"rows": rows, "rtol": self.rtol, "self_test": self_test,
                   "seed": ctx.seed_record(claim.id, index)}
        method = f"exact computation at {len(points)} regime points, relative tolerance {self.rtol:g}"
        if worst is not None:
            return CheckResult(self.kind, self.name, FAIL, method, details, worst)
        return _with_power(self.kind, self.name, method, details)


class ExactOrder(Check):
    """An asymptotic formula against an exact, deterministic computation: along a ladder
    small_k = small_0 / factor^k the relative error |exact/formula - 1| must shrink at least like
    small^order (fitted on the last rungs). A formula that is off by a constant factor keeps a
    constant relative error (order 0) and fails. The same ladder applied to the formula scaled by
    1.5 and 0.5 must fail too (self-test)."""

    kind = "exact"

    def __init__(self, name: str, exact: Callable[[dict], float], small, order: float = 1.0, rungs: int = 5,
                 factor: float = 2.0, n_points: int = 2, start: Callable[[dict], dict] | None = None,
                 formula=None, perturbations=DEFAULT_PERTURBATIONS[:2], slack: float = 0.2):
        self.name, self.exact, self.small, self.order = name, exact, small, order
        self.rungs, self.factor, self.n_points, self.formula = rungs, factor, n_points, formula
        self.start = start or (lambda p: p)
        self.perturbations, self.slack = tuple(perturbations), slack

    expression = _MonteCarlo.expression
    lambdified = _MonteCarlo.lambdified
    extra_symbols = ()

    def _fit(self, f, ladders):
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
                   "claimed_order": self.order}
            rows.append(row)
            if slope < self.order - self.slack and rel[-1] > 1e-9 and failure is None:
                failure = {"params": ladder[-1][0], "claimed": float(claimed[-1]), "exact": float(exact[-1]),
                           "relative_error_at_smallest": float(rel[-1]), "fitted_order": slope,
                           "claimed_order": self.order}
        return rows, failure

    def _run(self, claim, ctx: RunContext, index: int) -> CheckResult:
        rng = np.random.default_rng(ctx.seed_sequence(claim.id, index))
        points = [claim.regime.validate(ctx.at, claim.id)] if ctx.at is not None else claim.regime.sample(rng, self.n_points)
        ladders = []
        for point in points:
            point = self.start(point)
            ladder = []
            for k in range(self.rungs):
                p = {**point, self.small.name: point[self.small.name] / self.factor ** k}
                ladder.append((p, float(self.exact(p))))
            ladders.append(ladder)
        expr = self.expression(claim)
        rows, failure = self._fit(self.lambdified(claim, expr), ladders)
        self_test = []
        for label, perturb in self.perturbations:
            _, bad = self._fit(self.lambdified(claim, perturb(expr)), ladders)
            self_test.append({"perturbation": label, "rejected": bad is not None})
        details = {"rows": rows, "self_test": self_test, "seed": ctx.seed_record(claim.id, index)}
        method = (f"exact computation along a ladder of {self.small.name} (/{self.factor:g} per rung, {self.rungs} "
                  f"rungs): fitted order of the relative error >= {self.order:g} - {self.slack:g}")
        if failure is not None:
            return CheckResult(self.kind, self.name, FAIL, method, details, failure)
        return _with_power(self.kind, self.name, method, details)
