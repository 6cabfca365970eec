"""`adai`, Sec. 3 and App. A.3, B: Momentum escapes minima. Assumptions 2-3 and the mean escape time (35),
the proof of Theorem 3 (33)-(66), Theorem 3, its SGD case and the remark after it; App. B's numbers.

The dynamics are the paper's: SDE (1) (SGD) and (7) (Momentum), Ito as written, with Eq. (3)'s noise at a and at
b. Evidence from them: exact mean first-passage times by quadrature (escape_models) on two valleys, the exact
stationary law and mean dynamics of the linear SDE (7), and Monte Carlo of the optimizers themselves.
"""
from __future__ import annotations

import math

import sympy as sp

from checks import ExactComparison, MonteCarloMean, SymbolicEquality
from theory import BigO, Claim, Condition, Param, Regime, Sampling, claim

from . import escape_models as em
from .escape_checks import PathParameterBand, sgd_ladders, thm3_checks
from .escape_models import (
    ESYMBOLS,
    EXPONENT,
    P_B,
    RATIO_57,
    S_IN,
    TAU_SGD,
    TAU_THM3,
    B,
    H,
    H_ae,
    H_be,
    M,
    P_dL,
    P_eta,
    P_Hae,
    P_Hbe,
    P_s,
    beta1,
    beta3,
    dL,
    eta,
    gamma,
    s,
    tau,
)
from .sgd import D, L, X_theta, theta

P = sp.Function("P")


# --- Assumptions 2-3, Eq. (35) and App. B -----------------------------------------------------------------------------
POP = sp.Symbol(r"P(\theta \in V_a)", positive=True)
FLUX = sp.Symbol(r"\int_{S_a} J \cdot dS", positive=True)
RATIO_T = sp.Symbol(r"\Delta L / T", positive=True)


@claim("adai.eq35", "Eq. (35), Assumptions 2-3", "Mean escape time = population of the valley / probability flux",
       quantified="'quasi-equilibrium' (Assumption 2) read as the stationary density that carries a constant "
                  "current J from valley a to an absorbing end past the saddle; 'low temperature' (Assumption 3) "
                  "as DeltaL/T >= 10, where Kramers' flux-over-population error e^(-DeltaL/T)-small is < 1e-3")
def eq35():
    return Claim(
        statement=sp.Eq(tau, POP / FLUX),
        regime=Regime((Param(RATIO_T, 10.0, 20.0, doc="DeltaL / T"), Param(POP, 0.1, 1.0, doc="set by the model"),
                       Param(FLUX, 0.1, 1.0, doc="set by the model")), (), "valley a of SDE (1), Assumptions 2-3"),
        symbols={**ESYMBOLS, r"\Delta L / T": "barrier over temperature"}, dynamics="SDE (1) near a valley",
        observable="mean escape time from the minimum a past the saddle b",
        checks=[ExactComparison(
            "population / flux of the flux-carrying stationary density of (1) against the exact mean first-passage "
            "time (double well, constant noise)", lambda p: [em.flux_over_population(p[RATIO_T.name])[2]],
            lambda p, f: [f(**{**p, POP.name: (m := em.flux_over_population(p[RATIO_T.name]))[0], FLUX.name: m[1]})],
            n_points=3, rtol=1e-3)])


APPB_THRESHOLD = sp.Symbol(r"(\Delta L / H)_{\min}", positive=True)


@claim("adai.asm3", "Assumption 3, App. B", "Low temperature: DeltaL/D > 6 with D = eta H/(2B) at eta = 0.01, "
       "B = 128 is DeltaL/H > 2.3e-4", about="algebra",
       quantified="'2.3 x 10^-4' read as 6 eta/(2B) at eta = 0.01, B = 128 (= 2.34e-4) printed to two significant "
                  "digits; 'DeltaL/D > 6' is the paper's own quantitative reading of 'low temperature'")
def asm3():
    return Claim(
        statement=sp.Eq(APPB_THRESHOLD, sp.Float("2.3e-4")),
        regime=Regime((Param(eta, 0.01, 0.01, doc="App. B's setting"), Param(B, 128, 128, doc="App. B's setting")),
                      (), "the final phase of training"),
        symbols={**ESYMBOLS, r"(\Delta L / H)_{\min}": "threshold"}, dynamics="SGD temperature D = eta H/(2B)",
        observable="threshold on DeltaL/H",
        checks=[SymbolicEquality("DeltaL/D > 6 with D = eta H/(2B) is DeltaL/H > 6 eta/(2B); at eta = 0.01, B = 128, "
                                 "to two significant digits", lambda c: _two_digits(6 * eta / (2 * B), c),
                                 lambda c: c.formula)])


