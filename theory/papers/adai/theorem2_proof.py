"""`adai`, App. A.2, the proof of Theorem 2 up to (30): the canonical ensemble (22)-(24), the equilibrium velocity
(25) (Step I), the drift c(t) (26)-(27) (Step II (a)) and the overdamped diffusion part (28)-(29) (Step II (b)).
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from checks import ExactComparison, MonteCarloMean, Sample, SymbolicEquality
from checks.dynamics.linear import saddle_sde_second_moments
from theory import Claim, Param, Regime, claim

from .mapping import FP8_RHS, SDE7, SDE7_REGIME, X_r, X_theta, d_theta, dW, sde_coefficients
from .momentum_models import (
    C27,
    MSYMBOLS,
    P_D,
    P_M,
    SIGMA2_29,
    D,
    H,
    M,
    P_gamma,
    P_tlong,
    c0,
    drop_diverged,
    dt,
    gamma,
    phase_space_paths,
    r,
    r_eq,
    richardson,
    sde7_msd,
    t,
    theta,
)
from .sgd import L, P

# --- Eqs. (22)-(24): the canonical ensemble -----------------------------------------------------------------------
Z = sp.Symbol("Z", positive=True)
Z_theta = sp.Symbol(r"Z_{\theta}", positive=True)
BETA = gamma * M / D                                          # inverse temperature, after (22)
ENERGY = L(theta) + M * r ** 2 / 2
Hp = sp.Symbol("H", positive=True)
QUADRATIC = {L(theta): H * theta ** 2 / 2}                    # Assumption 1 at c = 0


def _fp8_at(dens):
    return FP8_RHS.replace(P, sp.Lambda((theta, r, t), dens)).doit()


def _mass(expr, *variables):
    """Total mass of a Gaussian-type expression with H > 0 (integrated with H positive, then H restored)."""
    out = expr.subs(H, Hp)
    for v in variables:
        out = sp.integrate(out, (v, -sp.oo, sp.oo))
    return out.subs(Hp, H)


@claim("adai.eq22", "Eq. (22), App. A.2", "Canonical ensemble exp(-beta (L + M r^2/2)) / Z, beta = gamma M / D, is "
       "stationary for (8)", uses=["adai.eq8"])
def eq22():
    return Claim(
        statement=sp.Eq(sp.Function("P_{eq}")(theta, r), sp.exp(-BETA * ENERGY) / Z),
        regime=Regime((P_M, P_gamma, P_D, Param(H, 0.05, 2.0, doc="Hessian eigenvalue > 0 for the total mass")), (),
                      "near a critical point; the total mass is checked where it is finite (H > 0, see adai.eq24)"),
        symbols={**MSYMBOLS, "Z": "partition function"}, dynamics="Fokker-Planck (8)",
        observable="stationary density in phase space",
        checks=[SymbolicEquality("the right side of (8) vanishes at P_eq (any L)", lambda c: _fp8_at(c.formula),
                                 sp.S.Zero, divide_by=lambda c: c.formula, extra=[X_theta, X_r, Param(Z, 0.5, 2.0)],
                                 evidence="model"),
                SymbolicEquality("total mass 1 with Z the partition function (L = H theta^2/2, H > 0)",
                                 lambda c: _mass(c.formula.subs(QUADRATIC).subs(Z, _mass(sp.exp(-BETA * ENERGY).subs(
                                     QUADRATIC), theta, r)), theta, r), sp.S.One, evidence="model")])


P24 = sp.Function(r"P_{eq}")(theta)


def _stationary_variance(point) -> float:
    """Var theta of (7) on L = H theta^2/2 after a long time (20 relaxation times of the slowest mode)."""
    slow = abs(point["H"]) / (point["gamma"] * point["M"])
    return sde7_msd(point["H"], point["D"], point["M"], point["gamma"], 20 / slow + 20 / point["gamma"])


def _density_variance(c):
    """The variance of the statement's density read from it: -1 / (2 x the coefficient of theta^2 in log P)."""
    logp = sp.expand(sp.expand_log(sp.log(c.formula.subs(QUADRATIC)), force=True))
    return -1 / (2 * logp.coeff(theta, 2))


