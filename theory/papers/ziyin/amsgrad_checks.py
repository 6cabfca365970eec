"""Check kinds and simulation helpers of `ziyin`'s Secs. 5.3-5.5 and Apps. B-D (the module is named for the first
claim that needed a check of its own; Figure 4's runs and checks are in ``figure4_checks``).

Each kind reads what it compares from the claim's statement (or a function of it), counts its statistical
comparisons at ``checks.stats.ALPHA``, runs a self-test (deliberately wrong versions must be rejected, or the check
is inconclusive) and keeps its details when it cannot decide.

- ``TotalMass``, ``StationaryDensity``: a stationary density has mass 1 and describes long runs of its SDE (a
  printed 'P ∝ f' is encoded as f / int f, whose integral is evaluated once per parameter point);
- ``Threshold``: a critical value read from the statement, tested just below and just above on the model;
- ``FractionCheck``: fractions of runs (some possibly undecided, i.e. censored) by exact binomial tests;
- ``euler_paths``: Euler-Maruyama on the one stepping loop (optionally reflected into an interval).
"""
from __future__ import annotations

import math
from collections.abc import Callable

import mpmath
import numpy as np
import sympy as sp
from scipy import stats

from checks import Sample
from checks.base import (
    DEFAULT_PERTURBATIONS,
    FormulaCheck,
    RunContext,
    Undecidable,
    check_sample,
    resolve,
    scaled,
    stretched_density,
)
from checks.dynamics.loop import run
from checks.montecarlo import MonteCarloCheck, MonteCarloDensity, with_power
from checks.result import FAIL, CheckResult
from checks.stats import ALPHA

# --- stationary densities -----------------------------------------------------------------------------------------
_INTEGRALS: dict = {}


def integral_value(integral: sp.Integral, dps: int = 20) -> float:
    """A definite 1-D integral with numeric limits and coefficients, by mpmath quadrature (memoised: the same
    normalisation is needed by every cell of a chi-square test and by each self-test)."""
    if integral not in _INTEGRALS:
        (var, lo, hi), = integral.limits
        f = sp.lambdify(var, integral.function, "mpmath")
        with mpmath.workdps(dps):
            ends = [mpmath.mpf(float(e)) if e.is_finite else (mpmath.inf if e > 0 else -mpmath.inf) for e in (lo, hi)]
            nodes = [ends[0], *([mpmath.mpf(0)] if ends[0] < 0 < ends[1] else []), ends[1]]
            _INTEGRALS[integral] = float(mpmath.quad(f, nodes))
    return _INTEGRALS[integral]


def numeric_at(expr: sp.Expr, point: dict, keep: sp.Symbol | None = None) -> sp.Expr:
    """expr at a parameter point (``keep``, the density's variable, left free), each remaining integral free of
    that variable evaluated numerically."""
    e = expr.xreplace({s: sp.Float(point[s.name], 17) for s in expr.free_symbols if s.name in point and s != keep})
    return e.xreplace({integral: sp.Float(integral_value(integral), 17)
                       for integral in e.atoms(sp.Integral) if not integral.free_symbols})


