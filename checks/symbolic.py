"""Symbolic checks: equalities (solutions of PDEs/ODEs, proof steps, substitutions) and asymptotic orders."""
from __future__ import annotations

from typing import Sequence

import mpmath
import numpy as np
import sympy as sp

from theory.claim import Param
from theory.symbolic import decide_equal

from .base import Check, RunContext, _Undecidable, resolve
from .result import FAIL, PASS, CheckResult


class SymbolicEquality(Check):
    """lhs == rhs over the claim's regime (plus any extra variables such as x or t).

    simplify decides when it reaches 0; otherwise mpmath evaluates both sides at random points of
    the regime at high precision, and the result says which method decided. ``divide_by`` names a
    positive factor (a density) both sides are divided by first, which keeps the algebra small.
    """

    kind = "symbolic"

    def __init__(self, name: str, lhs, rhs, extra: Sequence[Param] = (), n_points: int = 24,
                 digits: int = 30, try_simplify: bool = True, divide_by=None):
        self.name, self.lhs, self.rhs, self.divide_by = name, lhs, rhs, divide_by
        self.extra, self.n_points, self.digits, self.try_simplify = tuple(extra), n_points, digits, try_simplify

    def _run(self, claim, ctx: RunContext, index: int) -> CheckResult:
        lhs, rhs = resolve(self.lhs, claim), resolve(self.rhs, claim)
        if self.divide_by is not None:      # e.g. a density equation divided by the density (> 0)
            w = resolve(self.divide_by, claim)
            lhs, rhs = lhs / w, rhs / w
        regime = claim.regime.extended(*self.extra)
        rng = np.random.default_rng(ctx.seed_sequence(claim.id, index))
        d = decide_equal(lhs, rhs, regime, rng, self.n_points, self.digits, self.try_simplify)
        if d.equal is None:
            raise _Undecidable(d.details["note"], d.method)
        details = {"lhs": sp.latex(lhs), "rhs": sp.latex(rhs), **d.details,
                   "divided_by": sp.latex(resolve(self.divide_by, claim)) if self.divide_by is not None else None,
                   "seed": ctx.seed_record(claim.id, index)}
        counterexample = d.counterexample
        if counterexample is not None and self.divide_by is not None:
            counterexample = {**counterexample, "note": "lhs and rhs are both divided by " + details["divided_by"]}
        return CheckResult(self.kind, self.name, PASS if d.equal else FAIL, d.method, details, counterexample)


class AsymptoticOrder(Check):
    """exact = approx + O(bound) as ``small`` -> 0+, the other parameters held fixed.

    Decided by SymPy's limit of (exact - approx)/bound when it returns a number; otherwise by
    mpmath: along a ladder small_k = small_0 / 2^k the remainder's log-log slope must reach the
    bound's. A leading term that is wrong leaves a remainder of lower order, which fails.
    """

    def __init__(self, name: str, exact, approx, bound, small: sp.Symbol, kind: str = "symbolic",
                 use_limit: bool = True, n_points: int = 8, ladder: int = 12, digits: int = 40,
                 extra: Sequence[Param] = ()):
        self.name, self.exact, self.approx, self.bound, self.small = name, exact, approx, bound, small
        self.kind, self.use_limit, self.n_points, self.ladder, self.digits = kind, use_limit, n_points, ladder, digits
        self.extra = tuple(extra)

    def _run(self, claim, ctx: RunContext, index: int) -> CheckResult:
        exact, approx, bound = (resolve(e, claim) for e in (self.exact, self.approx, self.bound))
        ratio = (exact - approx) / bound
        base = {"exact": sp.latex(exact), "approx": sp.latex(approx), "bound": sp.latex(bound),
                "small": self.small.name, "seed": ctx.seed_record(claim.id, index)}
        if self.use_limit:
            try:
                lim = sp.limit(ratio, self.small, 0, "+")
            except (NotImplementedError, ValueError, TypeError):
                lim = None
            if lim is not None and lim.is_finite:
                return CheckResult(self.kind, self.name, PASS, "limit",
                                   {**base, "limit_of_remainder_over_bound": sp.latex(sp.simplify(lim))})
        return self._numeric(claim, ctx, index, exact, approx, bound, base)

    def _numeric(self, claim, ctx, index, exact, approx, bound, base) -> CheckResult:
        regime = claim.regime.extended(*self.extra)
        rng = np.random.default_rng(ctx.seed_sequence(claim.id, index))
        symbols = list(regime.symbols)
        f_rem = sp.lambdify(symbols, (exact - approx).doit(), "mpmath")
        f_bound = sp.lambdify(symbols, bound, "mpmath")
        k_small = symbols.index(self.small)
        method = f"mpmath ladder ({self.n_points} points x {self.ladder} halvings, {self.digits} digits)"
        rows = []
        with mpmath.workdps(self.digits):
            for point in regime.sample(rng, self.n_points):
                args = [mpmath.mpf(point[s.name]) for s in symbols]
                rems, bnds = [], []
                for k in range(self.ladder):
                    a = list(args)
                    a[k_small] = args[k_small] / 2 ** k
                    rems.append(f_rem(*a))
                    bnds.append(f_bound(*a))
                if all(r == 0 for r in rems[-3:]):
                    rows.append({"params": point, "remainder_slope": None, "bound_slope": None})
                    continue
                slope_r = float(mpmath.log(abs(rems[-2]) / abs(rems[-1]), 2))
                slope_b = float(mpmath.log(abs(bnds[-2]) / abs(bnds[-1]), 2))
                ratio_last = float(abs(rems[-1] / bnds[-1]))
                row = {"params": point, "remainder_slope": round(slope_r, 6), "bound_slope": round(slope_b, 6),
                       "remainder_over_bound": ratio_last}
                rows.append(row)
                if slope_r < slope_b - 0.05:
                    return CheckResult(self.kind, self.name, FAIL, method, {**base, "rows": rows}, {
                        "params": point, "claimed_order": slope_b, "observed_order": slope_r,
                        "remainder_at_smallest": float(rems[-1]), "bound_at_smallest": float(bnds[-1])})
        return CheckResult(self.kind, self.name, PASS, method, {**base, "rows": rows})


class NotCheckable(Check):
    """A statement with nothing to compute (a definition, a qualitative remark): says why."""

    def __init__(self, name: str, reason: str, kind: str = "symbolic"):
        self.name, self.reason, self.kind = name, reason, kind

    def _run(self, claim, ctx, index) -> CheckResult:
        return CheckResult(self.kind, self.name, "not-checkable", "none", reason=self.reason)
