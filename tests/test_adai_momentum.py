"""The `adai` Momentum, Adam and Adai sections: the exact models the checks compare with, the simulations, and
the two check variants of theory/papers/adai/momentum_checks.py. The claims themselves run as tests through
the theorycheck plugin (``pytest theory/papers/adai/theorem2.py``)."""
from __future__ import annotations

import importlib

import numpy as np
import pytest
import sympy as sp

from checks.base import RunContext
from checks.dynamics.momentum import heavy_ball_exact_variance
from checks.result import DEPENDS, FAIL, PASS, combine_readings, compute_verdict
from checks.stats import PROCESS_TOTAL, Z_CRIT
from theory import BigO
from theory.model import ClaimSpec
from theory.papers.adai import inertia, mapping, notation
from theory.papers.adai import momentum_models as mo

MODULES = ("mapping", "theorem2_proof", "theorem2", "notation", "adam", "inertia")


def _specs():
    for name in MODULES:
        module = importlib.import_module(f"theory.papers.adai.{name}")
        yield from (v for v in vars(module).values() if isinstance(v, ClaimSpec) and v.module == module.__name__)


def test_every_claim_builds_with_unique_check_names():
    ids = []
    for spec in _specs():
        claim = spec.build()
        ids.append(claim.id)
        assert claim.checks, claim.id
        names = [ch.name for ch in claim.checks]
        assert len(names) == len(set(names)), claim.id
    assert len(ids) == len(set(ids)) and len(ids) >= 60


def test_plain_float_recursion_is_the_package_recursion():
    rng = np.random.default_rng(1)
    for _ in range(5):
        h, c, lr, b1, b3 = rng.uniform(-1, 1), rng.uniform(0.1, 2), rng.uniform(1e-3, 0.05), rng.uniform(0.5, 0.95), \
            rng.uniform(0.05, 1)
        T = int(rng.integers(1, 80))
        assert np.isclose(mo.recursion_variance(h, c, T, lr, b1, b3),
                          float(heavy_ball_exact_variance(h, c, T, lr, b1, b3)), rtol=1e-12)


@pytest.mark.parametrize("expr, velocity", [(mo.EXACT_AT_EQUILIBRIUM, "equilibrium"), (mo.EXACT_FROM_REST, "rest")])
def test_van_loan_and_the_closed_form_agree(expr, velocity):
    f = sp.lambdify((mo.H, mo.D, mo.M, mo.gamma, mo.t), expr)
    for h, d, m, g, tt in [(-0.3, 0.2, 1.5, 2.0, 3.0), (0.4, 0.1, 0.5, 3.0, 0.1), (1e-3, 0.1, 1.0, 1.0, 10.0)]:
        r0 = d / (g * m * m) if velocity == "equilibrium" else 0.0
        assert np.isclose(mo.sde7_msd(h, d, m, g, tt, r0), f(h, d, m, g, tt), rtol=1e-9)


def test_van_loan_is_stable_at_long_times():
    # stationary variance D/(gamma M H) for H > 0; a naive block exponential overflows here
    assert np.isclose(mo.sde7_msd(0.16, 0.06, 0.44, 4.0, 2000.0), 0.06 / (4.0 * 0.44 * 0.16), rtol=1e-9)


def test_closed_forms_solve_the_moment_equations():
    point = {mo.H: -0.37, mo.D: 0.21, mo.M: 1.3, mo.gamma: 2.2, mo.t: 0.9}
    for expr, r0 in ((mo.EXACT_AT_EQUILIBRIUM, mo.R_EQ2), (mo.EXACT_FROM_REST, 0)):
        residual, initial = mo.moment_ode_residual(expr, r0)
        assert abs(float(residual.subs(point))) < 1e-12
        assert all(abs(float(e.subs(mo.t, 0).subs(point))) < 1e-12 for e in initial)
    residual, _ = mo.moment_ode_residual(mo.THM2_RHS, mo.R_EQ2)
    assert abs(float(residual.subs(point))) > 1e-4                # the printed (9) does not


def test_momentum_sum_closed_form():
    for b, n in ((0.9, 25), (0.5, 3), (0.95, 100)):
        closed = float(mo.momentum_sum(sp.Float(b), n))
        assert np.isclose(closed, sum((1 - b ** j) ** 2 for j in range(1, n + 1)), rtol=1e-12)


