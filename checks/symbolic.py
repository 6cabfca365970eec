"""Symbolic checks: equalities (solutions of PDEs/ODEs, proof steps, substitutions) and asymptotic orders.

Each side is an expression or a function of the claim: ``lambda c: c.formula`` reads the statement, so a
typo in the statement changes the outcome.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import mpmath
import sympy as sp

from theory.model import Param

from .base import FormulaCheck, RunContext, Undecidable, resolve
from .equality import decide_equal
from .result import FAIL, NOT_CHECKABLE, PASS, CheckResult


class SymbolicEquality(FormulaCheck):
    """lhs == rhs over the claim's regime (plus any extra variables such as x or t).

    The numbers decide first (mpmath over the regime), then a rewrite or simplify proves the identity when
    it can; the evidence says which. ``divide_by`` names a positive factor (a density) both sides are
    divided by first, which keeps the algebra small. ``evidence="model"`` marks an equality that compares
    with the process itself (the density solves the process's Fokker-Planck equation, the formula is the
    exact solution of the model) rather than with the paper's own derivation.
    """

    kind = "symbolic"
    form = "equality"

    def __init__(self, name: str, lhs, rhs, extra: Sequence[Param] = (), n_points: int = 24,
                 digits: int = 30, try_simplify: bool = True, divide_by=None, evidence: str = "derivation"):
        self.name, self.lhs, self.rhs, self.divide_by = name, lhs, rhs, divide_by
        self.extra, self.n_points, self.digits, self.try_simplify = tuple(extra), n_points, digits, try_simplify
        self.evidence = evidence

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        lhs, rhs = resolve(self.lhs, claim), resolve(self.rhs, claim)
        divided = None
        if self.divide_by is not None:      # e.g. a density equation divided by the density (> 0)
            divided = resolve(self.divide_by, claim)
            lhs, rhs = lhs / divided, rhs / divided
        regime = claim.regime.extended(*self.extra)
        d = decide_equal(lhs, rhs, regime, self.rng(claim, ctx), self.n_points, self.digits, self.try_simplify)
        details = {"lhs": _tex(lhs), "rhs": _tex(rhs), **d.details,
                   "divided_by": _tex(divided) if divided is not None else None, "seed": self.seed(claim, ctx)}
        if d.equal is None:
            raise Undecidable(d.details.get("note", "undecided"), d.method, details)
        counterexample = d.counterexample
        if counterexample is not None and divided is not None:
            counterexample = {**counterexample, "note": "lhs and rhs are both divided by " + details["divided_by"]}
        return CheckResult(self.kind, self.name, PASS if d.equal else FAIL, d.method, details, counterexample)


def _tex(e: Any) -> str:
    try:
        return sp.latex(e)
    except Exception:
        return str(e)


class AsymptoticOrder(FormulaCheck):
    """exact = approx + O(bound) as ``small`` -> 0+, the other parameters held fixed.

    Decided by SymPy's limit of (exact - approx)/bound when it returns a finite number; otherwise by
    mpmath: along a ladder small_k = small_0 / 2^k the remainder's log-log slope must reach the
    bound's. A leading term that is wrong leaves a remainder of lower order, which fails.
    """

    form = "order"

    def __init__(self, name: str, exact, approx, bound, small: sp.Symbol, kind: str = "symbolic",
                 use_limit: bool = True, n_points: int = 8, ladder: int = 12, digits: int = 40,
                 extra: Sequence[Param] = (), evidence: str | None = None):
        self.name, self.exact, self.approx, self.bound, self.small = name, exact, approx, bound, small
        self.kind, self.use_limit, self.n_points, self.ladder, self.digits = kind, use_limit, n_points, ladder, digits
        self.extra = tuple(extra)
        self.evidence = evidence or ("model" if kind == "exact" else "derivation")

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        exact, approx, bound = (resolve(e, claim) for e in (self.exact, self.approx, self.bound))
        if bound is None:
            raise Undecidable("the statement has no O(...) term to compare the remainder with", "none")
        ratio = (exact - approx) / bound
        base = {"exact": _tex(exact), "approx": _tex(approx), "bound": _tex(bound),
                "small": self.small.name, "ladder_parameter": self.small.name, "seed": self.seed(claim, ctx)}
        if self.use_limit:
            try:
                lim = sp.limit(ratio, self.small, 0, "+")
            except (NotImplementedError, ValueError, TypeError):
                lim = None
            if lim is not None and lim.is_finite:
                return CheckResult(self.kind, self.name, PASS, "limit",
                                   {**base, "limit_of_remainder_over_bound": _tex(sp.simplify(lim))}, form="limit")
        return self._numeric(claim, ctx, exact, approx, bound, base)

    def _numeric(self, claim, ctx, exact, approx, bound, base) -> CheckResult:
        regime = claim.regime.extended(*self.extra)
        symbols = list(regime.symbols)
        f_rem = sp.lambdify(symbols, (exact - approx).doit(), "mpmath")
        f_bound = sp.lambdify(symbols, bound, "mpmath")
        k_small = symbols.index(self.small)
        method = f"mpmath ladder ({self.n_points} points x {self.ladder} halvings, {self.digits} digits)"
        rows: list[dict[str, Any]] = []
        with mpmath.workdps(self.digits):
            for point in regime.sample(self.rng(claim, ctx), self.n_points):
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
                row = {"params": point, "remainder_slope": round(slope_r, 6), "bound_slope": round(slope_b, 6),
                       "remainder_over_bound": float(abs(rems[-1] / bnds[-1]))}
                rows.append(row)
                if slope_r < slope_b - 0.05:
                    return CheckResult(self.kind, self.name, FAIL, method, {**base, "rows": rows}, {
                        "params": point, "claimed_order": slope_b, "observed_order": slope_r,
                        "remainder_at_smallest": float(rems[-1]), "bound_at_smallest": float(bnds[-1])})
        return CheckResult(self.kind, self.name, PASS, method, {**base, "rows": rows})


class NotCheckable(FormulaCheck):
    """A statement with nothing to compute (a definition, a qualitative remark): says why."""

    form = "not-checkable"

    def __init__(self, name: str, reason: str, kind: str = "symbolic"):
        self.name, self.reason, self.kind = name, reason, kind

    def _run(self, claim, ctx) -> CheckResult:
        return CheckResult(self.kind, self.name, NOT_CHECKABLE, "none", reason=self.reason)
