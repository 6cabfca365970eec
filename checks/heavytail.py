"""Statistics for heavy-tailed dynamics: tests that never need a variance that may not exist.

alpha-stable increments have infinite variance and exit times are close to exponential, so a z-test on a
sample mean is out. These tests use exact laws instead:

* ``binomial_test``: a probability (an escape fraction, a tail probability) against a claimed value; exact
  two-sided p-value, Clopper-Pearson interval; ``binomial_power`` gives the exact power in advance.
* ``exponential_mean_test``: the mean of exponential exit times, censored at a common time or not, by maximum
  likelihood (total time on test / number of exits) with exact chi-square (Gamma) intervals: without
  censoring 2T/theta ~ chi2(2r) exactly; with censoring the Poisson-Gamma duality (intervals with 2r and
  2r + 2 degrees of freedom, conservative).
* ``exponentiality_test``: whether exit times are exponential (geometric on a lattice of steps), censored or
  not: Pearson chi-square on cells equiprobable under the fitted law, the censored tail one more cell.
* ``quantile_test``: a claimed q-quantile, by the exact binomial law of #(X <= claimed); distribution-free
  order-statistic interval.
* ``compare_fractions``, ``compare_exponential_means``: two samples (Fisher's exact test; the conditional
  binomial test of two Poisson exposures).
* ``power_law_fit``, ``convergence_order``: the order of an asymptotic claim along a ladder of a small
  parameter (weighted least squares in log-log with standard errors from exact intervals).

Every test runs at the per-comparison level checks.stats.ALPHA unless told otherwise, adds one comparison
to ``counter`` when given one (the family-wise budget), and returns a TestResult. ``result.retest(value)``
repeats the test on the same data against another claimed value: the self-test, in which a deliberately
wrong value must be rejected (``result.self_test(values)``).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .stats import ALPHA, ComparisonCounter


class _LazyStats:
    """scipy.stats, imported on first use (it costs a second or two at import)."""

    def __getattr__(self, name):
        from scipy import stats as _stats
        return getattr(_stats, name)


stats = _LazyStats()


class HeavyTailError(ValueError):
    """Input a test cannot use; the message names the test, the argument and the assumption."""


@dataclass
class TestResult:
    test: str
    claimed: float
    estimate: float
    statistic: float
    p_value: float
    level: float
    interval: tuple[float, float]           # confidence interval at 1 - level for the estimated quantity
    n: int
    details: dict[str, Any] = field(default_factory=dict)
    _again: Callable[[float], TestResult] | None = field(default=None, repr=False, compare=False)

    __test__ = False                          # not a pytest test class

    @property
    def reject(self) -> bool:
        return bool(self.p_value < self.level)

    def retest(self, claimed: float) -> TestResult:
        """The same data against another claimed value (not counted: a self-test, not a comparison)."""
        if self._again is None:
            raise HeavyTailError(f"{self.test}: this result cannot be re-tested")
        return self._again(claimed)

    def self_test(self, wrong: Sequence[float]) -> list[dict[str, Any]]:
        out = []
        for w in wrong:
            r = self.retest(w)
            out.append({"claimed": float(w), "p_value": r.p_value, "rejected": r.reject})
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"test": self.test, "claimed": self.claimed, "estimate": self.estimate, "statistic": self.statistic,
                "p_value": self.p_value, "level": self.level, "interval": list(self.interval), "n": self.n,
                "reject": self.reject, **self.details}


def _count(counter: ComparisonCounter | None, k: int = 1) -> None:
    if counter is not None:
        counter.add(k)


def _level(level: float, test: str) -> float:
    if not 0 < level < 1:
        raise HeavyTailError(f"{test}: level={level!r} breaks the assumption 0 < level < 1")
    return float(level)


# --- probabilities ---------------------------------------------------------------------------------------
def _binom_two_sided(k: int, n: int, p0: float) -> float:
    if p0 <= 0:
        return 1.0 if k == 0 else 0.0
    if p0 >= 1:
        return 1.0 if k == n else 0.0
    return float(stats.binomtest(k, n, p0).pvalue)


def clopper_pearson(k: int, n: int, level: float = ALPHA) -> tuple[float, float]:
    """Exact interval for a binomial probability at confidence 1 - level."""
    lo = 0.0 if k == 0 else float(stats.beta.ppf(level / 2, k, n - k + 1))
    hi = 1.0 if k == n else float(stats.beta.isf(level / 2, k + 1, n - k))
    return lo, hi


def binomial_test(k: int, n: int, claimed: float, level: float = ALPHA,
                  counter: ComparisonCounter | None = None, name: str = "binomial") -> TestResult:
    """k successes in n trials against the claimed probability: exact two-sided p-value (the outcomes no more
    likely than k under the claim), Clopper-Pearson interval at 1 - level."""
    level = _level(level, name)
    k, n = int(k), int(n)
    if n < 1 or not 0 <= k <= n:
        raise HeavyTailError(f"{name}: needs 0 <= k <= n and n >= 1, got k={k}, n={n}")
    if not 0 <= claimed <= 1:
        raise HeavyTailError(f"{name}: claimed probability {claimed!r} breaks the assumption 0 <= p <= 1")
    _count(counter)

    def again(p0: float) -> TestResult:
        return TestResult(name, float(p0), k / n, float(k), _binom_two_sided(k, n, p0), level,
                          clopper_pearson(k, n, level), n, {"k": k}, again)
    return again(claimed)


def _binom_pvalues(n: int, p0: float) -> np.ndarray:
    """Two-sided exact p-values of every outcome k = 0..n under Binomial(n, p0) (likelihood ordering)."""
    pmf = stats.binom.pmf(np.arange(n + 1), n, p0)
    order = np.sort(pmf)
    cum = np.cumsum(order)
    idx = np.searchsorted(order, pmf * (1 + 1e-7), side="right") - 1
    return np.minimum(1.0, cum[idx])


def binomial_power(n: int, true_p: float, claimed: float, level: float = ALPHA) -> float:
    """Exact probability that ``binomial_test`` rejects ``claimed`` when the probability is ``true_p``."""
    reject = _binom_pvalues(int(n), claimed) < level
    return float(stats.binom.pmf(np.arange(int(n) + 1), int(n), true_p)[reject].sum())


def compare_fractions(k1: int, n1: int, k2: int, n2: int, level: float = ALPHA,
                      counter: ComparisonCounter | None = None) -> TestResult:
    """Fisher's exact test of p1 = p2; details carry the one-sided p-values (p1 > p2 and p1 < p2)."""
    level = _level(level, "compare fractions")
    table = [[int(k1), int(n1) - int(k1)], [int(k2), int(n2) - int(k2)]]
    _count(counter)
    p = float(stats.fisher_exact(table).pvalue)
    greater = float(stats.fisher_exact(table, alternative="greater").pvalue)
    less = float(stats.fisher_exact(table, alternative="less").pvalue)
    diff = k1 / n1 - k2 / n2
    return TestResult("compare fractions", 0.0, diff, diff, p, level, (float("nan"), float("nan")), int(n1) + int(n2),
                      {"p_first_greater": greater, "p_first_less": less, "fractions": [k1 / n1, k2 / n2]})


