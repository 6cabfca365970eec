"""The Monte Carlo kernels: exactness against known moments, reproducibility, divergence reporting."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from checks import MonteCarloMean, RunContext
from checks.dynamics.linear import (
    abs_matrix,
    euler_maruyama_pair,
    rotated_hessian,
    saddle_sgd_second_moments,
    sgd_on_quadratic,
    simulate,
)
from checks.result import INCONCLUSIVE
from checks.stats import Z_CRIT, mean_estimate, z_scores
from theory import Claim, Param, Regime, Source
from theory.papers.adai.sgd import SGD_EXACT_VARIANCE as sgd_exact_variance
from theory.papers.adai.sgd import B, H, T, eta


def test_abs_matrix_is_the_matrix_absolute_value():
    rng = np.random.default_rng(1)
    Hm, U = rotated_hessian(np.array([1.5, -0.3, 0.7]), rng)
    A = abs_matrix(Hm)
    np.testing.assert_allclose(A @ A, Hm @ Hm, atol=1e-12)
    np.testing.assert_allclose(np.sort(np.linalg.eigvalsh(A)), [0.3, 0.7, 1.5], atol=1e-12)


def test_diagonal_fast_path_equals_general_path():
    dyn = sgd_on_quadratic(np.diag([0.5, -0.2]), 0.05, 8.0)
    a = simulate(dyn, 1000, (7, 20), np.random.default_rng(3))
    b_paths = np.zeros((1000, 2))
    rng = np.random.default_rng(3)
    z = rng.standard_normal((20, 1000, 2))
    out = {}
    for k in range(20):
        b_paths = b_paths @ dyn.A.T + z[k] @ dyn.F.T
        out[k + 1] = b_paths.copy()
    np.testing.assert_allclose(a.records[0], out[7], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(a.records[1], out[20], rtol=1e-12, atol=1e-15)


def test_sgd_variance_matches_exact_recursion():
    """Sampling error only: discrete SGD against its exact second moment (no discretization gap)."""
    h, lr, b, steps = -0.8, 0.02, 16.0, 60
    sample = saddle_sgd_second_moments([h, 0.4, -0.1], lr, b, steps, 40_000, np.random.default_rng(5))
    exact = float(sgd_exact_variance.subs({H: h, eta: lr, B: b, T: steps}))
    z = z_scores(mean_estimate(sample.values[:, :1]), exact)
    assert abs(z[0]) < Z_CRIT
    # ... and the same comparison rejects a 10% error in the reference
    assert abs(z_scores(mean_estimate(sample.values[:, :1]), 1.1 * exact)[0]) > Z_CRIT


def test_exact_variance_satisfies_the_sgd_recursion():
    v = sgd_exact_variance
    step = sp.simplify(v.subs(T, T + 1) - ((1 - eta * H) ** 2 * v + eta ** 2 * sp.Abs(H) / B))
    assert step == 0 and v.subs(T, 0) == 0


def test_richardson_removes_first_order_bias():
    h, d, t = -1.0, 0.3, 1.0
    exact = d / h * (1 - np.exp(-2 * h * t))
    xc, xf, bad = euler_maruyama_pair(np.array([[h]]), np.array([[d]]), t, 20, 200_000, np.random.default_rng(7))
    assert not bad.any()
    coarse, fine = np.mean(xc ** 2), np.mean(xf ** 2)
    rich = mean_estimate(2 * xf[:, 0] ** 2 - xc[:, 0] ** 2)
    assert abs(coarse - exact) > abs(fine - exact)                      # first-order bias visible
    assert abs(rich.mean[0] - exact) < 4 * rich.se[0]                     # gone after extrapolation


def test_same_seed_same_result_other_seed_other_result():
    a = saddle_sgd_second_moments([0.5], 0.05, 4.0, 30, 500, np.random.default_rng(np.random.SeedSequence(9)))
    b = saddle_sgd_second_moments([0.5], 0.05, 4.0, 30, 500, np.random.default_rng(np.random.SeedSequence(9)))
    c = saddle_sgd_second_moments([0.5], 0.05, 4.0, 30, 500, np.random.default_rng(np.random.SeedSequence(10)))
    np.testing.assert_array_equal(a.values, b.values)
    assert not np.array_equal(a.values, c.values)


def test_divergence_is_reported_not_averaged():
    """SGD with eta |H| > 2 blows up: the check says so and gives the diverged fraction."""
    h, lr = sp.symbols("h lr", positive=True)
    claim = Claim(id="test.eq1", source=Source("test", "test", "Eq. (1)"), title="unstable SGD",
                  statement=sp.Eq(sp.Symbol("V"), lr ** 2 * h), regime=Regime((Param(h, 1, 2), Param(lr, 2.5, 3)), ()),
                  checks=[MonteCarloMean("SGD", lambda p, n, rng: saddle_sgd_second_moments(
                      [p["h"]], p["lr"], 1.0, 2000, n, rng), lambda p, f: [f(**p)], n_paths=200, n_points=1)])
    result = claim.checks[0].run(claim, RunContext())
    assert result.status == INCONCLUSIVE
    assert "100.00% of paths diverged" in result.reason


def test_simulate_rejects_negative_record_step():
    with pytest.raises(ValueError):
        simulate(sgd_on_quadratic(np.eye(1), 0.1, 1.0), 10, (-1,), np.random.default_rng(0))


def test_multiplicative_kernel_matches_its_exact_binomial_law():
    from checks.dynamics.multiplicative import exact_log_growth_distribution, log_abs_w

    rng = np.random.default_rng(np.random.SeedSequence(5))
    logs = log_abs_w(0.7, -1.5, 30, 100_000, rng)[30]
    values, probs = exact_log_growth_distribution(0.7, -1.5, 30)
    mean, var = float(probs @ values), float(probs @ values ** 2 - (probs @ values) ** 2)
    assert abs(logs.mean() - mean) < 5 * np.sqrt(var / logs.size)
    assert abs(logs.var() / var - 1) < 5 * np.sqrt(2 / logs.size)


def test_multiplicative_kernel_absorbs_at_zero():
    from checks.dynamics.multiplicative import log_abs_w

    logs = log_abs_w(1.0, -1.0, 12, 10_000, np.random.default_rng(2))[12]
    assert np.isneginf(logs).mean() > 0.99 and not np.isnan(logs).any()


def test_one_loop_drops_exited_and_diverged_paths():
    """The stepping loop: a path that exits is recorded with its exit step and costs nothing afterwards;
    a path that overflows is flagged diverged (never averaged), and its saved positions are NaN."""
    from checks.dynamics.loop import run

    def step(x, rng):
        return np.where(np.abs(x) > 1e50, x * 1e60, x + 1)

    traj = run(step, np.array([[0.0], [1.0], [1e55], [-100.0]]), 10, np.random.default_rng(0), save=(2, 10),
               stop=lambda x: (x[:, 0] >= 3) & (x[:, 0] < 1e50))
    assert traj.exit_step.tolist() == [3, 2, -1, -1]
    assert traj.exit_position[:2, 0].tolist() == [3.0, 3.0] and np.isnan(traj.exit_position[2:]).all()
    assert traj.diverged.tolist() == [False, False, True, False]
    assert traj.censored.tolist() == [False, False, False, True]
    assert traj.saved[2][1, 0] == 3.0 and np.isnan(traj.saved[2][2, 0])   # saved where it left; diverged: NaN
    assert np.isnan(traj.saved[10][:3]).all() and traj.saved[10][3, 0] == -90
    assert traj.path_steps == 3 + 2 + 1 + 10               # exited and diverged paths cost nothing more


def test_escape_kernel_reports_diverged_and_censored_apart():
    """Issue of the earlier kernel: diverged paths were averaged into the mean exit time."""
    from checks.dynamics.escape import escape_times
    from checks.dynamics.optimizers import SGD

    def gradient(x, rng):
        g = np.zeros_like(x)
        g[: max(1, x.shape[0] // 3)] = -1e200         # the first third blows up at once
        g[x.shape[0] // 3:] = -0.1
        return g

    times = escape_times(SGD(1.0), gradient, np.zeros(1), lambda x: x[:, 0] > 5, 30, 200,
                         np.random.default_rng(0))
    assert times.diverged.sum() >= 1
    mean, _ = times.mean()
    assert mean == 51.0                                # only the paths that really exited
