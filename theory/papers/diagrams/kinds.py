"""Check kinds this paper needs beyond the core ones.

- ``RemainderOrder``: "value = formula + o(eta^d)" (or O(eta^d)) against exact values of the process along an
  eta ladder: the remainder exact - formula must shrink faster than eta^d (little o: fitted order >= d + 1/2;
  big O: >= d - 0.3). The order is read from the statement's own Landau term. Deterministic: no sampling
  error, so no comparison is counted; wrong formulas (x1.5, x0.5) must fail on the same ladder.
- ``RelationHolds``: a relation (an order, a sign, an inequality, a count) evaluated with values computed
  from the model; its self-test is that the reversed relation (or the formula x1.5) is rejected.
- ``RelationHoldsMC``: the same with values that are means of simulated per-path observables: the relation must hold
  (or fail) over the whole family-wise confidence box (mean +- Z_CRIT se); one comparison is counted per mean.
- ``series_check``: the statement's Taylor coefficients through its claimed order against the exact series
  (a SymbolicEquality with evidence "model" when the series is the exact expectation of the process).
"""
from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
import sympy as sp

from checks import SymbolicEquality
from checks.base import FormulaCheck, RunContext, Undecidable
from checks.montecarlo import with_power
from checks.result import FAIL, INCONCLUSIVE, CheckResult
from checks.stats import Z_CRIT, mean_estimate

from .notation import eta, remainder_spec, taylor


def claimed_order(claim) -> int:
    spec = remainder_spec(claim.statement)
    if spec is None:
        raise Undecidable("the statement has no o(...) or O(...) term giving the order it claims", "none")
    d, little = spec
    return d if little else d - 1


def series_check(name: str, instantiate: Callable, exact: Callable, extra=(), order: int | None = None,
                 evidence: str = "model", symbol=eta) -> SymbolicEquality:
    """Taylor coefficients through the claimed order: instantiate(claim) is the statement's formula on a
    model (an expression in eta and the model's symbols), exact() the exact series (or a list of both, for
    several models at once). The order comes from the statement (o(eta^d): through eta^d; O(eta^d): below)."""
    def sides(c, which):
        k = claimed_order(c) if order is None else order
        lhs, rhs = instantiate(c), exact()
        if isinstance(lhs, (list, tuple)):
            pairs = list(zip(lhs, rhs))
            return sp.Matrix([taylor(a if which == "l" else b, k, symbol) for a, b in pairs])
        return taylor(lhs if which == "l" else rhs, k, symbol)

    return SymbolicEquality(name, lambda c: sides(c, "l"), lambda c: sides(c, "r"), extra=extra, evidence=evidence)


