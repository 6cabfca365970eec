"""Check kinds of `ziyin`'s Secs. 4-6: limits decided by the exact law, probabilities by exact binomial tests,
the phase boundary of Figure 2, the stationary law of Figure 7, relations evaluated on the model, and a
statement read more than one way.

Each kind reads what it compares from the claim's statement (or a function of it), counts its statistical
comparisons at ``checks.stats.ALPHA``, runs a self-test (deliberately wrong versions of the statement must be
rejected, or the check is inconclusive), and keeps its details when it cannot decide.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import mpmath
import numpy as np
import sympy as sp
from scipy import stats

from checks.base import SCALE_DOWN, SCALE_UP, FormulaCheck, RunContext, Undecidable, scaled
from checks.montecarlo import MonteCarloCheck
from checks.result import FAIL, INCONCLUSIVE, PASS, CheckResult
from checks.stats import ALPHA
from checks.tails import ByReading  # noqa: F401  (one class for every paper; sections import it from here)


def _fnum(v) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return float("nan")


def _passed(kind, name, method, details, failure, undecided, self_test) -> CheckResult:
    """FAIL with its counterexample, else INCONCLUSIVE (undecided cases, or a self-test not rejected), else PASS."""
    details["self_test"] = self_test
    if failure is not None:
        return CheckResult(kind, name, FAIL, method, details, failure)
    if undecided:
        raise Undecidable("; ".join(undecided[:3]), method, details)
    weak = [s["perturbation"] for s in self_test if not s["rejected"]]
    if weak:
        return CheckResult(kind, name, INCONCLUSIVE, method, details,
                           reason=f"self-test failed: {', '.join(weak)} not rejected (underpowered)")
    return CheckResult(kind, name, PASS, method, details)


# --- limits against the exact law ------------------------------------------------------------------------------
class ExactLimit(FormulaCheck):
    """lim_{t -> oo} F_t = G_t for the model's exact finite-t values F_t (a binomial law) and the claimed G_t read
    from the statement. ``cases(claim, expr, rng)`` gives dicts with ``point``, ``ladder`` (increasing t), ``exact(t)``
    and ``claimed(t)``; expr is the statement's formula (or a deliberately wrong version of it). A case passes
    when |F_t - G_t| is below ``atol`` at the last rung or shrinks at least like t^-(order - slack) over the last
    three rungs (asymptotic claims are decided by the rate at which the error shrinks); a constant error fails.
    A case may give ``envelope(t)``, a rigorous bound on |F_t - lim F| (Berry-Esseen for a c.d.f.): the case then
    fails where the error exceeds it and passes where it never does (the envelope shrinks to 0)."""

    kind, evidence, form = "exact", "model", "limit"

    def __init__(self, name: str, cases: Callable, order: float = 0.5, slack: float = 0.2, atol: float = 1e-10,
                 perturbations: Sequence = (SCALE_DOWN, SCALE_UP), evidence: str = "model"):
        self.name, self.cases, self.order, self.slack, self.atol = name, cases, order, slack, atol
        self.perturbations, self.evidence = tuple(perturbations), evidence

    def _judge(self, claim, ctx, expr):
        rows, failure, undecided = [], None, []
        for case in self.cases(claim, expr, self.rng(claim, ctx)):     # the same points for every version
            if "undecided" in case:
                undecided.append(case["undecided"])
                continue
            if "invalid" in case:                         # e.g. an end of an interval that is not a learning rate
                rows.append({"params": case["point"], "verdict": case["invalid"]})
                failure = failure or {"params": case["point"], "reason": case["invalid"]}
                continue
            rungs = []
            for T in case["ladder"]:
                ex, cl = _fnum(case["exact"](T)), _fnum(case["claimed"](T))
                rungs.append({"t": int(T), "exact": ex, "claimed": cl,
                              "error": abs(ex - cl) if math.isfinite(cl) else math.inf})
            errs = np.array([r["error"] for r in rungs])
            row = {"params": case["point"], "rungs": rungs, "claimed_order": self.order}
            if "envelope" in case:
                for r in rungs:
                    r["envelope"] = float(case["envelope"](r["t"]))
                over = [r["t"] for r in rungs if not r["error"] <= r["envelope"] + 1e-12]
                row["verdict"] = f"outside the envelope at t = {over}" if over else "inside the envelope"
            elif not np.all(np.isfinite(errs)):
                row["verdict"] = "claimed value not finite"
            elif errs[-1] <= self.atol:
                row["verdict"] = f"converged (error {errs[-1]:.2e} <= {self.atol:g})"
            else:
                ts = np.array(case["ladder"][-3:], dtype=float)
                q = -float(np.polyfit(np.log(ts), np.log(np.maximum(errs[-3:], 1e-300)), 1)[0])
                row["fitted_order"] = q
                row["verdict"] = "shrinks" if q >= self.order - self.slack else "does not shrink"
            rows.append(row)
            if failure is None and row["verdict"].startswith(("claimed value not finite", "does not shrink",
                                                              "outside the envelope")):
                failure = {"params": case["point"], "reason": row["verdict"], "rungs": rungs,
                           "fitted_order": row.get("fitted_order"), "claimed_order": self.order}
        return rows, failure, undecided

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        expr = self.expression(claim)
        rows, failure, undecided = self._judge(claim, ctx, expr)
        self_test = []
        for label, perturb in self.perturbations:
            _, bad, _ = self._judge(claim, ctx, perturb(expr))
            self_test.append({"perturbation": label, "rejected": bad is not None})
        method = (f"exact law along a ladder of t: |F_t - claimed| below {self.atol:g}, or shrinking at order >= "
                  f"{self.order - self.slack:g} (last three rungs), or inside the case's rigorous envelope")
        return _passed(self.kind, self.name, method, {"rows": rows, "seed": self.seed(claim, ctx)}, failure,
                       undecided, self_test)


# --- probabilities by exact binomial tests ------------------------------------------------------------------
def binomial_region(n: int, low: float, high: float) -> tuple[int, int]:
    """The counts an exact two-sided test at level ALPHA accepts for a probability in [low, high]."""
    k_min = int(stats.binom.ppf(ALPHA / 2, n, low)) if low > 0 else 0
    while k_min > 0 and stats.binom.cdf(k_min - 1, n, low) >= ALPHA / 2:
        k_min -= 1
    k_max = int(stats.binom.isf(ALPHA / 2, n, high)) if high < 1 else n
    while k_max < n and stats.binom.sf(k_max, n, high) >= ALPHA / 2:
        k_max += 1
    return k_min, k_max


class BinomialTest(MonteCarloCheck):
    """Fractions of simulated runs against claimed probabilities, by exact binomial tests.

    ``simulate(point, n, rng)`` returns 0/1 columns; ``claimed(claim, expr, point)`` the claimed probability per
    column; ``tolerance(point)`` a bound on how far the probability at the simulated horizon may lie from the
    claimed limit (0 for a claim about a finite time). A claim 'with probability 1' is tested as P(miss) <=
    tolerance: with the horizon chosen so that n x tolerance <= ALPHA, the test allows 0 misses (stated in the
    evidence as the accepted range of counts). ``points(claim, expr)`` may place the runs from the statement."""

    form = "fraction"

    def __init__(self, name, simulate, claimed: Callable, tolerance: Callable | None = None,
                 points: Callable | None = None, perturbations=(SCALE_DOWN, SCALE_UP), **kw):
        super().__init__(name, simulate, perturbations=perturbations, **kw)
        self.claimed, self.tolerance, self.where = claimed, tolerance, points

    def _judge(self, claim, ctx, expr, drawn, rng, n_paths, samples: dict, record: bool):
        rows, failure = [], None
        for point in (self.where(claim, expr) if self.where is not None else drawn):
            key = repr(sorted(point.items()))
            if key not in samples:                       # a version of the statement placing runs elsewhere
                samples[key] = self.sample(claim, ctx, point, n_paths, rng)
            sample = samples[key]
            counts = sample.values.sum(axis=0)
            claimed = np.atleast_1d(np.asarray(self.claimed(claim, expr, point), dtype=float))
            tol = float(self.tolerance(point)) if self.tolerance is not None else 0.0
            for j, label in enumerate(sample.labels):
                n, k, p0 = sample.values.shape[0], int(round(counts[j])), float(claimed[j])
                row = {"params": point, "observable": label, "claimed": p0, "count": k, "n": n,
                       "observed": k / n, "tolerance": tol}
                if not (-1e-12 <= p0 <= 1 + 1e-12) or not math.isfinite(p0):
                    row["p_value"], row["reason"] = 0.0, f"the claimed value {p0:g} is not a probability"
                else:
                    low, high = max(0.0, p0 - tol), min(1.0, p0 + tol)
                    p = min(stats.binom.cdf(k, n, low), stats.binom.sf(k - 1, n, high), 0.5) * 2
                    row["p_value"], row["accepted_counts"] = float(p), list(binomial_region(n, low, high))
                if record:
                    ctx.counter.add(1)
                rows.append(row)
                if failure is None and row["p_value"] < ALPHA:
                    failure = dict(row)
            if failure is not None and not record:       # a self-test stops at its first rejection
                return rows, failure
            if sample.info:
                rows[-1]["info"] = {k2: np.asarray(v).tolist() for k2, v in sample.info.items()}
        return rows, failure

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        drawn, rng, n_paths, expr, details = self.setup(claim, ctx)
        samples: dict = {}
        rows, failure = self._judge(claim, ctx, expr, drawn, rng, n_paths, samples, True)
        self_test = []
        for label, perturb in self.perturbations:
            _, bad = self._judge(claim, ctx, perturb(expr), drawn, rng, n_paths, samples, False)
            self_test.append({"perturbation": label, "rejected": bad is not None})
        details["rows"] = rows
        method = f"exact binomial test per fraction (two-sided, p >= {ALPHA:.1e}, tolerance stated per row)"
        return _passed(self.kind, self.name, method, details, failure, [], self_test)


# --- Figure 2 (left): the printed boundary is where the escape fraction is 1/2 ----------------------------------
class BoundaryAtHalf(FormulaCheck):
    """On the boundary read from the statement (a Matrix of branches in a, or one expression), mu = 0 and
    ln|w_T/w_0| is a centred lattice walk, so at odd T the escape fraction P(|w_T| > |w_0|) is exactly 1/2.
    ``mode="exact"``: the binomial law at the boundary (tolerance 1e-9); ``mode="simulate"``: ``simulate(lam, a, T,
    n, rng) -> escaped (bool per run)`` z-free: an exact two-sided binomial test against 1/2. Self-test: the
    boundary moved by -5% and +5% must be rejected."""

    fixed_setting = True

    def __init__(self, name: str, a_values: Sequence[float], T: int = 101, n_paths: int = 4000, mode: str = "exact",
                 simulate: Callable | None = None):
        self.name, self.a_values, self.T, self.n_paths, self.mode, self.simulate = name, tuple(a_values), T, n_paths, \
            mode, simulate
        self.kind = "exact" if mode == "exact" else "montecarlo"
        self.evidence, self.form = "model", "exact" if mode == "exact" else "fraction"

    def _branches(self, expr):
        return list(expr) if isinstance(expr, sp.MatrixBase) else [expr]

    def _judge(self, claim, ctx, expr, record: bool):
        from .models import TwoPoint, a

        rows, failure = [], None
        rng = self.rng(claim, ctx)
        for b, branch in enumerate(self._branches(expr)):
            for a_value in self.a_values:
                lam_b = _fnum(sp.sympify(branch).subs(a, sp.nsimplify(a_value, rational=True)).evalf(30))
                row = {"branch": b, "a": a_value, "lambda_boundary": lam_b}
                if not (math.isfinite(lam_b) and lam_b > 0):
                    row.update(p_value=0.0, reason="the boundary is not a learning rate (lambda > 0)")
                elif self.mode == "exact":
                    _, escape = TwoPoint(lam_b, a_value).cdf(self.T, 0.0)
                    row.update(escape_fraction=escape, p_value=1.0 if abs(escape - 0.5) <= 1e-9 else 0.0)
                else:
                    esc = np.asarray(self.cached(ctx, claim, "simulate", self.simulate,
                                                 (lam_b, a_value, self.T, self.n_paths), rng), dtype=bool)
                    k = int(esc.sum())
                    row.update(escape_fraction=k / esc.size, count=k, n=int(esc.size),
                               p_value=float(stats.binomtest(k, esc.size, 0.5).pvalue),
                               accepted_counts=list(binomial_region(esc.size, 0.5, 0.5)))
                    if record:
                        ctx.counter.add(1)
                rows.append(row)
                if failure is None and row["p_value"] < ALPHA:
                    failure = dict(row)
        return rows, failure

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        expr = self.expression(claim)
        rows, failure = self._judge(claim, ctx, expr, True)
        self_test = [{"perturbation": label, "rejected": self._judge(claim, ctx, f(expr), False)[1] is not None}
                     for label, f in (scaled(0.95), scaled(1.05))]
        method = (f"escape fraction P(|w_T| > |w_0|) = 1/2 on the statement's boundary, T = {self.T}: "
                  + ("exact binomial law" if self.mode == "exact" else f"{self.n_paths} runs, exact binomial test"))
        details = {"rows": rows, "T": self.T, "seed": self.seed(claim, ctx)}
        return _passed(self.kind, self.name, method, details, failure, [], self_test)


# --- Figure 7: a stationary law that is not a delta --------------------------------------------------------------
class StationaryNotDelta(FormulaCheck):
    """The statement is a relation on the stationary probability of the ball |w| < radius (e.g. ``P < 1``: not a
    delta at 0). Two independent sets of runs give w at T and at 2T: the law has settled if a two-sample
    Kolmogorov-Smirnov test of |w| does not reject (its power is shown by rejecting the law at an early step
    against the law at T); the relation is then tested on the 2T runs by exact binomial tests (refuted when the
    data contradict it, passed when they contradict its negation). Self-test: the reversed relation."""

    kind, evidence, form = "montecarlo", "model", "fraction"
    fixed_setting = True

    def __init__(self, name, simulate: Callable, T: int = 1000, early: int = 2, n_paths: int = 2000,
                 radius: float = 1e-3):
        self.name, self.simulate, self.T, self.early, self.n_paths, self.radius = name, simulate, T, early, n_paths, \
            radius

    @staticmethod
    def _relation(rel, k, n):
        """'fail' (data contradict the relation), 'pass' (data contradict its negation) or 'open'."""
        r = _fnum(rel.rhs)
        upper = isinstance(rel, (sp.StrictLessThan, sp.LessThan))
        strict = isinstance(rel, (sp.StrictLessThan, sp.StrictGreaterThan))
        if not upper:                                      # p > r is 1 - p < 1 - r: count the complement
            k, r = n - k, 1 - r
        if r < 0 or (strict and r <= 0):
            return "fail"
        if r > 1 or (not strict and r >= 1):
            return "pass"
        if stats.binom.sf(k - 1, n, r) < ALPHA:            # too many in the ball for p <= r
            return "fail"
        return "pass" if stats.binom.cdf(k, n, r) < ALPHA else "open"

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        r1, r2 = (np.random.default_rng(q) for q in ctx.seed_sequence(claim.id, self.name).spawn(2))
        first = self.cached(ctx, claim, "first", self.simulate, ((self.early, self.T), self.n_paths), r1)
        second = self.cached(ctx, claim, "second", self.simulate, ((2 * self.T,), self.n_paths), r2)
        if any(v is None for v in (*first.values(), *second.values())):
            raise Undecidable("some runs diverged; no law is compared over diverged paths", "divergence")
        late_a, late_b, early = np.abs(first[self.T]), np.abs(second[2 * self.T]), np.abs(first[self.early])
        settled = stats.ks_2samp(late_a, late_b).pvalue
        power = stats.ks_2samp(early, late_b).pvalue
        k = int((late_b < self.radius).sum())
        ctx.counter.add(2)
        outcome = self._relation(claim.statement, k, late_b.size)
        reversed_ = {sp.StrictLessThan: sp.GreaterThan, sp.LessThan: sp.StrictGreaterThan,
                     sp.StrictGreaterThan: sp.LessThan, sp.GreaterThan: sp.StrictLessThan}[type(claim.statement)]
        flipped = self._relation(reversed_(claim.statement.lhs, claim.statement.rhs), k, late_b.size)
        details = {"T": self.T, "n_paths": self.n_paths, "ks_p_T_vs_2T": float(settled),
                   "ks_p_early_vs_2T": float(power), "early_step": self.early, "count_in_ball": k,
                   "fraction_in_ball": k / late_b.size, "radius": self.radius, "relation": outcome,
                   "median_abs_w": float(np.median(late_b)), "seed": self.seed(claim, ctx),
                   "self_test": [{"perturbation": "relation reversed", "rejected": flipped == "fail"},
                                 {"perturbation": f"law at step {self.early} equals the law at 2T",
                                  "rejected": bool(power < ALPHA)}]}
        method = "two-sample KS (T vs 2T) and exact binomial tests of the relation on the ball's probability"
        if settled < ALPHA or outcome == "fail":
            return CheckResult(self.kind, self.name, FAIL, method, details,
                               {"ks_p_T_vs_2T": float(settled), "fraction_in_ball": k / late_b.size,
                                "relation": outcome})
        if outcome == "open":
            raise Undecidable("the fraction neither contradicts the relation nor its negation", method, details)
        return _passed(self.kind, self.name, method, details, None, [], details.pop("self_test"))


# --- relations evaluated on the model -------------------------------------------------------------------------
def relation_holds(rel_type, lhs, rhs, tol) -> bool:
    diff = rhs - lhs
    return {sp.StrictLessThan: diff > tol, sp.LessThan: diff >= -tol, sp.StrictGreaterThan: diff < -tol,
            sp.GreaterThan: diff <= tol}[rel_type]


class RelationHolds(FormulaCheck):
    """The statement is a relation; ``values(claim, statement, point) -> (lhs, rhs)`` evaluates its sides at a point
    (from the model: an exact law, a high-precision sup), and the relation must hold at every point of
    ``points(claim, rng)``, with a tolerance for rounding (``tol``; values at 60 digits allow 1e-40). Self-test: the
    reversed relation must fail somewhere."""

    form = "relation"

    def __init__(self, name, values: Callable, points: Callable, tol: float = 1e-9, kind: str = "exact",
                 evidence: str = "model"):
        self.name, self.values, self.where, self.tol, self.kind, self.evidence = name, values, points, tol, kind, \
            evidence

    def _judge(self, claim, statement, points):
        rows, failure = [], None
        for point in points:
            lhs, rhs = self.values(claim, statement, point)
            ok = relation_holds(type(statement), lhs, rhs, self.tol)
            rows.append({"params": point, "lhs": _fnum(lhs), "rhs": _fnum(rhs), "rhs_minus_lhs": _fnum(rhs - lhs),
                         "holds": bool(ok)})
            if not ok and failure is None:
                failure = dict(rows[-1])
        return rows, failure

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        st, points = claim.statement, self.where(claim, self.rng(claim, ctx))
        rows, failure = self._judge(claim, st, points)
        rev = {sp.StrictLessThan: sp.GreaterThan, sp.LessThan: sp.StrictGreaterThan,
               sp.StrictGreaterThan: sp.LessThan, sp.GreaterThan: sp.StrictLessThan}[type(st)]
        _, bad = self._judge(claim, rev(st.lhs, st.rhs, evaluate=False), points)
        method = f"the relation evaluated at {len(rows)} points (rounding tolerance {self.tol:g})"
        return _passed(self.kind, self.name, method, {"rows": rows, "seed": self.seed(claim, ctx)}, failure, [],
                       [{"perturbation": "relation reversed", "rejected": bad is not None}])


# --- a statement read more than one way --------------------------------------------------------------------------
# --- a condition that makes a conclusion hold ---------------------------------------------------------------------
class SufficientCondition(FormulaCheck):
    """The statement is a relation ``var R bound`` (a condition); ``conclusion(claim, point, value) -> (holds, row)``
    evaluates the claimed conclusion on the model with var = value. Every value the relation admits near its end
    (the end itself for <= and >=, 1e-9 inside it for < and >) and half-way must give the conclusion; with
    ``maximal`` the values 1e-9 beyond the end must not (the condition is then the exact one). Self-test: the
    reversed relation must fail."""

    form = "condition"

    def __init__(self, name, conclusion: Callable, points: Callable, maximal: bool = False, kind: str = "exact",
                 evidence: str = "model"):
        self.name, self.conclusion, self.where, self.maximal = name, conclusion, points, maximal
        self.kind, self.evidence = kind, evidence

    def _judge(self, claim, st, points):
        bound_f = sp.lambdify(list(claim.regime.symbols), st.rhs, "mpmath")
        upper = isinstance(st, (sp.StrictLessThan, sp.LessThan))
        strict = isinstance(st, (sp.StrictLessThan, sp.StrictGreaterThan))
        sign = -1 if upper else 1
        rows, failure = [], None
        for p in points:
            with mpmath.workdps(60):
                b = bound_f(*(mpmath.mpf(p[s_.name]) for s_ in claim.regime.symbols))
                admitted = [b * (1 + sign * mpmath.mpf("1e-9")) if strict else b, b * (1 + sign * mpmath.mpf("0.5"))]
                beyond = [b * (1 - sign * mpmath.mpf("1e-9"))] if self.maximal else []
            for value, want in [(v, True) for v in admitted] + [(v, False) for v in beyond]:
                holds, row = self.conclusion(claim, p, value)
                row = {"params": p, "value": _fnum(value), "admitted": want, "conclusion_holds": bool(holds), **row}
                rows.append(row)
                if bool(holds) != want and failure is None:
                    failure = dict(row)
        return rows, failure

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        st, points = claim.statement, self.where(claim, self.rng(claim, ctx))
        rows, failure = self._judge(claim, st, points)
        rev = {sp.StrictLessThan: sp.GreaterThan, sp.LessThan: sp.StrictGreaterThan,
               sp.StrictGreaterThan: sp.LessThan, sp.GreaterThan: sp.StrictLessThan}[type(st)]
        _, bad = self._judge(claim, rev(st.lhs, st.rhs, evaluate=False), points)
        method = "the conclusion on the model at the values the condition admits" + (" and just beyond" if
                                                                                     self.maximal else "")
        return _passed(self.kind, self.name, method, {"rows": rows, "seed": self.seed(claim, ctx)}, failure, [],
                       [{"perturbation": "relation reversed", "rejected": bad is not None}])
