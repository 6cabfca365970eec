"""The escape-time kernel, the exact first-passage reference, and the helpers of the `adai` escape sections."""
from __future__ import annotations

import math

import numpy as np

from checks.dynamics.escape import escape_times, mfpt_overdamped
from checks.dynamics.optimizers import HeavyBall
from checks.result import FAIL, INCONCLUSIVE, PASS
from checks.stats import ALPHA
from theory.papers.adai.appendix_e import coverage_exact
from theory.papers.adai.escape_checks import judge, model_comparison, weighted_fit


def test_mfpt_of_free_diffusion_is_c_squared_over_2d():
    # L = 0, reflecting at 0, absorbing at c: tau(0) = c^2 / (2D)
    tau = mfpt_overdamped(lambda x: 0 * x, 1.0, 0.3, 0.0, 0.0, 2.0)
    assert math.isclose(tau, 4 / 0.6, rel_tol=1e-6)


def test_mfpt_of_linear_drift_matches_closed_form():
    # L = F x at temperature T: drift -(D/T) F toward the reflecting end; with phi = F/T,
    # tau(0) = (e^{phi c} - 1 - phi c) / (D phi^2)
    F, c, D, T = 1.5, 1.0, 0.7, 0.4
    phi = F / T
    tau = mfpt_overdamped(lambda x: F * x, T, D, 0.0, 0.0, c)
    assert math.isclose(tau, (math.exp(phi * c) - 1 - phi * c) / (D * phi ** 2), rel_tol=1e-6)


def _speed_gradient(speeds):
    """First call: push coordinate 2 to a per-path speed; afterwards coordinate 1 moves at that speed."""
    state = {"first": True}

    def grad(x, rng):
        g = np.zeros_like(x)
        if state["first"]:
            g[:, 1] = -speeds
            state["first"] = False
        else:
            g[:, 0] = -x[:, 1]
        return g
    return grad


def test_exited_paths_leave_and_the_rest_keep_their_state():
    speeds = np.random.default_rng(3).uniform(0.5, 2.0, 40)
    out = lambda x: x[:, 0] >= 1.0
    batch = escape_times(HeavyBall(0.1, 0.8, 1.0), _speed_gradient(speeds), [0.0, 0.0], out, speeds.size, 10_000,
                         np.random.default_rng(0))
    one_by_one = [int(escape_times(HeavyBall(0.1, 0.8, 1.0), _speed_gradient(np.array([v])), [0.0, 0.0], out, 1,
                                   10_000, np.random.default_rng(0)).steps[0]) for v in speeds]
    assert not batch.censored.any() and len(set(one_by_one)) > 5
    assert batch.steps.tolist() == one_by_one


def test_work_counts_only_surviving_paths():
    rng = np.random.default_rng(1)
    e = escape_times(HeavyBall(0.1, 0.0, 1.0), lambda x, r: -r.exponential(1.0, x.shape), [0.0],
                     lambda x: x[:, 0] >= 1.0, 500, 10_000, rng)
    assert e.path_steps == int(e.steps.sum()) and not e.censored.any()


def test_censoring_is_reported():
    e = escape_times(HeavyBall(0.1, 0.0, 1.0), lambda x, r: np.zeros_like(x), [0.0], lambda x: x[:, 0] >= 1.0, 10, 50,
                     np.random.default_rng(0))
    assert e.censored.all() and (e.steps == 50).all()


def test_coverage_of_the_printed_interval_at_n_100():
    assert abs(coverage_exact({"n": 100}) - 0.93997) < 1e-4


def test_weighted_fit_recovers_a_line():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    coef, err, chi2, rank = weighted_fit(x, 2 + 3 * x, np.ones(4))
    assert np.allclose(coef, [2, 3]) and chi2 < 1e-20 and rank == 2 and np.all(err > 0)


def test_weighted_fit_of_a_constant_design_does_not_raise():
    coef, err, chi2, rank = weighted_fit(np.ones(4), np.arange(4.0), np.ones(4))
    assert rank == 1 and math.isclose(chi2, 5.0)


def test_figure5_judgement():
    ks = np.array([1.5, 2.0, 2.5, 3.0, 4.0])
    se = np.full(ks.size, 0.01)
    truth_1 = 2 + 10 / ks                              # exactly linear in 1/k, resolved to 0.01
    fits = model_comparison(ks, truth_1, se, 1.0, 0.5, ALPHA)
    assert not fits[1.0]["rejected"] and fits[0.5]["rejected"]
    assert judge(fits, 1.0, 0.5) == PASS and judge(fits, 0.5, 1.0) == FAIL
    blurred = model_comparison(ks, truth_1, np.full(ks.size, 10.0), 1.0, 0.5, ALPHA)   # no resolution
    assert judge(blurred, 1.0, 0.5) == INCONCLUSIVE and judge(blurred, 0.5, 1.0) == INCONCLUSIVE


def test_model_comparison_threshold_is_the_suites_level():
    from scipy import stats

    fits = model_comparison(np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.0, 2.0, 3.0, 4.0]), np.ones(4), 1.0, 0.5, ALPHA)
    assert math.isclose(fits[1.0]["lr_threshold"], stats.chi2.isf(ALPHA, 1))