class RemainderOrder(FormulaCheck):
    """exact(etas) -> exact values of the process (cached); instantiate(claim) -> the statement's formula on the
    same model, an expression in eta alone."""

    kind = "exact"
    form = "order"

    def __init__(self, name: str, exact: Callable[[tuple], Any], instantiate: Callable, eta0: float = 0.2,
                 rungs: int = 5, factor: float = 2.0, evidence: str = "model", note: str = "",
                 order: tuple[int, bool] | None = None):
        self.name, self.exact, self.instantiate, self.eta0, self.order = name, exact, instantiate, eta0, order
        self.rungs, self.factor, self.evidence, self.note = rungs, factor, evidence, note

    def ladder(self) -> tuple:
        return tuple(self.eta0 / self.factor ** k for k in range(self.rungs))

    def _fit(self, f, etas, exact, d, little):
        claimed = np.array([float(f(e)) for e in etas])
        rem = exact - claimed
        floor = 1e-11 * np.maximum(np.abs(exact), 1e-300)
        need = d + 0.5 if little else d - 0.3
        row = {"params": {"eta": float(etas[0])}, "small": [float(e) for e in etas], "claimed": claimed.tolist(),
               "exact": exact.tolist(), "remainder": rem.tolist(),
               "relative_error": (np.abs(rem) / np.maximum(np.abs(exact), 1e-300)).tolist(),
               "fitted_order": None, "claimed_order": need}
        if np.all(np.abs(rem) <= floor):
            return row, True
        keep = np.abs(rem) > floor
        if keep.sum() < 3:
            raise Undecidable("the remainder is at the rounding floor on too many rungs", "ladder", {"rows": [row]})
        x, y = np.log(np.asarray(etas)[keep]), np.log(np.abs(rem[keep]))
        row["fitted_order"] = float(np.polyfit(x[-3:], y[-3:], 1)[0])
        return row, row["fitted_order"] >= need

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        spec = self.order or remainder_spec(claim.statement)
        if spec is None:
            raise Undecidable("the statement has no o(...) or O(...) term giving the order it claims", "none")
        d, little = spec
        etas = self.ladder()
        exact = np.asarray(self.cached(ctx, claim, "exact", self.exact, (etas,)), dtype=float).ravel()
        expr = sp.sympify(self.instantiate(claim))
        stray = expr.free_symbols - {eta}
        if stray:
            raise ValueError(f"the instantiated formula still holds {sorted(map(str, stray))}")
        f = sp.lambdify(eta, expr, "mpmath")
        row, ok = self._fit(f, etas, exact, d, little)
        need, slope = row["claimed_order"], row["fitted_order"]
        self_test = []
        for label, factor in (("x1.5", sp.Rational(3, 2)), ("x0.5", sp.Rational(1, 2))):
            g = sp.lambdify(eta, factor * expr, "mpmath")
            try:
                r2, ok2 = self._fit(g, etas, exact, d, little)
                s2 = r2["fitted_order"]
            except Undecidable:
                s2, ok2 = None, True
            self_test.append({"perturbation": label, "fitted_order": s2, "rejected": not ok2})
        details = {"rows": [row], "claimed": f"{'o' if little else 'O'}(eta^{d})", "ladder_parameter": "eta",
                   "self_test": self_test, "note": self.note}
        method = (f"exact values along eta = {etas[0]:g} / {self.factor:g}^k ({self.rungs} rungs): fitted order of "
                  f"|exact - formula| >= {need:g}")
        if not ok:
            return CheckResult(self.kind, self.name, FAIL, method, details,
                               {"fitted_order": slope, "required_order": need, "remainder": row["remainder"][-3:],
                                "eta": row["small"][-3:]})
        return with_power(self.kind, self.name, method, details)


def _is_zero(e) -> bool:
    return all(v.is_zero for v in e) if isinstance(e, sp.MatrixBase) else bool(sp.sympify(e).is_zero)


class RelationHolds(FormulaCheck):
    """values(claim) -> {symbol: computed value}; the statement (a relation) with those values must hold."""

    form = "relation"

    def __init__(self, name: str, values: Callable, evidence: str = "model", kind: str = "exact",
                 rtol: float = 1e-9):
        self.name, self.values, self.evidence, self.kind, self.rtol = name, values, evidence, kind, rtol

    def _truth(self, rel) -> bool:
        rel = sp.sympify(rel)
        if isinstance(rel, (sp.Equality, sp.Unequality)):
            return self._equal(rel.lhs, rel.rhs) == isinstance(rel, sp.Equality)
        out = rel if isinstance(rel, (bool, sp.logic.boolalg.BooleanAtom)) else rel.doit()
        if out not in (sp.true, sp.false, True, False):
            raise Undecidable(f"the relation {out} did not evaluate to true or false", "relation")
        return bool(out)

    def _equal(self, lhs, rhs) -> bool:
        if isinstance(lhs, sp.MatrixBase) or isinstance(rhs, sp.MatrixBase):
            a, b = sp.Matrix(lhs).evalf(30), sp.Matrix(rhs).evalf(30)
            return a.shape == b.shape and all(self._close(p, q) for p, q in zip(a, b))
        return self._close(sp.N(lhs, 30), sp.N(rhs, 30))

    def _close(self, a, b) -> bool:
        a, b = complex(a), complex(b)
        return abs(a - b) <= self.rtol * max(abs(a), abs(b), 1e-300) or a == b

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        values = self.values(claim)
        stmt = claim.statement
        if isinstance(stmt, (sp.Rel, sp.Equality)):
            rel = type(stmt)(sp.sympify(stmt.lhs).xreplace(values), sp.sympify(stmt.rhs).xreplace(values),
                             evaluate=False)
        else:
            rel = stmt.xreplace(values) if isinstance(stmt, sp.Basic) else stmt
        holds = self._truth(rel)
        rev = {sp.Equality: sp.Unequality, sp.Unequality: sp.Equality, sp.StrictLessThan: sp.GreaterThan,
               sp.LessThan: sp.StrictGreaterThan, sp.StrictGreaterThan: sp.LessThan,
               sp.GreaterThan: sp.StrictLessThan}
        self_test = []
        kind = type(stmt)
        if kind in rev:
            self_test.append({"perturbation": "relation reversed",
                              "rejected": not self._truth(rev[kind](rel.lhs, rel.rhs, evaluate=False))})
        if isinstance(stmt, sp.Equality) and not _is_zero(stmt.rhs) and not _is_zero(rel.rhs):
            bad = sp.Eq(rel.lhs, sp.Rational(3, 2) * rel.rhs, evaluate=False)
            self_test.append({"perturbation": "x1.5", "rejected": not self._truth(bad)})
        shown = {str(k): (str(v) if not isinstance(v, (int, float)) else v) for k, v in values.items()}
        details = {"values": shown, "relation": str(rel), "self_test": self_test}
        method = "the statement evaluated with values computed from the model"
        if not holds:
            return CheckResult(self.kind, self.name, FAIL, method, details, {"values": shown, "relation": str(rel)})
        return with_power(self.kind, self.name, method, details)