def _two_digits(expr, c) -> sp.Float:
    value = float(expr.subs({eta: sp.Rational(1, 100), B: 128}))
    return sp.Float(float(f"{value:.1e}"))


# --- Step 1: (36)-(41) ------------------------------------------------------------------------------------------------
SIGMA2_A = sp.Symbol(r"\sigma_{a}^{2}", positive=True)
D_a = sp.Symbol("D_a", positive=True)
P_a = sp.Symbol("P(a)", positive=True)
DET_A = sp.Symbol(r"\det(D_a^{-1} H_a)", positive=True)
n_dim = sp.Symbol("n", positive=True, integer=True)
VALLEY = Regime((P_Hae, Param(D_a, 0.01, 1.0, log=True), Param(gamma, 0.5, 50.0, log=True),
                 Param(M, 0.05, 5.0, log=True), Param(P_a, 0.1, 2.0)), (), "valley a of (7), along e (1-D)")


def stationary_population(p) -> list:
    return [p["P(a)"] * math.sqrt(2 * math.pi * em.sde7_stationary_variance(p["H_ae"], p["D_a"], p["gamma"], p["M"]))]


@claim("adai.eq36", "Eq. (36), App. A.3", "Stationary variance of Momentum in a valley: D/(gamma M H)")
def eq36():
    return Claim(
        statement=sp.Eq(SIGMA2_A, D_a / (gamma * M * H_ae)), regime=VALLEY, symbols=ESYMBOLS,
        dynamics="SDE (7) with L = H_ae theta^2/2", observable="stationary variance of theta",
        checks=[ExactComparison("the stationary variance of the linear SDE (7) (Lyapunov equation)",
                                lambda p: [em.sde7_stationary_variance(p["H_ae"], p["D_a"], p["gamma"], p["M"])],
                                lambda p, f: [f(**p)], rtol=1e-9)])


H_a2, D_a2 = sp.Symbol("H_a2", positive=True), sp.Symbol("D_a2", positive=True)
theta2 = sp.Symbol("theta_2", real=True)


def population_checks() -> list:
    def one_d(c):
        return c.formula.subs({n_dim: 1, DET_A: H_ae / D_a})

    def gauss(h, d, x):
        return sp.integrate(sp.exp(-gamma * M / 2 * h / d * x ** 2), (x, -sp.oo, sp.oo))
    return [SymbolicEquality("(40) in 1-D: P(a) times the Gaussian integral of (39)",
                             lambda c: P_a * gauss(H_ae, D_a, theta), one_d),
            SymbolicEquality("(40) in 2-D, H_a and D_a diagonal: P(a) times the Gaussian integral of (39)",
                             lambda c: P_a * gauss(H_ae, D_a, theta) * gauss(H_a2, D_a2, theta2),
                             lambda c: c.formula.subs({n_dim: 2, DET_A: H_ae * H_a2 / (D_a * D_a2)}),
                             extra=[Param(H_a2, 0.2, 2.0, log=True), Param(D_a2, 0.01, 1.0, log=True)]),
            ExactComparison("P(a) (2 pi Var)^(1/2), Var the stationary variance of (7) (Lyapunov), in 1-D",
                            stationary_population, lambda p, f: [f(**p)], formula=one_d, rtol=1e-9)]


@claim("adai.eq41", "Eqs. (37)-(41), App. A.3", "Population of valley a: P(a) (2 pi gamma M)^(n/2) / "
       "det(D_a^-1 H_a)^(1/2)", uses=["adai.eq36"])
def eq41():
    return Claim(
        statement=sp.Eq(POP, P_a * (2 * sp.pi * gamma * M) ** (n_dim / 2) / sp.sqrt(DET_A)), regime=VALLEY,
        symbols=ESYMBOLS, dynamics="quasi-equilibrium density of (7) in valley a", observable="P(theta in V_a)",
        notes=["Checked in 1-D (n = 1, det = H_ae/D_a): the integrand of (39) has variance D/(gamma M H), so "
               "gamma M belongs in the denominator."],
        checks=population_checks())


