"""`adai`, App. A.3 (proof of Theorem 3), the steps not in kramers.py: the phase-space Fokker-Planck equation
rewritten (33)-(34), the Smoluchowski-like current (44), its integrated forms (45) and (51)-(52), the flux through
the saddle surface in n dimensions (58)-(61) and the n-dimensional escape time (62)-(63).

Evidence from the dynamics: the Fokker-Planck operator of SDE (7) built from its own drift and diffusion; the current
of (7)'s Smoluchowski (overdamped) limit gamma M dtheta = -L' dt + (2D)^(1/2) dW; the flux-carrying stationary density
of (1) on a double well (escape_models); the stationary covariance of the linear SDE (7) across the escape direction
(Lyapunov); exact mean first-passage times of a 2-D valley's averaged (fast transverse) 1-D reduction.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import sympy as sp

from checks import ExactComparison, ExactOrder, SymbolicEquality
from theory import Claim, Param, Regime, Sampling, claim

from . import escape_models as em
from . import kramers as kr
from .escape_models import ESYMBOLS, S_IN, H, H_ae, H_be, M, P_s, gamma, n_dim, tau
from .kramers import DET_A, DHAT, T_, Dhat_b, J, L_a, L_b, L_s, P_a, T_a, T_ae, T_b, T_be
from .sgd import D, L, P, X_theta, theta

# --- (33)-(34): the phase-space Fokker-Planck equation rewritten ------------------------------------------------------
r_ = sp.Symbol("r", real=True)
t_ = sp.Symbol("t", nonnegative=True)
P_eq = sp.Function("P_eq")
PHASE = P(theta, r_, t_)
MAXWELL = sp.exp(-gamma * M ** 2 * r_ ** 2 / (2 * D))      # the stationary law of r = dtheta/dt under (7)
PHASE_REGIME = Regime((Param(gamma, 0.5, 5.0, log=True), Param(M, 0.2, 2.0, log=True), Param(D, 0.05, 1.0, log=True)),
                      (), "SDE (7) in 1-D, D constant")
PHASE_EXTRA = [X_theta, Param(r_, -2.0, 2.0, doc="velocity"), Param(t_, 0.0, 2.0, doc="time")]


def fokker_planck_7() -> sp.Expr:
    """-div(drift P) + 1/2 d_r^2 (sigma^2 P) for (7): dtheta = r dt, dr = (-gamma r - L'/M) dt + (2D)^(1/2)/M dW."""
    drift_r = -gamma * r_ - sp.Derivative(L(theta), theta) / M
    return (-sp.Derivative(r_ * PHASE, theta) - sp.Derivative(drift_r * PHASE, r_)
            + D / M ** 2 * sp.Derivative(PHASE, r_, 2)).doit()


@claim("adai.eq33", "Eqs. (33)-(34), App. A.3", "Phase-space Fokker-Planck equation (8) rewritten with P_eq(r)",
       quantified="P_eq(r) is not defined in the text; read as the stationary (Maxwell) density of r = dtheta/dt under "
                  "(7), exp(-gamma M^2 r^2/(2D)), the one Gaussian for which the last term carries (8)'s damping")
def eq33():
    rhs = (-r_ * sp.Derivative(PHASE, theta) + sp.Derivative(L(theta), theta) / M * sp.Derivative(PHASE, r_)
           + sp.Derivative(D / M ** 2 * P_eq(r_) * sp.Derivative(PHASE / P_eq(r_), r_), r_))
    return Claim(
        statement=sp.Eq(sp.Derivative(PHASE, t_), rhs), regime=PHASE_REGIME,
        symbols={**ESYMBOLS, "r": "velocity dtheta/dt", "D": "diffusion of (7)"},
        dynamics="SDE (7): M dtheta' = -gamma M dtheta - L'(theta) dt + (2D)^(1/2) dW (1-D)",
        observable="the phase-space density P(theta, r, t)",
        notes=["(34) names the right side -div J: that defines J and is not checked on its own."],
        checks=[SymbolicEquality("with P_eq the Maxwell density of (7), the statement's right side is the "
                                 "Fokker-Planck operator of (7) built from its drift and diffusion",
                                 lambda c: c.formula.replace(P_eq, sp.Lambda(r_, MAXWELL)).doit(),
                                 lambda c: fokker_planck_7(), extra=PHASE_EXTRA, evidence="model")])


# --- (44): the Smoluchowski-like current with finite inertia ----------------------------------------------------------
T_SMOL = D / (gamma * M)                                   # (44)'s temperature
CURRENT_44 = DHAT * sp.exp(-L(theta) / T_SMOL) * sp.Derivative(sp.exp(L(theta) / T_SMOL) * P(theta), theta)
OVERDAMPED_J = -(sp.Derivative(L(theta), theta) * P(theta) / (gamma * M)
                 + D / (gamma * M) ** 2 * sp.Derivative(P(theta), theta))
SMOL_REGIME = Regime((Param(D, 0.01, 1.0, log=True), Param(gamma, 0.5, 50.0, log=True), Param(M, 0.05, 5.0, log=True),
                      Param(DHAT, 0.01, 1.0, log=True, doc="set by the model")), (),
                     "SDE (7), 1-D, along the escape direction")
SMOL_SYMBOLS = {**ESYMBOLS, "J": "probability current",
                r"\hat{D}": "effective diffusion (42), as corrected (adai.eq42.corrected)", "D": "diffusion of (7)"}


def dhat_smoluchowski() -> sp.Expr:
    """D-hat where 4H/(gamma^2 M) -> 0, from the corrected effective diffusion (adai.eq42.corrected)."""
    return sp.limit(kr.eq42_corrected().formula, H, 0)


def smoluchowski_current_check() -> SymbolicEquality:
    return SymbolicEquality(
        "in the Smoluchowski limit (D-hat -> D/(gamma M)^2, adai.eq42.corrected at 4H/(gamma^2 M) -> 0) J is the "
        "probability current of (7)'s overdamped limit gamma M dtheta = -L' dt + (2D)^(1/2) dW: "
        "-(L' P/(gamma M) + D/(gamma M)^2 P')", lambda c: c.formula.subs(DHAT, dhat_smoluchowski()).doit(),
        OVERDAMPED_J, extra=[X_theta], evidence="model")


@claim("adai.eq44", "Eq. (44), App. A.3", "Finite-inertia current J = D-hat exp(-L/T) grad[exp(L/T) P], "
       "T = D/(gamma M)", uses=["adai.eq42", "adai.eq43"])
def eq44():
    return Claim(
        statement=sp.Eq(J, CURRENT_44), regime=SMOL_REGIME, symbols=SMOL_SYMBOLS,
        dynamics="SDE (7) reduced to position space (Kalinay and Percus 2012)", observable="the current J",
        notes=["The sign repeats the slip of (43) (adai.eq43); the value of D-hat is adai.eq42's claim."],
        checks=[smoluchowski_current_check()])


@claim("adai.eq44.corrected", "Eq. (44), corrected", "Finite-inertia current J = -D-hat exp(-L/T) grad[exp(L/T) P]",
       corrects="adai.eq44", uses=["adai.eq42.corrected"])
def eq44_corrected():
    return Claim(statement=sp.Eq(J, -CURRENT_44), regime=SMOL_REGIME, symbols=SMOL_SYMBOLS,
                 dynamics="SDE (7) reduced to position space", observable="the current J",
                 checks=[smoluchowski_current_check()])


# --- (45): the current integrated form --------------------------------------------------------------------------------
L_sv = sp.Symbol("L(s)", real=True)
BOLTZ = sp.exp((L(theta) - L_sv) / T_)
LHS_45 = sp.Derivative(BOLTZ * P(theta), theta)
REGIME_45 = Regime((Param(D, 0.01, 1.0, log=True), Param(T_, 0.01, 1.0, log=True), Param(gamma, 0.5, 50.0, log=True),
                    Param(M, 0.05, 5.0, log=True), Param(L_sv, -1.0, 1.0), Param(J, -1.0, 1.0),
                    Param(DHAT, 0.01, 1.0, log=True, doc="set by the model")), (),
                   "the 1-D current along the escape path")
SGD_J = -(sp.Derivative(L(theta), theta) * P(theta) + D * sp.Derivative(P(theta), theta))   # current of (1)


def checks_45() -> list:
    return [SymbolicEquality("SGD (T = D, D-hat = D): both sides with J the probability current of (1), "
                             "-(L' P + D P')", lambda c: LHS_45.subs(T_, D).doit(),
                             lambda c: c.formula.subs({J: SGD_J, DHAT: D, T_: D}).doit(), extra=[X_theta],
                             evidence="model"),
            SymbolicEquality("Momentum's Smoluchowski limit (T = D/(gamma M), D-hat -> D/(gamma M)^2): both sides with "
                             "J the current of (7)'s overdamped limit", lambda c: LHS_45.subs(T_, T_SMOL).doit(),
                             lambda c: c.formula.subs({J: OVERDAMPED_J, DHAT: dhat_smoluchowski()}).subs(
                                 T_, T_SMOL).doit(), extra=[X_theta], evidence="model")]


@claim("adai.eq45", "Eq. (45), App. A.3", "grad[exp((L - L(s))/T) P] = J D^-1 exp((L - L(s))/T)",
       uses=["adai.eq44"])
def eq45():
    return Claim(statement=sp.Eq(LHS_45, J / D * BOLTZ), regime=REGIME_45, symbols=SMOL_SYMBOLS,
                 dynamics="SDE (1) (T = D) and SDE (7)'s Smoluchowski limit (T = D/(gamma M))",
                 observable="the current J along the escape path",
                 notes=["Against (44) as printed, (45) has D^-1 where (44) has D-hat; the sign is that of (43)-(44)."],
                 checks=checks_45())


@claim("adai.eq45.corrected", "Eq. (45), corrected", "grad[exp((L - L(s))/T) P] = -J D-hat^-1 exp((L - L(s))/T)",
       corrects="adai.eq45", uses=["adai.eq44.corrected"])
def eq45_corrected():
    return Claim(statement=sp.Eq(LHS_45, -J / DHAT * BOLTZ), regime=REGIME_45, symbols=SMOL_SYMBOLS,
                 dynamics="SDE (1) (T = D) and SDE (7)'s Smoluchowski limit (T = D/(gamma M))",
                 observable="the current J along the escape path", checks=checks_45())


# --- (51): the right side of the integrated (45) ---------------------------------------------------------------------
RIGHT = sp.Symbol("Right", real=True)
INT_51 = sp.Symbol(r"\int_a^c D^{-1} e^{(L - L(s))/T} d\theta", positive=True)
INT_51H = sp.Symbol(r"\int_a^c \hat{D}^{-1} e^{(L - L(s))/T} d\theta", positive=True)
RATIO_T = sp.Symbol(r"\Delta L / T", positive=True)
REGIME_51 = Regime((Param(gamma, 0.5, 5.0, log=True), Param(M, 0.2, 2.0, log=True), Param(RATIO_T, 8.0, 16.0),
                    Param(J, 0.5, 2.0, doc="set by the model"), Param(INT_51, 0.1, 2.0, doc="set by the model"),
                    Param(INT_51H, 0.1, 2.0, doc="set by the model"), P_s,
                    Param(RIGHT, -2.0, -0.1, doc="the statement's left side")),
                   (S_IN, Sampling(sp.Abs(sp.log(gamma * M)) >= sp.log(2), "gamma M outside (1/2, 2)")),
                   "(7)'s Smoluchowski limit on a double well (barrier 1), isothermal T = D/(gamma M)")


@lru_cache(maxsize=64)
def right_model(gm: float, ratio: float, s_: float) -> tuple[float, float, float]:
    """(7)'s Smoluchowski limit gamma M dX = -L' dt + (2D)^(1/2) dW on the double well of barrier 1 at T = D/(gamma M)
    = 1/ratio, with the stationary density carrying J = 1: (Left = int_a^c d/dtheta[e^((L - L(s))/T) P] = -e^((L(a) -
    L(s))/T) P(a) (P(c) = 0), int_a^c D^-1 e^((L - L(s))/T), the same with D-hat = D/(gamma M)^2)."""
    val = em.double_well(8.0, 1.0, s_)
    r, a, c = val.ends
    T = 1.0 / ratio
    D_ = gm * T
    log_pa = em.flux_density(lambda x: -val.grad(x) / gm, lambda x: np.full_like(x, D_ / gm ** 2), r, c, [(a, 0)])[0]
    x = np.linspace(a, c, 80_001)
    boltz = np.exp((val.loss(x) - s_) / T)
    left = -math.exp(-s_ / T + log_pa)
    integral = float(np.trapezoid(boltz, x))
    return left, integral / D_, integral * gm ** 2 / D_


def checks_51() -> list:
    return [ExactComparison("the statement's Right against Left of the same stationary density (46) (J = 1): the "
                            "flux-carrying density of (7)'s Smoluchowski limit", lambda p: [right_model(
                                p["gamma"] * p["M"], p[RATIO_T.name], p["s"])[0]],
                            lambda p, f: [f(**{**p, "J": 1.0, **dict(zip((INT_51.name, INT_51H.name), right_model(
                                p["gamma"] * p["M"], p[RATIO_T.name], p["s"])[1:]))})], n_points=3, rtol=2e-3)]


@claim("adai.eq51", "Eq. (51), App. A.3", "Right = -J int_a^c D^-1 exp((L - L(s))/T) dtheta", uses=["adai.eq45"])
def eq51():
    return Claim(statement=sp.Eq(RIGHT, -J * INT_51), regime=REGIME_51,
                 symbols={**SMOL_SYMBOLS, "Right": "(46)'s integral written with (45)'s right side",
                          RATIO_T.name: "barrier over temperature"},
                 dynamics="SDE (7)'s Smoluchowski limit, isothermal", observable="the integral (51)",
                 notes=["(51)'s -J agrees with the probability current (adai.eq45.corrected); its D^-1 is (45)'s."],
                 checks=checks_51())


@claim("adai.eq51.corrected", "Eq. (51), corrected", "Right = -J int_a^c D-hat^-1 exp((L - L(s))/T) dtheta",
       corrects="adai.eq51", uses=["adai.eq45.corrected"])
def eq51_corrected():
    return Claim(statement=sp.Eq(RIGHT, -J * INT_51H), regime=REGIME_51,
                 symbols={**SMOL_SYMBOLS, "Right": "(46)'s integral written with (45)'s right side",
                          RATIO_T.name: "barrier over temperature"},
                 dynamics="SDE (7)'s Smoluchowski limit, isothermal", observable="the integral (51)",
                 checks=checks_51())


# --- (51)-(52): the current out of valley a ---------------------------------------------------------------------------
INT_52 = sp.Symbol(r"\int_a^c \hat{D}^{-1} e^{(L - L(s))/T} d\theta", positive=True)
INT_52A = sp.Symbol(r"\int_a^c \hat{D}_a^{-1} e^{(L - L(s))/T} d\theta", positive=True)
REGIME_52 = Regime((Param(L_a, -1.0, 0.0), Param(L_b, 0.1, 1.0), P_s, Param(T_a, 0.05, 0.1, log=True),
                    Param(P_a, 0.1, 2.0, doc="set by the model"), Param(INT_52, 0.1, 2.0, doc="set by the model"),
                    Param(INT_52A, 0.1, 2.0, doc="set by the model"), Param(J, 0.5, 2.0, doc="set by the model")),
                   (S_IN,),
                   "SDE (1) on a double well, temperature T_a on a -> s and T_b on s -> c (Ito, as (1) is written)")
SYMBOLS_52 = {**ESYMBOLS, "J": "probability current", "L_a": "L(a)", "L_b": "L(b)", "T_a": "temperature on a -> s",
              "P(a)": "density at a", INT_52.name: "the integral of (52)", INT_52A.name: "the same with D at a"}


@lru_cache(maxsize=64)
def current_model(L_a_: float, L_b_: float, s_: float, T_a_: float, ratio: float) -> tuple[float, float, float]:
    """SDE (1), dX = -L' dt + (2T)^(1/2) dW, on the double well of barrier L_b - L_a whose temperature is T_a on a -> s
    and T_b = ratio T_a on s -> c, with the stationary density carrying the current J = 1 (escape_models):
    (P(a), int_a^c T^-1 e^((L - L(s))/T), int_a^c T_a^-1 e^((L - L(s))/T)), in units where L(a) = L_a."""
    dl_ = L_b_ - L_a_
    val = em.double_well(8 * dl_, dl_, s_)
    r, a, c = val.ends
    def temp(x):
        return np.where(x < val.switch, T_a_, ratio * T_a_)
    log_pa = em.flux_density(lambda x: -val.grad(x), temp, r, c, [(a, 0)], val.breaks())[0]
    x = np.concatenate([np.linspace(a, val.switch, 40_001), np.linspace(val.switch, c, 40_001)[1:]])
    T = np.where(np.arange(x.size) <= 40_000, T_a_, ratio * T_a_)
    boltz = np.exp((val.loss(x) - s_ * dl_) / T)             # L - L(s), L(s) - L(a) = s DeltaL
    return float(math.exp(log_pa)), float(np.trapezoid(boltz / T, x)), float(np.trapezoid(boltz / T_a_, x))


def checks_52() -> list:
    def one(label, ratio):
        return ExactComparison(
            f"{label}: the statement's J against the current (= 1) of the flux-carrying stationary density of (1) "
            "(double well, D-hat = D = T)", lambda p: [1.0],
            lambda p, f: [f(**{**p, **dict(zip(("P(a)", INT_52.name, INT_52A.name),
                                               current_model(p["L_a"], p["L_b"], p["s"], p["T_a"], ratio)))})],
            n_points=3, rtol=2e-3)
    return [one("isothermal (T_b = T_a)", 1.0), one("Eq. (3) at a and b: T_b = (|H_b|/H_a) T_a = T_a/2", 0.5)]


@claim("adai.eq52", "Eqs. (51)-(52), App. A.3", "J = exp((L(a) - L(s))/T_a) P(a) / int_a^c D-hat^-1 exp((L - L(s))/T) "
       "dtheta", uses=["adai.eq50", "adai.eq45"])
def eq52():
    return Claim(
        statement=sp.Eq(J, sp.exp((L_a - L_s) / T_a) * P_a / INT_52), regime=REGIME_52, symbols=SYMBOLS_52,
        dynamics="SDE (1) with Eq. (3)'s temperature T_a on a -> s and T_b on s -> c (Ito)",
        observable="the stationary current J out of valley a",
        notes=["(51)'s D^-1 is adai.eq51. With Ito noise D P is continuous where the temperature changes "
               "(adai.eq50), so the integral takes D at a throughout (adai.eq52.corrected)."],
        checks=checks_52())


@claim("adai.eq52.corrected", "Eq. (52), corrected", "J = exp((L(a) - L(s))/T_a) P(a) / int_a^c D-hat_a^-1 "
       "exp((L - L(s))/T) dtheta", corrects="adai.eq52", uses=["adai.eq50.corrected"])
def eq52_corrected():
    return Claim(
        statement=sp.Eq(J, sp.exp((L_a - L_s) / T_a) * P_a / INT_52A), regime=REGIME_52, symbols=SYMBOLS_52,
        dynamics="SDE (1) with Eq. (3)'s temperature T_a on a -> s and T_b on s -> c (Ito)",
        observable="the stationary current J out of valley a", checks=checks_52())


# --- (58)-(61): the flux through the saddle surface S_b, n dimensions -------------------------------------------------
FLUX_B = sp.Symbol(r"\int_{S_b} J \cdot dS", positive=True)
J_1d = sp.Symbol("J_{1d}", positive=True)
PROD_B = sp.Symbol(r"\prod_{i \neq e} D_{bi}^{-1} H_{bi}", positive=True)
h2, h3, d2, d3 = sp.symbols("H_b2 H_b3 D_b2 D_b3", positive=True)
y2, y3 = sp.symbols("theta_2 theta_3", real=True)
TRANSVERSE = (Param(h2, 0.2, 2.0, log=True, doc="transverse curvature at b"), Param(h3, 0.2, 2.0, log=True),
              Param(d2, 0.01, 1.0, log=True, doc="transverse diffusion at b"), Param(d3, 0.01, 1.0, log=True))
REGIME_61 = Regime((Param(J_1d, 0.1, 2.0), Param(FLUX_B, 0.1, 2.0, doc="set by the model"),
                    Param(gamma, 0.5, 50.0, log=True), Param(M, 0.05, 5.0, log=True),
                    Param(PROD_B, 0.1, 10.0, doc="set by the model"), *TRANSVERSE),
                   (Sampling(sp.Abs(sp.log(gamma * M)) >= sp.log(2), "gamma M outside (1/2, 2), where the power of "
                                                                      "gamma M is resolved"),),
                   "SDE (7) near the saddle b in n = 3 dimensions, D_b and H_b with common eigenvectors (Eq. (3))")
SYMBOLS_61 = {**ESYMBOLS, "J_{1d}": "1-D current along e", PROD_B.name: "product over the transverse eigen-directions",
              "H_b2": "transverse eigenvalue of H_b", "D_b2": "transverse eigenvalue of D_b"}


def gauss(h, d, x) -> sp.Expr:
    return sp.integrate(sp.exp(-gamma * M / 2 * h / d * x ** 2), (x, -sp.oo, sp.oo))


ROTATION = np.linalg.qr(np.random.default_rng(20211123).normal(size=(3, 3)))[0]   # fixed eigenvectors, e = column 0


def transverse_integral(p: dict) -> float:
    """int over the plane S_b perpendicular to e of the stationary transverse density of the linear SDE (7) at b
    (Lyapunov equation, in a basis of the plane that is not the eigenbasis), normalised to 1 at b: (2 pi)^((n-1)/2)
    det(Sigma_perp)^(1/2)."""
    from scipy.linalg import solve_continuous_lyapunov

    h = np.diag([-1.0, p["H_b2"], p["H_b3"]])
    d = np.diag([0.1, p["D_b2"], p["D_b3"]])
    Hb, Db = ROTATION @ h @ ROTATION.T, ROTATION @ d @ ROTATION.T
    plane = ROTATION[:, 1:] @ np.array([[math.cos(0.7), -math.sin(0.7)], [math.sin(0.7), math.cos(0.7)]])
    Hp, Dp = plane.T @ Hb @ plane, plane.T @ Db @ plane
    g, m = p["gamma"], p["M"]
    A = np.block([[np.zeros((2, 2)), np.eye(2)], [-Hp / m, -g * np.eye(2)]])
    Q = np.block([[np.zeros((2, 2)), np.zeros((2, 2))], [np.zeros((2, 2)), 2 * Dp / m ** 2]])
    sigma = solve_continuous_lyapunov(A, -Q)[:2, :2]
    return float(2 * math.pi * math.sqrt(np.linalg.det(sigma)))


def checks_61() -> list:
    return [SymbolicEquality("(59) in 2-D, H_b and D_b diagonal, e the first axis: J_1d times the Gaussian integral "
                             "over the transverse axis", lambda c: J_1d * gauss(h2, d2, y2),
                             lambda c: c.formula.subs({n_dim: 2, PROD_B: h2 / d2})),
            SymbolicEquality("(59) in 3-D, H_b and D_b diagonal, e the first axis: J_1d times the Gaussian integral "
                             "over the two transverse axes", lambda c: J_1d * gauss(h2, d2, y2) * gauss(h3, d3, y3),
                             lambda c: c.formula.subs({n_dim: 3, PROD_B: h2 * h3 / (d2 * d3)})),
            ExactComparison("J_1d times the integral over S_b of the stationary transverse density of the linear SDE "
                            "(7) at b (Lyapunov), 3-D, D_b and H_b with common random eigenvectors",
                            lambda p: [p["J_{1d}"] * transverse_integral(p)],
                            lambda p, f: [f(**{**p, PROD_B.name: p["H_b2"] * p["H_b3"] / (p["D_b2"] * p["D_b3"])})],
                            formula=lambda c: c.formula.subs(n_dim, 3), n_points=4, rtol=1e-8)]


@claim("adai.eq61", "Eqs. (58)-(61), App. A.3", "Flux through the saddle surface: J_1d (2 pi gamma M)^((n-1)/2) / "
       "(prod_(i != e) D_bi^-1 H_bi)^(1/2)", uses=["adai.eq52", "adai.eq56"])
def eq61():
    return Claim(
        statement=sp.Eq(FLUX_B, J_1d * (2 * sp.pi * gamma * M) ** ((n_dim - 1) / 2) / sp.sqrt(PROD_B)),
        regime=REGIME_61, symbols=SYMBOLS_61, dynamics="quasi-equilibrium of (7) across the escape direction at b",
        observable="the probability flux through S_b",
        notes=["(61) is this with J_1d from (52) and (56); the transverse integrand of (59) has variance "
               "D_bi/(gamma M H_bi), the same slip as (41) (adai.eq41)."],
        checks=checks_61())


@claim("adai.eq61.corrected", "Eq. (60), corrected", "Flux through the saddle surface: J_1d (2 pi/(gamma M))^((n-1)/2) "
       "/ (prod_(i != e) D_bi^-1 H_bi)^(1/2)", corrects="adai.eq61")
def eq61_corrected():
    return Claim(
        statement=sp.Eq(FLUX_B, J_1d * (2 * sp.pi / (gamma * M)) ** ((n_dim - 1) / 2) / sp.sqrt(PROD_B)),
        regime=REGIME_61, symbols=SYMBOLS_61, dynamics="quasi-equilibrium of (7) across the escape direction at b",
        observable="the probability flux through S_b", checks=checks_61())


# --- (62)-(63): the escape time in n dimensions -----------------------------------------------------------------------
k_a, k_b = sp.Symbol("k_a", positive=True), sp.Symbol("k_b", positive=True)
T_red = sp.Symbol("T_2d", positive=True)
D_a = sp.Symbol("D_a", positive=True)
REGIME_63 = Regime((Param(n_dim, 1, 6, doc="number of parameters"), Param(P_a, 0.1, 2.0),
                    Param(gamma, 0.5, 50.0, log=True), Param(M, 0.05, 5.0, log=True),
                    Param(DET_A, 0.1, 10.0), Param(PROD_B, 0.1, 10.0), Param(Dhat_b, 0.01, 1.0, log=True),
                    Param(L_a, -1.0, 0.0), Param(L_b, 0.1, 1.0), P_s, Param(T_ae, 0.05, 0.5, log=True),
                    Param(T_be, 0.05, 0.5, log=True), em.P_Hbe,
                    Param(H_ae, 0.2, 2.0, log=True, doc="curvature of the 2-D valley at a along e"),
                    Param(D_a, 0.05, 1.0, log=True, doc="isotropic diffusion of the 2-D valley"),
                    Param(k_a, 0.5, 1.0, doc="transverse curvature at a (2-D valley)"),
                    Param(k_b, 2.0, 8.0, doc="transverse curvature at b (2-D valley)"),
                    Param(T_red, 0.002, 0.125, log=True, doc="temperature of the 2-D valley (ladder variable)")),
                   (S_IN, Sampling(sp.Abs(sp.log(gamma * M)) >= sp.log(2), "gamma M outside (1/2, 2), where the "
                                                                              "power of gamma M is resolved")),
                   "Kramers escape of (7) from valley a past the saddle b in n dimensions")


def tau_63_from_pieces(population, flux) -> sp.Expr:
    """(62): the population (41) over the flux (61), J_1d from (52) with (56)'s saddle integral."""
    saddle = kr.eq56().formula.subs(T_b, T_be)
    j1d = eq52().formula.subs(INT_52, saddle / Dhat_b).subs(T_a, T_ae)
    return population().formula / flux().formula.subs(J_1d, j1d)


def smoluchowski_1d(c) -> sp.Expr:
    """The statement in 1-D on the cosine valley (H_be = -H_ae, isotropic noise D_a, T = D_a/(gamma M) at a and b)
    with D-hat at its Smoluchowski limit D_a/(gamma M)^2 (adai.eq42.corrected)."""
    T = D_a / (gamma * M)
    return c.formula.subs({n_dim: 1, DET_A: H_ae / D_a, PROD_B: 1, Dhat_b: dhat_smoluchowski().subs(D, D_a),
                           T_ae: T, T_be: T, H_be: -H_ae})


@lru_cache(maxsize=256)
def smoluchowski_tau(H_a: float, barrier: float, gm: float, D_: float) -> float:
    """One-exit mean escape time of (7)'s Smoluchowski limit gamma M dtheta = -L' dt + (2 D)^(1/2) dW on the cosine
    valley of curvature H_a and barrier DeltaL (exact quadrature, escape_models)."""
    val = em.cosine_valley(H_a, barrier)
    r, a, c = val.ends
    return val.exits * em.mean_exit_time(lambda x: -val.grad(x) / gm, lambda x: np.full_like(x, D_ / gm ** 2), r, a, c)


def switching_1d(c) -> sp.Expr:
    """The statement in 1-D on the double well whose noise switches at s (D_a on a -> s, D_a |H_b|/H_a = D_a/2 on
    s -> b, as under Eq. (3)), so T_be = T_ae/2, with D-hat at its Smoluchowski limit (adai.eq42.corrected)."""
    T = D_a / (gamma * M)
    return c.formula.subs({n_dim: 1, DET_A: H_ae / D_a, PROD_B: 1, Dhat_b: dhat_smoluchowski().subs(D, D_a / 2),
                           T_ae: T, T_be: T / 2, H_be: -H_ae / 2})


@lru_cache(maxsize=256)
def switching_tau(H_a: float, barrier: float, s_: float, gm: float, D_: float) -> float:
    """Mean escape time of (7)'s Smoluchowski limit gamma M dtheta = -L' dt + (2 D(theta))^(1/2) dW (Ito) on the
    double well whose diffusion switches from D_ at a to D_/2 where L = L(a) + s DeltaL (exact quadrature)."""
    val = em.double_well(H_a, barrier, s_)
    return em.sgd_escape_time(val, 2 * D_ / H_a, 1.0, gm)        # eta v/2 = D_ v/H_a with B = 1


def switching_check() -> ExactOrder:
    return ExactOrder("n = 1, double well whose diffusion halves at s (T_be = T_ae/2): exact mean escape time of "
                      "(7)'s Smoluchowski limit (Ito), T_ae = D/(gamma M) -> 0 (DeltaL/T_ae = 8 ... 128)",
                      lambda p: switching_tau(p["H_ae"], p["L_b"] - p["L_a"], p["s"], p["gamma"] * p["M"], p["D_a"]),
                      small=D_a, order=1.0, rungs=5, factor=2.0, n_points=2,
                      start=lambda p: {**p, "D_a": p["gamma"] * p["M"] * (p["L_b"] - p["L_a"]) / 8},
                      formula=switching_1d)


JUMP_63 = T_be / T_ae   # the Ito density jumps by D_a/D_b where the noise switches: (62) with it


def checks_63(population, flux, label, jump=1) -> list:
    return [SymbolicEquality(f"(62): (41) over (61), {label}, J_1d from (52) with (56)"
                             + (", times the jump T_be/T_ae of the density at s (Ito)" if jump != 1 else ""),
                             lambda c: tau_63_from_pieces(population, flux) * jump, lambda c: c.formula),
            ExactOrder("2-D valley, transverse curvature k_a at a and k_b at b, over the same valley in 1-D: exact "
                       "mean escape times of the averaged (fast transverse) SDE (1), T -> 0 (DeltaL/T = 8 ... 128)",
                       lambda p: averaged_ratio(p["k_a"], p["k_b"], p["T_2d"]), small=T_red, order=1.0,
                       rungs=5, factor=2.0, n_points=2, start=lambda p: {**p, "T_2d": 0.125},
                       formula=transverse_ratio),
            ExactOrder("n = 1, cosine valley: exact mean escape time of (7)'s Smoluchowski limit (D-hat -> D/(gamma "
                       "M)^2), T = D/(gamma M) -> 0 (DeltaL/T = 8 ... 128)",
                       lambda p: smoluchowski_tau(p["H_ae"], p["L_b"] - p["L_a"], p["gamma"] * p["M"], p["D_a"]),
                       small=D_a, order=1.0, rungs=5, factor=2.0, n_points=2,
                       start=lambda p: {**p, "D_a": p["gamma"] * p["M"] * (p["L_b"] - p["L_a"]) / 8},
                       formula=smoluchowski_1d),
            switching_check()]


def transverse_ratio(c) -> sp.Expr:
    """The statement for the 2-D valley (isotropic D, transverse curvature k_a at a and k_b at b) over the statement for
    the same valley without the transverse direction (n = 1)."""
    two = c.formula.subs({n_dim: 2, DET_A: H_ae * k_a / D_a ** 2, PROD_B: k_b / D_a})
    one = c.formula.subs({n_dim: 1, DET_A: H_ae / D_a, PROD_B: 1})
    return sp.simplify(two / one)


@lru_cache(maxsize=256)
def averaged_ratio(k_a_: float, k_b_: float, T: float) -> float:
    """Mean escape time of the 2-D valley L = L_1(x) + k(x) y^2/2 over that of L_1 alone, for SDE (1) with isotropic
    temperature T, in the limit of fast transverse relaxation: x then moves in F = L_1 + (T/2) log k(x) (exact
    averaging), with L_1 the cosine valley (DeltaL = 1, escape past the saddle at x = w) and k(x) = k_a + (k_b - k_a)
    (1 - cos(pi x/w))/2 (k_a at the minimum, k_b at the saddle, k' = 0 at both)."""
    val = em.cosine_valley(1.0, 1.0)
    w = val.w
    r, a, c = val.ends
    def grad_k(x):
        return (k_b_ - k_a_) * math.pi / (2 * w) * np.sin(math.pi * x / w)
    def k_of(x):
        return k_a_ + (k_b_ - k_a_) * (1 - np.cos(math.pi * x / w)) / 2
    def tau(with_k):
        drift = (lambda x: -val.grad(x) - T / 2 * grad_k(x) / k_of(x)) if with_k else (lambda x: -val.grad(x))
        return em.mean_exit_time(drift, lambda x: np.full_like(x, T), r, a, c)
    return tau(True) / tau(False)


SYMBOLS_63 = {**ESYMBOLS, PROD_B.name: "product over the transverse eigen-directions at b",
              "k_a": "transverse curvature at a", "k_b": "at b", "T_2d": "temperature of the 2-D valley",
              "D_a": "diffusion of the model valley", "H_ae": "curvature of the model valley at a"}


@claim("adai.eq41.ndim", "Eqs. (37)-(41), (62)-(63), App. A.3", "n-dimensional escape time: population (41) over the "
       "flux (61)", uses=["adai.eq41", "adai.eq61", "adai.eq52", "adai.eq56"])
def eq41_ndim():
    tau63 = (P_a * (2 * sp.pi * gamma * M) ** (n_dim / 2) / sp.sqrt(DET_A)
             * (Dhat_b ** -1 * sp.exp((L_b - L_s) / T_be) * sp.sqrt(2 * sp.pi * T_be / sp.Abs(H_be)))
             / (sp.exp((L_a - L_s) / T_ae) * P_a * (2 * sp.pi * gamma * M) ** ((n_dim - 1) / 2) / sp.sqrt(PROD_B)))
    return Claim(
        statement=sp.Eq(tau, tau63), regime=REGIME_63,
        symbols=SYMBOLS_63,
        dynamics="SDE (1)/(7) near valley a in n dimensions (Assumptions 1-3)", observable="mean escape time",
        notes=["The powers of 2 pi gamma M leave (2 pi gamma M)^(1/2) for every n: the n-dependent factor is the ratio "
               "of transverse determinants, (prod_(i != e) D_bi^-1 H_bi / prod_(i != e) D_ai^-1 H_ai)^(1/2), which "
               "the 2-D check tests against the dynamics; the n-independent rest is tested in 1-D against (7)'s "
               "Smoluchowski limit. Under Eq. (3) (D proportional to H) every D_i^-1 H_i is 2B/eta and the factor "
               "is 1."],
        checks=checks_63(kr.eq41, eq61, "both as printed"))


@claim("adai.eq41.ndim.corrected", "Eqs. (62)-(63), corrected", "n-dimensional escape time with (2 pi/(gamma M)) "
       "in the population and the flux, and the factor T_be/T_ae of the density's jump where the noise switches",
       corrects="adai.eq41.ndim", uses=["adai.eq41.corrected", "adai.eq61.corrected"])
def eq41_ndim_corrected():
    tau63 = (P_a * (2 * sp.pi / (gamma * M)) ** (n_dim / 2) / sp.sqrt(DET_A)
             * (Dhat_b ** -1 * sp.exp((L_b - L_s) / T_be) * sp.sqrt(2 * sp.pi * T_be / sp.Abs(H_be)))
             / (sp.exp((L_a - L_s) / T_ae) * P_a * (2 * sp.pi / (gamma * M)) ** ((n_dim - 1) / 2) / sp.sqrt(PROD_B))
             * T_be / T_ae)
    return Claim(
        statement=sp.Eq(tau, tau63), regime=REGIME_63, symbols=SYMBOLS_63,
        dynamics="SDE (1)/(7) near valley a in n dimensions (Assumptions 1-3)", observable="mean escape time",
        notes=["(62) divides (41) by (61) as if the density were continuous where the temperature changes from T_ae "
               "to T_be (the level L_s). Under (7)'s Ito noise the stationary density is proportional to "
               "exp(-int L'/T)/D, so it jumps by D_ae/D_be there; the factor T_be/T_ae = D_be/D_ae restores it (the "
               "same jump gives adai.thm3.corrected its |H_be|/H_ae). It is 1 at one temperature."],
        checks=checks_63(kr.eq41_corrected, eq61_corrected, "both corrected", jump=JUMP_63))
