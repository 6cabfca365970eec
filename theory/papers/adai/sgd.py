"""`adai`, Sec. 3 and App. A.1: Theorem 1 (SGD diffusion near a critical point), the Fokker-Planck
equation (2), the density (11) and the proof's steps (12)-(21).

Every check reads the claim's own statement (``lambda c: c.formula``); the printed expressions below are
each typed once and shared by the claims that print them.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from checks import (
    AsymptoticOrder,
    ExactComparison,
    MonteCarloDensity,
    MonteCarloMean,
    MonteCarloOrder,
    SymbolicEquality,
    stretched_density,
)
from checks.dynamics.linear import saddle_sde_projection, saddle_sde_second_moments, saddle_sgd_second_moments
from theory import BigO, Claim, Condition, Param, Regime, Sampling, claim
from theory.symbolic import fokker_planck_rhs, gaussian_density

# --- symbols, with the assumptions the paper makes -------------------------------------------------
theta = sp.Symbol("theta", real=True)                 # displacement from the critical point c (1-D)
theta1, theta2 = sp.symbols("theta_1 theta_2", real=True)
t = sp.Symbol("t", positive=True)                     # dynamical time t = eta T
H = sp.Symbol("H", real=True, nonzero=True)           # Hessian eigenvalue H_i (either sign at a saddle)
H1, H2 = sp.symbols("H_1 H_2", real=True, nonzero=True)
D = sp.Symbol("D", positive=True)                     # diffusion eigenvalue D_i
D1, D2 = sp.symbols("D_1 D_2", positive=True)
eta = sp.Symbol("eta", positive=True)                 # learning rate
B = sp.Symbol("B", positive=True)                     # batch size
T = sp.Symbol("T", positive=True, integer=True)       # number of iterations
s = sp.Symbol("s", positive=True)                     # sigma^2 at one instant (proof steps)
ds = sp.Symbol("sdot", real=True)                     # d sigma^2 / dt at that instant
sigma2 = sp.Function(r"\sigma_{i}^{2}")
L, C, P = sp.Function("L"), sp.Function("C"), sp.Function("P")

SYMBOLS = {"theta": "displacement from the critical point c along one eigenvector",
           "t": "dynamical time, t = eta T", "H": "Hessian eigenvalue H_i at c (nonzero, either sign)",
           "D": "eigenvalue D_i of the diffusion matrix D", "eta": "learning rate", "B": "batch size",
           "T": "number of iterations", "s": "sigma^2 at one instant", "sdot": "d sigma^2/dt at that instant"}

# --- parameter ranges checks draw from -------------------------------------------------------------
P_H = Param(H, -2.0, 2.0, doc="Hessian eigenvalue")
P_D = Param(D, 0.01, 1.0, log=True, doc="diffusion eigenvalue")
P_t = Param(t, 0.05, 2.0, doc="dynamical time")
P_eta = Param(eta, 1e-3, 0.1, log=True, doc="learning rate")
P_B = Param(B, 1.0, 512.0, log=True, doc="batch size")
X_theta = Param(theta, -3.0, 3.0, doc="position")
NONZERO_H = Sampling(sp.Abs(H) >= sp.Rational(1, 20), "|H_i| >= 0.05 (H_i != 0 is assumed; sampling keeps away from 0)")
ESCAPE_TIME = Sampling(sp.Abs(H) * t <= 2, "|H_i| t <= 2 (sampling keeps the unstable growth moderate)")
SGD_SMALL = Condition(sp.Abs(H) * eta * T <= sp.Rational(3, 10), "|H_i| eta T << 1 (encoded as <= 0.3)")
SGD_STABLE = Sampling(sp.Abs(H) * eta <= sp.Rational(1, 10), "|H_i| eta <= 0.1, so discrete SGD is stable")

SDE_REGIME = Regime((P_H, P_D, P_t), (NONZERO_H, ESCAPE_TIME),
                    "Eq. (1) near a critical point (Assumption 1), D constant (Eq. (3)), theta(0) = c")
SGD_REGIME = Regime((P_H, P_eta, P_B, Param(T, 1, 2000, log=True, doc="iterations")), (NONZERO_H, SGD_STABLE, Sampling(
    sp.Abs(H) * eta * T <= 2, "|H_i| eta T <= 2 (sampling keeps the unstable growth moderate)")),
    "Eq. (1) with D = eta [H]^+ / (2B), t = eta T, theta(0) = c")
STEP_REGIME = Regime((P_H, P_D, Param(s, 0.05, 3.0, doc="sigma^2"), Param(ds, -2.0, 2.0, doc="d sigma^2/dt")),
                     (NONZERO_H,), "one instant of the proof of Theorem 1 (1-D, c = 0)")

# --- the printed expressions (each typed once) ------------------------------------------------------
SIGMA2_THM1 = D / H * (1 - sp.exp(-2 * H * t))                           # Theorem 1 and Eq. (20)
SIGMA2_EQ21 = sp.sign(H) * eta / (2 * B) * (1 - sp.exp(-2 * H * eta * T))
gauss_s = gaussian_density(theta, s)                                     # the proof's 1-D density
PRINTED12 = (-sp.Rational(1, 2) / sp.sqrt(2 * sp.pi * s) / s * sp.exp(-theta ** 2 / (2 * s)) * ds
             + 1 / sp.sqrt(2 * sp.pi * s) * sp.exp(-theta ** 2 / (2 * s)) * theta ** 2 / (2 * s ** 2) * ds)
PRINTED13 = sp.Rational(1, 2) * (theta ** 2 / s ** 2 - 1 / s) * gauss_s * ds
PRINTED14 = gauss_s * H + H * theta / sp.sqrt(2 * sp.pi * s) * sp.exp(-theta ** 2 / (2 * s)) * (-theta / s)
PRINTED15 = H * (1 - theta ** 2 / s) * gauss_s
PRINTED16 = -D * (s - theta ** 2) / (s ** sp.Rational(5, 2) * sp.sqrt(2 * sp.pi)) * sp.exp(-theta ** 2 / (2 * s))
PRINTED17 = D * (theta ** 2 / s ** 2 - 1 / s) * gauss_s
PRINTED18_LHS = sp.Rational(1, 2) * (theta ** 2 - s) * ds
PRINTED18_RHS = H * s * (s - theta ** 2) + D * (theta ** 2 - s)
PRINTED19_RHS = 2 * D - 2 * H * s

# --- the objects the proof works with, computed from first principles ---------------------------------
st = sp.Function("s")(t)
gauss_st = gaussian_density(theta, st)


def at_instant(expr: sp.Expr) -> sp.Expr:
    """Replace sigma^2(t) and its derivative by the symbols s and sdot of one instant."""
    return expr.subs(sp.Derivative(st, t), ds).subs(st, s)


TRUE_DPDT = at_instant(sp.diff(gauss_st, t))                              # d/dt of the Gaussian
TRUE_DRIFT = sp.diff(gauss_s * H * theta, theta)                          # div [P grad L], L = H theta^2/2
TRUE_DIFFUSION = D * sp.diff(gauss_s, theta, 2)                           # D laplacian P
# Exact variance of discrete SGD along eigen-direction i, v_{k+1} = (1 - eta H)^2 v_k + eta^2 |H| / B, v_0 = 0.
SGD_EXACT_VARIANCE = eta ** 2 * sp.Abs(H) / B * (1 - (1 - eta * H) ** (2 * T)) / (1 - (1 - eta * H) ** 2)

# --- simulations --------------------------------------------------------------------------------------
# Theorem 1's 3-D saddle: eigenvalues (H, -0.6 H, 1.3 |H|) so both signs occur; D_i = D (1, 0.5, 2).
EIG_FACTORS = (lambda h: h, lambda h: -0.6 * h, lambda h: 1.3 * abs(h))
D_FACTORS = (1.0, 0.5, 2.0)


def sde_projection(point, n_paths, rng):
    return saddle_sde_projection(point["H"], point["D"], point["t"], n_paths, rng)


def thm1_simulate(point, n_paths, rng):
    eigs = [f(point["H"]) for f in EIG_FACTORS]
    return saddle_sde_second_moments(eigs, [point["D"] * k for k in D_FACTORS], point["t"], n_paths, rng)


def thm1_predict(point, f):
    variances = [f(H=g(point["H"]), D=point["D"] * k, t=point["t"]) for g, k in zip(EIG_FACTORS, D_FACTORS)]
    return np.array(variances + [0.0, 0.0, 0.0])


def eq21_simulate(point, n_paths, rng):
    eigs = [f(point["H"]) for f in EIG_FACTORS]
    d_eigs = [point["eta"] * abs(h) / (2 * point["B"]) for h in eigs]          # D = eta [H]^+ / (2B)
    return saddle_sde_second_moments(eigs, d_eigs, point["eta"] * point["T"], n_paths, rng)


def eq21_predict(point, f):
    variances = [f(H=g(point["H"]), eta=point["eta"], B=point["B"], T=point["T"]) for g in EIG_FACTORS]
    return np.array(variances + [0.0, 0.0, 0.0])


def sgd_simulate(point, n_paths, rng):
    eigs = [f(point["H"]) for f in EIG_FACTORS]
    return saddle_sgd_second_moments(eigs, point["eta"], point["B"], int(point["T"]), n_paths, rng)


def sgd_exact(point) -> float:
    f = sp.lambdify((H, eta, B, T), SGD_EXACT_VARIANCE)       # built on use: showing a claim stays fast
    return float(f(point["H"], point["eta"], point["B"], point["T"]))


def top_of_regime(point):
    """Start the eta ladder where |H| eta T = 0.3, the edge of the regime, so the remainder is resolvable."""
    return {**point, "eta": 0.3 / (abs(point["H"]) * point["T"])}


def sigma2_solves_eq19() -> list:
    """The statement's variance solves the proof's variance equation (19) from sigma^2(0) = 0."""
    return [SymbolicEquality("solves (19)", lambda c: sp.diff(c.formula, t),
                             lambda c: PRINTED19_RHS.subs(s, c.formula)),
            SymbolicEquality("sigma^2(0) = 0", lambda c: sp.limit(c.formula, t, 0), sp.S.Zero)]


# --- Eq. (2) ------------------------------------------------------------------------------------------
@claim("adai.eq2", "Eq. (2)", "Fokker-Planck equation of the SGD diffusion (1)")
def eq2():
    return Claim(
        statement=sp.Eq(sp.Derivative(P(theta, t), t),
                        sp.Derivative(P(theta, t) * sp.Derivative(L(theta), theta), theta)
                        + sp.Derivative(eta * C(theta) / 2 * P(theta, t), theta, 2)),
        regime=Regime((P_eta, X_theta, P_t), (), "any L and C; 1-D shown, the n-D case is the same term by term"),
        symbols={**SYMBOLS, "L": "loss", "C": "gradient-noise covariance", "P": "density of theta"},
        dynamics="SDE (1): d theta = -grad L dt + [eta C]^(1/2) dW", observable="density P(theta, t)",
        notes=["'nabla . nabla D(theta) P' is read as div grad (D P) (Ito), the form that follows from (1); "
               "with D constant near a critical point (Eq. (3)) the readings agree."],
        checks=[SymbolicEquality("Eq. (2) is the forward equation of SDE (1) with D = eta C / 2",
                                 lambda c: c.statement.rhs.doit(),
                                 fokker_planck_rhs(P(theta, t), theta, -sp.diff(L(theta), theta), eta * C(theta) / 2),
                                 evidence="model")])


# --- Eq. (11): the density of Theorem 1 ----------------------------------------------------------------
# The statement's notation, and what it means when instantiated in n = 1 and n = 2 (diagonal H, c = 0)
# with sigma_i^2(t) from Theorem 1. The map defines the notation; the formula comes from the statement.
n_dim = sp.Symbol("n", positive=True, integer=True)
det_sigma = sp.Symbol(r"\det \Sigma(t)", positive=True)
QUAD = sp.Symbol(r"(\theta - c)^{\top} \Sigma(t) (\theta - c)")
QUAD_INV = sp.Symbol(r"(\theta - c)^{\top} \Sigma(t)^{-1} (\theta - c)")
V, V1, V2 = sp.symbols("v v_1 v_2", positive=True)


def instantiate_1d(statement_rhs: sp.Expr, variance: sp.Expr) -> sp.Expr:
    return statement_rhs.subs({QUAD: theta * variance * theta, QUAD_INV: theta ** 2 / variance,
                               det_sigma: variance, n_dim: 1})


def instantiate_2d(statement_rhs: sp.Expr, v1: sp.Expr, v2: sp.Expr) -> sp.Expr:
    return statement_rhs.subs({QUAD: theta1 ** 2 * v1 + theta2 ** 2 * v2,
                               QUAD_INV: theta1 ** 2 / v1 + theta2 ** 2 / v2, det_sigma: v1 * v2, n_dim: 2})


SIGMA2_1, SIGMA2_2 = (SIGMA2_THM1.subs({H: Hk, D: Dk}) for Hk, Dk in ((H1, D1), (H2, D2)))
TWO_D = [Param(H1, -2, 2), Param(H2, -2, 2), Param(D1, 0.01, 1, log=True), Param(D2, 0.01, 1, log=True),
         Param(theta1, -3, 3), Param(theta2, -3, 3)]


def density_checks(label: str) -> list:
    """Does the statement's density, with sigma_i^2(t) of Theorem 1, solve Eq. (2) for L = theta^T H theta/2,
    integrate to 1, and describe samples of the SDE?"""
    def d1(c):
        return instantiate_1d(c.formula, SIGMA2_THM1)

    def d2(c):
        return instantiate_2d(c.formula, SIGMA2_1, SIGMA2_2)

    def fp2(c):
        dens = d2(c)
        return sum(fokker_planck_rhs(dens, x, -Hk * x, Dk) for x, Hk, Dk in ((theta1, H1, D1), (theta2, H2, D2)))

    return [
        SymbolicEquality(f"{label} solves Eq. (2), n = 1", lambda c: sp.diff(d1(c), t),
                         lambda c: fokker_planck_rhs(d1(c), theta, -H * theta, D), extra=[X_theta], divide_by=d1,
                         evidence="model"),
        SymbolicEquality(f"{label} solves Eq. (2), n = 2, diagonal H", lambda c: sp.diff(d2(c), t), fp2,
                         extra=TWO_D, divide_by=d2, evidence="model"),
        SymbolicEquality(f"{label} has total mass 1, n = 1",
                         lambda c: sp.integrate(instantiate_1d(c.formula, V),
                                                (theta, -sp.oo, sp.oo)).subs(V, SIGMA2_THM1),
                         sp.S.One, evidence="model"),
        MonteCarloDensity(f"{label} against samples of SDE (1) (Euler-Maruyama, 800 steps)", sde_projection, x=theta,
                          formula=d1, perturbations=(stretched_density(theta, 1.5 ** 0.5),
                                                     stretched_density(theta, 0.5 ** 0.5))),
    ]


@claim("adai.eq11", "Eq. (11), App. A.1", "Gaussian density solving Eq. (2) (proof of Theorem 1)",
       uses=["adai.eq2", "adai.thm1"])
def eq11():
    return Claim(
        statement=sp.Eq(P(theta, t), sp.exp(-QUAD / 2) / sp.sqrt((2 * sp.pi) ** n_dim * det_sigma)),
        regime=SDE_REGIME, symbols=SYMBOLS, dynamics="SDE (1) with L = theta^T H theta / 2, D constant",
        observable="density of theta at time t",
        notes=["Encoded as printed: Sigma(t), not its inverse, stands in the exponent. Checks instantiate the "
               "statement for n = 1 and for n = 2 with diagonal H (eigenbasis, c = 0) with sigma_i^2(t) from "
               "Theorem 1."],
        checks=density_checks("printed (11)"))


@claim("adai.eq11.corrected", "Eq. (11), corrected", "Gaussian density of Theorem 1 with the inverse covariance "
       "in the exponent", corrects="adai.eq11", uses=["adai.thm1"])
def eq11_corrected():
    return Claim(
        statement=sp.Eq(P(theta, t), sp.exp(-QUAD_INV / 2) / sp.sqrt((2 * sp.pi) ** n_dim * det_sigma)),
        regime=SDE_REGIME, symbols=SYMBOLS, dynamics="SDE (1) with L = theta^T H theta / 2, D constant",
        observable="density of theta at time t",
        notes=["Derived: N(c, Sigma) has density exp(-(theta-c)^T Sigma^-1 (theta-c)/2) / sqrt((2 pi)^n det Sigma); "
               "the proof's own 1-D computation (12)-(17) uses exp(-theta^2 / (2 sigma^2)), i.e. this form."],
        checks=density_checks("corrected (11)"))


# --- the proof's steps (12)-(19): each step is its own claim ------------------------------------------------
def _step(statement, checks, notes=()):
    return Claim(statement=statement, regime=STEP_REGIME, symbols=SYMBOLS, about="algebra",
                 dynamics="Eq. (2), 1-D, L = H theta^2 / 2, c = 0",
                 observable="terms of Eq. (2) for the 1-D Gaussian of variance sigma^2(t)",
                 notes=["At one instant sigma^2(t) = s and d sigma^2/dt = sdot, so both sides are plain functions that "
                        "mpmath can evaluate.", *notes], checks=checks)


def _term_claim(name: str, symbol: str, truth: sp.Expr, printed: sp.Expr) -> Claim:
    return _step(sp.Eq(sp.Symbol(symbol), printed),
                 [SymbolicEquality(f"the statement is {name}", truth, lambda c: c.formula, extra=[X_theta])])


@claim("adai.eq12", "Eq. (12), App. A.1", "Time derivative of the Gaussian (Term1 of (2)), first form")
def eq12():
    return _term_claim("dP/dt", r"\partial_t P", TRUE_DPDT, PRINTED12)


@claim("adai.eq13", "Eq. (13), App. A.1", "Time derivative of the Gaussian (Term1 of (2))", uses=["adai.eq12"])
def eq13():
    return _term_claim("dP/dt", r"\partial_t P", TRUE_DPDT, PRINTED13)


@claim("adai.eq14", "Eq. (14), App. A.1", "Drift term of (2) for the Gaussian (Term2), first form")
def eq14():
    return _term_claim("d/dtheta [P dL/dtheta]", r"\nabla \cdot [P \nabla L]", TRUE_DRIFT, PRINTED14)


@claim("adai.eq15", "Eq. (15), App. A.1", "Drift term of (2) for the Gaussian (Term2)", uses=["adai.eq14"])
def eq15():
    return _term_claim("d/dtheta [P dL/dtheta]", r"\nabla \cdot [P \nabla L]", TRUE_DRIFT, PRINTED15)


@claim("adai.eq16", "Eq. (16), App. A.1", "Diffusion term of (2) for the Gaussian (Term3), first form")
def eq16():
    return _term_claim("D d^2P/dtheta^2", r"D \nabla^2 P", TRUE_DIFFUSION, PRINTED16)


@claim("adai.eq17", "Eq. (17), App. A.1", "Diffusion term of (2) for the Gaussian (Term3)", uses=["adai.eq16"])
def eq17():
    return _term_claim("D d^2P/dtheta^2", r"D \nabla^2 P", TRUE_DIFFUSION, PRINTED17)


@claim("adai.eq18", "Eq. (18), App. A.1", "Term1 = Term2 + Term3, divided by P / sigma^4",
       uses=["adai.eq13", "adai.eq15", "adai.eq17"])
def eq18():
    return _step(sp.Eq(PRINTED18_LHS, PRINTED18_RHS), [
        SymbolicEquality("(Term1 - Term2 - Term3) sigma^4 / P is the statement's left side minus its right side",
                         sp.simplify((TRUE_DPDT - TRUE_DRIFT - TRUE_DIFFUSION) * s ** 2 / gauss_s),
                         lambda c: c.lhs - c.rhs, extra=[X_theta])])


@claim("adai.eq19", "Eq. (19), App. A.1", "Variance equation of the Gaussian", uses=["adai.eq18"])
def eq19():
    return _step(sp.Eq(ds, PRINTED19_RHS), [
        SymbolicEquality("(19) is (18) solved for d sigma^2/dt",
                         sp.solve(sp.Eq(PRINTED18_LHS, PRINTED18_RHS), ds)[0], lambda c: c.formula),
        SymbolicEquality("with d sigma^2/dt as stated, the Gaussian solves (2) at every theta",
                         lambda c: (TRUE_DPDT - TRUE_DRIFT - TRUE_DIFFUSION).subs(ds, c.formula) / gauss_s,
                         sp.S.Zero, extra=[X_theta], evidence="model")])


# --- Eq. (20), Theorem 1, Eq. (21) --------------------------------------------------------------------------
@claim("adai.eq20", "Eq. (20), App. A.1", "Solution of (19) with sigma^2(0) = 0", uses=["adai.eq19"])
def eq20():
    return Claim(statement=sp.Eq(sigma2(t), SIGMA2_THM1), regime=SDE_REGIME, symbols=SYMBOLS, about="algebra",
                 dynamics="ODE (19)", observable="sigma_i^2(t)", checks=sigma2_solves_eq19())


@claim("adai.thm1", "Theorem 1", "SGD diffusion near a critical point: theta ~ N(c, Sigma(t))",
       uses=["adai.eq20", "adai.eq11.corrected"])
def thm1():
    return Claim(
        statement=sp.Eq(sigma2(t), SIGMA2_THM1), regime=SDE_REGIME, symbols=SYMBOLS,
        dynamics="SDE (1) on L = (theta-c)^T H (theta-c)/2 with constant D sharing H's eigenvectors, theta(0) = c",
        observable="second moments of theta - c along H's eigenvectors at time t",
        notes=["Checked in 3-D with a random rotation U and eigenvalues (H, -0.6 H, 1.3 |H|), D_i = D (1, 0.5, 2): "
               "the diagonal of U^T Sigma U must be sigma_i^2(t) and the off-diagonal 0. Density shape: adai.eq11."],
        checks=sigma2_solves_eq19() + [
            MonteCarloMean("SDE (1), coupled Euler-Maruyama with Richardson extrapolation", thm1_simulate,
                           thm1_predict, n_points=2, n_paths=20_000)])


@claim("adai.eq21", "Eq. (21), App. A.1", "Theorem 1 in SGD notation (D = eta [H]^+ / (2B), t = eta T)",
       uses=["adai.eq20"])
def eq21():
    return Claim(
        statement=sp.Eq(sigma2(T), SIGMA2_EQ21), regime=SGD_REGIME, symbols=SYMBOLS,
        dynamics="SDE (1) with D = eta [H]^+ / (2B) (Eq. (3)), t = eta T, theta(0) = c",
        observable="second moments of theta - c along H's eigenvectors after T iterations",
        notes=["The proof says 'By D = eta H / (2B)'; the sign(H_i) in (21) shows [H]^+ is meant, as in Eq. (3)."],
        checks=[SymbolicEquality("(20) with D_i = eta |H_i| / (2B) and t = eta T",
                                 SIGMA2_THM1.subs({D: eta * sp.Abs(H) / (2 * B), t: eta * T}), lambda c: c.formula),
                MonteCarloMean("SDE (1) with D = eta [H]^+/(2B), coupled Euler-Maruyama with Richardson extrapolation",
                               eq21_simulate, eq21_predict, n_points=2, n_paths=20_000)])


SMALL_REGIME = Regime((Param(H, -2.0, 2.0, doc="Hessian eigenvalue"), P_eta, P_B, Param(T, 10, 100, log=True)),
                      (NONZERO_H, SGD_STABLE, SGD_SMALL),
                      "SGD near a saddle, |H_i| eta T << 1 (Theorem 1, SGD notation)")


@claim("adai.thm1.sgd", "Theorem 1 (SGD notation)",
       "SGD-notation expansion: sigma_i^2(T) = |H_i| eta^2 T / B + O(B^-1 H_i^2 eta^3 T^2)", uses=["adai.eq21"])
def thm1_sgd():
    return Claim(
        statement=sp.Eq(sigma2(T), sp.Abs(H) * eta ** 2 * T / B + BigO(H ** 2 * eta ** 3 * T ** 2 / B)),
        regime=SMALL_REGIME, symbols=SYMBOLS,
        dynamics="SDE (1) with D = eta [H]^+/(2B); discrete SGD with gradient noise N(0, [H]^+/B)",
        observable="second moment of theta - c along eigenvector i after T iterations",
        notes=["The O term is read with B, H, T fixed and eta -> 0 (so |H| eta T -> 0); relative to the leading "
               "term it is O(|H| eta T)."],
        checks=[AsymptoticOrder("Eq. (21) = leading term + O(bound) as eta -> 0", SIGMA2_EQ21,
                                lambda c: c.formula, lambda c: c.remainder_bound, eta),
                AsymptoticOrder("exact discrete-SGD variance = leading term + O(bound) as eta -> 0", SGD_EXACT_VARIANCE,
                                lambda c: c.formula, lambda c: c.remainder_bound, eta, kind="exact", use_limit=False),
                MonteCarloOrder("discrete SGD on a 3-D saddle: relative error shrinks like |H| eta T", sgd_simulate,
                                small=eta, order=1.0, rungs=5, exact=sgd_exact, start=top_of_regime, n_points=2,
                                n_paths=200_000)])


H_pos = sp.Symbol("H", positive=True)
STATIONARY_REGIME = Regime((Param(H_pos, 0.05, 2.0, doc="Hessian eigenvalue > 0"), P_eta, P_B), (),
                           "H_i > 0, SDE (1) in SGD notation")


def stationary_simulate(point, n_paths, rng):
    """SDE (1) with D = eta H/(2B) run to t = 8/H, where exp(-2Ht) = 1e-7: the limit as far as sampling sees."""
    h, d = point["H"], point["eta"] * point["H"] / (2 * point["B"])
    return saddle_sde_second_moments([h], [d], 8.0 / h, n_paths, rng, n_coarse=400)


@claim("adai.thm1.stationary", "Theorem 1, remark 1",
       "For H_i > 0 the distribution along i converges to N(c_i, eta / (2B))", uses=["adai.eq21"])
def thm1_stationary():
    return Claim(
        statement=sp.Eq(sp.Limit(sigma2(T), T, sp.oo), eta / (2 * B)),
        regime=STATIONARY_REGIME, symbols=SYMBOLS, dynamics="SDE (1) with D = eta [H]^+/(2B)",
        observable="variance along eigenvector i as T -> oo",
        checks=[SymbolicEquality("limit of (21) as T -> oo for H_i > 0",
                                 lambda c: sp.limit(SIGMA2_EQ21.subs(H, H_pos), T, sp.oo), lambda c: c.formula),
                ExactComparison("stationary variance D/H of the Ornstein-Uhlenbeck process (1) with D = eta H/(2B)",
                                lambda p: p["eta"] * p["H"] / (2 * p["B"]) / p["H"], lambda p, f: f(**p)),
                MonteCarloMean("SDE (1) run to t = 8/H_i (Euler-Maruyama, Richardson)", stationary_simulate,
                               lambda p, f: [f(**p)], n_points=2, n_paths=20_000)])