@claim("adai.eq41.corrected", "Eq. (41), corrected", "Population of valley a: P(a) (2 pi/(gamma M))^(n/2) / "
       "det(D_a^-1 H_a)^(1/2)", corrects="adai.eq41", uses=["adai.eq36"])
def eq41_corrected():
    return Claim(
        statement=sp.Eq(POP, P_a * (2 * sp.pi / (gamma * M)) ** (n_dim / 2) / sp.sqrt(DET_A)), regime=VALLEY,
        symbols=ESYMBOLS, dynamics="quasi-equilibrium density of (7) in valley a", observable="P(theta in V_a)",
        checks=population_checks())


# --- Step 2: the effective diffusion (42)/(57), the current (43), Left (46)-(50), the saddle integral (53)-(56) ----
DHAT = sp.Symbol(r"\hat{D}", positive=True)
P_H_any = Param(H, -2.0, 2.0, doc="curvature")
EFFECTIVE = Regime((P_H_any, Param(D, 0.01, 1.0, log=True), Param(gamma, 0.5, 50.0, log=True),
                    Param(M, 0.05, 5.0, log=True)),
                   (Condition(4 * H / (gamma ** 2 * M) < 1, "4H/(gamma^2 M) < 1 (the square root in (42) is real)"),
                    Sampling(sp.Abs(H) >= sp.Rational(1, 20), "|H| >= 0.05 (H != 0: (42) is 0/0 there)")),
                   "SDE (7) at a point of curvature H")


def effective_diffusion_checks() -> list:
    # (44)'s Smoluchowski-like equation with D-hat and T = D/(gamma M) moves E theta at -D-hat H gamma M / D
    return [SymbolicEquality("(57) is the statement divided by D", RATIO_57, lambda c: c.formula / D),
            ExactComparison("(44) with this D-hat and T = D/(gamma M) has the slow rate of the mean of (7) at "
                            "curvature H (exact eigenvalue of (7)'s linear drift)",
                            lambda p: [em.sde7_slow_rate(p["H"], p["gamma"], p["M"])],
                            lambda p, f: [-f(**p) * p["H"] * p["gamma"] * p["M"] / p["D"]], rtol=1e-9)]


@claim("adai.eq42", "Eqs. (42) and (57), App. A.3", "Effective diffusion D-hat = D (1 - sqrt(1 - 4H/(gamma^2 M))) "
       "(2H/(gamma^2 M))^-1")
def eq42():
    return Claim(
        statement=sp.Eq(DHAT, D * RATIO_57), regime=EFFECTIVE, symbols={**ESYMBOLS, "H": "curvature", "D": "diffusion "
                                                                                   "of (7)"},
        dynamics="SDE (7) reduced to the Smoluchowski-like equation (44) with T = D/(gamma M)",
        observable="effective diffusion coefficient",
        notes=["(42) is imported from Kalinay and Percus (2012), where the prefactor is the overdamped diffusion "
               "T/(gamma M) = D/(gamma M)^2 of (7), not D: they agree only for gamma M = 1 (SGD, Adam, Adai)."],
        checks=effective_diffusion_checks())


@claim("adai.eq42.corrected", "Eq. (42), corrected", "Effective diffusion D-hat = D/(gamma M)^2 (1 - sqrt(1 - "
       "4H/(gamma^2 M))) (2H/(gamma^2 M))^-1", corrects="adai.eq42")
def eq42_corrected():
    lam_b = sp.sqrt(gamma ** 2 / 4 + sp.Abs(H) / M) - gamma / 2
    return Claim(
        statement=sp.Eq(DHAT, D / (gamma * M) ** 2 * RATIO_57), regime=EFFECTIVE,
        symbols={**ESYMBOLS, "H": "curvature", "D": "diffusion of (7)"},
        dynamics="SDE (7) reduced to the Smoluchowski-like equation (44) with T = D/(gamma M)",
        observable="effective diffusion coefficient",
        checks=effective_diffusion_checks()[1:] + [SymbolicEquality(
            "at a saddle (H < 0): D-hat (gamma M)^2/D is Kramers' moderate-friction factor lambda_b gamma/omega_b^2",
            lambda c: (c.formula * (gamma * M) ** 2 / D).subs(H, -sp.Abs(H)), lam_b * gamma * M / sp.Abs(H))])