class RelationHoldsMC(RelationHolds):
    """simulate(n_paths, rng) -> {symbol: per-path values (n_paths,)}, NaN on diverged paths (reported, dropped).
    The relation is evaluated at every corner of the box mean +- Z_CRIT se: true at all corners passes, false at
    all fails, anything else is inconclusive (the effect is not resolved)."""

    kind = "montecarlo"

    def __init__(self, name: str, simulate: Callable, n_paths: int, evidence: str = "model"):
        super().__init__(name, lambda c: {}, evidence=evidence, kind="montecarlo")
        self.simulate, self.n_paths = simulate, n_paths

    def _corners(self, stmt, box):
        for combo in itertools.product(*[[(k, lo), (k, hi)] for k, (lo, hi) in box.items()]):
            vals = {k: sp.Float(v, 30) for k, v in combo}
            yield type(stmt)(sp.sympify(stmt.lhs).xreplace(vals), sp.sympify(stmt.rhs).xreplace(vals), evaluate=False)

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        stmt = claim.statement
        if not isinstance(stmt, sp.Rel):
            raise Undecidable("the statement is not a relation", "relation")
        rng = np.random.default_rng(ctx.seed_sequence(claim.id, self.name))
        samples = self.cached(ctx, claim, "simulate", self.simulate, (self.n_paths,), rng)
        box, shown, diverged = {}, {}, 0.0
        for k, v in samples.items():
            v = np.asarray(v, dtype=float)
            bad = ~np.isfinite(v)
            diverged = max(diverged, float(bad.mean()))
            est = mean_estimate(v[~bad])
            mean, se = float(est.mean[0]), float(est.se[0])
            box[k] = (mean - Z_CRIT * se, mean + Z_CRIT * se)
            shown[str(k)] = {"mean": mean, "se": se, "paths": est.n, "interval": list(box[k])}
        ctx.counter.add(len(box))
        truths = [self._truth(r) for r in self._corners(stmt, box)]
        rev = {sp.StrictLessThan: sp.GreaterThan, sp.LessThan: sp.StrictGreaterThan,
               sp.StrictGreaterThan: sp.LessThan, sp.GreaterThan: sp.StrictLessThan}
        self_test = []
        if type(stmt) in rev:
            flipped = rev[type(stmt)](stmt.lhs, stmt.rhs, evaluate=False)
            self_test.append({"perturbation": "relation reversed",
                              "rejected": not any(self._truth(r) for r in self._corners(flipped, box))})
        details = {"values": shown, "z": Z_CRIT, "diverged_fraction": diverged, "self_test": self_test,
                   "relation": str(stmt)}
        method = (f"the statement evaluated over the family-wise confidence box (mean +- {Z_CRIT:.2f} se) of "
                  f"simulated means ({self.n_paths} paths)")
        if not any(truths):
            return CheckResult(self.kind, self.name, FAIL, method, details, {"values": shown})
        if not all(truths):
            return CheckResult(self.kind, self.name, INCONCLUSIVE, method, details,
                               reason="the relation changes truth value inside the confidence box (not resolved)")
        return with_power(self.kind, self.name, method, details)