def test_phase_space_simulation_matches_the_exact_moments():
    rng = np.random.default_rng(np.random.SeedSequence(5))
    h, d, m, g, tt = np.array([-0.3, 0.18, 0.39]), np.array([0.1, 0.05, 0.2]), 1.3, 2.0, 1.2
    sample = mo.sde7_msd_sample(h, d, m, g, tt, d / (g * m * m), 20_000, rng, n_coarse=100)
    exact = np.array([mo.sde7_msd(hh, dd, m, g, tt, dd / (g * m * m)) for hh, dd in zip(h, d)])
    se = sample.values.std(axis=0, ddof=1) / np.sqrt(len(sample.values))
    PROCESS_TOTAL.add(3)
    assert sample.diverged_fraction == 0 and np.all(np.abs(sample.values.mean(axis=0) - exact) < Z_CRIT * se)


def test_momentum_is_the_diffusion_limit_of_sde7():
    """The relative error of Momentum (4) (beta1 = 1 - gamma eta, beta3 = eta/M, C = 2D/eta) against (7) halves
    with eta."""
    h, d, m, g, tt = -0.3, 0.2, 1.5, 2.0, 3.0
    exact = mo.sde7_msd(h, d, m, g, tt)
    errors = []
    for k in range(3):
        e = 0.05 / 2 ** k
        errors.append(heavy_ball_exact_variance(h, 2 * d / e, int(round(tt / e)), e, 1 - g * e, e / m) / exact - 1)
    assert 1.8 < errors[0] / errors[1] < 2.2 and 1.8 < errors[1] / errors[2] < 2.2


def test_motion_equation_with_minus_g_is_momentum_and_with_g_is_not():
    point = {"beta_1": 0.8, "beta_3": 0.5, "eta": 0.1}
    for same in (True, False):                                  # F = -g_t (corrected), F = g_t (printed)
        c = mapping.eq5_corrected.build() if same else mapping.eq5.build()
        expr = c.formula.subs(mapping.IDENT5)
        f = sp.lambdify(list(c.regime.symbols), expr)
        names = [s.name for s in c.regime.symbols]
        fun = lambda **kw: f(*(kw[n] for n in names))
        full = {p.name: 0.0 for p in c.regime.params} | point     # the noise is keyed by the whole point
        truth = mapping.momentum_trajectory(full)
        assert np.allclose(mapping.motion_trajectory(full, fun), truth, rtol=1e-12) == same


def test_statement_order_reads_the_order_from_the_o_term():
    claim = notation.eq31_corrected.build()
    order_check = next(ch for ch in claim.checks if type(ch).__name__ == "StatementOrder")
    assert abs(order_check.claimed_order(claim) - 1.0) < 1e-9
    assert order_check.run(claim, RunContext()).status == PASS
    typo = claim.with_statement(sp.Eq(claim.lhs, claim.formula + BigO(mo.H ** 2 * mo.eta ** 4 * mo.T ** 2 / mo.B)))
    assert abs(order_check.claimed_order(typo) - 2.0) < 1e-9
    assert order_check.run(typo, RunContext()).status == FAIL


def test_monte_carlo_points_are_moved_to_the_designed_place():
    claim = notation.eq32_corrected.build()
    check = next(ch for ch in claim.checks if type(ch).__name__ == "MonteCarloMeanAt")
    for p in check.points(claim, RunContext(), np.random.default_rng(0), 4):
        x = 1.3 * abs(p["H"]) * p["eta"] * p["T"] / (1 - p["beta_1"])
        assert np.isclose(x, 1e-3) and 5 <= p["T"] <= 100


def test_eq10_readings_disagree_and_the_parent_depends_on_the_reading():
    coasting = inertia.coasting_sq(inertia.ADAM_STYLE)
    gain = inertia.net_gain(inertia.ADAM_STYLE)
    assert sp.simplify(coasting - mo.EQ10_RHS) == 0
    assert sp.simplify(gain + 2 * mo.EQ10_RHS) == 0                          # a loss of twice (10)
    verdicts = {}
    for spec in (inertia.eq10_coasting, inertia.eq10_net_gain):
        claim = spec.build()
        results = [ch.run(claim, RunContext()) for ch in claim.checks if ch.kind == "symbolic"]
        verdicts[claim.id] = compute_verdict(results, claim.about)
    assert combine_readings(compute_verdict([], "process"), verdicts).status == DEPENDS


def test_the_force_effect_breaks_the_printed_condition_for_sgd_style_momentum():
    sgd, adam = notation.force_effect("sgd"), notation.force_effect("adam")
    at = {"H": -2.0, "beta_1": 0.95, "T": 100.0}
    printed = {**at, "eta": 0.03 / (2.0 * 100)}                              # |H| eta T = 0.03
    assert sgd(printed) > 0.1 and adam(printed) < 0.1
    corrected = {**at, "eta": 0.03 * 0.05 / (2.0 * 100)}                     # |H| eta T/(1 - beta1) = 0.03
    assert sgd(corrected) < 0.1
