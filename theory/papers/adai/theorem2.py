"""`adai`, Theorem 2 (Momentum escapes saddle points): Eq. (9) for the SDE (7) and the proof's step (30).

Readings. Theorem 2 fixes theta(0) = c but not the initial velocity: the proof's Step I takes the equilibrium
velocity (E r(0)^2 = r_eq^2 = D/(gamma M^2); Step II (a)'s fixed velocity r_eq gives the same MSD), while
Momentum starts at rest (m_0 = 0). Each reading is a claim of its own. The Momentum-notation forms of the theorem
are in ``notation``.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from checks import ExactComparison, SymbolicEquality
from theory import Claim, Regime, claim

from . import momentum_tables as tables
from .momentum_checks import MonteCarloMeanAt
from .momentum_models import (
    C27,
    EXACT_AT_EQUILIBRIUM,
    EXACT_FROM_REST,
    G_IMPULSE,
    MSD,
    MSYMBOLS,
    NEAR_SADDLE,
    NONZERO_H,
    OVERDAMPED,
    P_D,
    P_H,
    P_M,
    R_EQ2,
    SIGMA2_29,
    THM2_RHS,
    M,
    P_gamma,
    P_tlong,
    c0,
    eigs_of,
    moment_ode_residual,
    r_eq,
    sde7_msd,
    sde7_msd_sample,
    t,
)
from .sgd import D_FACTORS

# --- Theorem 2, Eq. (9): the SDE (7) ------------------------------------------------------------------------------
SDE7_REGIME = Regime((P_H, P_D, P_M, P_gamma, P_tlong), (NONZERO_H, OVERDAMPED, NEAR_SADDLE),
                     "SDE (7) on L = H theta^2/2 along an eigenvector, D constant (Eq. (3)), theta(0) = c")
VELOCITY = {"equilibrium": R_EQ2, "rest": sp.S.Zero}
VELOCITY_TEXT = {"equilibrium": "E r(0)^2 = r_eq^2 = D/(gamma M^2) (Step I's Boltzmann velocity, or Step II (a)'s "
                                "fixed velocity r_eq: the same MSD)",
                 "rest": "r(0) = 0 (Momentum starts with m_0 = 0)"}


def _mass_of(point) -> float:
    """M at a point; claims in Adam's notation (Proposition 1) have no M: gamma M = 1 by (123)."""
    return point["M"] if "M" in point else 1 / point["gamma"]


def _moment_checks(r0_sq=None, mass=None) -> list:
    """The statement against the exact second-moment equations of (7) (evidence: the model). ``mass`` replaces M
    (Adam's M = 1/gamma) in the statement and in the equations."""
    sub = {M: mass} if mass is not None else {}
    res = lambda c, r0: [e.subs(sub) for e in (moment_ode_residual(c.formula.subs(sub), r0)[0],
                                               *moment_ode_residual(c.formula.subs(sub), r0)[1])]
    checks = [SymbolicEquality("solves the exact second-moment equations of (7)", lambda c: res(c, 0)[0], sp.S.Zero,
                               evidence="model", try_simplify=False),
              SymbolicEquality("<Delta theta^2>(0) = 0 and <Delta theta r>(0) = 0 (theta(0) = c)",
                               lambda c: sp.Matrix(res(c, 0)[1:3]).subs(t, 0), sp.zeros(2, 1), evidence="model",
                               try_simplify=False)]
    if r0_sq is not None:
        checks.append(SymbolicEquality("<r^2>(0) is the reading's E r(0)^2",
                                       lambda c: res(c, r0_sq)[3].subs(t, 0), sp.S.Zero, evidence="model",
                                       try_simplify=False))
    return checks


def _sde_exact(velocity):
    def exact(point):
        m = _mass_of(point)
        r0 = point["D"] / (point["gamma"] * m ** 2) if velocity == "equilibrium" else 0.0
        return sde7_msd(point["H"], point["D"], m, point["gamma"], point["t"], r0)
    return exact


def _sde_simulate(velocity):
    """SDE (7) on the 3-D saddle (H, -0.6H, 1.3|H|) with D_i = D (1, 0.5, 2), coupled Euler-Maruyama + Richardson."""
    def simulate(point, n_paths, rng):
        d, m = np.array([point["D"] * k for k in D_FACTORS]), _mass_of(point)
        r0 = d / (point["gamma"] * m ** 2) if velocity == "equilibrium" else 0.0
        return sde7_msd_sample(eigs_of(point), d, m, point["gamma"], point["t"], r0, n_paths, rng, n_coarse=100)
    return simulate


