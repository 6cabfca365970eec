"""The optimizers follow the paper's algorithms step by step (hand-computed updates), are vectorized
over runs without mixing them, and refuse bad hyperparameters with a clear message."""
from __future__ import annotations

import math

import numpy as np
import pytest

from checks.dynamics.momentum import heavy_ball_exact_variance, optimizer_on_saddle, phase_space_msd
from checks.dynamics.optimizers import (
    SGD,
    Adai,
    AdaiW,
    Adam,
    HeavyBall,
    IdealizedAdam,
    OptimizerError,
    adam_style_momentum,
    rmsprop,
    sgd_style_momentum,
)
from theory.papers.adai.momentum_models import EXACT_AT_EQUILIBRIUM, D, H, M, gamma, t


def test_sgd_step():
    assert np.allclose(SGD(0.1).update([1.0, -2.0]), [-0.1, 0.2])


def test_heavy_ball_two_steps_both_conventions():
    g1, g2 = np.array([1.0]), np.array([3.0])
    opt = sgd_style_momentum(0.1, beta1=0.9)                     # m1 = 1, m2 = 0.9 + 3 = 3.9
    assert np.allclose(opt.update(g1), -0.1) and np.allclose(opt.update(g2), -0.39)
    opt = adam_style_momentum(0.1, beta1=0.9)                    # m1 = 0.1, m2 = 0.09 + 0.3 = 0.39
    assert np.allclose(opt.update(g1), -0.01) and np.allclose(opt.update(g2), -0.039)


def test_adam_two_steps_as_printed():
    opt = Adam(0.1, beta1=0.9, beta2=0.999, eps=1e-8)
    # t = 1: m = 0.1 g, v = 0.001 g^2, m-hat = g, v-hat = g^2: update = -0.1 g / sqrt(g^2 + eps)
    assert np.allclose(opt.update([2.0]), [-0.1 * 2 / math.sqrt(4 + 1e-8)])
    # t = 2 with g = -1: m = 0.9*0.2 - 0.1 = 0.08, v = 0.999*0.004 + 0.001 = 0.004996
    m_hat, v_hat = 0.08 / (1 - 0.81), 0.004996 / (1 - 0.999 ** 2)
    assert np.allclose(opt.update([-1.0]), [-0.1 * m_hat / math.sqrt(v_hat + 1e-8)])


def test_adam_eps_inside_the_square_root():
    # With eps = 1 and g = 1 the printed rule gives 1/sqrt(2); sqrt(v-hat) + eps would give 1/2.
    assert np.allclose(Adam(1.0, eps=1.0).update([1.0]), [-1 / math.sqrt(2)])


def test_rmsprop_is_adam_without_momentum():
    opt = rmsprop(0.1, beta2=0.9, eps=0.0)
    opt.update([1.0])
    # t = 2, g = 2: v = 0.9*0.1 + 0.1*4 = 0.49, v-hat = 0.49/0.19; update = -0.1 * 2 / sqrt(v-hat)
    assert np.allclose(opt.update([2.0]), [-0.2 / math.sqrt(0.49 / 0.19)])


def test_idealized_adam_uses_the_full_matrix():
    C = np.array([[4.0, 0.0], [0.0, 1.0]])
    opt = IdealizedAdam(0.1, C, beta1=0.9)
    assert np.allclose(opt.update([2.0, 2.0]), [-0.1, -0.2])     # m-hat = g, C^{-1/2} = diag(1/2, 1)
    opt = IdealizedAdam(0.1, C, beta1=0.9, bias_correction=False)
    assert np.allclose(opt.update([2.0, 2.0]), [-0.01, -0.02])   # (121): m = 0.1 g


def test_adai_first_step_by_hand():
    opt = Adai(0.1, beta0=0.1, beta2=0.99, eps=1e-3)
    g = np.array([1.0, 3.0])
    # v-hat = g^2 = (1, 9), mean 5; beta1 = 1 - 0.1 (0.2, 1.8) = (0.98, 0.82)
    # m = (1 - beta1) g = (0.02, 0.54); m-hat = m / (1 - beta1) = g; update = -0.1 g
    assert np.allclose(opt.update(g), -0.1 * g)
    assert np.allclose(opt.beta1, [0.98, 0.82])


def test_adai_second_step_by_hand():
    opt = Adai(0.1, beta0=0.1, beta2=0.5, eps=1e-3)
    opt.update(np.array([1.0, 3.0]))
    g2 = np.array([-1.0, 1.0])
    v = 0.5 * np.array([0.5, 4.5]) + 0.5 * g2 ** 2                 # (0.75, 2.75)
    v_hat = v / (1 - 0.25)
    b1 = np.clip(1 - 0.1 * v_hat / v_hat.mean(), 0, 1 - 1e-3)
    b1_first = np.clip(1 - 0.1 * np.array([1.0, 9.0]) / 5.0, 0, 1 - 1e-3)
    m1 = (1 - b1_first) * np.array([1.0, 3.0])
    m2 = b1 * m1 + (1 - b1) * g2
    expected = -0.1 * m2 / (1 - b1_first * b1)
    assert np.allclose(opt.update(g2), expected)


def test_adai_clips_beta1():
    opt = Adai(0.1, beta0=0.5, eps=0.01)
    opt.update(np.array([0.0, 0.0, 10.0]))      # ratios (0, 0, 3): beta1 = (1, 1, -0.5) -> clipped
    assert np.allclose(opt.beta1, [0.99, 0.99, 0.0])


