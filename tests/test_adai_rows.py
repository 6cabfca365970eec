"""Helpers of adai's kramers_ndim, appendix_rows and escape_rows modules, against closed forms."""
import math

import numpy as np
import pytest
import sympy as sp

from theory.papers.adai import appendix_rows as ar
from theory.papers.adai import escape_rows as er
from theory.papers.adai import kramers_ndim as kn


def test_critical_points_of_styblinski_tang():
    pts = er.critical_points()
    assert [round(x, 6) for x, _, _ in pts] == [-2.903534, 0.156731, 2.746803]
    assert list(er.classified()) == [1, 1, 1]


def test_relation_at_reads_the_ratio():
    assert er.relation_at(sp.StrictGreaterThan(sp.log(er.RATIO), 0), 1.1)
    assert not er.relation_at(sp.StrictGreaterThan(sp.log(er.RATIO), 0), 0.9)


def test_transverse_integral_is_the_gaussian_of_variance_d_over_gamma_m_h():
    p = {"gamma": 3.0, "M": 0.5, "H_b2": 0.7, "H_b3": 1.9, "D_b2": 0.2, "D_b3": 0.05}
    gm = p["gamma"] * p["M"]
    expected = 2 * math.pi / gm / math.sqrt(p["H_b2"] * p["H_b3"] / (p["D_b2"] * p["D_b3"]))
    assert kn.transverse_integral(p) == pytest.approx(expected, rel=1e-9)


def test_averaged_ratio_tends_to_the_transverse_determinant_ratio():
    assert kn.averaged_ratio(1.0, 1.0, 0.05) == pytest.approx(1.0, rel=1e-9)
    err = [abs(kn.averaged_ratio(0.5, 4.0, t) / math.sqrt(8.0) - 1) for t in (0.02, 0.01)]
    assert err[1] < 0.6 * err[0] and err[1] < 0.02


def test_current_model_isothermal_matches_the_flux_identity():
    p_a, integral, integral_a = kn.current_model(-0.5, 0.5, 0.5, 0.08, 1.0)
    assert integral == pytest.approx(integral_a, rel=1e-12)
    assert math.exp(-0.5 * 1.0 / 0.08) * p_a / integral == pytest.approx(1.0, rel=2e-3)


def test_smoluchowski_tau_matches_kramers_at_low_temperature():
    tau = kn.smoluchowski_tau(1.0, 1.0, 2.0, 2.0 / 64)          # T = D/(gamma M) = 1/64
    kramers = 2.0 * 2 * math.pi / 1.0 * math.exp(64)
    assert tau / kramers == pytest.approx(1.0, rel=0.05)


def test_gauss_expectation_moments():
    assert float(ar.gauss_expectation(lambda a, b: a * a)) == pytest.approx(1.0, rel=1e-12)
    assert float(ar.gauss_expectation(lambda a, b: a ** 2 * b ** 2)) == pytest.approx(1.0, rel=1e-12)


def test_logistic_hessian_at_zero_is_a_quarter():
    assert ar.logistic_hessian(0.0, 0.0) == pytest.approx((0.25, 0.25), rel=1e-12)


def test_toy_gradient_vanishes_when_the_labels_are_fair():
    hs, ggs = ar.toy_moments(0.0, 0.0)
    assert hs == (0.25, 0.25) and max(ggs) < 1e-20


def test_adai_mean_converges_to_the_ode():
    p = {"eta": 1e-3, "g": 3.0, "H": 0.3, "t": 2.0}
    ode = ar.ode_solution(1 / sp.Symbol("g", positive=True), sp.Symbol("g", positive=True))
    value = float(ode.subs({sp.Symbol("g", positive=True): 3.0, ar.H: 0.3, ar.t_: 2.0}))
    assert ar.adai_mean(p) == pytest.approx(value, rel=2e-3)


def test_simulations_have_the_declared_shapes():
    rng = np.random.default_rng(0)
    point = {"theta*_1": 1.0, "theta*_2": 0.2, "sigma": 2.0}
    assert ar.logistic_fim_simulate(point, 50, rng).values.shape == (50, 2)
    assert ar.squares_fim_simulate(point, 50, rng).values.shape == (50, 2)
    assert ar.toy_simulate(point, 50, rng).values.shape == (50, 4)


def test_adai_stationary_variance_tends_to_eta_sigma_over_2h():
    p = {"eta": 1e-3, "g": 3.0, "H": 0.3, r"\sigma_g^2": 1.5}
    assert ar.adai_stationary_variance(p) == pytest.approx(1e-3 * 1.5 / (2 * 0.3), rel=1e-3)


def test_right_model_left_equals_the_effective_diffusion_integral():
    left, with_d, with_dhat = kn.right_model(2.0, 10.0, 0.5)
    assert left == pytest.approx(-with_dhat, rel=2e-3)
    assert with_dhat == pytest.approx(4.0 * with_d, rel=1e-12)


def test_switching_double_well_needs_the_density_jump():
    """(62) without the factor T_be/T_ae (the density's Ito jump where the noise halves) is off by 2 at every
    temperature, so the switching ladder rejects it; with the factor it passes."""
    from checks.base import RunContext
    from checks.result import FAIL, PASS
    from theory.registry import Registry

    c = Registry.builtin().get("adai.eq41.ndim.corrected")
    check = kn.switching_check()
    assert check.run(c, RunContext()).status == PASS
    without = c.with_statement(sp.Eq(c.lhs, c.rhs * kn.T_ae / kn.T_be))
    assert check.run(without, RunContext()).status == FAIL
    # the exact model itself at DeltaL/T_a = 64 against Laplace's method on its Ito MFPT integral (|H_b| = H_a/2):
    # 2 pi gamma M (T_b/T_a)^(1/2) / (H_a |H_b|)^(1/2) e^(s DeltaL/T_a + (1-s) DeltaL/T_b)
    H_a, dl, s_, gm = 1.0, 0.5, 0.5, 2.0
    D_ = gm * dl / 64
    T_a, T_b = D_ / gm, D_ / (2 * gm)
    laplace = (2 * math.pi * gm * math.sqrt(T_b / T_a) / math.sqrt(H_a * H_a / 2)
               * math.exp(s_ * dl / T_a + (1 - s_) * dl / T_b))
    assert abs(kn.switching_tau(H_a, dl, s_, gm, D_) / laplace - 1) < 0.02