def eq24_claim(regime, notes, with_mass: bool):
    checks = [ExactComparison("its variance is the long-time variance of (7) (exact, Van Loan)", _stationary_variance,
                              lambda p, f: f(**p), formula=_density_variance, n_points=6, rtol=1e-6)]
    if with_mass:        # (where exp(-beta L) is integrable at all)
        checks.insert(0, SymbolicEquality("total mass 1 with Z_theta = int exp(-beta L) d theta",
                                          lambda c: _mass(c.formula.subs(QUADRATIC).subs(Z_theta, _mass(
                                              sp.exp(-BETA * L(theta)).subs(QUADRATIC), theta)), theta), sp.S.One,
                                          evidence="model"))
    return Claim(
        statement=sp.Eq(P24, sp.exp(-BETA * L(theta)) / Z_theta), regime=regime,
        symbols={**MSYMBOLS, r"Z_{\theta}": "partition function of the position marginal"},
        dynamics="SDE (7) on L = H theta^2/2 (Assumption 1)", observable="the long-time law of theta",
        notes=notes, checks=checks)


MIN_H = Param(H, 0.05, 2.0, doc="Hessian eigenvalue H_i > 0")


@claim("adai.eq24", "Eq. (24), App. A.2", "Equilibrium position density exp(-beta L)/Z_theta", uses=["adai.eq22"])
def eq24():
    return eq24_claim(Regime((MIN_H, P_D, P_M, P_gamma), (), "along a direction with H_i > 0: Step II of the proof "
                             "says the position-space distribution is time-dependent near saddle points"),
                      ["(22)-(24) are stated 'near a critical point'; Step II qualifies them at once: near saddle "
                       "points "
                       "the position-space distribution is time-dependent (along H_i < 0 exp(-beta L) is not "
                       "integrable), and the proof uses only the velocity marginal (23)/(25) there. So (24) is "
                       "checked where it is claimed as an equilibrium, H_i > 0: (7) relaxes to N(c, D/(gamma M H_i))."],
                      with_mass=True)


# --- Eq. (25): the equilibrium velocity -------------------------------------------------------------------------
r_eq2 = sp.Symbol("r_{eq}^{2}", positive=True)
P25 = (2 * sp.pi) ** sp.Rational(-1, 2) * sp.sqrt(BETA * M) * sp.exp(-BETA * M * r ** 2 / 2)   # (25), n = 1


def _velocity_simulate(point, n_paths, rng):
    """The velocity of (7) with the force dropped (Step I), from r(0) = 0, at gamma t = 10: r(t)^2."""
    time = 10 / point["gamma"]
    p = phase_space_paths(0.0, point["D"], point["M"], point["gamma"], time, 0.0, n_paths, rng, n_coarse=200)
    return Sample(drop_diverged(richardson(p["r_f"] ** 2, p["r_c"] ** 2), p["diverged"]), ["<r^2>"],
                  float(p["diverged"].mean()))


@claim("adai.eq25", "Eq. (25) and Step I, App. A.2", "Equilibrium velocity density and r_eq^2 = D/(gamma M^2)",
       uses=["adai.eq22"])
def eq25():
    amp = sde_coefficients(SDE7, 0)[1]
    return Claim(
        statement=sp.Eq(r_eq2, D / (gamma * M ** 2)),
        regime=Regime((P_M, P_gamma, P_D, Param(r_eq2, 0.01, 1.0, log=True, doc="r_eq^2 (the left side)")), (),
                      "velocity space, n = 1"),
        symbols=MSYMBOLS, dynamics="(7) near a critical point with the force dropped (Step I)",
        observable="E[r^2] at equilibrium",
        notes=["r_eq^2 is read as the mean squared velocity under (25)."],
        checks=[SymbolicEquality("E[r^2] under (25) with beta = gamma M/D",
                                 sp.integrate(r ** 2 * P25, (r, -sp.oo, sp.oo)), lambda c: c.formula),
                SymbolicEquality("d E[r^2]/dt = -2 gamma E[r^2] + 2D/M^2 vanishes at the statement's value (7)",
                                 lambda c: -2 * gamma * c.formula + amp ** 2, sp.S.Zero, evidence="model"),
                MonteCarloMean("velocity of (7) without force, from rest, at gamma t = 10 (Euler-Maruyama, Richardson)",
                               _velocity_simulate, lambda p, f: [f(**p) * (1 - np.exp(-20))], n_points=2,
                               n_paths=20_000)])


# --- Eqs. (26)-(27): the proof's drift ----------------------------------------------------------------------------
c_of_t = sp.Function("c_i")(t)
EQ26 = sp.Eq(M * sp.Derivative(c_of_t, t, 2), -gamma * M * sp.Derivative(c_of_t, t))


