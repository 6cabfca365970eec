"""Claims of `adai`: Xie et al., "Adaptive Inertia: Disentangling the Effects of Adaptive Learning Rate
and Momentum" (shared/papers/001_37ca20cd32812da7.txt).

This module holds Theorem 1 (SGD diffusion near a critical point) with the Fokker-Planck
equation (2), the density (11) and the proof's steps (12)-(21).
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from checks import (AsymptoticOrder, MonteCarloDensity, MonteCarloMean, MonteCarloOrder, SymbolicEquality,
                    stretched_density)
from checks.dynamics.linear import saddle_sde_projection, saddle_sde_second_moments, saddle_sgd_second_moments
from theory.claim import BigO, Claim, Condition, Param, Regime, Source
from theory.symbolic import fokker_planck_rhs, gaussian_density

CITATION = ("Z. Xie, X. Wang, H. Zhang, I. Sato, M. Sugiyama. Adaptive Inertia: Disentangling the Effects of "
            "Adaptive Learning Rate and Momentum. (shared/papers/001_37ca20cd32812da7.txt)")


def src(location: str) -> Source:
    return Source("adai", CITATION, location)


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
P_T = Param(T, 1, 2000, log=True, doc="iterations")
X_theta = Param(theta, -3.0, 3.0, doc="position")
NONZERO_H = Condition(sp.Abs(H) >= sp.Rational(1, 20), "H_i != 0 (kept away from 0 by 0.05 when sampling)")
ESCAPE_TIME = Condition(sp.Abs(H) * t <= 2, "|H_i| t <= 2 (sampling keeps the unstable growth moderate)")
SGD_SMALL = Condition(sp.Abs(H) * eta * T <= sp.Rational(3, 10), "|H_i| eta T << 1 (encoded as <= 0.3)")
SGD_STABLE = Condition(sp.Abs(H) * eta <= sp.Rational(1, 10), "|H_i| eta small, so SGD is stable")

SDE_REGIME = Regime((P_H, P_D, P_t), (NONZERO_H, ESCAPE_TIME),
                    "Eq. (1) near a critical point (Assumption 1), D constant (Eq. (3)), theta(0) = c")
SGD_REGIME = Regime((P_H, P_eta, P_B, P_T), (NONZERO_H, SGD_STABLE, Condition(
    sp.Abs(H) * eta * T <= 2, "|H_i| eta T <= 2 (sampling keeps the unstable growth moderate)")),
    "Eq. (1) with D = eta [H]^+ / (2B), t = eta T, theta(0) = c")
STEP_REGIME = Regime((P_H, P_D, Param(s, 0.05, 3.0, doc="sigma^2"), Param(ds, -2.0, 2.0, doc="d sigma^2/dt")),
                     (NONZERO_H,), "one instant of the proof of Theorem 1 (1-D, c = 0)")

# --- the objects the proof works with ---------------------------------------------------------------
sigma2_thm1 = D / H * (1 - sp.exp(-2 * H * t))                          # Theorem 1 / Eq. (20)
sigma2_eq21 = sp.sign(H) * eta / (2 * B) * (1 - sp.exp(-2 * H * eta * T))
# Exact variance of discrete SGD along eigen-direction i, v_{k+1} = (1 - eta H)^2 v_k + eta^2 |H| / B, v_0 = 0.
sgd_exact_variance = eta ** 2 * sp.Abs(H) / B * (1 - (1 - eta * H) ** (2 * T)) / (1 - (1 - eta * H) ** 2)

gauss_s = gaussian_density(theta, s)                                     # the proof's 1-D density
st = sp.Function("s")(t)
gauss_st = gaussian_density(theta, st)


def at_instant(expr: sp.Expr) -> sp.Expr:
    """Replace sigma^2(t) and its derivative by the symbols s and sdot of one instant."""
    return expr.subs(sp.Derivative(st, t), ds).subs(st, s)


fp_rhs_quadratic = fokker_planck_rhs(gauss_s, theta, -H * theta, D)     # right side of (2), L = H theta^2/2
printed12 = (-sp.Rational(1, 2) / sp.sqrt(2 * sp.pi * s) / s * sp.exp(-theta ** 2 / (2 * s)) * ds
        + 1 / sp.sqrt(2 * sp.pi * s) * sp.exp(-theta ** 2 / (2 * s)) * theta ** 2 / (2 * s ** 2) * ds)
printed13 = sp.Rational(1, 2) * (theta ** 2 / s ** 2 - 1 / s) * gauss_s * ds
printed14 = gauss_s * H + H * theta / sp.sqrt(2 * sp.pi * s) * sp.exp(-theta ** 2 / (2 * s)) * (-theta / s)
printed15 = H * (1 - theta ** 2 / s) * gauss_s
printed16 = -D * (s - theta ** 2) / (s ** sp.Rational(5, 2) * sp.sqrt(2 * sp.pi)) * sp.exp(-theta ** 2 / (2 * s))
printed17 = D * (theta ** 2 / s ** 2 - 1 / s) * gauss_s
printed18_lhs = sp.Rational(1, 2) * (theta ** 2 - s) * ds
printed18_rhs = H * s * (s - theta ** 2) + D * (theta ** 2 - s)
printed19_rhs = 2 * D - 2 * H * s


def printed_density(variance: sp.Expr, x: sp.Symbol = theta) -> sp.Expr:
    """Eq. (11) in one dimension exactly as printed: the covariance stands in the exponent, not its inverse."""
    return sp.exp(-sp.Rational(1, 2) * x * variance * x) / sp.sqrt(2 * sp.pi * variance)


def printed_density_2d(v1: sp.Expr, v2: sp.Expr) -> sp.Expr:
    return sp.exp(-sp.Rational(1, 2) * (theta1 ** 2 * v1 + theta2 ** 2 * v2)) / sp.sqrt((2 * sp.pi) ** 2 * v1 * v2)


def corrected_density_2d(v1: sp.Expr, v2: sp.Expr) -> sp.Expr:
    return gaussian_density(theta1, v1) * gaussian_density(theta2, v2)


def fp_residual_checks(density_1d, density_2d, label: str) -> list:
    """Does the density, with sigma_i^2(t) of Theorem 1, solve Eq. (2) for L = theta^T H theta / 2?"""
    d1 = density_1d(sigma2_thm1)
    v = sp.Symbol("v", positive=True)      # the mass is integrated for a positive variance v, then v = sigma^2(t)
    v1, v2 = (sigma2_thm1.subs({H: Hk, D: Dk}) for Hk, Dk in ((H1, D1), (H2, D2)))
    d2 = density_2d(v1, v2)
    fp2 = sum(fokker_planck_rhs(d2, x, -Hk * x, Dk) for x, Hk, Dk in ((theta1, H1, D1), (theta2, H2, D2)))
    two_d = [Param(H1, -2, 2), Param(H2, -2, 2), Param(D1, 0.01, 1, log=True), Param(D2, 0.01, 1, log=True),
             Param(theta1, -3, 3), Param(theta2, -3, 3)]
    return [
        SymbolicEquality(f"{label} solves Eq. (2), n = 1", sp.diff(d1, t),
                         fokker_planck_rhs(d1, theta, -H * theta, D), extra=[X_theta], divide_by=d1),
        SymbolicEquality(f"{label} solves Eq. (2), n = 2, diagonal H", sp.diff(d2, t), fp2, extra=two_d,
                         divide_by=d2),
        SymbolicEquality(f"{label} has total mass 1, n = 1",
                         sp.integrate(density_1d(v), (theta, -sp.oo, sp.oo)).subs(v, sigma2_thm1), sp.S.One),
    ]


def sde_projection(point, n_paths, rng):
    return saddle_sde_projection(point["H"], point["D"], point["t"], n_paths, rng)


def density_check(label: str, density: sp.Expr) -> MonteCarloDensity:
    return MonteCarloDensity(
        f"{label} against samples of SDE (1) (Euler-Maruyama, 800 steps)", sde_projection, x=theta,
        formula=density, perturbations=(stretched_density(theta, 1.5 ** 0.5), stretched_density(theta, 0.5 ** 0.5)))


def sigma2_solves_eq19() -> list:
    return [SymbolicEquality("solves (19)", sp.diff(sigma2_thm1, t), printed19_rhs.subs(s, sigma2_thm1)),
            SymbolicEquality("sigma^2(0) = 0", sp.limit(sigma2_thm1, t, 0), sp.S.Zero)]


# Theorem 1's 3-D saddle: eigenvalues (H, -0.6 H, 1.3 |H|) so both signs occur; D_i = D (1, 0.5, 2).
EIG_FACTORS = (lambda h: h, lambda h: -0.6 * h, lambda h: 1.3 * abs(h))
D_FACTORS = (1.0, 0.5, 2.0)


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


_sgd_exact = sp.lambdify((H, eta, B, T), sgd_exact_variance)


def sgd_exact(point) -> float:
    return float(_sgd_exact(point["H"], point["eta"], point["B"], point["T"]))


# --- the claims --------------------------------------------------------------------------------------
eq2 = Claim(
    id="adai.eq2", source=src("Eq. (2)"), title="Fokker-Planck equation of the SGD diffusion (1)",
    statement=sp.Eq(sp.Derivative(P(theta, t), t),
                    sp.Derivative(P(theta, t) * sp.Derivative(L(theta), theta), theta)
                    + sp.Derivative(eta * C(theta) / 2 * P(theta, t), theta, 2)),
    regime=Regime((P_eta,), (), "any L and C; 1-D shown, the n-D case is the same term by term"),
    symbols={**SYMBOLS, "L": "loss", "C": "gradient-noise covariance", "P": "density of theta"},
    dynamics="SDE (1): d theta = -grad L dt + [eta C]^(1/2) dW", observable="density P(theta, t)",
    notes=["'nabla . nabla D(theta) P' is read as div grad (D P) (Ito), the form that follows from (1); "
           "with D constant near a critical point (Eq. (3)) the readings agree."],
    checks=[SymbolicEquality("Eq. (2) is the forward equation of SDE (1) with D = eta C / 2",
                             lambda c: c.statement.rhs.doit(),
                             fokker_planck_rhs(P(theta, t), theta, -sp.diff(L(theta), theta), eta * C(theta) / 2))],
)

quadratic_form = sp.Symbol(r"(\theta - c)^{\top} \Sigma(t) (\theta - c)")
quadratic_form_inv = sp.Symbol(r"(\theta - c)^{\top} \Sigma(t)^{-1} (\theta - c)")
n_dim = sp.Symbol("n", positive=True, integer=True)
det_sigma = sp.Symbol(r"\det \Sigma(t)", positive=True)
eq11_corrected = Claim(
    id="adai.eq11.corrected", source=src("Eq. (11), corrected"),
    title="Gaussian density of Theorem 1 with the inverse covariance in the exponent",
    statement=sp.Eq(P(theta, t), sp.exp(-quadratic_form_inv / 2) / sp.sqrt((2 * sp.pi) ** n_dim * det_sigma)),
    regime=SDE_REGIME, symbols=SYMBOLS, dynamics="SDE (1) with L = theta^T H theta / 2, D constant",
    observable="density of theta at time t",
    notes=["Derived: N(c, Sigma) has density exp(-(theta-c)^T Sigma^-1 (theta-c)/2) / sqrt((2 pi)^n det Sigma); "
           "the proof's own 1-D computation (12)-(17) uses exp(-theta^2 / (2 sigma^2)), i.e. this form."],
    checks=fp_residual_checks(lambda v: gaussian_density(theta, v), corrected_density_2d, "corrected (11)")
    + [density_check("corrected (11)", gaussian_density(theta, sigma2_thm1))],
    uses=["adai.thm1"],
)

eq11 = Claim(
    id="adai.eq11", source=src("Eq. (11), App. A.1"), title="Gaussian density solving Eq. (2) (proof of Theorem 1)",
    statement=sp.Eq(P(theta, t), sp.exp(-quadratic_form / 2) / sp.sqrt((2 * sp.pi) ** n_dim * det_sigma)),
    regime=SDE_REGIME, symbols=SYMBOLS, dynamics="SDE (1) with L = theta^T H theta / 2, D constant",
    observable="density of theta at time t",
    notes=["Encoded as printed: Sigma(t), not its inverse, stands in the exponent. Checks instantiate it for "
           "n = 1 and for n = 2 with diagonal H (eigenbasis, c = 0) with sigma_i^2(t) from Theorem 1."],
    checks=fp_residual_checks(printed_density, printed_density_2d, "printed (11)")
    + [density_check("printed (11)", printed_density(sigma2_thm1))],
    corrected=eq11_corrected, uses=["adai.eq2", "adai.thm1"],
)

step_claim = dict(regime=STEP_REGIME, symbols=SYMBOLS, dynamics="Eq. (2), 1-D, L = H theta^2 / 2, c = 0",
                  observable="terms of Eq. (2) for the 1-D Gaussian of variance sigma^2(t)",
                  notes=["At one instant sigma^2(t) = s and d sigma^2/dt = sdot, so both sides are plain "
                         "functions that mpmath can evaluate when simplify does not decide."])
eq13 = Claim(
    id="adai.eq13", source=src("Eqs. (12)-(13), App. A.1"), title="Time derivative of the Gaussian (first term of (2))",
    statement=sp.Eq(sp.Symbol(r"\partial_t P"), printed13), **step_claim,
    checks=[SymbolicEquality("(12) is dP/dt", at_instant(sp.diff(gauss_st, t)), printed12, extra=[X_theta]),
            SymbolicEquality("(13) equals (12)", printed12, printed13, extra=[X_theta])])
eq15 = Claim(
    id="adai.eq15", source=src("Eqs. (14)-(15), App. A.1"), title="Drift term of (2) for the Gaussian",
    statement=sp.Eq(sp.Symbol(r"\nabla \cdot [P \nabla L]"), printed15), **step_claim,
    checks=[SymbolicEquality("(14) is d/dtheta [P dL/dtheta]", sp.diff(gauss_s * H * theta, theta), printed14,
                             extra=[X_theta]),
            SymbolicEquality("(15) equals (14)", printed14, printed15, extra=[X_theta])])
eq17 = Claim(
    id="adai.eq17", source=src("Eqs. (16)-(17), App. A.1"), title="Diffusion term of (2) for the Gaussian",
    statement=sp.Eq(sp.Symbol(r"D \nabla^2 P"), printed17), **step_claim,
    checks=[SymbolicEquality("(16) is D d^2P/dtheta^2", D * sp.diff(gauss_s, theta, 2), printed16, extra=[X_theta]),
            SymbolicEquality("(17) equals (16)", printed16, printed17, extra=[X_theta])])
eq18 = Claim(
    id="adai.eq18", source=src("Eq. (18), App. A.1"), title="Term1 = Term2 + Term3, divided by P / sigma^4",
    statement=sp.Eq(printed18_lhs, printed18_rhs), **step_claim,
    checks=[SymbolicEquality("(13) - (15) - (17), times sigma^4 / P, is (18) left minus right",
                             sp.simplify((printed13 - printed15 - printed17) * s ** 2 / gauss_s), printed18_lhs - printed18_rhs,
                             extra=[X_theta])], uses=["adai.eq13", "adai.eq15", "adai.eq17"])
eq19 = Claim(
    id="adai.eq19", source=src("Eq. (19), App. A.1"), title="Variance equation of the Gaussian",
    statement=sp.Eq(ds, printed19_rhs), **step_claim,
    checks=[SymbolicEquality("(19) is (18) solved for d sigma^2/dt",
                             sp.solve(sp.Eq(printed18_lhs, printed18_rhs), ds)[0], printed19_rhs)], uses=["adai.eq18"])

eq20 = Claim(
    id="adai.eq20", source=src("Eq. (20), App. A.1"), title="Solution of (19) with sigma^2(0) = 0",
    statement=sp.Eq(sigma2(t), sigma2_thm1), regime=SDE_REGIME, symbols=SYMBOLS,
    dynamics="ODE (19)", observable="sigma_i^2(t)",
    checks=sigma2_solves_eq19(),
    uses=["adai.eq19"])

thm1 = Claim(
    id="adai.thm1", source=src("Theorem 1"), title="SGD diffusion near a critical point: theta ~ N(c, Sigma(t))",
    statement=sp.Eq(sigma2(t), sigma2_thm1), regime=SDE_REGIME, symbols=SYMBOLS,
    dynamics="SDE (1) on L = (theta-c)^T H (theta-c)/2 with constant D sharing H's eigenvectors, theta(0) = c",
    observable="second moments of theta - c along H's eigenvectors at time t",
    notes=["Checked in 3-D with a random rotation U and eigenvalues (H, -0.6 H, 1.3 |H|), D_i = D (1, 0.5, 2): "
           "the diagonal of U^T Sigma U must be sigma_i^2(t) and the off-diagonal 0. Density shape: adai.eq11."],
    checks=sigma2_solves_eq19() + [
            MonteCarloMean("SDE (1), coupled Euler-Maruyama with Richardson extrapolation", thm1_simulate,
                           thm1_predict, n_points=2, n_paths=20_000)],
    uses=["adai.eq20", "adai.eq11.corrected"])

eq21 = Claim(
    id="adai.eq21", source=src("Eq. (21), App. A.1"), title="Theorem 1 in SGD notation (D = eta [H]^+ / (2B), t = eta T)",
    statement=sp.Eq(sigma2(T), sigma2_eq21), regime=SGD_REGIME, symbols=SYMBOLS,
    dynamics="SDE (1) with D = eta [H]^+ / (2B) (Eq. (3)), t = eta T, theta(0) = c",
    observable="second moments of theta - c along H's eigenvectors after T iterations",
    notes=["The proof says 'By D = eta H / (2B)'; the sign(H_i) in (21) shows [H]^+ is meant, as in Eq. (3)."],
    checks=[SymbolicEquality("(20) with D_i = eta |H_i| / (2B) and t = eta T",
                             sigma2_thm1.subs({D: eta * sp.Abs(H) / (2 * B), t: eta * T}), sigma2_eq21),
            MonteCarloMean("SDE (1) with D = eta [H]^+/(2B), coupled Euler-Maruyama with Richardson extrapolation",
                           eq21_simulate, eq21_predict, n_points=2, n_paths=20_000)],
    uses=["adai.eq20"])

def top_of_regime(point):
    """Start the eta ladder where |H| eta T = 0.3, the edge of the regime, so the remainder is resolvable."""
    return {**point, "eta": 0.3 / (abs(point["H"]) * point["T"])}


SMALL_REGIME = Regime((Param(H, -2.0, 2.0, doc="Hessian eigenvalue"), P_eta, P_B, Param(T, 10, 100, log=True)),
                      (NONZERO_H, SGD_STABLE, SGD_SMALL),
                      "SGD near a saddle, |H_i| eta T << 1 (Theorem 1, SGD notation)")
thm1_sgd = Claim(
    id="adai.thm1.sgd", source=src("Theorem 1 (SGD notation)"),
    title="SGD-notation expansion: sigma_i^2(T) = |H_i| eta^2 T / B + O(B^-1 H_i^2 eta^3 T^2)",
    statement=sp.Eq(sigma2(T), sp.Abs(H) * eta ** 2 * T / B + BigO(H ** 2 * eta ** 3 * T ** 2 / B)),
    regime=SMALL_REGIME, symbols=SYMBOLS,
    dynamics="SDE (1) with D = eta [H]^+/(2B); discrete SGD with gradient noise N(0, [H]^+/B)",
    observable="second moment of theta - c along eigenvector i after T iterations",
    notes=["The O term is read with B, H, T fixed and eta -> 0 (so |H| eta T -> 0); relative to the leading "
           "term it is O(|H| eta T)."],
    checks=[AsymptoticOrder("Eq. (21) = leading term + O(bound) as eta -> 0", sigma2_eq21,
                            lambda c: c.formula, lambda c: c.remainder_bound, eta),
            AsymptoticOrder("exact discrete-SGD variance = leading term + O(bound) as eta -> 0", sgd_exact_variance,
                            lambda c: c.formula, lambda c: c.remainder_bound, eta, kind="exact", use_limit=False),
            MonteCarloOrder("discrete SGD on a 3-D saddle: relative error shrinks like |H| eta T", sgd_simulate,
                            small=eta, order=1.0, rungs=5, exact=sgd_exact, start=top_of_regime, n_points=2, n_paths=100_000)],
    uses=["adai.eq21"])

H_pos = sp.Symbol("H", positive=True)
thm1_stationary = Claim(
    id="adai.thm1.stationary", source=src("Theorem 1, remark 1"),
    title="For H_i > 0 the distribution along i converges to N(c_i, eta / (2B))",
    statement=sp.Eq(sp.Limit(sigma2(T), T, sp.oo), eta / (2 * B)),
    regime=Regime((Param(H_pos, 0.05, 2.0), P_eta, P_B), (), "H_i > 0, SDE (1) in SGD notation"),
    symbols=SYMBOLS, dynamics="SDE (1) with D = eta [H]^+/(2B)", observable="variance along eigenvector i as T -> oo",
    checks=[SymbolicEquality("limit of (21) as T -> oo for H_i > 0",
                             sp.limit(sigma2_eq21.subs(H, H_pos), T, sp.oo), eta / (2 * B))],
    uses=["adai.eq21"])

CLAIMS = [eq2, eq11, eq13, eq15, eq17, eq18, eq19, eq20, thm1, eq21, thm1_sgd, thm1_stationary]
