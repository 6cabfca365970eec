"""The models behind the `zhou` and `levy-rebuttal` claims: Levy measures of escaping sets, the SaS tail series, the
averaged noise, the rebuttal's experiment kernel and the bounds the claims compute in closed form."""
from __future__ import annotations

import math

import numpy as np
import pytest

from checks import heavytail as ht
from checks.dynamics.stable import jump_intensity, levy_constant
from checks.stats import ALPHA
from theory.papers.levy_rebuttal.experiment import BASINS, run_experiment
from theory.papers.levy_rebuttal.reviewer2 import conditional_mean
from theory.papers.zhou import models as zm
from theory.papers.zhou.sec5 import extremal_ratio


@pytest.mark.parametrize("a", [1.2, 1.5, 1.9])
def test_nu_of_escaping_sets_is_the_jump_intensity(a):
    assert zm.nu_escape(a, [[1.0]], 1.0) == pytest.approx(jump_intensity(a, 1.0))
    assert zm.nu_interval(a, 1.0, 1.0) == pytest.approx(jump_intensity(a, 1.0))
    # 2-D, independent coordinates: one axis reach per column of Sigma
    H, Sig = np.diag([1.0, 4.0]), np.diag([1.0, 0.5])
    reach = zm.axis_reach(H, 1.0, Sig)
    assert reach == pytest.approx([1.0, 1.0])
    assert zm.nu_escape(a, H, 1.0, Sig) == pytest.approx(2 * jump_intensity(a, 1.0))


def test_tail_series_matches_scipy_where_scipy_is_accurate():
    from scipy.stats import levy_stable
    for a in (1.3, 1.5, 1.8):
        for x in (20.0, 50.0):
            assert zm.sas_tail(a, x) == pytest.approx(float(levy_stable.sf(x, a, 0.0)), rel=1e-4)
        assert zm.sas_tail(a, 1e4) * 1e4 ** a == pytest.approx(levy_constant(a) / a, rel=1e-3)


def test_averaged_noise_is_sas_with_the_stability_scale():
    rng = np.random.default_rng(8)
    x = zm.ema_sample(1.5, 0.9, 150, 20_000, rng)
    s_ = zm.ema_scale(1.5, 0.9, 150)
    assert s_ == pytest.approx(0.1 / (1 - 0.9 ** 1.5) ** (1 / 1.5), rel=1e-4)
    for q in (0.75, 0.95):
        assert not ht.quantile_test(x, q, zm.sas_quantile(1.5, q, s_)).reject
        assert ht.quantile_test(x, q, zm.sas_quantile(1.5, q, 1.0)).reject     # not the scale of one draw


def test_conditional_mean_of_the_censored_exponential():
    rng = np.random.default_rng(9)
    lam = -math.log(1 - 0.656) / 2000
    t = rng.exponential(1 / lam, 400_000)
    assert t[t <= 2000].mean() == pytest.approx(conditional_mean(0.656), rel=5e-3)
    assert conditional_mean(0.656) == pytest.approx(825.6, abs=0.5)


def test_rebuttal_experiment_kernel_orders_the_basins_and_keeps_runs_apart():
    res = run_experiment({"alpha": 1.3, "h": 1.47e-7, "s": 1e-4}, "branch", 200, np.random.default_rng(10))
    frac = {b: res[b]["exit_steps"].size / 200 for b in BASINS}
    assert frac["A"] > 0.95 and frac["A"] > frac["B"] > frac["C"]
    assert all(np.all((res[b]["exit_steps"] >= 1) & (res[b]["exit_steps"] <= 2000)) for b in BASINS)


def test_adam_step_bound_is_attained_by_the_extremal_gradients():
    b1, b2 = 0.9, 0.999
    bound = (1 - b1) / math.sqrt(1 - b2) / math.sqrt(1 - b1 ** 2 / b2)
    assert extremal_ratio({"beta_1": b1, "beta_2": b2}) == pytest.approx(bound, rel=1e-8)


def test_shared_memo_replays_the_same_generator_state():
    calls = []

    def fn(r):
        calls.append(1)
        return r.random()
    v1 = zm.memo_by_rng("test", fn, np.random.default_rng(3))
    v2 = zm.memo_by_rng("test", fn, np.random.default_rng(3))
    assert v1 == v2 and len(calls) == 1


def test_small_noise_exit_mean_is_one_over_nu_w_over_eps():
    """Theorem 1 under reading R-m, cheaply: 1-D, eps = 0.1, 1500 paths (the claims run the tighter versions)."""
    ex = zm.exits_1d({"alpha": 1.5, "varepsilon": 0.1, "h": 0.2}, 1500, np.random.default_rng(12))
    t, c = ex.survival_data()
    claimed = 1 / (0.1 ** 1.5 * zm.nu_interval(1.5, 1.0, 1.0))
    assert not ht.exponential_mean_test(t, c, claimed, level=ALPHA).reject
    assert ht.exponential_mean_test(t, c, claimed * 1.5 / 2, level=ALPHA).reject   # m(W) = nu(W): mean x alpha/2