J = sp.Symbol("J", real=True)
T_ = sp.Symbol("T", positive=True)
CURRENT_REGIME = Regime((Param(D, 0.01, 1.0, log=True), Param(T_, 0.01, 1.0, log=True)), (),
                        "SDE (1), 1-D, D constant along the piece of path")


def current_checks() -> list:
    return [SymbolicEquality("with T = D, the statement's J is the probability current of (2) (dP/dt = -dJ/dtheta, "
                             "(34)): -(P L' + D P')", lambda c: c.formula.subs(T_, D).doit(),
                             -(P(theta) * sp.diff(L(theta), theta) + D * sp.diff(P(theta), theta)), extra=[X_theta],
                             evidence="model")]


@claim("adai.eq43", "Eqs. (43) and (45), App. A.3", "Current of SGD: J = D exp(-L/T) grad[exp(L/T) P], T = D")
def eq43():
    return Claim(
        statement=sp.Eq(J, D * sp.exp(-L(theta) / T_) * sp.Derivative(sp.exp(L(theta) / T_) * P(theta), theta)),
        regime=CURRENT_REGIME, symbols={**ESYMBOLS, "J": "probability current", "T": "temperature (= D)"},
        dynamics="Fokker-Planck equation (2), written as dP/dt = -div J in (34)", observable="the current J",
        notes=["(45) integrates this form and (51) then writes Right = -J int D^-1 exp(...): the signs disagree, so "
               "(52) comes out positive. The sign here is the slip; see adai.eq43.corrected."],
        checks=current_checks())


@claim("adai.eq43.corrected", "Eq. (43), corrected", "Probability current of SGD: J = -D exp(-L/T) grad[exp(L/T) P]",
       corrects="adai.eq43")
def eq43_corrected():
    return Claim(
        statement=sp.Eq(J, -D * sp.exp(-L(theta) / T_) * sp.Derivative(sp.exp(L(theta) / T_) * P(theta), theta)),
        regime=CURRENT_REGIME, symbols={**ESYMBOLS, "J": "probability current", "T": "temperature (= D)"},
        dynamics="Fokker-Planck equation (2)", observable="the current J", checks=current_checks())


LEFT = sp.Symbol("Left", real=True)
L_a, L_b = sp.Symbol("L_a", real=True), sp.Symbol("L_b", real=True)
T_a, T_b = sp.Symbol("T_a", positive=True), sp.Symbol("T_b", positive=True)
P_sym = sp.Symbol("P(s)", positive=True)
L_s = (1 - s) * L_a + s * L_b
LEFT_REGIME = Regime((Param(L_a, -1.0, 0.0), Param(L_b, 0.1, 1.0), P_s, Param(T_a, 0.004, 0.04, log=True),
                      Param(P_a, 0.1, 2.0, doc="set by the model")),
                     (S_IN, Sampling((L_b - L_a) / T_a >= 24, "DeltaL/T_a >= 24: low temperature, so the "
                                     "quasi-equilibrium corrections (< e^-(1-s) DeltaL/T_b) are below 1e-4")),
                     "the escape path a -> s -> c, T_a on a -> s and T_b on s -> c (T_b/T_a = |H_b|/H_a = 1/2)")


def left_checks() -> list:
    def model(p):
        return em.left_of_model(p["L_a"], p["L_b"], p["s"], p["T_a"])
    return [SymbolicEquality("(49) sums to the statement", (P_sym - sp.exp((L_a - L_s) / T_a) * P_a) + (0 - P_sym),
                             lambda c: c.formula),
            ExactComparison("(47) + (48) evaluated on the flux-carrying stationary density of (1) (Ito) with T_a on "
                            "a -> s and T_b = T_a/2 on s -> c (double well), in units of P(a)", lambda p: [model(p)[0]],
                            lambda p, f: [f(**{**p, "P(a)": model(p)[1], "T_b": model(p)[2]})], n_points=3, rtol=1e-3)]


@claim("adai.eq50", "Eqs. (46)-(50), App. A.3", "Left side of the integrated flux equation: -exp((L(a)-L(s))/T_a) P(a)",
       uses=["adai.eq43"])