def test_adai_mean_is_per_run_not_across_runs():
    g = np.array([[1.0, 3.0], [10.0, 30.0]])       # second run is the first scaled: same beta1
    opt = Adai(0.1)
    opt.update(g)
    assert np.allclose(opt.beta1[0], opt.beta1[1])
    single = Adai(0.1)
    single.update(g[:1])
    assert np.allclose(single.beta1[0], opt.beta1[0])


def test_adai_all_zero_gradient_is_not_nan():
    opt = Adai(0.1)
    assert np.all(np.isfinite(opt.update(np.zeros(3))))


def test_adaiw_decoupled_weight_decay():
    opt, plain = AdaiW(0.1, weight_decay=0.5), Adai(0.1)
    theta, g = np.array([2.0, -1.0]), np.array([1.0, 3.0])
    assert np.allclose(opt.step(theta, g), theta + plain.update(g) - 0.5 * 0.1 * theta)
    with pytest.raises(OptimizerError, match="needs the parameters"):
        AdaiW(0.1, weight_decay=0.5).update(g)


@pytest.mark.parametrize("make, message", [
    (lambda: Adam(-1.0), "lr=-1.0 breaks the assumption lr > 0"),
    (lambda: HeavyBall(0.1, beta1=1.0), "beta1=1.0 breaks the assumption 0 <= beta1 < 1"),
    (lambda: Adai(0.1, eps=0.0), "eps=0.0 breaks the assumption 0 < eps <= 1"),
    (lambda: IdealizedAdam(0.1, [[1.0, 0.0], [0.0, -1.0]]), "positive definite"),
])
def test_bad_hyperparameters_are_named(make, message):
    with pytest.raises(OptimizerError, match=message.replace("(", r"\(").replace("+", r"\+")):
        make()


def test_gradient_shape_must_not_change():
    opt = Adam(0.1)
    opt.update(np.ones(3))
    with pytest.raises(OptimizerError, match="differs from the first step"):
        opt.update(np.ones(4))


# --- the kernels built on them ----------------------------------------------------------------------------
def test_heavy_ball_exact_variance_matches_the_sum_formula():
    b, T, c = 0.9, 25, 0.3
    s = sum((1 - b ** j) ** 2 for j in range(1, T + 1))
    assert np.isclose(heavy_ball_exact_variance(0.0, c, T, 0.01, b, 1.0), 0.01 ** 2 * c * s / (1 - b) ** 2)


def test_heavy_ball_simulation_matches_its_exact_moments():
    rng = np.random.default_rng(np.random.SeedSequence(7))
    eigs = np.array([0.8, -0.5])
    (p,), bad = optimizer_on_saddle(lambda C: HeavyBall(0.05, 0.8, 1.0), eigs, 4.0, 30, 100_000, rng)
    exact = heavy_ball_exact_variance(eigs, np.abs(eigs) / 4.0, 30, 0.05, 0.8, 1.0)
    se = np.std(p ** 2, axis=0) / np.sqrt(len(p))
    assert not bad.any() and np.all(np.abs(np.mean(p ** 2, axis=0) - exact) < 5 * se)


def test_phase_space_sde_matches_the_closed_form():
    rng = np.random.default_rng(np.random.SeedSequence(11))
    point = {H: -0.4, M: 1.5, gamma: 2.0, D: 0.2, t: 2.0}
    s = phase_space_msd([-0.4], [0.2], 1.5, 2.0, 2.0, 50_000, rng, r0_var=0.2 / (2.0 * 1.5 ** 2))
    exact = float(EXACT_AT_EQUILIBRIUM.subs(point))
    se = s.values.std() / np.sqrt(len(s.values))
    assert abs(s.values.mean() - exact) < 5 * se


def test_optimizer_divergence_is_flagged():
    rng = np.random.default_rng(3)
    (_,), bad = optimizer_on_saddle(lambda C: SGD(5.0), [-3.0], 1.0, 400, 100, rng)
    assert bad.all()


def test_amsgrad_two_steps_as_printed():
    from checks.dynamics.optimizers import AMSGrad

    opt = AMSGrad(0.1, beta1=0.0, beta2=0.5)
    # t = 1, g = 2: m = 2, v = 0.5*4 = 2, v-hat = 2: update = -0.1 * 2/sqrt(2)
    assert np.allclose(opt.update([2.0]), [-0.1 * 2 / math.sqrt(2)])
    # t = 2, g = 0.5: v = 1 + 0.125 = 1.125 < v-hat = 2 (the max keeps 2): update = -0.1 * 0.5/sqrt(2)
    assert np.allclose(opt.update([0.5]), [-0.1 * 0.5 / math.sqrt(2)])


def test_amsgrad_printed_first_moment_uses_v():
    from checks.dynamics.optimizers import AMSGrad

    printed, standard = AMSGrad(0.1, beta1=0.5, beta2=0.5, printed_m=True), AMSGrad(0.1, beta1=0.5, beta2=0.5)
    for opt in (printed, standard):
        opt.update([2.0])
    # second step, g = 1: v_1 = 2, m_1 = 1 (both). printed m_2 = 0.5 v_1 + 0.5 = 1.5; standard m_2 = 0.5 m_1 + 0.5 = 1
    printed.update([1.0])
    standard.update([1.0])
    assert np.allclose(printed.m, [1.5]) and np.allclose(standard.m, [1.0])


def test_adam_without_max_is_amsgrad_flag():
    from checks.dynamics.optimizers import AMSGrad

    opt = AMSGrad(0.1, beta2=0.5, amsgrad=False)
    opt.update([2.0])
    opt.update([0.5])                       # v = 1.125, no max: update uses sqrt(1.125)
    assert np.allclose(opt.v_hat, [1.125])
