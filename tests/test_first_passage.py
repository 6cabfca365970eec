"""Mean exit times of the discrete chains by quadrature: against Monte Carlo of the compiled escape kernel where
that is affordable, against the continuous overdamped limit as eta -> 0, and for self-consistency (node
refinement, a dense solver) deep into the small-temperature regime.

Monte Carlo comparisons are z-tests of the mean exit step (exit times have all moments) at false-alarm
level 1e-6 each, fewer than 10 in this file; each is paired with a 5% error the same data must reject.
"""
from __future__ import annotations

import math
import time

import numpy as np
import pytest
from scipy import stats

from checks.dynamics import compiled as C
from checks.dynamics import escape as ref_escape
from checks.dynamics import first_passage as fp

Z = stats.norm.isf(1e-6 / 2)
DL = 0.2
H_A = DL * math.pi ** 2 / 2
L = lambda x: DL * (1 - np.cos(np.pi * x)) / 2
L_PRIME = lambda x: DL * math.pi / 2 * np.sin(np.pi * x)


def noise_variance(ratio: float, eta: float) -> float:
    """C such that DeltaL/T = ratio with the SGD temperature T = eta C / 2."""
    return 2 * DL / ratio / eta


@pytest.mark.parametrize("ratio, eta, opt", [(2.5, 0.05, "SGD"), (1.5, 0.2, "SGD"), (2.0, 0.05, "Momentum")])
def test_quadrature_agrees_with_monte_carlo(ratio, eta, opt):
    """SGD, and Momentum with beta1 = 0 (the same chain through the other kernel), on the cosine valley."""
    C_ = noise_variance(ratio, eta)
    exact = fp.sgd_mean_exit_steps(L_PRIME, eta, C_, -1.5, 1.5, 0.0)
    spec = C.sgd(eta) if opt == "SGD" else C.heavy_ball(eta, 0.0, 1.0)
    e = C.escape_times(spec, C.cosine_valley(DL), 0.0, (-1.5, 1.5), math.sqrt(C_), 40_000, 10 ** 7,
                       np.random.SeedSequence(int(ratio * 100)))
    mean, se = e.mean()
    assert not e.censored.any()
    assert abs(mean - exact) / se < Z
    assert abs(mean - 1.05 * exact) / se > Z and abs(mean - 0.95 * exact) / se > Z


def test_quadrature_agrees_with_monte_carlo_off_centre_and_asymmetric():
    """The double well from x0 = -0.3, exit interval (-1.2, 0.9): a start off the nodes, unequal ends."""
    eta, sd = 0.05, 2.0
    grad = lambda x: 4 * 0.3 * x * (x * x - 1)
    exact = fp.sgd_mean_exit_steps(grad, eta, sd ** 2, -1.2, 0.9, -0.3)
    e = C.escape_times(C.sgd(eta), C.double_well(0.3), -0.3, (-1.2, 0.9), sd, 40_000, 10 ** 7, 3)
    mean, se = e.mean()
    assert abs(mean - exact) / se < Z and abs(mean - 1.05 * exact) / se > Z


def test_converged_and_fast_at_any_barrier():
    for ratio in (4.0, 16.0):
        C_ = noise_variance(ratio, 0.02)
        start = time.perf_counter()
        m = fp.sgd_mean_exit_steps(L_PRIME, 0.02, C_, -1.5, 1.5, 0.0)
        elapsed = time.perf_counter() - start
        finer = fp.sgd_mean_exit_steps(L_PRIME, 0.02, C_, -1.5, 1.5, 0.0, panel=0.75, order=12)
        assert abs(finer / m - 1) < 1e-9 and elapsed < 5.0
    assert m > 1e9                                            # DeltaL/T = 16: far beyond Monte Carlo


def test_elimination_agrees_with_a_dense_solve_at_low_barrier():
    eta, C_ = 0.1, noise_variance(1.0, 0.1)
    s = eta * math.sqrt(C_)
    y, w = fp.nodes(-1.5, 1.5, s)
    mu = y - eta * L_PRIME(y)
    e = fp.exit_probability(mu, s, -1.5, 1.5)
    W, p, q = fp._band(y, w, mu, s, 1 - e)
    m = fp._gth_solve(W.copy(), p, q, e)
    dense = np.zeros((y.size, y.size))
    for i in range(y.size):
        for c in range(W.shape[1]):
            j = i - p + c
            if 0 <= j < y.size and j != i:
                dense[i, j] = -W[i, c]
    dense[np.arange(y.size), np.arange(y.size)] = (1 - e) - dense.sum(axis=1)    # the self-transition
    np.testing.assert_allclose(m, np.linalg.solve(np.eye(y.size) - dense, np.ones(y.size)), rtol=1e-9)


def test_the_discrete_chain_tends_to_the_overdamped_limit():
    """Mean exit steps x eta -> the continuous mean exit time as eta -> 0, at fixed temperature. The error
    shrinks about like eta^(1/2) (the chain's overshoot at the exit and its jumps near the saddle scale
    with the step size s = (2 T eta)^(1/2)); the fitted order is required to exceed 0.35 on each rung."""
    T = DL / 3
    cont = fp.overdamped_mean_exit(L, T, -1.5, 1.5, 0.0)
    errs = []
    for eta in (0.08, 0.02, 0.005):
        m = fp.sgd_mean_exit_steps(L_PRIME, eta, 2 * T / eta, -1.5, 1.5, 0.0)
        errs.append(abs(m * eta / cont - 1))
    assert errs[0] > errs[1] > errs[2] and errs[2] < 0.02
    orders = [math.log(errs[k + 1] / errs[k]) / math.log(0.25) for k in range(2)]
    assert min(orders) > 0.35, orders


def test_overdamped_reference_against_escape_module_and_closed_form():
    T = DL / 4
    ours = fp.overdamped_mean_exit(L, T, -1.5, 1.5, 0.0)
    theirs = ref_escape.mfpt_overdamped(L, T, T, 0.0, 0.0, 1.5)                 # reflecting at 0: same by symmetry
    assert math.isclose(ours, theirs, rel_tol=1e-5)
    # free diffusion from x0 between absorbing ends: (x0 - a)(b - x0) / (2 T) with D = T
    assert math.isclose(fp.overdamped_mean_exit(lambda x: 0 * x, 0.4, -1.0, 2.0, 0.5), 1.5 * 1.5 / 0.8, rel_tol=1e-9)


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        fp.mean_exit_steps(lambda x: x, 0.0, -1.0, 1.0, 0.0)
    with pytest.raises(ValueError):
        fp.mean_exit_steps(lambda x: x, 1e-9, -1.0, 1.0, 0.0)                   # too many nodes: said so
    with pytest.raises(ValueError):
        fp.overdamped_mean_exit(L, 0.1, -1.0, 1.0, 2.0)
