"""The heavy-tail statistics: calibrated (false-alarm rate under a true null, from repeated small simulations
at a 5% level, where a miscalibration shows) and powered (a wrong claimed value is rejected at the suite's
per-comparison level ALPHA). Seeds are recorded SeedSequences; the acceptance bands are binomial."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from checks.dynamics.levy import LevySDE, Quadratic, SasNoise, exit_times
from checks.dynamics.stable import jump_intensity
from checks.heavytail import (
    HeavyTailError,
    binomial_power,
    binomial_test,
    clopper_pearson,
    compare_exponential_means,
    compare_fractions,
    convergence_order,
    exponential_mean_test,
    exponentiality_test,
    log_se_exponential,
    power_law_fit,
    quantile_test,
)
from checks.stats import ALPHA, ComparisonCounter

NOMINAL = 0.05


def _rng(*key: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence(20240612, spawn_key=key))


def _calibrated(rejections: int, reps: int, conservative: bool = True) -> bool:
    """The false-alarm count is consistent with a level-5% test: not above Binomial(reps, 0.05)'s 99.99% point,
    and (not absurdly conservative) not below Binomial(reps, 0.015)'s 0.01% point; exact tests may be
    conservative, approximate ones must also not fall far below 5%."""
    upper = stats.binom.isf(1e-4, reps, NOMINAL)
    lower = stats.binom.ppf(1e-4, reps, 0.015 if conservative else 0.03)
    return lower <= rejections <= upper


# --- binomial -------------------------------------------------------------------------------------------------
def test_binomial_calibrated_powered_and_its_power_is_exact():
    rng = _rng(1)
    reps, n, p = 2000, 300, 0.2
    ks = rng.binomial(n, p, reps)
    verdict = {k: binomial_test(k, n, p, level=NOMINAL).reject for k in set(ks.tolist())}   # one test per outcome
    rejections = sum(verdict[k] for k in ks)
    assert _calibrated(rejections, reps)
    # the exact power function predicts the simulated rejection rate of a wrong claim
    power = binomial_power(n, p, 0.26, NOMINAL)
    verdict = {k: binomial_test(k, n, 0.26, level=NOMINAL).reject for k in set(ks.tolist())}
    simulated = sum(verdict[k] for k in ks)
    assert stats.binomtest(simulated, reps, power).pvalue > 1e-4
    # at the suite's level: 1000 runs, the rebuttal's 65.6% against a true 60% is rejected, the truth is not
    k = int(rng.binomial(1000, 0.60))
    res = binomial_test(k, 1000, 0.60)
    assert not res.reject and res.interval[0] < 0.60 < res.interval[1]
    assert res.retest(0.75).reject and res.self_test([0.45, 0.75])[1]["rejected"]


def test_clopper_pearson_edges():
    assert clopper_pearson(0, 50, 0.05)[0] == 0.0 and clopper_pearson(50, 50, 0.05)[1] == 1.0
    lo, hi = clopper_pearson(1000, 1000, ALPHA)
    assert hi == 1.0 and 0.98 < lo < 1.0         # 1000/1000: the rebuttal's 100% still allows p slightly below 1
    assert binomial_test(1000, 1000, 1.0).p_value == 1.0 and binomial_test(999, 1000, 1.0).reject


def test_compare_fractions_one_sided():
    r = compare_fractions(656, 1000, 101, 1000)
    assert r.details["p_first_greater"] < ALPHA and r.details["p_first_less"] > 0.5
    rng = _rng(2)
    reps = 300
    rej = sum(compare_fractions(rng.binomial(200, 0.3), 200, rng.binomial(300, 0.3), 300, level=NOMINAL).reject
              for _ in range(reps))
    assert _calibrated(rej, reps)


# --- exponential exit times -------------------------------------------------------------------------------------
@pytest.mark.parametrize("cut", [None, 0.7, 2.5])
def test_exponential_mean_calibrated_with_and_without_censoring(cut):
    rng = _rng(3, 0 if cut is None else int(cut * 10))
    reps, n, theta = 600, 150, 2.0
    rej = 0
    for _ in range(reps):
        t = rng.exponential(theta, n)
        c = None if cut is None else t > cut * theta
        if cut is not None:
            t = np.minimum(t, cut * theta)
        rej += exponential_mean_test(t, c, theta, level=NOMINAL).reject
    assert _calibrated(rej, reps, conservative=cut is not None)


def test_exponential_mean_powered_and_interval_covers():
    rng = _rng(4)
    t = rng.exponential(3.0, 3000)
    c = t > 6.0
    t = np.minimum(t, 6.0)
    counter = ComparisonCounter()
    res = exponential_mean_test(t, c, 3.0, counter=counter)
    assert not res.reject and res.interval[0] < 3.0 < res.interval[1] and counter.count == 1
    assert all(s["rejected"] for s in res.self_test([3.0 * 1.5, 3.0 * 0.5, 3.0 / 1.2]))
    assert counter.count == 1                                # self-tests are not comparisons


def test_exponentiality_calibrated_continuous_and_on_a_lattice():
    rng = _rng(5)
    reps = 300
    rej_c = rej_l = 0
    for _ in range(reps):
        t = rng.exponential(50.0, 800)
        rej_c += exponentiality_test(np.minimum(t, 90.0), t > 90.0, level=NOMINAL).reject
        k = rng.geometric(1 / 25, 800).astype(float)         # exit steps: geometric, censored at 40 steps
        rej_l += exponentiality_test(np.minimum(k, 40.0), k > 40.0, lattice=1.0, level=NOMINAL).reject
    assert _calibrated(rej_c, reps) and _calibrated(rej_l, reps)


def test_exponentiality_rejects_other_laws():
    rng = _rng(6)
    assert exponentiality_test(rng.weibull(0.8, 3000) * 50).reject            # decreasing hazard
    assert exponentiality_test(20 + rng.exponential(40, 3000)).reject          # a transient before exits start
    assert exponentiality_test(rng.gamma(1.4, 30, 3000)).reject                # increasing hazard
    # treating geometric steps with a small mean as continuous shows up; the lattice fit does not
    k = rng.geometric(0.3, 5000).astype(float)
    assert exponentiality_test(k).reject and not exponentiality_test(k, lattice=1.0).reject


def test_compare_exponential_means_calibrated_and_powered():
    rng = _rng(7)
    reps, rej = 400, 0
    for _ in range(reps):
        a, b = rng.exponential(1.0, 120), rng.exponential(2.0, 150)
        rej += compare_exponential_means(np.minimum(a, 2), a > 2, np.minimum(b, 3), b > 3, 0.5, level=NOMINAL).reject
    assert _calibrated(rej, reps)
    a, b = rng.exponential(1.0, 2000), rng.exponential(1.3, 2000)
    res = compare_exponential_means(a, None, b, None, 1.0)
    assert res.reject and res.details["p_first_shorter"] < ALPHA
    assert not res.retest(1 / 1.3).reject and res.interval[0] < 1 / 1.3 < res.interval[1]


# --- quantiles -------------------------------------------------------------------------------------------------
def test_quantile_test_on_heavy_tails():
    rng = _rng(8)
    alpha, q = 1.3, 0.9
    claimed = float(stats.levy_stable.ppf(q, alpha, 0.0))
    from checks.dynamics.stable import sas
    reps, rej = 400, 0
    for _ in range(reps):
        rej += quantile_test(sas(alpha, 400, rng), q, claimed, level=NOMINAL).reject
    assert _calibrated(rej, reps)
    res = quantile_test(sas(alpha, 200_000, rng), q, claimed)
    assert not res.reject and res.interval[0] < claimed < res.interval[1]
    assert res.retest(claimed * 1.05).reject and res.retest(claimed / 1.05).reject


# --- orders along a ladder -------------------------------------------------------------------------------------
def _ladder(rng, order, eps, n=400, C=2.0):
    est, se = [], []
    for e in eps:
        t = rng.exponential(C * e ** order, n)
        est.append(t.mean())
        se.append(log_se_exponential(n))
    return np.array(est), np.array(se)


def test_power_law_fit_calibrated_and_powered():
    rng = _rng(9)
    eps = np.array([0.2, 0.1, 0.05, 0.025])
    reps, rej = 400, 0
    for _ in range(reps):
        est, se = _ladder(rng, -1.5, eps)
        rej += power_law_fit(eps, est, se, -1.5, level=NOMINAL).reject
    assert _calibrated(rej, reps, conservative=False)
    est, se = _ladder(rng, -1.5, eps, n=4000)
    res = power_law_fit(eps, est, se, -1.5)
    assert not res.reject and res.retest(-1.0).reject and res.retest(-2.0).reject


def test_convergence_order_detects_a_slower_rate():
    rng = _rng(10)
    small = 0.5 ** np.arange(1, 7)
    se = 0.002 * np.ones_like(small)
    dev = 0.8 * small + rng.normal(0, 0.002, small.size)        # relative error of order 1
    res = convergence_order(small, dev, se, 1.0)
    assert not res.reject and res.retest(2.0).reject
    with pytest.raises(HeavyTailError, match="rungs"):
        convergence_order(small, 1e-4 * small, se, 1.0)          # below resolution: undecided, never a pass


# --- end to end: the exit law of the Levy SDE ------------------------------------------------------------------
def test_exit_times_of_the_levy_sde_are_exponential_with_the_levy_measure_rate():
    """dX = -X dt + eps dL, basin |x| <= 1, small eps: exits are exponential with rate nu(W/eps) =
    eps^alpha (2 c_alpha/alpha) (single big jumps); the unit-constant rate (2/alpha) eps^alpha is rejected."""
    alpha, eps, h = 1.5, 0.05, 0.1
    basin = Quadratic([[1.0]], 0.5)
    step = LevySDE(basin.grad, SasNoise(alpha, 1), eps, h)
    e = exit_times(step, [0.0], basin.inside, 1200, 20_000, _rng(11), dt=h)
    assert e.diverged_fraction == 0 and e.censored_fraction < 0.01
    rate = jump_intensity(alpha, 1 / eps)
    res = exponential_mean_test(e.times, e.censored, 1 / rate)
    assert not res.reject
    assert res.retest(1 / ((2 / alpha) * eps ** alpha)).reject
    assert not exponentiality_test(e.times, e.censored, lattice=h).reject


def test_bad_input_is_named():
    with pytest.raises(HeavyTailError, match="claimed probability"):
        binomial_test(3, 10, 1.5)
    with pytest.raises(HeavyTailError, match="finite"):
        exponential_mean_test([1.0, np.nan], None, 1.0)
    with pytest.raises(HeavyTailError, match="common time"):
        exponentiality_test(np.r_[np.ones(20), 5.0, 6.0], np.r_[np.zeros(20, bool), True, True])
    with pytest.raises(HeavyTailError, match="level"):
        quantile_test(np.arange(10.0), 0.5, 3.0, level=0.0)
    assert math.isfinite(log_se_exponential(100))