class TotalMass(FormulaCheck):
    """int P dx over (lower, upper) is 1 at regime points (mpmath, endpoint singularities included); ``density``
    is the statement's density (or its instance in a concrete model). A density off by a constant factor fails;
    the self-test (the density x1.5 and x0.5) must be rejected."""

    kind, evidence, form = "exact", "model", "normalisation"

    def __init__(self, name: str, density, x: sp.Symbol, lower=-sp.oo, upper=sp.oo, n_points: int = 4,
                 rtol: float = 1e-8, extra=()):
        self.name, self.density, self.x, self.lower, self.upper = name, density, x, lower, upper
        self.n_points, self.rtol, self.extra = n_points, rtol, tuple(extra)

    def _mass(self, expr, point) -> float:
        f = sp.lambdify(self.x, numeric_at(expr, point, keep=self.x), "mpmath")
        ends = [mpmath.mpf(float(e)) if e.is_finite else (mpmath.inf if e > 0 else -mpmath.inf)
                for e in (self.lower, self.upper)]
        nodes = [ends[0], *([mpmath.mpf(0)] if ends[0] < 0 < ends[1] else []), ends[1]]
        with mpmath.workdps(20):
            try:
                m = mpmath.quad(f, nodes)
            except (ValueError, TypeError, ZeroDivisionError, OverflowError):
                return float("nan")
        if abs(mpmath.im(m)) > 1e-12 * max(1.0, abs(m)):
            return float("inf")          # a complex-valued 'density' is not a density: it cannot have mass 1
        return float(mpmath.re(m))

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        expr = resolve(self.density, claim)
        regime = claim.regime.extended(*self.extra)
        points = claim.regime.validate(ctx.at, claim.id) if ctx.at else None
        points = [points] if points else regime.sample(self.rng(claim, ctx), self.n_points)
        rows, worst = [], None
        for point in points:
            m = self._mass(expr, point)
            if math.isnan(m):
                raise Undecidable(f"the density's quadrature failed at {point}", "quadrature", {"rows": rows})
            rows.append({"params": point, "mass": m, "error": abs(m - 1)})
            if not abs(m - 1) <= self.rtol and (worst is None or not abs(m - 1) <= worst["error"]):
                worst = rows[-1]
        self_test = [{"perturbation": label, "rejected": abs(self._mass(perturb(expr), points[0]) - 1) > self.rtol}
                     for label, perturb in DEFAULT_PERTURBATIONS[:2]]
        details = {"rows": rows, "rtol": self.rtol, "self_test": self_test, "seed": self.seed(claim, ctx)}
        method = f"mpmath quadrature at {len(points)} regime points, |mass - 1| <= {self.rtol:g}"
        if worst is not None:
            return CheckResult(self.kind, self.name, FAIL, method, details, worst)
        return with_power(self.kind, self.name, method, details)


class StationaryDensity(MonteCarloDensity):
    """MonteCarloDensity for a density whose normalisation is an integral in the statement: the integral is
    evaluated once per parameter point (mpmath), not inside every cell's quadrature. Self-test: the density
    widened and narrowed (variance x1.5 and x0.5, still normalised) must be rejected."""

    def __init__(self, name, simulate, x, support: tuple[float, float] = (-math.inf, math.inf), **kw):
        kw.setdefault("perturbations", (stretched_density(x, 1.5 ** 0.5), stretched_density(x, 0.5 ** 0.5)))
        kw.setdefault("n_points", 2)
        kw.setdefault("n_paths", 4000)
        super().__init__(name, simulate, x, support=support, **kw)

    def _compare(self, claim, expr, point, label, edges, counts):
        """MonteCarloDensity's comparison with the outer cells cut at the support (quadrature over an infinite
        range misses a density that lives on a short interval)."""
        from scipy import integrate

        from checks.stats import chi_square_gof

        density = self.lambdified(claim, expr)
        lo, hi = self.support
        bounds = np.clip(np.concatenate([[-np.inf], edges, [np.inf]]), lo, hi)
        masses = np.array([integrate.quad(lambda x: float(density(**{**point, self.x.name: x})), lo_, h, limit=200)[0]
                           if h > lo_ else 0.0 for lo_, h in zip(bounds[:-1], bounds[1:])])
        if not np.all(np.isfinite(masses)):
            raise Undecidable(f"the claimed density does not integrate to finite cell masses at {point}", "density")
        n = counts.sum()
        stat, p = chi_square_gof(counts, n * masses)
        k = int(np.argmax(np.abs(counts / n - masses)))
        return {"params": point, "observable": label, "chi2": stat, "p_value": p,
                "cells": {"inner_edges": [float(e) for e in edges], "observed_fraction": (counts / n).tolist(),
                          "claimed_mass": masses.tolist(), "n": int(n)},
                "claimed_total_mass": float(masses.sum()), "worst_cell": [float(bounds[k]), float(bounds[k + 1])],
                "claimed": float(masses[k]), "observed": float(counts[k] / n),
                "se": float(np.sqrt(max(masses[k], 1e-300) * (1 - min(masses[k], 1)) / n))}

    def lambdified(self, claim, expr):
        ints = sorted((integral for integral in expr.atoms(sp.Integral) if self.x not in integral.free_symbols),
                      key=sp.default_sort_key)
        dummies = [sp.Dummy(f"integral{k}") for k in range(len(ints))]
        params = [s for s in claim.regime.symbols if s != self.x]
        f = sp.lambdify(params + [self.x] + dummies, expr.xreplace(dict(zip(ints, dummies))),
                        modules=["numpy", "scipy"])
        cache: dict[tuple, list[float]] = {}

        def call(**kw):
            key = tuple(float(kw[s.name]) for s in params)
            if key not in cache:
                point = dict(zip([s.name for s in params], key))
                cache[key] = [integral_value(integral.xreplace({s: sp.Float(point[s.name], 17) for s in params}))
                              for integral in ints]
            value = kw[self.x.name]
            if not self.support[0] < value < self.support[1]:
                return 0.0                      # outside the density's support (the law of |w|, say)
            return f(*key, value, *cache[key])

        return call