# --- exponential exit times ---------------------------------------------------------------------------------
def _exposure(times, censored) -> tuple[np.ndarray, np.ndarray, float, int]:
    t = np.asarray(times, dtype=float).reshape(-1)
    c = np.zeros(t.shape, dtype=bool) if censored is None else np.asarray(censored, dtype=bool).reshape(-1)
    if t.size == 0 or c.shape != t.shape:
        raise HeavyTailError(f"exit times: {t.size} times with {c.size} censoring flags")
    if not np.all(np.isfinite(t)) or np.any(t < 0):
        raise HeavyTailError("exit times must be finite and >= 0 (diverged paths are reported, never tested)")
    return t, c, float(t.sum()), int((~c).sum())


def exponential_mean_test(times, censored=None, claimed: float = 1.0, level: float = ALPHA,
                          counter: ComparisonCounter | None = None) -> TestResult:
    """Mean of exponential exit times against a claimed mean. MLE theta = T/r (T: total time on test, the
    censored paths counted to their censoring time; r: exits). Uncensored: T/theta ~ Gamma(r) exactly.
    Censored: r ~ Poisson(T/theta) given the exposure (two-sided p = 2 min of the tails; conservative)."""
    level = _level(level, "exponential mean")
    t, c, T, r = _exposure(times, censored)
    any_censored = bool(c.any())
    if r == 0 and not any_censored:
        raise HeavyTailError("exponential mean: no exits")
    _count(counter)
    a = level / 2
    if any_censored:
        lo = T / stats.gamma.isf(a, r + 1)
        hi = T / stats.gamma.ppf(a, r) if r > 0 else float("inf")
    else:
        lo, hi = T / stats.gamma.isf(a, r), T / stats.gamma.ppf(a, r)

    def again(theta0: float) -> TestResult:
        if not theta0 > 0:
            raise HeavyTailError(f"exponential mean: claimed mean {theta0!r} breaks the assumption mean > 0")
        mu = T / theta0
        if any_censored:
            p = 2 * min(stats.poisson.sf(r - 1, mu), stats.poisson.cdf(r, mu))
        else:
            p = 2 * min(stats.gamma.cdf(mu, r), stats.gamma.sf(mu, r))
        return TestResult("exponential mean", float(theta0), T / r if r else float("inf"), 2 * mu, min(1.0, float(p)),
                          level, (float(lo), float(hi)), t.size,
                          {"exits": r, "censored": int(c.sum()), "total_time": T,
                           "method": "Poisson-Gamma duality (censored)" if any_censored else "exact Gamma"}, again)
    return again(claimed)