def eq50():
    return Claim(
        statement=sp.Eq(LEFT, -sp.exp((L_a - L_s) / T_a) * P_a), regime=LEFT_REGIME.extended(Param(T_b, 0.002, 0.02)),
        symbols={**ESYMBOLS, "L_a": "L(a)", "L_b": "L(b)", "T_a": "temperature on a -> s", "T_b": "on s -> c"},
        dynamics="SDE (1) with Eq. (3)'s temperature T_a on a -> s and T_b on s -> c",
        observable="(46): the integral of d/dtheta [exp((L - L(s))/T) P] from a to c",
        notes=["(49) writes one P(s) for the end of (47) and the start of (48). For (1) as written (Ito), D P is "
               "continuous where the temperature changes, so P jumps there by T_a/T_b = H_a/|H_b|; the jump is what "
               "turns the prefactor 1/|H_be| of Theorem 3 into 1/H_ae."],
        checks=left_checks())


@claim("adai.eq50.corrected", "Eq. (50), corrected", "Left = -(T_a/T_b) exp((L(a)-L(s))/T_a) P(a) (P jumps at s)",
       corrects="adai.eq50")
def eq50_corrected():
    return Claim(
        statement=sp.Eq(LEFT, -T_a / T_b * sp.exp((L_a - L_s) / T_a) * P_a),
        regime=LEFT_REGIME.extended(Param(T_b, 0.002, 0.02)),
        symbols={**ESYMBOLS, "L_a": "L(a)", "L_b": "L(b)", "T_a": "temperature on a -> s", "T_b": "on s -> c"},
        dynamics="SDE (1) with Eq. (3)'s temperature T_a on a -> s and T_b on s -> c", observable="(46)",
        checks=left_checks()[1:])


b_ = sp.Symbol("b", real=True)


@claim("adai.eq56", "Eqs. (53)-(56), App. A.3", "Saddle integral: exp((L(b)-L(s))/T_b) sqrt(2 pi T_b/|H_b|)",
       about="algebra")
def eq56():
    return Claim(
        statement=sp.Eq(sp.Symbol("I_b"), sp.exp((L_b - L_s) / T_b) * sp.sqrt(2 * sp.pi * T_b / sp.Abs(H_be))),
        regime=Regime((Param(L_a, -1, 0), Param(L_b, 0.1, 1), P_s, Param(T_b, 0.05, 1), P_Hbe), (S_IN,), "near b"),
        symbols=ESYMBOLS, dynamics="Smoluchowski equation (44)", observable="the integral (55)",
        checks=[SymbolicEquality("(55) evaluated", lambda c: sp.integrate(
            sp.exp((L_b - L_s + H_be * (theta - b_) ** 2 / 2) / T_b), (theta, -sp.oo, sp.oo)), lambda c: c.formula,
            extra=[Param(b_, -1, 1)])])


# --- (62)-(65), Theorem 3, (66) -------------------------------------------------------------------------------------
Dhat_b = sp.Symbol(r"\hat{D}_{be}", positive=True)
D_b = sp.Symbol("D_b", positive=True)
T_ae, T_be = sp.Symbol("T_ae", positive=True), sp.Symbol("T_be", positive=True)
KRAMERS = Regime((P_Hae, P_Hbe, P_dL, P_s, em.P_gamma, em.P_M, P_eta, P_B), (S_IN, em.SMOLUCHOWSKI),
                 "Assumptions 1-3, Eq. (3) at a and b, along the escape direction e")


@claim("adai.eq64", "Eqs. (62)-(64), App. A.3", "Mean escape time before the effective diffusion", about="algebra",
       uses=["adai.eq41", "adai.eq56", "adai.eq50"])
def eq64():
    tau63 = (sp.sqrt(2 * sp.pi * gamma * M) / sp.sqrt(H_ae / D_a) / Dhat_b * sp.exp((L_b - L_s) / T_be)
             * sp.sqrt(2 * sp.pi * T_be / sp.Abs(H_be)) / sp.exp((L_a - L_s) / T_ae))
    subs64 = {D_a: eta * H_ae / (2 * B), T_be: eta * sp.Abs(H_be) / (2 * B * gamma * M),
              T_ae: eta * H_ae / (2 * B * gamma * M), L_b: L_a + dL}
    return Claim(
        statement=sp.Eq(tau, 1 / Dhat_b * 2 * sp.pi * (eta * sp.Abs(H_be) / (2 * B)) / sp.Abs(H_be) * sp.exp(EXPONENT)),
        regime=KRAMERS.extended(Param(Dhat_b, 0.01, 1, log=True), Param(L_a, -1, 0)), symbols=ESYMBOLS,
        dynamics="Smoluchowski-like equation (44)", observable="tau",
        notes=["(63) in 1-D with (41) and (60) as printed, D = eta |H|/(2B) at a and b, T = D/(gamma M)."],
        checks=[SymbolicEquality("(63) in 1-D with the stated substitutions",
                                 lambda c: tau63.subs(subs64, simultaneous=True), lambda c: c.formula)])