def euler_paths(drift: Callable, noise: Callable, x0, tau: float, dtau: float, rng, save=None,
                reflect: tuple[float, float] | None = None):
    """Euler-Maruyama for dx = drift(x) dtau + noise(x) dW on the one stepping loop (optionally reflected into
    [lo, hi]); returns ({tau_k: x}, diverged fraction) at the saved times (default: the end)."""
    steps = max(1, int(round(tau / dtau)))
    h = tau / steps
    sq = math.sqrt(h)
    marks = {int(round(s / h)): s for s in (save or (tau,))}

    def step(x, rng):
        out = x + drift(x) * h + noise(x) * sq * rng.standard_normal(x.shape)
        if reflect is not None:
            lo, hi = reflect
            out = np.clip(np.where(out > hi, 2 * hi - out, np.where(out < lo, 2 * lo - out, out)), lo, hi)
        return out

    traj = run(step, np.asarray(x0, dtype=float).reshape(-1, 1), steps, rng, save=tuple(marks))
    return {s: traj.saved[k][:, 0] for k, s in marks.items()}, traj.diverged_fraction


def as_sample(values, diverged: float, label: str = "w") -> Sample:
    values = np.asarray(values, dtype=float)
    return Sample(values[np.isfinite(values)][:, None], [label], diverged)


# --- thresholds read from the statement ---------------------------------------------------------------------------
class Threshold(FormulaCheck):
    """The statement is a critical value q_c (of q = -S a/lambda): a property holds on one side and not on the
    other. ``holds(point, q)`` decides the property from the model (the exact solution, or the printed function);
    it is evaluated at q_c (1 - delta) and q_c (1 + delta), where it must hold below and fail above (or the reverse,
    ``below=False``). Self-test: the threshold moved by -10% and +10% must fail."""

    form = "threshold"

    def __init__(self, name: str, holds: Callable[[dict, float], bool], below: bool = True, delta: float = 0.01,
                 n_points: int = 4, kind: str = "exact", evidence: str = "model", what: str = ""):
        self.name, self.holds, self.below, self.delta, self.n_points = name, holds, below, delta, n_points
        self.kind, self.evidence, self.what = kind, evidence, what

    def _judge(self, claim, expr, points):
        f = self.lambdified(claim, expr)
        rows, failure = [], None
        for p in points:
            qc = float(f(**p))
            lo, hi = (bool(self.holds(p, qc * (1 + s * self.delta))) if qc > 0 else None for s in (-1, 1))
            ok = lo is not None and lo == self.below and hi == (not self.below)
            rows.append({"params": p, "q_c": qc, "holds_below": lo, "holds_above": hi, "as_claimed": ok})
            if not ok and failure is None:
                failure = dict(rows[-1])
        return rows, failure

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        points = self.points(claim, ctx, self.rng(claim, ctx), self.n_points)
        expr = self.expression(claim)
        rows, failure = self._judge(claim, expr, points)
        self_test = [{"perturbation": label, "rejected": self._judge(claim, f(expr), points)[1] is not None}
                     for label, f in (scaled(0.9), scaled(1.1))]
        details = {"rows": rows, "property": self.what, "delta": self.delta, "self_test": self_test,
                   "seed": self.seed(claim, ctx)}
        method = f"{self.what} evaluated at q_c (1 -/+ {self.delta:g})"
        if failure is not None:
            return CheckResult(self.kind, self.name, FAIL, method, details, failure)
        return with_power(self.kind, self.name, method, details)



