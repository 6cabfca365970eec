"""Two small variants of the package's check kinds, for the `adai` Momentum, Adam and Adai sections.

- ``MonteCarloMeanAt``: MonteCarloMean at drawn points moved by ``start`` (for example to where the claimed
  O(...) remainder is far below Monte Carlo resolution, or to T ~ 1/(1-beta1) where momentum matters). The
  statistics, the comparison count and the self-test are MonteCarloMean's own.
- ``StatementOrder``: ExactOrder whose claimed order is read from the statement: the order in ``small`` of
  O(bound) relative to the formula (O(eta^3) against a leading eta^2 is order 1), so a typo in the printed
  O(...) term changes the outcome. The exact model, the ladder and the self-test are ExactOrder's own.
- ``EveryReading``: for a printed statement read several ways, the readings' model checks run against the
  printed statement; it fails only if every reading fails (see the class).
"""
from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp

from checks import ExactOrder, FormulaCheck, MonteCarloMean, Undecidable
from checks.result import ERROR, FAIL, INCONCLUSIVE, PASS, CheckResult


class MonteCarloMeanAt(MonteCarloMean):
    def __init__(self, name, simulate, predict, start, **kw):
        super().__init__(name, simulate, predict, **kw)
        self.start = start

    def points(self, claim, ctx, rng, n):
        return [self.start(p) for p in super().points(claim, ctx, rng, n)]


class StatementOrder(ExactOrder):
    def claimed_order(self, claim) -> float:
        bound, formula = claim.remainder_bound, claim.formula
        if bound is None:
            raise Undecidable("the statement has no O(...) term to read the order from", "none")
        regime = claim.regime
        symbols = list(regime.symbols)
        ratio = sp.lambdify(symbols, sp.Abs(bound / formula), "mpmath")
        point = regime.sample(np.random.default_rng(0), 1)[0]      # any point gives the same order
        k = symbols.index(self.small)
        with mpmath.workdps(50):
            args = [mpmath.mpf(point[s.name]) for s in symbols]
            lo, hi = list(args), list(args)
            lo[k], hi[k] = args[k] * mpmath.mpf(10) ** -30, args[k] * mpmath.mpf(10) ** -31
            order = float(mpmath.log(ratio(*lo) / ratio(*hi), 10))
        return order

    def _run(self, claim, ctx):
        self.order = self.claimed_order(claim)
        result = super()._run(claim, ctx)
        result.details["claimed_order_from_statement"] = self.order
        return result



class EveryReading(FormulaCheck):
    """A printed statement read several ways fails only if it fails under every reading: runs one model check per
    reading (each with its own statistics, comparison count and self-test) against the printed statement. FAIL,
    with the proof's reading's counterexample, when every reading's check fails; PASS (with that check's self-test)
    when some reading's check passes; otherwise inconclusive, every sub-result kept in the details. It lets the
    printed claim carry the evidence of its refutation; the readings stay claims of their own."""

    kind = "exact"
    evidence = "model"
    form = "readings"

    def __init__(self, name: str, readings: dict):
        self.name, self.readings = name, dict(readings)

    def _run(self, claim, ctx):
        results = {label: check.run(claim, ctx) for label, check in self.readings.items()}
        details = {"readings": {label: r.to_dict() for label, r in results.items()}}
        method = "every reading's model check: " + "; ".join(f"{k}: {r.status}" for k, r in results.items())
        errors = [r for r in results.values() if r.status == ERROR]
        if errors:
            return CheckResult(self.kind, self.name, ERROR, method, details, reason=errors[0].reason)
        if all(r.status == FAIL for r in results.values()):
            label, first = next(iter(results.items()))
            return CheckResult(self.kind, self.name, FAIL, method, details,
                               {"reading": label, "check": first.name, **(first.counterexample or {})})
        passed = [r for r in results.values() if r.status == PASS]
        if passed:
            details["self_test"] = passed[0].details.get("self_test", [])
            return CheckResult(self.kind, self.name, PASS, method, details)
        return CheckResult(self.kind, self.name, INCONCLUSIVE, method, details,
                           reason="no reading's check passed and not every one failed")