@claim("adai.eq65", "Eqs. (64)-(65), App. A.3", "Prefactor with the effective diffusion (57)", about="algebra",
       uses=["adai.eq64", "adai.eq42"])
def eq65():
    return Claim(
        statement=sp.Eq(tau, TAU_THM3), regime=KRAMERS, symbols=ESYMBOLS, dynamics="as (64)", observable="tau",
        checks=[SymbolicEquality("(64) with D-hat_be/D_be from (57) at H = H_be",
                                 lambda c: 2 * sp.pi / sp.Abs(H_be) / RATIO_57.subs(H, H_be) * sp.exp(EXPONENT),
                                 lambda c: c.formula)])


TAU_THM3_CORRECTED = gamma * M * sp.Abs(H_be) / H_ae * TAU_THM3


@claim("adai.thm3", "Theorem 3, Eq. (65)", "Momentum escapes minima: Kramers escape time", uses=["adai.eq65"])
def thm3():
    return Claim(
        statement=sp.Eq(tau, TAU_THM3), regime=KRAMERS, symbols=ESYMBOLS,
        dynamics="Momentum, SDE (7), near a valley (Assumptions 1-3, Eq. (3) at a and b)",
        observable="mean escape time tau (dynamical time t = eta x iterations)",
        notes=["s is read as the proof defines it (the point where the temperature changes from T_a to T_b); on the "
               "cosine valley H_a = |H_b| and s drops out, so that check holds under any reading of s.",
               "Exact references hold where 4|H_be|/(gamma^2 M) << 1 (the Smoluchowski limit, where Theorem 3 says "
               "it reduces to SGD), so the regime is sampled there."],
        checks=thm3_checks())


@claim("adai.thm3.corrected", "Theorem 3, corrected", "Momentum's mean escape time: gamma M (|H_be|/H_ae) x (65)",
       corrects="adai.thm3", uses=["adai.eq41.corrected", "adai.eq42.corrected", "adai.eq50.corrected"])
def thm3_corrected():
    return Claim(
        statement=sp.Eq(tau, TAU_THM3_CORRECTED), regime=KRAMERS, symbols=ESYMBOLS,
        dynamics="Momentum, SDE (7), near a valley", observable="mean escape time tau (dynamical time)",
        notes=["Derived from the proof with (41), (42) and (50) corrected: gamma M from the population and the "
               "Smoluchowski diffusion D/(gamma M)^2, |H_be|/H_ae from the jump of P at s (Ito). For Momentum "
               "gamma M = (1 - beta1)/beta3."],
        checks=thm3_checks())


@claim("adai.eq66", "Eq. (66) and Theorem 3", "log tau = O(2 (1-beta1) B DeltaL / (beta3 eta H_ae))", about="algebra",
       quantified="'log tau = O(X)' read as: log tau / X tends to a limit that depends on s, H_ae, H_be only (not B, "
                  "eta, beta1, beta3, DeltaL) as B -> oo, the low-temperature limit",
       uses=["adai.thm3"])
def eq66():
    mapped = TAU_THM3.subs({gamma: em.GAMMA_MOMENTUM, M: em.M_MOMENTUM})
    return Claim(
        statement=sp.Eq(sp.log(tau), BigO(em.LOG_TAU_66)),
        regime=Regime((P_Hae, P_Hbe, P_dL, P_s, P_eta, P_B, em.P_beta1, em.P_beta3), (S_IN, em.BETA1_BELOW_1),
                      "Momentum"),
        symbols=ESYMBOLS, dynamics="Theorem 3, gamma = (1-beta1)/eta, M = eta/beta3 (Eq. (6))", observable="log tau",
        checks=[SymbolicEquality("lim_(B -> oo) log tau / X = s + (1-s) H_ae/|H_be|",
                                 lambda c: sp.limit(sp.expand_log(sp.log(mapped), force=True) / c.remainder_bound,
                                                    B, sp.oo),
                                 s + (1 - s) * H_ae / sp.Abs(H_be))])


