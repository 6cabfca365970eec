"""Check kinds and simulation helpers of `ziyin`'s Secs. 5.3-5.5 and Apps. B-D (the module is named for the first
claim that needed a check of its own, Figure 4).

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


# --- AMSGrad and Adam on Eq. (4), w kept in [-1, 1] (Prop. 5, Sec. 6.4) -----------------------------------------------
class ClippedAdaptiveStep:
    """One step of an adaptive optimizer on x w^2/2 (x = 1 or a - 1) with w kept in [-1, 1] (Prop. 5's w_t in [-1, 1]);
    records the largest |g_t| seen per path."""

    def __init__(self, opt, a_value: float):
        self.opt, self.a, self.gmax = opt, a_value, None

    def __call__(self, w, rng):
        g = np.where(rng.random(w.shape) < 0.5, 1.0, self.a - 1.0) * w
        self.gmax = np.abs(g) if self.gmax is None else np.maximum(self.gmax, np.abs(g))
        return np.clip(self.opt.step(w, g), -1.0, 1.0)

    def keep(self, mask):
        self.opt.keep(mask)
        self.gmax = self.gmax[mask]


CURVE_STEPS = tuple(range(1, 1001)) + tuple(range(1100, 50_001, 100))
_RUNS: dict = {}


def adaptive_runs(kind: dict, a_value: float, lam_value: float, T: int, n: int, rng, curve: bool = False) -> dict:
    """n runs of AMSGrad/Adam (checks.dynamics.optimizers.AMSGrad: no bias correction, eps = 0; ``kind`` gives beta1 and
    amsgrad) from w_0 ~ U[-1, 1] for T steps. Returns |w| at T/5 and T, the final v-hat, the largest |g| per run, and
    with ``curve`` the mean and standard error of |w_t| at CURVE_STEPS. Memoised per generator state, so the claims
    about one experiment share its runs."""
    from checks.dynamics.optimizers import AMSGrad

    key = (tuple(sorted(kind.items())), a_value, lam_value, T, n, curve, repr(rng.bit_generator.state))
    if key not in _RUNS:
        step = ClippedAdaptiveStep(AMSGrad(lam_value, beta2=0.999, **kind), a_value)
        saves = tuple(sorted({T // 5, T} | ({s for s in CURVE_STEPS if s <= T} if curve else set())))
        traj = run(step, rng.uniform(-1, 1, (n, 1)), T, rng, save=saves)
        out = {"w_early": np.abs(traj.saved[T // 5][:, 0]), "w_end": np.abs(traj.saved[T][:, 0]),
               "v_hat": step.opt.v_hat[:, 0].copy(), "g_max": step.gmax[:, 0].copy(), "diverged": traj.diverged}
        if curve:
            steps = [s for s in CURVE_STEPS if s <= T]
            arr = np.array([np.abs(traj.saved[s][:, 0]) for s in steps])
            out.update(steps=np.array(steps), mean=arr.mean(axis=1), se=arr.std(axis=1, ddof=1) / math.sqrt(n))
        _RUNS[key] = out
    return _RUNS[key]


def frozen_rate(lp: np.ndarray, a_value: float, beta1: float, rng, steps: int = 20_000, reps: int = 8):
    """Top Lyapunov exponent (mean, standard error) of the adaptive step with v-hat frozen,
    lambda' = lambda/sqrt(v-hat):
    w' = w - lambda' m', m' = beta1 m + (1 - beta1) x w (a product of random 2 x 2 matrices, renormalised each step).
    With beta1 = 0 it is the exact E ln|1 - lambda' x| (no sampling)."""
    lp = np.asarray(lp, dtype=float)
    if beta1 == 0:
        with np.errstate(divide="ignore"):
            m = (np.log(np.abs(1 - lp)) + np.log(np.abs(1 - lp * (a_value - 1)))) / 2
        return m, np.zeros_like(m)
    L = lp[:, None] * np.ones((1, reps))
    w, m, acc = np.ones_like(L), np.zeros_like(L), np.zeros_like(L)
    for _ in range(steps):
        x = np.where(rng.random(L.shape) < 0.5, 1.0, a_value - 1.0)
        m = beta1 * m + (1 - beta1) * x * w
        w = w - L * m
        norm = np.sqrt(w * w + m * m)
        acc += np.log(norm)
        w, m = w / norm, m / norm
    g = acc / steps
    return g.mean(axis=1), g.std(axis=1, ddof=1) / math.sqrt(reps)


def certify(lam_value: float, a_value: float, beta1: float, v_hat: np.ndarray, rng) -> tuple[np.ndarray, dict]:
    """Per run of AMSGrad at its end: 1 if it converges to 0 for sure, 0 if it cannot, -1 if undecided. v-hat only
    grows and v <= max g^2 <= (1 - a)^2, so lambda' = lambda/sqrt(v-hat) stays in [lambda/(1 - a), lambda'_T]; with
    v-hat frozen the step is a linear random recursion, which converges iff its top Lyapunov exponent is < 0. Certified
    1: the exponent is < 0 (upper confidence bound, at ALPHA) over that whole range; certified 0: > 0 over it (w is
    driven to the clip and v-hat can only lower lambda' further)."""
    from .models import LOWER8, UPPER8
    from .models import a as a_sym

    lp_end = lam_value / np.sqrt(v_hat)
    lp_min = lam_value / (1 - a_value)
    grid = np.linspace(lp_min, max(float(lp_end.max()), lp_min) * 1.001, 60)
    g, se = frozen_rate(grid, a_value, beta1, rng)
    z = float(stats.norm.isf(ALPHA / 2))
    neg, pos = g + z * se < 0, g - z * se > 0
    if beta1 == 0:                                        # exact: also at each run's own lambda'
        g_end, _ = frozen_rate(lp_end, a_value, 0.0, rng)
    out = np.full(v_hat.size, UNDECIDED)
    for i, lp in enumerate(lp_end):
        k = int(np.searchsorted(grid, lp))                 # the grid point at or above lambda'_T (the exponent rises
        span = slice(0, min(k + 1, grid.size))             # towards the upper end of the stable range)
        end_neg = g_end[i] < 0 if beta1 == 0 else True
        end_pos = g_end[i] > 0 if beta1 == 0 else True
        if neg[span].all() and end_neg:
            out[i] = 1.0
        elif pos[span].all() and end_pos:
            out[i] = 0.0
    ends = [float(e.subs(a_sym, a_value)) for e in (LOWER8, UPPER8)]
    return out, {"lambda_prime_quartiles": np.quantile(lp_end, [0, 0.25, 0.5, 0.75, 1]).tolist(),
                 "interval_109": ends, "lambda_prime_min_reachable": lp_min}


# --- Figure 4 / Sec. 6.4: a = -0.1, lambda = 0.2, beta_2 = 0.999, 2000 runs x 5 x 10^4 steps --------------------------
FIG4 = {"AMSGrad": {"beta1": 0.0}, "Adam": {"beta1": 0.0, "amsgrad": False},
        "AMSGrad, beta_1 = 0.9": {"beta1": 0.9}, "Adam, beta_1 = 0.9": {"beta1": 0.9, "amsgrad": False}}
FIG4_A, FIG4_LAM, FIG4_T, FIG4_N, BALL, CURVE_LEVEL = -0.1, 0.2, 50_000, 2000, 1e-3, 0.1


def fig4_runs(ctx: RunContext, name: str) -> dict:
    """The Sec. 6.4 runs of one optimizer, shared by every claim about the experiment (one seed per optimizer)."""
    seq = ctx.seed_sequence("ziyin.fig4", f"Sec. 6.4 runs: {name}")
    return adaptive_runs(FIG4[name], FIG4_A, FIG4_LAM, FIG4_T, FIG4_N, np.random.default_rng(seq), curve=True)


def limit_outcome(ctx, name: str, claimed: float, record: bool) -> dict:
    """lim P(|w_t| < 1e-3) for one optimizer against a claimed value. AMSGrad: each run certified (``certify``), the
    decided runs tested exactly. Adam (no such certificate): the fraction at the end is tested exactly, and a
    rejection counts only if the fraction has stopped rising (the runs entering the ball between T/5 and T do not
    significantly outnumber those leaving it: exact binomial test of the discordant pairs)."""
    r = fig4_runs(ctx, name)
    kind = FIG4[name]
    row = {"optimizer": name, "claimed": claimed}
    if kind.get("amsgrad", True):
        cert, info = certify(FIG4_LAM, FIG4_A, kind["beta1"], r["v_hat"],
                             np.random.default_rng(ctx.seed_sequence("ziyin.fig4", f"frozen rate: {name}")))
        row.update(FractionCheck.test(cert, claimed), **info, certificate="v-hat frozen: top Lyapunov exponent")
        row["settled"] = True
    else:
        inside_end, inside_early = r["w_end"] < BALL, r["w_early"] < BALL
        row.update(FractionCheck.test(inside_end.astype(float), claimed),
                   fraction_at_T_over_5=float(inside_early.mean()))
        gained, lost = int((inside_end & ~inside_early).sum()), int((~inside_end & inside_early).sum())
        rising = gained + lost > 0 and stats.binomtest(gained, gained + lost, 0.5, alternative="greater").pvalue < ALPHA
        row.update(entered=gained, left=lost, settled=not rising)
    if record:
        ctx.counter.add(1 if row["p_value"] is not None else 0)
    return row


class Figure4Limits(FormulaCheck):
    """The statement is a Matrix of claimed limits lim P(|w_t| < 1e-3), one per optimizer in ``names``."""

    kind, evidence, form = "montecarlo", "model", "fraction"
    fixed_setting = True

    def __init__(self, name: str, names: tuple[str, ...]):
        self.name, self.names = name, tuple(names)

    def _judge(self, ctx, values, record):
        rows, failure, open_ = [], None, []
        for nm, p0 in zip(self.names, values):
            row = limit_outcome(ctx, nm, float(p0), record)
            rows.append(row)
            if row["p_value"] is None:
                open_.append(f"{nm}: every run undecided")
            elif row["p_value"] < ALPHA and row["settled"] and failure is None:
                failure = dict(row)
            elif row["p_value"] < ALPHA:
                open_.append(f"{nm}: the fraction is still rising")
        return rows, failure, open_

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        values = [float(v) for v in np.ravel(np.asarray(claim.rhs.evalf(), dtype=float))]
        rows, failure, open_ = self._judge(ctx, values, True)
        self_test = [{"perturbation": "x0.5", "rejected": self._judge(ctx, [v / 2 for v in values], False)[1]
                      is not None}]
        details = {"rows": rows, "self_test": self_test, "T": FIG4_T, "runs": FIG4_N, "ball": BALL}
        method = "exact binomial tests of the limit per optimizer (AMSGrad: certified runs; Adam: settled fraction)"
        if failure is not None:
            return CheckResult(self.kind, self.name, FAIL, method, details, failure)
        if open_:
            raise Undecidable("; ".join(open_), method, details)
        return with_power(self.kind, self.name, method, details)


def crossing(curve: dict, level: float, z: float) -> tuple[float, float]:
    """(earliest, latest) first step at which the mean |w_t| curve falls below ``level`` and stays below it to the end,
    over the band mean -/+ z se (inf when the band's upper edge does not stay below)."""
    steps, mean, se = curve["steps"], curve["mean"], curve["se"]

    def first_staying(values):
        above = np.flatnonzero(values >= level)
        if above.size and above[-1] == values.size - 1:
            return math.inf
        return float(steps[above[-1] + 1]) if above.size else float(steps[0])
    return first_staying(mean - z * se), first_staying(mean + z * se)


class Figure4Speed(FormulaCheck):
    """The statement is a relation on |ln(t_Adam / t_AMSGrad)|, t the first step at which the mean |w_t| over the runs
    (the plotted curve) falls below CURVE_LEVEL and stays below it to the end. The crossing steps are bracketed by
    the curves mean -/+ Z_CRIT se, so the relation is decided on the whole bracket: passed if it holds at both ends of
    the bracket, failed if at neither, undecided otherwise. Self-test: the reversed relation must fail."""

    kind, evidence, form = "montecarlo", "model", "relation"
    fixed_setting = True

    def __init__(self, name: str, statement=None):
        self.name, self.fixed_statement = name, statement

    @staticmethod
    def _decide(rel, lo, hi) -> str:
        bound = float(rel.rhs)
        upper = isinstance(rel, (sp.LessThan, sp.StrictLessThan))
        holds = [(v <= bound if upper else v >= bound) for v in (lo, hi)]
        return "pass" if all(holds) else "fail" if not any(holds) else "open"

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        from checks.stats import Z_CRIT

        rel = self.fixed_statement if self.fixed_statement is not None else claim.statement
        t_ams = crossing(fig4_runs(ctx, "AMSGrad"), CURVE_LEVEL, Z_CRIT)
        t_adam = crossing(fig4_runs(ctx, "Adam"), CURVE_LEVEL, Z_CRIT)
        ctx.counter.add(2)
        ratios = [abs(math.log(ta / tm)) if math.isfinite(ta) and math.isfinite(tm) else math.inf
                  for ta in t_adam for tm in t_ams]
        lo, hi = min(ratios), max(ratios)
        outcome = self._decide(rel, lo, hi)
        rev = {sp.LessThan: sp.GreaterThan, sp.StrictLessThan: sp.StrictGreaterThan, sp.GreaterThan: sp.LessThan,
               sp.StrictGreaterThan: sp.StrictLessThan}[type(rel)]
        flipped = self._decide(rev(rel.lhs, rel.rhs, evaluate=False), lo, hi)
        details = {"crossing_AMSGrad": list(t_ams), "crossing_Adam": list(t_adam), "abs_log_ratio": [lo, hi],
                   "level": CURVE_LEVEL, "z": Z_CRIT,
                   "mean_abs_w_at_end": {n: float(fig4_runs(ctx, n)["mean"][-1]) for n in ("AMSGrad", "Adam")},
                   "self_test": [{"perturbation": "relation reversed", "rejected": flipped == "fail"}]}
        method = f"first step the mean |w_t| stays below {CURVE_LEVEL}, bracketed by mean -/+ {Z_CRIT:.2f} se"
        if outcome == "fail":
            return CheckResult(self.kind, self.name, FAIL, method, details, {"abs_log_ratio": [lo, hi]})
        if outcome == "open":
            raise Undecidable("the bracket of the crossing steps straddles the bound", method, details)
        return with_power(self.kind, self.name, method, details)


class Figure4Share(FormulaCheck):
    """The statement bounds the probability of being near w = 0 (|w| < 1e-3) and near the clip (|w| > 0.99) for Adam
    with momentum at the end of the runs: one-sided exact binomial tests of each against the statement's bound
    (refuted if either share is significantly above it at ALPHA); self-test: the reversed bound must be rejected."""

    kind, evidence, form = "montecarlo", "model", "fraction"
    fixed_setting = True

    def __init__(self, name: str):
        self.name = name

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        r = fig4_runs(ctx, "Adam, beta_1 = 0.9")
        bound = float(claim.rhs)
        n = r["w_end"].size
        upper = isinstance(claim.statement, (sp.LessThan, sp.StrictLessThan))   # max(shares) <= bound, or >=
        rows, failure, power = [], None, []
        for label, hits in (("|w_T| < 1e-3", r["w_end"] < BALL), ("|w_T| > 0.99", r["w_end"] > 0.99)):
            k = int(hits.sum())
            p_above = float(stats.binomtest(k, n, min(max(bound, 0), 1), alternative="greater").pvalue) \
                if 0 <= bound <= 1 else 0.0
            p_below = float(stats.binomtest(k, n, min(max(bound, 0), 1), alternative="less").pvalue) \
                if 0 <= bound <= 1 else 0.0
            ctx.counter.add(1)
            rows.append({"share": label, "count": k, "n": n, "observed": k / n, "bound": bound,
                         "p_value_above_bound": p_above, "p_value_below_bound": p_below})
            power.append((p_below if upper else p_above) < ALPHA)
            if upper and p_above < ALPHA and failure is None:
                failure = dict(rows[-1])           # max <= bound fails if either share is significantly above
        if not upper and all(row["p_value_below_bound"] < ALPHA for row in rows):
            failure = {"rows": rows}               # max >= bound fails if both shares are significantly below
        details = {"rows": rows, "relation": "max <= bound" if upper else "max >= bound",
                   "self_test": [{"perturbation": "reversed relation",
                                  "rejected": all(power) if upper else any(power)}]}
        method = "one-sided exact binomial tests of the shares near 0 and near the clip against the bound"
        if failure is not None:
            return CheckResult(self.kind, self.name, FAIL, method, details, failure)
        return with_power(self.kind, self.name, method, details)
