"""Check kinds for heavy-tailed dynamics: exit-time laws, quantiles, eps-ladders, fractions of a search.

alpha-stable noise has no variance and Levy-driven exit times are close to exponential, so these checks use
exact laws (checks.heavytail) instead of z-tests on means:

* ``ExitLaw``: the mean exit time against the statement by the censored exponential maximum likelihood estimate
  with exact chi-square (Gamma) intervals, optionally with a goodness-of-fit test of the exponential (geometric on
  the step lattice) law;
* ``ExitRatio``: the ratio of two mean exit times against the statement (conditional binomial test of two
  Poisson exposures);
* ``ExitLadder``: an asymptotic statement along a ladder of a small parameter (eps): the power-law exponent of the
  mean exit time against the exponent of the statement's formula (weighted least squares on log-MLEs with
  trigamma standard errors), and the level at the last rung;
* ``QuantileCheck``: claimed quantiles of a law by the exact binomial law of the count below them (no moment of
  the law is needed).

Each derives what it compares from the statement (``predict(point, f)`` with f the lambdified formula), counts
every comparison in ``ctx.counter`` at checks.stats.ALPHA, runs a self-test (deliberately wrong versions of the
formula must be rejected, or the check is inconclusive) and keeps all its details when it cannot decide.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import heavytail as ht
from .base import SCALE_DOWN, SCALE_UP, FormulaCheck, RunContext, Undecidable, name_key
from .result import FAIL, INCONCLUSIVE, PASS, CheckResult
from .stats import ALPHA, FAMILY_ALPHA

__all__ = ["ExitLadder", "ExitLaw", "ExitRatio", "QuantileCheck", "survival"]

DEFAULT = (SCALE_UP, SCALE_DOWN)
_SHARED: dict[tuple, Any] = {}          # simulations shared by the claims that read the same dynamics (see _Simulated)
_SHARED_MAX = 64


def survival(sample) -> tuple[np.ndarray, np.ndarray, float, float]:
    """(times, censored, diverged fraction, dt) from an ExitTimes-like object or a (times, censored[, dt]) tuple."""
    if hasattr(sample, "survival_data"):
        times, censored = sample.survival_data()
        return np.asarray(times, float), np.asarray(censored, bool), float(sample.diverged_fraction), float(sample.dt)
    times, censored, *rest = sample
    return np.asarray(times, float), np.asarray(censored, bool), 0.0, float(rest[0]) if rest else 0.0


def _finite_positive(value, what: str, point) -> float:
    v = float(np.asarray(value, dtype=float).reshape(-1)[0])
    if not (math.isfinite(v) and v > 0):
        raise Undecidable(f"the claimed {what} is not a finite positive number at {point}: {v!r}", "formula")
    return v


def _verdict(kind: str, name: str, method: str, details: dict, failure: dict | None) -> CheckResult:
    """FAIL with the counterexample; else PASS only if every deliberately wrong formula was rejected."""
    if failure is not None:
        return CheckResult(kind, name, FAIL, method, details, failure)
    weak = [s["perturbation"] for s in details.get("self_test", []) if not s["rejected"]]
    if weak:
        return CheckResult(kind, name, INCONCLUSIVE, method, details,
                           reason=f"self-test failed: the check did not reject {', '.join(weak)} (underpowered)")
    return CheckResult(kind, name, PASS, method, details)


class _Simulated(FormulaCheck):
    """Shared set-up: fixed documented points (``at``) or regime draws, sizes, simulations through the cache."""

    kind, evidence = "montecarlo", "model"

    def __init__(self, name: str, simulate: Callable, predict: Callable, at: Sequence[dict] | None = None,
                 n_points: int = 1, n_paths: int = 2000, deep_factor: int = 4,
                 perturbations: Sequence = DEFAULT, formula=None, extra_symbols: Sequence = (),
                 share: str | None = None):
        self.name, self.simulate, self.predict, self.at = name, simulate, predict, at
        self.fixed_setting = at is not None   # documented points (an experiment, an asymptotic end), not every point
        self.extra_symbols = tuple(extra_symbols)
        self.share = share
        self.n_points, self.n_paths, self.deep_factor = n_points, n_paths, deep_factor
        self.perturbations, self.formula = tuple(perturbations), formula

    def _setup(self, claim, ctx: RunContext):
        rng_points, rng_sim = (np.random.default_rng(s) for s in ctx.seed_sequence(claim.id, self.name).spawn(2))
        if ctx.at is not None:
            points = [claim.regime.validate(ctx.at, claim.id)]
        elif self.at is not None:
            points = [dict(p) for p in self.at]
        else:
            points = claim.regime.sample(rng_points, self.n_points)
        n_paths = self.n_paths * (self.deep_factor if ctx.deep else 1)
        details = {"seed": self.seed(claim, ctx), "n_paths": n_paths, "alpha_per_comparison": ALPHA,
                   "family_alpha": FAMILY_ALPHA, **self._seed_details(ctx, points, n_paths)}
        return points, rng_sim, n_paths, self.expression(claim), details

    def _simulate(self, claim, ctx, point, n_paths, rng, tag="simulate"):
        """Through the run's cache; with ``share`` set, the stream is keyed by (run seed, share key, point, paths)
        rather than by the claim, so every claim reading the same dynamics (the readings of one statement) sees one
        sample, simulated once per process."""
        if self.share is None:
            return self.cached(ctx, claim, tag, self.simulate, (dict(point), n_paths), rng)
        key = (ctx.seed, self.share, repr(sorted(point.items())), int(n_paths))
        if key not in _SHARED:
            seq = np.random.SeedSequence(ctx.seed, spawn_key=(name_key(self.share), name_key(key[2]), int(n_paths)))
            if len(_SHARED) >= _SHARED_MAX:
                _SHARED.pop(next(iter(_SHARED)))
            _SHARED[key] = self.simulate(dict(point), n_paths, np.random.default_rng(seq))
        return _SHARED[key]

    def _seed_details(self, ctx, points, n_paths) -> dict:
        if self.share is None:
            return {}
        return {"shared_simulation": {"key": self.share, "entropy": ctx.seed, "spawn_key": [
            [name_key(self.share), name_key(repr(sorted(p.items()))), int(n_paths)] for p in points]}}

    def _values(self, claim, expr, point, what) -> float:
        return _finite_positive(self.predict(point, self.lambdified(claim, expr)), what, point)


class ExitLaw(_Simulated):
    """Mean exit time against the statement: ``simulate(point, n, rng)`` returns first exits (ExitTimes or
    (times, censored[, dt])), ``predict(point, f)`` the claimed mean in the same unit. Censored exponential MLE,
    exact (Gamma / Poisson-Gamma) test at ALPHA per point; ``law=True`` also tests that the exit times are
    exponential (geometric on the lattice of steps). Diverged paths make the point undecided, never averaged."""

    form = "exit-time"

    def __init__(self, name, simulate, predict, law: bool = False, **kw):
        super().__init__(name, simulate, predict, **kw)
        self.law = law

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        points, rng, n_paths, expr, details = self._setup(claim, ctx)
        cases, rows, failure = [], [], None
        for point in points:
            times, censored, diverged, dt = survival(self._simulate(claim, ctx, point, n_paths, rng))
            if diverged > 0:
                raise Undecidable(f"{diverged:.2%} of paths diverged at {point}: no exit law is estimated there",
                                  "divergence", {**details, "params": point, "diverged_fraction": diverged})
            claimed = self._values(claim, expr, point, "mean exit time")
            test = ht.exponential_mean_test(times, censored, claimed, counter=ctx.counter)
            row = {"params": point, **test.as_dict()}
            if self.law:
                gof = ht.exponentiality_test(times, censored, lattice=dt or None, counter=ctx.counter)
                row["exponential_law"] = {"p_value": gof.p_value, "chi2": gof.statistic, "df": gof.details["df"],
                                          "reject": gof.reject}
            rows.append(row)
            cases.append((point, test))
            if failure is None and (test.reject or (self.law and row["exponential_law"]["reject"])):
                failure = dict(row)
        details["rows"] = rows
        details["self_test"] = self._self_test(claim, expr, cases)
        method = (f"censored exponential MLE, exact Gamma/Poisson interval, p >= {ALPHA:.1e}"
                  + ("; chi-square fit of the exponential (geometric) law" if self.law else ""))
        return _verdict(self.kind, self.name, method, details, failure)

    def _self_test(self, claim, expr, cases) -> list[dict[str, Any]]:
        out = []
        for label, perturb in self.perturbations:
            wrong_expr = perturb(expr)
            p_max = 0.0
            for point, test in cases:
                wrong = self.predict(point, self.lambdified(claim, wrong_expr))
                w = float(np.asarray(wrong, dtype=float).reshape(-1)[0])
                p_max = max(p_max, test.retest(w).p_value if math.isfinite(w) and w > 0 else 0.0)
            out.append({"perturbation": label, "max_p_value": p_max, "rejected": p_max < ALPHA})
        return out


class ExitRatio(_Simulated):
    """theta_1 / theta_2 of two exit laws against the statement: ``simulate`` returns a pair of first exits,
    ``predict(point, f)`` the claimed ratio. Exact conditional binomial test of two Poisson exposures.

    ``drives=True``: the statement sets a parameter of the simulated dynamics (a noise scale), so
    ``simulate(point, n, rng, f)`` receives the lambdified formula, and each deliberately wrong formula of the
    self-test is simulated afresh (its ratio must then be rejected)."""

    form = "exit-time ratio"

    def __init__(self, name, simulate, predict, drives: bool = False, factor: float = 1.0, statistic: str = "mean",
                 **kw):
        super().__init__(name, simulate, predict, **kw)
        self.drives, self.factor, self.statistic = drives, float(factor), statistic
        if statistic not in ("mean", "median"):
            raise ValueError(f"ExitRatio {name!r}: statistic must be 'mean' or 'median', got {statistic!r}")

    def _pair(self, claim, ctx, point, n_paths, rng, f, tag):
        if self.drives:
            return self.cached(ctx, claim, tag, lambda p, n, r: self.simulate(p, n, r, f), (dict(point), n_paths), rng)
        return self._simulate(claim, ctx, point, n_paths, rng)

    def _test(self, claim, ctx, point, n_paths, rng, expr, tag, counter):
        f = self.lambdified(claim, expr)
        first, second = self._pair(claim, ctx, point, n_paths, rng, f, tag)
        (t1, c1, d1, _), (t2, c2, d2, _) = survival(first), survival(second)
        if d1 > 0 or d2 > 0:
            raise Undecidable(f"paths diverged at {point} ({d1:.2%}, {d2:.2%})", "divergence", {"params": point})
        claimed = _finite_positive(self.predict(point, f), "ratio", point)
        if self.statistic == "median":
            test = _MedianRatio(t1, t2, claimed, self.factor, counter)
            return test, {"params": point, **test.as_dict()}
        test = ht.compare_exponential_means(t1, c1, t2, c2, claimed, counter=counter)
        means = [float(t1.sum() / max(1, (~c1).sum())), float(t2.sum() / max(1, (~c2).sum()))]
        row = {"params": point, **test.as_dict(), "means": means}
        if self.factor != 1.0:
            test = _Within(test, claimed, self.factor)
            row.update(p_value=test.p_value, reject=test.reject, claimed_band=[claimed / self.factor,
                                                                               claimed * self.factor])
        return test, row

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        points, rng, n_paths, expr, details = self._setup(claim, ctx)
        cases, rows, failure = [], [], None
        for point in points:
            test, row = self._test(claim, ctx, point, n_paths, rng, expr, "simulate", ctx.counter)
            rows.append(row)
            cases.append((point, test))
            if failure is None and test.reject:
                failure = dict(row)
        details["rows"] = rows
        if self.drives:
            details["self_test"] = []
            for label, perturb in self.perturbations:
                p_max = max(self._test(claim, ctx, point, n_paths, rng, perturb(expr), f"self-test {label}",
                                       None)[0].p_value for point in points)
                details["self_test"].append({"perturbation": label, "max_p_value": p_max, "rejected": p_max < ALPHA})
        else:
            details["self_test"] = ExitLaw._self_test(self, claim, expr, cases)  # type: ignore[arg-type]
        method = f"conditional binomial test of two exponential exposures, p >= {ALPHA:.1e}"
        return _verdict(self.kind, self.name, method, details, failure)


class _MedianRatio:
    """Ratio of median exit times (for exit laws that are not exponential): distribution-free order-statistic intervals
    for each median at ALPHA/2 give a conservative interval for the ratio; H0 is claimed/factor <= ratio <= claimed*
    factor, rejected when the interval lies beyond either end. Censoring at a common time leaves a median below it
    unchanged."""

    def __init__(self, t1, t2, claimed: float, factor: float, counter=None, _intervals=None):
        self.claimed, self.factor = claimed, factor
        if _intervals is None:
            (m1, lo1, hi1), (m2, lo2, hi2) = (self._median(t) for t in (t1, t2))
            if counter is not None:
                counter.add(1)
            _intervals = (m1, m2, lo1 / hi2 if hi2 > 0 else 0.0, hi1 / lo2 if lo2 > 0 else math.inf)
        self._intervals = _intervals
        m1, m2, self.lower, self.upper = _intervals
        self.estimate = m1 / m2 if m2 > 0 else math.inf
        self.reject = bool(self.lower > claimed * factor or self.upper < claimed / factor)
        self.p_value = 0.0 if self.reject else 1.0

    @staticmethod
    def _median(t):
        x = np.sort(np.asarray(t, dtype=float))
        test = ht.quantile_test(x, 0.5, float(np.median(x)), level=ALPHA / 2)
        return float(np.median(x)), test.interval[0], test.interval[1]

    def retest(self, claimed: float):
        return _MedianRatio(None, None, claimed, self.factor, None, self._intervals)

    def as_dict(self) -> dict:
        return {"test": "ratio of medians (order-statistic intervals at ALPHA/2 each)", "claimed": self.claimed,
                "claimed_band": [self.claimed / self.factor, self.claimed * self.factor], "estimate": self.estimate,
                "interval": [self.lower, self.upper], "medians": list(self._intervals[:2]), "reject": self.reject}


class _Within:
    """A ratio claimed up to a factor: H0 is claimed/factor <= ratio <= claimed*factor; rejected when the ratio lies
    significantly (one-sided, at ALPHA/2 per end) beyond either end."""

    def __init__(self, test, claimed: float, factor: float):
        self.test, self.claimed, self.factor = test, claimed, factor
        high, low = test.retest(claimed * factor), test.retest(claimed / factor)
        self.p_value = float(min(1.0, 2 * min(high.details["p_first_longer"], low.details["p_first_shorter"])))
        self.reject = self.p_value < ALPHA

    def retest(self, claimed: float):
        return _Within(self.test, claimed, self.factor)


class ExitLadder(_Simulated):
    """An asymptotic exit-time statement along a ladder of a small parameter: ``ladder(point)`` gives the rungs
    (points, smallest parameter last), ``predict(point, f)`` the claimed mean at a rung. Two comparisons:

    * exponent: the fitted power-law exponent of the MLE means in ``small`` (weighted least squares, standard
      errors sqrt(trigamma(exits)) of the log-MLE) against the exponent of the claimed formula over the same
      rungs (two-sided z-test at ALPHA);
    * level (``level=True``): the MLE mean at the last rung against the claim there (exact Gamma test), the rung
      where the asymptotic statement is nearest to exact.

    The self-test perturbs the formula (by default x1.5 / x0.5, caught by the level test, and small^+-0.5,
    caught by the exponent test)."""

    form = "order"

    def __init__(self, name, simulate, predict, small, ladder: Callable[[dict], list[dict]], level: bool = True,
                 perturbations: Sequence | None = None, **kw):
        if perturbations is None:
            perturbations = DEFAULT + ((f"x {small.name}^(1/2)", lambda e: e * small ** sp_half()),
                                       (f"x {small.name}^(-1/2)", lambda e: e / small ** sp_half()))
        super().__init__(name, simulate, predict, perturbations=perturbations, **kw)
        self.small, self.ladder, self.level = small, ladder, level

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        points, rng, n_paths, expr, details = self._setup(claim, ctx)
        details["ladder_parameter"] = self.small.name
        ladders = []
        for point in points:
            rungs = []
            for p in self.ladder(point):
                times, censored, diverged, _ = survival(self._simulate(claim, ctx, p, n_paths, rng))
                if diverged > 0:
                    raise Undecidable(f"{diverged:.2%} of paths diverged at {p}", "divergence", {**details,
                                                                                                 "params": p})
                r = int((~censored).sum())
                if r < 3:
                    raise Undecidable(f"only {r} exits at {p}: the rung is below resolution", "ladder", details)
                rungs.append((p, times, censored, times.sum() / r, ht.log_se_exponential(r)))
            ladders.append(rungs)
        rows, failure = self._judge(claim, expr, ladders, ctx.counter)
        details["rows"] = rows
        details["self_test"] = []
        for label, perturb in self.perturbations:
            _, bad = self._judge(claim, perturb(expr), ladders, None)
            details["self_test"].append({"perturbation": label, "rejected": bad is not None})
        method = (f"eps-ladder in {self.small.name}: power-law exponent of the exit-time MLEs (weighted least squares, "
                  f"trigamma standard errors) against the formula's" + (", level at the last rung (exact Gamma)"
                                                                       if self.level else "") + f", p >= {ALPHA:.1e}")
        return _verdict(self.kind, self.name, method, details, failure)

    def _judge(self, claim, expr, ladders, counter):
        f = self.lambdified(claim, expr)
        rows, failure = [], None
        for rungs in ladders:
            smalls = np.array([p[self.small.name] for p, *_ in rungs])
            claimed = np.array([_finite_positive(self.predict(p, f), "mean exit time", p) for p, *_ in rungs])
            means = np.array([m for *_, m, _ in rungs])
            se = np.array([s for *_, s in rungs])
            exponent = float(np.polyfit(np.log(smalls), np.log(claimed), 1)[0])
            fit = ht.power_law_fit(smalls, means, se, exponent, counter=counter)
            row = {"rungs": [{"params": p, "mle_mean": float(m), "claimed": float(c), "se_log": float(s),
                              "exits": int((~cens).sum()), "censored": int(cens.sum())}
                             for (p, _, cens, m, s), c in zip(rungs, claimed)],
                   "claimed_exponent": exponent, "fitted_exponent": fit.estimate,
                   "exponent_se": fit.details["order_se"],
                   "exponent_p_value": fit.p_value, "lack_of_fit_p": fit.details["lack_of_fit_p"]}
            bad = fit.reject
            if self.level:
                p, times, cens, *_ = rungs[-1]
                test = ht.exponential_mean_test(times, cens, float(claimed[-1]), counter=counter)
                row["last_rung"] = test.as_dict()
                bad = bad or test.reject
            rows.append(row)
            if bad and failure is None:
                failure = {"params": rungs[-1][0], "claimed_exponent": exponent, "fitted_exponent": fit.estimate,
                           "exponent_se": fit.details["order_se"], "last_rung": row.get("last_rung")}
        return rows, failure


def sp_half():
    import sympy as sp
    return sp.Rational(1, 2)


class QuantileCheck(_Simulated):
    """Claimed quantiles of a law: ``simulate(point, n, rng)`` returns a 1-D sample, ``predict(point, f)`` a list of
    (q, claimed q-quantile). #(X <= claimed) ~ Binomial(n, q) exactly (any continuous law, no moments needed);
    distribution-free order-statistic intervals in the evidence."""

    kind, form = "montecarlo", "quantile"

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        points, rng, n_paths, expr, details = self._setup(claim, ctx)
        cases, rows, failure = [], [], None
        for point in points:
            x = np.asarray(self._simulate(claim, ctx, point, n_paths, rng), dtype=float).reshape(-1)
            if not np.all(np.isfinite(x)):
                raise Undecidable(f"the sample is not finite at {point}", "sample", details)
            for q, value in self.predict(point, self.lambdified(claim, expr)):
                test = ht.quantile_test(x, float(q), float(value), counter=ctx.counter)
                rows.append({"params": point, **test.as_dict()})
                cases.append((point, q, test))
                if failure is None and test.reject:
                    failure = dict(rows[-1])
        details["rows"] = rows
        details["self_test"] = []
        for label, perturb in self.perturbations:
            g = self.lambdified(claim, perturb(expr))
            p_max = 0.0
            for point, q, test in cases:
                wrong = dict(self.predict(point, g))[q]
                p_max = max(p_max, test.retest(float(wrong)).p_value)
            details["self_test"].append({"perturbation": label, "max_p_value": p_max, "rejected": p_max < ALPHA})
        method = f"exact binomial test of the count below each claimed quantile, p >= {ALPHA:.1e}"
        return _verdict(self.kind, self.name, method, details, failure)


class ByReading(FormulaCheck):
    """The printed statement checked under each of its readings (one check per reading, run on the printed
    statement): passes (fails) when every reading passes (fails), and is inconclusive, keeping every reading's
    evidence, when they disagree: the verdict then depends on the reading (the readings are their own claims)."""

    def __init__(self, name: str, by_reading: dict[str, FormulaCheck]):
        self.name, self.by_reading = name, dict(by_reading)
        first = next(iter(self.by_reading.values()))
        self.kind, self.form = first.kind, "readings"
        self.evidence = "model" if any(c.evidence == "model" for c in self.by_reading.values()) else "derivation"
        self.fixed_setting = any(getattr(c, "fixed_setting", False) for c in self.by_reading.values())

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        results = {label: check.run(claim, ctx) for label, check in self.by_reading.items()}
        details: dict[str, Any] = {label: r.to_dict() for label, r in results.items()}
        statuses = {r.status for r in results.values()}
        method = "one check per reading: " + ", ".join(self.by_reading)
        if statuses == {PASS}:
            return CheckResult(self.kind, self.name, PASS, method, details)
        if statuses == {FAIL}:
            first = next(r for r in results.values() if r.status == FAIL)
            return CheckResult(self.kind, self.name, FAIL, method, details, first.counterexample)
        raise Undecidable("the readings disagree: " + ", ".join(f"{k}: {r.status}" for k, r in results.items()),
                          method, details)


class RelationCheck(FormulaCheck):
    """The statement is a relation; ``values(claim, statement, point) -> (lhs, rhs, info)`` evaluates its two sides at a
    point from the model (a simulated median, an exact solution, a measure computed in closed form), and the relation
    must hold at every point of ``points(claim, rng)``. Self-test: the reversed relation must fail somewhere."""

    form = "relation"

    def __init__(self, name, values: Callable, points: Callable, kind: str = "exact", evidence: str = "model",
                 tol: float = 1e-12, share: str | None = None, with_seed: bool = False):
        self.name, self.values, self.where, self.kind, self.evidence = name, values, points, kind, evidence
        self.tol = tol
        self.share = share          # a key: the points' stream is seeded by (run seed, key), shared across claims
        self.with_seed = with_seed  # points(claim, rng, run_seed): for simulations shared through a run-seeded cache

    @staticmethod
    def holds(rel, lhs, rhs, tol) -> bool:
        import sympy as sp
        d = rhs - lhs
        if not (math.isfinite(lhs) and math.isfinite(rhs)):          # infinities: equal only if identical
            close, d = lhs == rhs, (0.0 if lhs == rhs else d)
        else:
            close = abs(d) <= tol * max(1.0, abs(lhs), abs(rhs))
        return bool({sp.StrictLessThan: d > tol, sp.LessThan: d >= -tol, sp.StrictGreaterThan: d < -tol,
                     sp.GreaterThan: d <= tol, sp.Equality: close, sp.Unequality: not close}[rel])

    def _judge(self, claim, statement, points):
        """Each point: the relation holds, fails, or (a side given as a confidence interval (lo, hi)) is undecided
        when it holds at one end of the interval and fails at the other."""
        rows, failure, undecided = [], None, []
        for point in points:
            lhs, rhs, info = self.values(claim, statement, point)
            ends = list(zip(lhs, rhs)) if isinstance(lhs, tuple) else [(lhs, rhs)]
            verdicts = {self.holds(type(statement), float(a), float(b), self.tol) for a, b in ends}
            ok = verdicts.pop() if len(verdicts) == 1 else None
            shown = (lambda v: [float(x) for x in v] if isinstance(v, tuple) else float(v))
            rows.append({"params": point, "lhs": shown(lhs), "rhs": shown(rhs), "holds": ok, **info})
            if ok is False and failure is None:
                failure = dict(rows[-1])
            if ok is None:
                undecided.append(rows[-1])
        return rows, failure, undecided

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        import sympy as sp
        st = claim.statement
        if self.share is None:
            rng, seed = self.rng(claim, ctx), self.seed(claim, ctx)
        else:
            rng = np.random.default_rng(np.random.SeedSequence(ctx.seed, spawn_key=(name_key(self.share),)))
            seed = {"entropy": ctx.seed, "spawn_key": [name_key(self.share)], "shared": self.share}
        points = self.where(claim, rng, ctx.seed) if self.with_seed else self.where(claim, rng)
        rows, failure, undecided = self._judge(claim, st, points)
        if self.kind == "montecarlo":            # sides estimated from simulation: one comparison per point
            ctx.counter.add(len(rows))
        reverse = {sp.StrictLessThan: sp.GreaterThan, sp.LessThan: sp.StrictGreaterThan,
                   sp.StrictGreaterThan: sp.LessThan, sp.GreaterThan: sp.StrictLessThan, sp.Equality: sp.Unequality,
                   sp.Unequality: sp.Equality}
        if type(st) in (sp.Equality,):
            self_test = [{"perturbation": "x1.5 + 1/2", "rejected": self._judge(
                claim, sp.Eq(st.lhs, sp.Rational(3, 2) * st.rhs + sp.Rational(1, 2),
                             evaluate=False), points)[1] is not None}]
        else:
            bad = self._judge(claim, reverse[type(st)](st.lhs, st.rhs, evaluate=False), points)[1]
            self_test = [{"perturbation": "relation reversed", "rejected": bad is not None}]
        details = {"rows": rows, "seed": seed, "self_test": self_test}
        method = f"the relation evaluated on the model at {len(rows)} points"
        if failure is None and undecided:
            raise Undecidable(f"{len(undecided)} point(s) undecided: the relation holds at one end of the confidence "
                              "interval and fails at the other", method, details)
        return _verdict(self.kind, self.name, method, details, failure)


def median_ratio_gap(first, second) -> dict:
    """How far the ratio of the median exit times of two samples lies from 1, in log: the ratio's conservative
    interval (distribution-free order-statistic intervals of each median at ALPHA/2) and the smallest |log ratio| in
    it (0 when the interval contains 1), and the largest: the interval of |log ratio| that a statement 'the ratio is
    within a factor k' is evaluated on (it fails when the smallest exceeds log k, holds when the largest does not)."""
    (t1, _, d1, _), (t2, _, d2, _) = survival(first), survival(second)
    if d1 > 0 or d2 > 0:
        raise Undecidable(f"paths diverged ({d1:.2%}, {d2:.2%})", "divergence")
    r = _MedianRatio(t1, t2, 1.0, 1.0)
    lo, hi = r.lower, r.upper
    gap = 0.0 if lo <= 1.0 <= hi else min(abs(math.log(lo)), abs(math.log(hi)))
    widest = max(abs(math.log(lo)), abs(math.log(hi))) if lo > 0 and math.isfinite(hi) else math.inf
    return {"median_ratio": r.estimate, "interval": [lo, hi], "medians": list(r._intervals[:2]), "log_gap": gap,
            "log_gap_interval": (gap, widest)}


def sides(statement, values: dict) -> tuple:
    """The statement's two sides with its symbols replaced by model values (for RelationCheck): a mutated statement
    (sides swapped, a sign flipped) is evaluated as written. A value given as a confidence interval (lo, hi) gives both
    sides at each end: ((lhs_lo, lhs_hi), (rhs_lo, rhs_hi))."""
    if not any(isinstance(v, tuple) for v in values.values()):
        return float(statement.lhs.subs(values)), float(statement.rhs.subs(values)), {}
    at = [{k: (v[j] if isinstance(v, tuple) else v) for k, v in values.items()} for j in (0, 1)]
    return (tuple(float(statement.lhs.subs(a)) for a in at), tuple(float(statement.rhs.subs(a)) for a in at), {})