# --- the SGD case of Theorem 3, read two ways on s --------------------------------------------------------------------
SGD_REGIME = Regime((P_Hae, P_Hbe, P_dL, P_s, P_eta, P_B), (S_IN,), "SGD's SDE (1), Assumptions 1-3, Eq. (3)")
TAU_SGD_CORRECTED = sp.Abs(H_be) / H_ae * TAU_SGD


def sgd_case(checks, notes=()) -> Claim:
    return Claim(statement=sp.Eq(tau, TAU_SGD), regime=SGD_REGIME, symbols=ESYMBOLS,
                 dynamics="SGD's SDE (1) near a valley, D = eta [H]^+/(2B) at a and b (Ito, as (1) is written)",
                 observable="mean escape time tau (dynamical time t = eta x iterations)", notes=list(notes),
                 checks=checks)


@claim("adai.thm3.sgd", "Theorem 3 (SGD case)", "SGD: tau = 2 pi/|H_be| exp[2B DeltaL/eta (s/H_ae + (1-s)/|H_be|)]",
       uses=["adai.thm3"])
def thm3_sgd():
    return sgd_case([SymbolicEquality("Theorem 3 with gamma M = 1 and 4|H_be|/(gamma^2 M) -> 0",
                                      lambda c: sp.limit(TAU_THM3.subs(M, 1 / gamma), gamma, sp.oo),
                                      lambda c: c.formula)]
                    + sgd_ladders("", ("cosine", "chain")),
                    ["'When 4|H_be|/(gamma^2 M) << 1, it reduces to SGD' (beta1 = 0, beta3 = 1: gamma M = 1). On the "
                     "cosine valley (H_a = |H_b|) every reading of s agrees; the readings are adai.thm3.sgd.switch "
                     "and adai.thm3.sgd.some-s."])


@claim("adai.thm3.sgd.switch", "Theorem 3 (SGD case), s as in the proof", "SGD's escape time with s at the point where "
       "the temperature switches", reading_of="adai.thm3.sgd", proof_reading=True,
       reading="s as the proof defines it: L(s) = (1-s) L(a) + s L(b) at the point of the escape path where the "
               "temperature changes from T_a (Eq. (3) at a) to T_b (at b)")
def thm3_sgd_switch():
    return sgd_case(sgd_ladders("", ("switch",)),
                    ["Exact: tau -> 2 pi sqrt(D_b/D_a)/sqrt(H_a |H_b|) e^(...) = 2 pi/H_ae e^(...) for (1) with "
                     "Eq. (3); the printed 1/|H_be| takes P continuous at s, as the isothermal current (43) does "
                     "(adai.eq50)."])


@claim("adai.thm3.sgd.some-s", "Theorem 3 (SGD case), s free", "SGD's escape time for some s in (0, 1)",
       reading_of="adai.thm3.sgd",
       reading="s as 'a path-dependent parameter in (0, 1)': the statement holds for some s in (0, 1)",
       quantified="'low temperature' read as DeltaL/T_a >= 8 on the band's ladder (DeltaL/T_a = 4 ... 32)")
def thm3_sgd_some_s():
    return sgd_case(sgd_ladders("", ("cosine",)) + [PathParameterBand(
        "exact log tau of SDE (1) between the statement's s -> 0 and s -> 1 values (double well, noise switching at s)",
        em.sgd_exact("double-well"), em.sgd_T)])


@claim("adai.thm3.sgd.corrected", "Theorem 3 (SGD case), corrected", "SGD: tau = 2 pi/H_ae exp[2B DeltaL/eta "
       "(s/H_ae + (1-s)/|H_be|)]", corrects="adai.thm3.sgd", uses=["adai.eq50.corrected"])
def thm3_sgd_corrected():
    return Claim(statement=sp.Eq(tau, TAU_SGD_CORRECTED), regime=SGD_REGIME, symbols=ESYMBOLS,
                 dynamics="SGD's SDE (1) near a valley, D = eta [H]^+/(2B) at a and b (Ito)",
                 observable="mean escape time tau (dynamical time)",
                 checks=sgd_ladders("", ("cosine", "chain", "switch")))


# --- the remark after Theorem 3 ---------------------------------------------------------------------------------------
RHO = sp.Symbol(r"\tau_{Momentum} / \tau_{SGD}", positive=True)
eta_sgd = sp.Symbol(r"\eta_{SGD}", positive=True)
MAPPED = {gamma: em.GAMMA_MOMENTUM, M: em.M_MOMENTUM}                 # Eq. (6)
ETA_MOMENTUM = (1 - beta1) / beta3 * eta_sgd                    # the remark's learning rate
REMARK_REGIME = Regime((em.P_beta1, em.P_beta3, Param(eta_sgd, 1e-3, 0.1, log=True), P_B, P_dL, P_Hae, P_Hbe, P_s),
                       (S_IN, em.BETA1_BELOW_1), "Momentum (4) and SGD near a valley, the same gradient noise")