def _sde_predict(point, f):
    return np.array([f(**{**point, "H": h, "D": point["D"] * k}) for h, k in zip(eigs_of(point), D_FACTORS)])


def _momentum_time(point):
    """Where the velocity's memory matters: gamma t between 1/2 and 3 (the MC's points)."""
    return {**point, "t": float(np.clip(point["t"], 0.5 / point["gamma"], 3 / point["gamma"]))}


def sde_checks(velocity, mass=None) -> list:
    formula = (lambda c: c.formula.subs(M, mass)) if mass is not None else None
    r0 = VELOCITY[velocity].subs(M, mass) if mass is not None else VELOCITY[velocity]
    return _moment_checks(r0, mass) + [
        ExactComparison(f"the exact MSD of (7), {velocity} start (Van Loan)", _sde_exact(velocity),
                        lambda p, f: f(**p), formula=formula, n_points=8, rtol=1e-7),
        MonteCarloMeanAt(f"SDE (7) on a 3-D saddle, {velocity} start, at gamma t in [1/2, 3] (Euler-Maruyama, "
                         "Richardson)", _sde_simulate(velocity), _sde_predict, _momentum_time, formula=formula,
                         n_points=2, n_paths=20_000)]


THM2_CURVES = tables.THM2_CURVES
THM2_DYNAMICS = "SDE (7) on L = H theta^2/2 along an eigenvector, theta(0) = c"


def thm2_reading(velocity) -> Claim:
    return Claim(statement=sp.Eq(MSD(t), THM2_RHS), regime=SDE7_REGIME, symbols=MSYMBOLS, checks=sde_checks(velocity),
                 dynamics=f"{THM2_DYNAMICS}, {VELOCITY_TEXT[velocity]}", observable="<Delta theta_i^2(t)>")


@claim("adai.thm2", "Theorem 2, Eq. (9)", "Momentum escapes saddle points: MSD = momentum drift + diffusion",
       uses=["adai.eq30", "adai.eq7"])
def thm2():
    return Claim(
        statement=sp.Eq(MSD(t), THM2_RHS), regime=SDE7_REGIME, symbols=MSYMBOLS, dynamics=THM2_DYNAMICS,
        observable="<Delta theta_i^2(t)>", curves=THM2_CURVES,
        notes=["The theorem fixes theta(0) = c but not r(0): readings adai.thm2.equilibrium (the proof's) and "
               "adai.thm2.rest. The checks here hold for any initial velocity.",
               "Regime: 4|H|/(gamma^2 M) <= 1/2 and |H| t/(gamma M) <= 1, where the proof drops the force."],
        checks=[SymbolicEquality("(c(t) - c)^2 from (27) plus sigma^2 from (29) (the proof's (30))",
                                 ((C27 - c0) ** 2).subs(r_eq, sp.sqrt(R_EQ2)) + SIGMA2_29, lambda c: c.formula)]
        + _moment_checks())


@claim("adai.thm2.equilibrium", "Theorem 2, Eq. (9)", "Theorem 2 with the equilibrium initial velocity",
       reading_of="adai.thm2", reading="the velocity at t = 0 is at equilibrium, E r(0)^2 = D/(gamma M^2)",
       proof_reading=True)
def thm2_equilibrium():
    return thm2_reading("equilibrium")


@claim("adai.thm2.rest", "Theorem 2, Eq. (9)", "Theorem 2 from rest (m_0 = 0)", reading_of="adai.thm2",
       reading="the velocity at t = 0 is 0, as Momentum starts (m_0 = 0)")
def thm2_rest():
    return thm2_reading("rest")


def exact_claim(expr, velocity, notes) -> Claim:
    return Claim(statement=sp.Eq(MSD(t), expr), regime=SDE7_REGIME, symbols=MSYMBOLS,
                 printed=r"\langle\Delta\theta_i^2(t)\rangle = r_0^2 G(t)^2 + \frac{2D_i}{M^2}\int_0^t G(u)^2 du,\ "
                         r"G = \frac{e^{\lambda_+ t} - e^{\lambda_- t}}{\lambda_+ - \lambda_-},\ "
                         r"\lambda_\pm = \frac{-\gamma \pm \sqrt{\gamma^2 - 4H_i/M}}{2}",
                 dynamics=f"{THM2_DYNAMICS}, {VELOCITY_TEXT[velocity]}", observable="<Delta theta_i^2(t)>",
                 notes=notes, checks=sde_checks(velocity), curves=THM2_CURVES)