def _drift_simulate(point, n_paths, rng):
    """The mean of (7) with the force dropped, from theta = c, r(0) = r_eq: theta(t) - c per path."""
    p = phase_space_paths(0.0, point["D"], point["M"], point["gamma"], point["t"], point["r_{i,eq}"], n_paths,
                          rng, n_coarse=200)
    return Sample(drop_diverged(richardson(p["theta_f"], p["theta_c"]), p["diverged"]), ["theta - c"],
                  float(p["diverged"].mean()))


@claim("adai.eq27", "Eqs. (26)-(27), App. A.2", "Momentum drift c(t) = c + r_eq/gamma (1 - exp(-gamma t))",
       uses=["adai.eq25"])
def eq27():
    solves = lambda c: (EQ26.lhs - EQ26.rhs).subs(c_of_t, c.formula).doit()
    return Claim(
        statement=sp.Eq(c_of_t, C27),
        regime=Regime((P_M, P_gamma, P_D, P_tlong, Param(c0, -1, 1), Param(r_eq, 0.05, 2.0)), (),
                      "Step II (a) of the proof of Theorem 2: the force dropped"),
        symbols={**MSYMBOLS, "c_i": "critical point", "r_{i,eq}": "initial velocity r_eq"},
        dynamics="ODE (26) with c(0) = c, c'(0) = r_eq; the mean of (7) without force", observable="c_i(t)",
        checks=[SymbolicEquality("solves (26)", solves, sp.S.Zero, evidence="model"),
                SymbolicEquality("c(0) = c, c'(0) = r_eq, c''(0) = -gamma r_eq",
                                 lambda c: sp.Matrix([c.formula.subs(t, 0), sp.diff(c.formula, t).subs(t, 0),
                                                      sp.diff(c.formula, t, 2).subs(t, 0)]),
                                 sp.Matrix([c0, r_eq, -gamma * r_eq]), evidence="model"),
                MonteCarloMean("mean of (7) without force from velocity r_eq (Euler-Maruyama, Richardson)",
                               _drift_simulate, lambda p, f: [f(**p) - p["c_i"]], n_points=2, n_paths=20_000)])


# --- Eqs. (28)-(29): the proof's diffusion part ---------------------------------------------------------------
SDE28 = sp.Eq(gamma * M * d_theta, -sp.Derivative(L(theta), theta) * dt + sp.sqrt(2 * D) * dW, evaluate=False)
sigma2 = sp.Function(r"\sigma_{i}^{2}")(t)
s_var = sp.Symbol("s", positive=True)


def _variance_rate_28(var):
    """d Var theta / dt of SDE (28) on L = H theta^2/2: 2 a Var + b^2 (d theta = a theta dt + b dW)."""
    rate = sp.expand(sp.solve(SDE28, d_theta)[0].subs(sp.Derivative(L(theta), theta), H * theta))
    a, b = sp.expand(rate.coeff(dW, 0) / dt).coeff(theta), rate.coeff(dW, 1)
    return 2 * a * var + b ** 2


def _sde28_simulate(point, n_paths, rng):
    k = point["gamma"] * point["M"]
    return saddle_sde_second_moments([point["H"] / k], [point["D"] / k ** 2], point["t"], n_paths, rng)


@claim("adai.eq29", "Eqs. (28)-(29), App. A.2", "Diffusion part: variance of the overdamped SDE (28)",
       uses=["adai.thm1"])
def eq29():
    return Claim(
        statement=sp.Eq(sigma2, SIGMA2_29),
        regime=SDE7_REGIME, symbols=MSYMBOLS, dynamics="SDE (28): gamma M d theta = -H theta dt + (2D)^(1/2) dW",
        observable="Var theta(t) of (28)",
        notes=["Whether (28) describes the spread of (7) is Theorem 2's question (adai.eq30, adai.thm2)."],
        checks=[SymbolicEquality("solves d sigma^2/dt = 2 a sigma^2 + b^2 of (28)", lambda c: sp.diff(c.formula, t),
                                 lambda c: _variance_rate_28(c.formula), evidence="model"),
                SymbolicEquality("sigma^2(0) = 0", lambda c: sp.limit(c.formula, t, 0), sp.S.Zero, evidence="model"),
                MonteCarloMean("SDE (28) (Euler-Maruyama, Richardson)", _sde28_simulate, lambda p, f: [f(**p)],
                               n_points=2, n_paths=20_000)])