# --- fractions of runs by exact binomial tests ------------------------------------------------------------------
UNDECIDED = -1.0


class FractionCheck(MonteCarloCheck):
    """Fractions of simulated runs against probabilities read from the statement, by exact binomial tests.

    ``simulate(point, n, rng)`` returns one column per event with 1 (the event), 0 (not) or -1 (undecided: the run
    has not settled at the horizon and is censored, neither success nor failure); ``predict(point, f)`` gives the
    claimed probability per column from the statement's formula f. Each column is an exact two-sided binomial test
    (scipy.stats.binomtest) on the decided runs at ``checks.stats.ALPHA``; a claimed value outside [0, 1] fails. The
    self-test (the claim halved, and 1 - p) must be rejected, which also shows the decided runs carry power."""

    form = "fraction"

    def __init__(self, name, simulate, predict: Callable, perturbations=None, perturb_claimed: bool = False,
                 allow_diverged: bool = False, **kw):
        super().__init__(name, simulate, perturbations=perturbations or (("x0.5", lambda e: e / 2),
                                                                          ("1 - p", lambda e: 1 - e)), **kw)
        self.predict = predict
        # perturb_claimed: the claimed probability is not the statement's formula (the statement places the runs,
        # e.g. a learning rate), so the self-test perturbs the claimed probability itself.
        self.perturb_claimed, self.allow_diverged = perturb_claimed, allow_diverged

    def sample(self, claim, ctx, point, n_paths, rng):
        if not self.allow_diverged:
            return super().sample(claim, ctx, point, n_paths, rng)
        # runs that left (diverged) are classified by the simulator (as undecided or as not converging), not averaged
        return check_sample(self.cached(ctx, claim, "simulate", self.simulate, (dict(point), n_paths), rng), claim,
                            self.name)

    @staticmethod
    def test(values: np.ndarray, p0: float) -> dict:
        k, u = int((values == 1).sum()), int((values == UNDECIDED).sum())
        n = int(values.size) - u
        row = {"count": k, "decided": n, "undecided": u, "observed": k / n if n else None, "claimed": p0}
        if not (math.isfinite(p0) and -1e-12 <= p0 <= 1 + 1e-12):
            return {**row, "p_value": 0.0, "reason": f"the claimed value {p0:g} is not a probability"}
        if n == 0:
            return {**row, "p_value": None}
        return {**row, "p_value": float(stats.binomtest(k, n, min(max(p0, 0.0), 1.0)).pvalue)}

    def _judge(self, samples, f, record, ctx, on_claimed=None):
        rows, failure, open_ = [], None, []
        for point, s in samples:
            claimed = np.atleast_1d(np.asarray(self.predict(point, f), dtype=float))
            if on_claimed is not None:
                claimed = np.asarray([float(on_claimed(sp.Float(v))) for v in claimed])
            for j, label in enumerate(s.labels):
                row = {"params": point, "observable": label, **self.test(s.values[:, j], float(claimed[j]))}
                for key, val in s.info.items():
                    row[key] = val
                if row["p_value"] is None:
                    open_.append(f"{label}: every run undecided at {point}")
                elif record:
                    ctx.counter.add(1)
                rows.append(row)
                if failure is None and row["p_value"] is not None and row["p_value"] < ALPHA:
                    failure = dict(row)
        return rows, failure, open_

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        points, rng, n_paths, expr, details = self.setup(claim, ctx)
        samples = [(p, self.sample(claim, ctx, p, n_paths, rng)) for p in points]
        rows, failure, open_ = self._judge(samples, self.lambdified(claim, expr), True, ctx)
        details["rows"] = rows
        f = self.lambdified(claim, expr)
        details["self_test"] = [{"perturbation": label, "rejected": (
            self._judge(samples, f, False, ctx, perturb) if self.perturb_claimed
            else self._judge(samples, self.lambdified(claim, perturb(expr)), False, ctx))[1] is not None}
            for label, perturb in self.perturbations]
        method = f"exact binomial test per fraction on the decided runs (two-sided, p >= {ALPHA:.1e})"
        if failure is not None:
            return CheckResult(self.kind, self.name, FAIL, method, details, failure)
        if open_:
            raise Undecidable("; ".join(open_), method, details)
        return with_power(self.kind, self.name, method, details)