DERIVED = ("Derived: theta(t) = r(0) G(t) + (2D)^(1/2)/M int_0^t G(t-u) dW(u), with G the impulse response of "
           "theta'' + gamma theta' + (H/M) theta = 0 (G(0) = 0, G'(0) = 1); so <Delta theta^2> = E r(0)^2 G^2 + "
           "(2D/M^2) int_0^t G^2.")


@claim("adai.thm2.corrected", "Theorem 2, corrected", "Exact MSD of the Momentum SDE (7), equilibrium initial velocity",
       corrects="adai.thm2", uses=["adai.eq7", "adai.eq25"])
def thm2_corrected():
    return exact_claim(EXACT_AT_EQUILIBRIUM, "equilibrium", [
        DERIVED, "For H -> 0 it is 2D/(gamma^2 M^2) [t - (1 - exp(-gamma t))/gamma]: ballistic (D t^2/(gamma M^2)) at "
        "short times, and at long times 2Dt/(gamma M)^2 - 2D/(gamma^3 M^2): the velocity memory lowers the MSD below "
        "the overdamped one, where (9) raises it by D/(gamma^3 M^2)."])


@claim("adai.thm2.rest.corrected", "Theorem 2, corrected (from rest)", "Exact MSD of the Momentum SDE (7) from rest",
       corrects="adai.thm2", uses=["adai.eq7"])
def thm2_rest_corrected():
    return exact_claim(EXACT_FROM_REST, "rest", [
        DERIVED, "For H -> 0 it is 2D/(gamma^2 M^2) [t - 2(1 - e^{-gamma t})/gamma + (1 - e^{-2 gamma t})/(2 gamma)]: "
        "t^3 at short times, 2Dt/(gamma M)^2 - 3D/(gamma^3 M^2) at long times."])


# --- Eq. (30) -----------------------------------------------------------------------------------------------------
@claim("adai.eq30", "Eq. (30), App. A.2", "MSD = (c(t) - c)^2 + sigma^2(t): drift of (27) plus the spread of (28)",
       uses=["adai.eq27", "adai.eq29"])
def eq30():
    return Claim(
        statement=sp.Eq(MSD(t), ((C27 - c0) ** 2).subs(r_eq, sp.sqrt(R_EQ2)) + SIGMA2_29), regime=SDE7_REGIME,
        symbols=MSYMBOLS, dynamics=f"{THM2_DYNAMICS}, the proof's equilibrium velocity",
        printed=r"\langle \Delta \theta_i^2(t) \rangle = (c_i(t) - c_i)^2 + \sigma_i^2(t) = "
                r"\frac{D_i}{\gamma^3 M^2}[1 - e^{-\gamma t}]^2 + \frac{D_i}{\gamma M H_i}[1 - e^{-2H_i t/(\gamma M)}]",
        observable="<Delta theta_i^2(t)>",
        notes=["Encoded with (27) (r_eq^2 = D/(gamma M^2)) and (29) substituted. The algebra to the last form holds; "
               "the step that fails is adding a deterministic drift, with the force dropped, to the spread of the "
               "overdamped SDE (28): in (7) the velocity's memory is part of the motion, and it lowers the MSD."],
        checks=[SymbolicEquality("equals the printed last form (the algebra of (30))", lambda c: c.formula, THM2_RHS)]
        + sde_checks("equilibrium"))


@claim("adai.eq30.corrected", "Eq. (30), corrected", "MSD = (mean displacement of r_eq)^2 + spread of (7) itself",
       corrects="adai.eq30", uses=["adai.thm2.corrected"])
def eq30_corrected():
    return Claim(
        statement=sp.Eq(MSD(t), R_EQ2 * G_IMPULSE ** 2 + EXACT_FROM_REST), regime=SDE7_REGIME, symbols=MSYMBOLS,
        dynamics=f"{THM2_DYNAMICS}, the proof's equilibrium velocity", observable="<Delta theta_i^2(t)>",
        printed=r"\langle \Delta \theta_i^2(t) \rangle = r_{eq}^2 G(t)^2 + \frac{2D_i}{M^2}\int_0^t G(u)^2 du",
        notes=["Derived: the mean displacement from velocity r_eq is r_eq G(t) (the force kept, G the impulse response "
               "of (7)); the spread is that of (7) from rest, not of (28). Same value as adai.thm2.corrected."],
        checks=sde_checks("equilibrium"))