def exponentiality_test(times, censored=None, cells: int = 20, lattice: float | None = None, level: float = ALPHA,
                        counter: ComparisonCounter | None = None) -> TestResult:
    """Are exit times exponential? Pearson chi-square on cells equiprobable under the fitted law (censoring at a
    common time c adds the cell [c, inf)). ``lattice=h``: times are multiples of h (exit steps x h) and the fitted
    law is geometric, P(T > k h) = (1 - q)^k, q = r h / T. Degrees of freedom: cells - 1, conservative for a
    parameter fitted on the ungrouped data (Chernoff-Lehmann: the law lies between chi2(cells-2) and chi2(cells-1)).
    Cells are merged so that each expects at least 5."""
    level = _level(level, "exponentiality")
    t, c, T, r = _exposure(times, censored)
    if r < 10:
        raise HeavyTailError(f"exponentiality: {r} exits are too few for a goodness-of-fit test")
    cut = float(np.max(t[c])) if c.any() else math.inf
    if c.any() and (not np.allclose(t[c], cut) or np.any(t[~c] > cut)):
        raise HeavyTailError("exponentiality: censoring must happen at one common time after every exit")
    n = t.size
    if lattice is None:
        theta = T / r
        surv = lambda x: np.exp(-np.asarray(x, dtype=float) / theta)
    else:
        h = float(lattice)
        steps = np.rint(t / h)
        if not np.allclose(steps * h, t):
            raise HeavyTailError(f"exponentiality: times are not multiples of lattice={lattice!r}")
        q = r / steps.sum()
        surv = lambda x: (1 - q) ** np.floor(np.asarray(x, dtype=float) / h + 1e-9)
    p_in = 1 - float(surv(cut)) if math.isfinite(cut) else 1.0
    k = int(max(2, min(cells, n * p_in // 5)))
    # inner edges: quantiles of the fitted law restricted to [0, cut)
    target = 1 - np.arange(1, k) * p_in / k
    if lattice is None:
        edges = -theta * np.log(target)
    else:
        edges = h * np.unique(np.maximum(1, np.ceil(np.log(target) / np.log(1 - q))))
    edges = np.unique(edges[(edges > 0) & (edges < cut)])
    bounds = np.concatenate([[0.0], edges, [cut]] if math.isfinite(cut) else [[0.0], edges, [math.inf]])
    # Continuous: cell j = [b_j, b_(j+1)). Lattice: cell j = (b_j, b_(j+1)], so that its mass is S(b_j) - S(b_(j+1)).
    exited = t[~c]
    if lattice is None:
        idx = np.searchsorted(bounds, exited, side="right") - 1
    else:
        idx = np.searchsorted(bounds, exited, side="left") - 1
    counts = np.bincount(np.clip(idx, 0, len(bounds) - 2), minlength=len(bounds) - 1).astype(float)
    masses = surv(bounds[:-1]) - surv(bounds[1:])
    if math.isfinite(cut):
        counts = np.append(counts, c.sum())
        masses = np.append(masses, surv(cut))
    expected = n * masses
    counts, expected = _merge_small(counts, expected)
    stat = float(np.sum((counts - expected) ** 2 / expected))
    df = len(counts) - 1
    _count(counter)
    p = float(stats.chi2.sf(stat, df)) if df > 0 else 1.0
    fitted = T / r
    return TestResult("exponentiality", float("nan"), fitted, stat, p, level, (float("nan"), float("nan")), n,
                      {"cells": len(counts), "df": df, "observed": counts.tolist(), "expected": expected.tolist(),
                       "fitted_mean": fitted, "censored": int(c.sum()), "lattice": lattice})


def _merge_small(counts: np.ndarray, expected: np.ndarray, minimum: float = 5.0):
    """Merge the cell expecting least into its smaller neighbour until every cell expects >= minimum."""
    cells, expect = list(counts), list(expected)
    while len(expect) > 1 and min(expect) < minimum:
        i = int(np.argmin(expect))
        if i == 0:
            j = 1
        elif i == len(expect) - 1:
            j = i - 1
        else:
            j = i - 1 if expect[i - 1] <= expect[i + 1] else i + 1
        expect[j] += expect[i]
        cells[j] += cells[i]
        del expect[i], cells[i]
    return np.array(cells), np.array(expect)


def compare_exponential_means(times1, censored1, times2, censored2, claimed_ratio: float = 1.0,
                              level: float = ALPHA, counter: ComparisonCounter | None = None) -> TestResult:
    """theta1/theta2 against a claimed ratio: given r = r1 + r2 exits on exposures T1, T2, r1 ~ Binomial(r,
    T1/(T1 + rho T2)) under rho = theta1/theta2 (exact conditional test of two Poisson rates)."""
    level = _level(level, "compare exponential means")
    _, _, T1, r1 = _exposure(times1, censored1)
    _, _, T2, r2 = _exposure(times2, censored2)
    if r1 + r2 == 0:
        raise HeavyTailError("compare exponential means: no exits in either sample")
    _count(counter)
    lo_pi, hi_pi = clopper_pearson(r1, r1 + r2, level)
    to_rho = lambda pi: T1 * (1 - pi) / (T2 * pi) if pi > 0 else math.inf
    interval = (to_rho(hi_pi), to_rho(lo_pi))
    estimate = (T1 / r1) / (T2 / r2) if r1 and r2 else (math.inf if r2 else 0.0)

    def again(rho: float) -> TestResult:
        if not rho > 0:
            raise HeavyTailError(f"compare exponential means: claimed ratio {rho!r} must be > 0")
        pi0 = T1 / (T1 + rho * T2)
        return TestResult("compare exponential means", float(rho), float(estimate), float(r1),
                          _binom_two_sided(r1, r1 + r2, pi0), level, interval, r1 + r2,
                          {"exits": [r1, r2], "total_time": [T1, T2],
                           "p_first_longer": float(stats.binom.cdf(r1, r1 + r2, pi0)),
                           "p_first_shorter": float(stats.binom.sf(r1 - 1, r1 + r2, pi0))}, again)
    return again(claimed_ratio)


# --- quantiles ---------------------------------------------------------------------------------------------
def quantile_test(sample, q: float, claimed: float, level: float = ALPHA,
                  counter: ComparisonCounter | None = None) -> TestResult:
    """The q-quantile of a continuous law against a claimed value: #(X <= claimed) ~ Binomial(n, q) exactly.
    The interval is the distribution-free order-statistic interval for the q-quantile (coverage >= 1 - level)."""
    level = _level(level, "quantile")
    x = np.sort(np.asarray(sample, dtype=float).reshape(-1))
    if x.size == 0 or not np.all(np.isfinite(x)):
        raise HeavyTailError("quantile: the sample must be non-empty and finite (report divergence apart)")
    if not 0 < q < 1:
        raise HeavyTailError(f"quantile: q={q!r} breaks the assumption 0 < q < 1")
    n = x.size
    lo_k = int(stats.binom.ppf(level / 2, n, q))           # P(#<= x_(lo) ...) bounds
    hi_k = int(stats.binom.isf(level / 2, n, q)) + 1
    interval = (float(x[lo_k - 1]) if lo_k >= 1 else -math.inf, float(x[hi_k - 1]) if hi_k <= n else math.inf)
    _count(counter)

    def again(value: float) -> TestResult:
        k = int(np.searchsorted(x, value, side="right"))
        return TestResult("quantile", float(value), float(np.quantile(x, q)), float(k),
                          _binom_two_sided(k, n, q), level, interval, n, {"q": q, "below": k}, again)
    return again(claimed)


# --- orders along a ladder -------------------------------------------------------------------------------
def _wls(x: np.ndarray, y: np.ndarray, se: np.ndarray):
    w = 1 / se ** 2
    X = np.column_stack([np.ones_like(x), x])
    cov = np.linalg.inv(X.T @ (X * w[:, None]))
    beta = cov @ (X.T @ (w * y))
    chi2 = float(np.sum(w * (y - X @ beta) ** 2))
    return beta, cov, chi2


def log_se_exponential(exits: int) -> float:
    """Standard error of log(theta-hat) for the exponential MLE with r exits: sqrt(trigamma(r)) ~ 1/sqrt(r)."""
    from scipy.special import polygamma
    return float(math.sqrt(polygamma(1, max(int(exits), 1))))


def power_law_fit(small, values, se_log, claimed_order: float, level: float = ALPHA,
                  counter: ComparisonCounter | None = None) -> TestResult:
    """values ~ C small^p: weighted least squares of log(values) on log(small) with standard errors se_log of
    log(values) (for exponential MLEs: ``log_se_exponential``); two-sided z-test of p = claimed_order. The
    lack-of-fit chi-square (K - 2 df) is reported: a large one means the power law does not describe the ladder."""
    level = _level(level, "power law")
    s, v, e = (np.asarray(a, dtype=float).reshape(-1) for a in (small, values, se_log))
    if not (s.size == v.size == e.size) or s.size < 3 or np.any(s <= 0) or np.any(v <= 0) or np.any(e <= 0):
        raise HeavyTailError("power law: needs >= 3 rungs with small > 0, values > 0 and se_log > 0")
    beta, cov, chi2 = _wls(np.log(s), np.log(v), e)
    slope, se = float(beta[1]), float(math.sqrt(cov[1, 1]))
    df = s.size - 2
    lack = float(stats.chi2.sf(chi2, df)) if df > 0 else 1.0
    _count(counter)
    z_crit = float(stats.norm.isf(level / 2))

    def again(p0: float) -> TestResult:
        z = (slope - p0) / se
        return TestResult("power law", float(p0), slope, z, float(2 * stats.norm.sf(abs(z))), level,
                          (slope - z_crit * se, slope + z_crit * se), s.size,
                          {"order_se": se, "log_prefactor": float(beta[0]), "lack_of_fit_chi2": chi2,
                           "lack_of_fit_p": lack}, again)
    return again(claimed_order)


def convergence_order(small, deviation, se_deviation, claimed_order: float, level: float = ALPHA,
                      counter: ComparisonCounter | None = None, min_snr: float = 4.0) -> TestResult:
    """An asymptotic claim 'relative error = O(small^p)': fit log|d| on log(small) over the rungs where the
    deviation d stands clear of its standard error (|d| > min_snr se), one-sided test that the fitted order is
    at least p (reject if it is significantly smaller). Fewer than 3 usable rungs: HeavyTailError (the error
    is below resolution; the caller reports it as undecided, not as a pass)."""
    level = _level(level, "convergence order")
    s, d, e = (np.asarray(a, dtype=float).reshape(-1) for a in (small, deviation, se_deviation))
    use = np.abs(d) > min_snr * e
    if use.sum() < 3:
        raise HeavyTailError(f"convergence order: only {int(use.sum())} rungs have |deviation| > {min_snr} se")
    s, d, e = s[use], d[use], e[use]
    beta, cov, chi2 = _wls(np.log(s), np.log(np.abs(d)), e / np.abs(d))
    slope, se = float(beta[1]), float(math.sqrt(cov[1, 1]))
    _count(counter)
    z_crit = float(stats.norm.isf(level))

    def again(p0: float) -> TestResult:
        z = (slope - p0) / se
        return TestResult("convergence order", float(p0), slope, z, float(stats.norm.cdf(z)), level,
                          (slope - z_crit * se, math.inf), int(s.size),
                          {"order_se": se, "rungs_used": int(s.size), "lack_of_fit_chi2": chi2}, again)
    return again(claimed_order)
