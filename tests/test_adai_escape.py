"""The exact escape-time models of the `adai` escape sections, and their checks on mutated statements."""
from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from checks.base import RunContext
from checks.result import ERROR, FAIL
from theory.papers.adai import escape_models as em


def test_mean_exit_time_of_free_diffusion():
    # D = 0.3, reflecting at 0, absorbing at 2: tau(0) = c^2/(2D); a break costs nothing
    tau = em.mean_exit_time(lambda x: 0 * x, lambda x: np.full_like(x, 0.3), 0.0, 0.0, 2.0, breaks=(0.7,))
    assert math.isclose(tau, 4 / 0.6, rel_tol=1e-7)


def test_mean_exit_time_with_a_jump_in_the_diffusion():
    # L = 0, D = D1 on (0, b), D2 on (b, c): tau(0) = b^2/(2 D1) + (c - b) b / D1 + (c - b)^2/(2 D2)  (Ito)
    D1, D2, b, c = 0.2, 0.7, 0.6, 1.5
    tau = em.mean_exit_time(lambda x: 0 * x, lambda x: np.where(x < b, D1, D2), 0.0, 0.0, c, breaks=(b,))
    assert math.isclose(tau, b ** 2 / (2 * D1) + (c - b) * b / D1 + (c - b) ** 2 / (2 * D2), rel_tol=1e-7)


def test_weighted_exit_time_counts_the_weight():
    # weight 3 everywhere: three times the mean exit time
    args = (lambda x: -x, lambda x: np.full_like(x, 0.5), -3.0, 0.0, 1.0)
    assert math.isclose(em.mean_exit_time(*args, weight=lambda x: np.full_like(x, 3.0)), 3 * em.mean_exit_time(*args),
                        rel_tol=1e-9)


def test_flux_density_carries_its_current():
    # constant D and no force: P(x) = (c - x)/D for a unit current towards c
    logs = em.flux_density(lambda x: 0 * x, lambda x: np.full_like(x, 0.5), 0.0, 2.0, [(0.5, 0), (1.0, 0)], upto=1.0)
    assert np.allclose(np.exp(logs), [3.0, 2.0, (2 * 1 - 0.5) / 0.5], rtol=1e-6)


def test_adam_clocks_differ_by_the_curvature_ratio_at_low_temperature():
    # double well, H_a = 2 |H_b|: the summed adaptive time over the saddle clock -> (v_b / v_a)^(1/2) = 2^(-1/2)
    val = em.double_well(2.0, 0.25, 0.5)
    eta = 0.25 / (64 * math.sqrt(2.0 / 1.0) / 2)
    ratio = em.adam_escape_time(val, eta, 1.0, "path") / em.adam_escape_time(val, eta, 1.0, "saddle")
    assert abs(ratio - 2 ** -0.5) < 0.02


def test_sgd_escape_time_prefactor_is_one_over_H_a_under_ito():
    # the exact Ito escape time over 2 pi/H_a e^(exponent) tends to 1 (not to H_a/|H_b| = 2)
    val = em.double_well(2.0, 0.25, 0.5)
    B, ratios = 1.0, []
    for R in (16.0, 32.0):
        eta = 0.25 / R * 2 * B / val.H_a
        exponent = 2 * B * 0.25 / eta * (0.5 / val.H_a + 0.5 / val.H_b)
        ratios.append(em.sgd_escape_time(val, eta, B) / (2 * math.pi / val.H_a * math.exp(exponent)))
    assert abs(ratios[1] - 1) < abs(ratios[0] - 1) < 0.03


def _mutated(spec, factor):
    c = spec.build()
    return c.with_statement(sp.Eq(c.lhs, factor * c.rhs, evaluate=False))


@pytest.mark.parametrize("factor", [sp.I, -1, sp.zoo])
def test_path_parameter_band_never_crashes_on_a_mutant(factor):
    from theory.papers.adai import kramers

    claim = _mutated(kramers.thm3_sgd_some_s, factor)
    band = claim.checks[-1]
    result = band.run(claim, RunContext())
    assert result.status == FAIL and result.status != ERROR


def test_figure5_reads_the_power_from_the_statement():
    from checks.base import Undecidable
    from theory.papers.adai import appendix_e
    from theory.papers.adai.escape_checks import claimed_power

    assert claimed_power(appendix_e.fig5.build()) == 1.0
    assert claimed_power(appendix_e.fig5_adam.build()) == 0.5
    with pytest.raises(Undecidable):
        claimed_power(appendix_e.fig5.build().with_statement(sp.Eq(sp.Symbol("y"), sp.Symbol("k"))))