EXPONENT_RATIO = EXPONENT.subs(MAPPED).subs(eta, ETA_MOMENTUM) / EXPONENT.subs(M, 1 / gamma).subs(eta, eta_sgd)


def exponent_check() -> SymbolicEquality:
    return SymbolicEquality("Theorem 3's exponent at gamma = (1-beta1)/eta, M = eta/beta3 (Eq. (6)) and eta = "
                            "(1-beta1)/beta3 eta_SGD, over SGD's", EXPONENT_RATIO, lambda c: c.formula)


def remark(statement_lhs=RHO, checks=(), regime=REMARK_REGIME) -> Claim:
    return Claim(statement=sp.Eq(statement_lhs, 1), regime=regime,
                 symbols={**ESYMBOLS, r"\eta_{SGD}": "SGD's learning rate",
                          r"\tau_{Momentum} / \tau_{SGD}": "Momentum's escape (exponent or iterations) over SGD's"},
                 dynamics="Momentum (4) at eta = (1-beta1)/beta3 eta_SGD and SGD at eta_SGD, the same gradient noise",
                 observable="mean escape time", checks=list(checks))


@claim("adai.thm3.remark", "Theorem 3, remark after it", "Momentum does not affect flat minima selection in terms of "
       "the mean escape time if eta_Momentum = (1-beta1)/beta3 eta_SGD", uses=["adai.thm3", "adai.thm3.sgd"])
def thm3_remark():
    return remark(checks=[exponent_check()])


@claim("adai.thm3.remark.exponent", "Theorem 3, remark (exponent)", "Momentum's escape exponent equals SGD's",
       reading_of="adai.thm3.remark", proof_reading=True,
       reading="the exponent of tau (the coefficient of 1/T in log tau, which decides flat-minima selection); the "
               "remark follows 'log tau = O(2B DeltaL/(eta H_ae)) has been obtained for SGD'")
def thm3_remark_exponent():
    return remark(checks=[exponent_check(), ExactComparison(
        "exact: the rise of log tau as the temperature halves (from DeltaL/T_a = 8), Momentum's Smoluchowski limit "
        "over SGD's (double well, noise switching at s)", lambda p: [em.smoluchowski_ratio(p, False)],
        lambda p, f: [f(**p)], n_points=2, rtol=1e-6)])


@claim("adai.thm3.remark.iterations", "Theorem 3, remark (iterations)", "Momentum's mean escape iterations equal SGD's",
       reading_of="adai.thm3.remark", reading="the mean escape time in iterations, as App. E measures it",
       quantified="'does not affect the mean escape time' read as: equal mean escape iterations where "
                  "4|H_be|/(gamma^2 M) <= 0.1 (Theorem 3's own prefactor then moves by <= 2.5%, below the Monte "
                  "Carlo's resolution of about 17%)")
def thm3_remark_iterations():
    small = Sampling(em.X_INERTIA.subs(MAPPED).subs(eta, ETA_MOMENTUM) <= sp.Rational(1, 10),
                     "4|H_be|/(gamma^2 M) <= 0.1 at Momentum's gamma and M")
    return remark(checks=[
        ExactComparison("exact mean escape iterations of (7)'s and (1)'s Smoluchowski limits (double well, noise "
                        "switching at s)", lambda p: [em.smoluchowski_ratio(p, True)], lambda p, f: [f(**p)],
                        n_points=2,
                        rtol=1e-6),
        MonteCarloMean(f"SGD-style Momentum (beta1 = {em.MOMENTUM_RUN['beta1']}, eta = 0.001, 1000 runs) on the cosine "
                       "valley against discrete SGD's exact mean exit steps (eta = 0.01) x the statement",
                       em.momentum_iterations, lambda p, f: [float(f(**p)) * em.sgd_iterations_exact()], n_points=1,
                       n_paths=1000, fixed_setting=True)],
        regime=Regime(REMARK_REGIME.params, REMARK_REGIME.conditions + (small,), REMARK_REGIME.description))
