"""`adai`, statements outside the proofs' main lines: the gradient noise near a critical point (Sec. 2.1, Eq. (3):
FIM = [H]^+) and away from it (App. C, Figure 6), Adai's phase-space dynamics (Sec. 5 before Proposition 3, App. A.5:
M = eta (I - diag(beta1))^-1, gamma = eta^-1 (I - diag(beta1))), and App. E's test function and Figure 5's caption
(escape_rows.py).

Evidence: Monte Carlo of per-sample gradients of logistic and least-squares regression against Gauss-Hermite Hessians;
the mean trajectory of Adai's update (frozen inertia) against the solution of (7) with the stated mass and damping.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import sympy as sp

from checks import ExactOrder, MonteCarloMean, NotCheckable, Sample, SymbolicEquality
from theory import Claim, Param, Regime, Sampling, claim

from .momentum_models import M, beta1, gamma
from .sgd import B, H, eta

# --- Eq. (3): FIM(theta) ~ [H(theta)]^+ near a critical point -------------------------------------------------------
FIM = sp.Symbol(r"\mathrm{FIM}(\theta)", real=True)
HP = sp.Symbol(r"[H(\theta)]^+", real=True)
th1, th2 = sp.Symbol("theta*_1", real=True), sp.Symbol("theta*_2", real=True)
sigma = sp.Symbol("sigma", positive=True)
P_HP = (Param(HP, 0.01, 1.0, doc="set by the model"), Param(FIM, 0.01, 1.0, doc="set by the model"))
LOGISTIC = Regime((Param(th1, -1.5, 1.5, doc="true parameter"), Param(th2, -1.5, 1.5), *P_HP), (),
                  "logistic regression, x ~ N(0, I_2), y ~ Bernoulli(sigmoid(theta* . x)), at the critical point "
                  "theta = theta* of the expected loss")
SQUARES = Regime((Param(th1, -1.5, 1.5, doc="true parameter"), Param(th2, -1.5, 1.5), Param(sigma, 0.3, 3.0, log=True),
                  *P_HP), (Sampling(sp.Abs(sp.log(sigma)) >= sp.log(sp.Rational(3, 2)), "noise variance away from 1"),),
                 "least squares, x ~ N(0, diag(1, 1/2)), y = theta* . x + sigma eps, at the critical point theta*")
FIM_SYMBOLS = {r"\mathrm{FIM}(\theta)": "observed Fisher information (1/N) sum_j grad L_j grad L_j^T (N -> oo)",
               r"[H(\theta)]^+": "Hessian of the loss (its positive part)", "theta*_1": "true parameter",
               "sigma": "label noise"}
ENTRIES = ((0, 0), (1, 1))     # the diagonal: an off-diagonal entry near 0 decides nothing
HERMITE = np.polynomial.hermite_e.hermegauss(60)


def gauss_expectation(fn) -> np.ndarray:
    """E fn(x1, x2) for x ~ N(0, I_2) by 60 x 60 Gauss-Hermite nodes."""
    z, w = HERMITE
    x1, x2 = np.meshgrid(z, z, indexing="ij")
    return np.tensordot(np.outer(w, w) / (2 * math.pi), fn(x1, x2), axes=([0, 1], [0, 1]))


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


@lru_cache(maxsize=64)
def logistic_hessian(t1: float, t2: float) -> tuple[float, ...]:
    """Entries 11, 22 of H(theta*) = E[p (1 - p) x x^T], p = sigmoid(theta* . x)."""
    def weight(a, b):
        p = sigmoid(t1 * a + t2 * b)
        return p * (1 - p)
    return tuple(float(gauss_expectation(lambda a, b, i=i, j=j: weight(a, b) * (a, b)[i] * (a, b)[j]))
                 for i, j in ENTRIES)


def logistic_fim_simulate(point, n_paths, rng) -> Sample:
    """Per-sample summands grad L_j grad L_j^T of the negative log-likelihood at theta = theta*."""
    x = rng.normal(size=(n_paths, 2))
    p = sigmoid(x @ np.array([point["theta*_1"], point["theta*_2"]]))
    y = rng.random(n_paths) < p
    r2 = (p - y) ** 2
    return Sample(np.stack([r2 * x[:, i] * x[:, j] for i, j in ENTRIES], axis=1), ["FIM_11", "FIM_22"])


SQUARES_H = (1.0, 0.5)          # H = E[x x^T] = diag(1, 1/2), whatever theta* and sigma


def squares_fim_simulate(point, n_paths, rng) -> Sample:
    """Per-sample summands of the squared loss (x . theta - y)^2/2 at theta = theta*: grad L_j = -sigma eps_j x_j."""
    x = rng.normal(size=(n_paths, 2)) * np.sqrt([1.0, 0.5])
    g = -point["sigma"] * rng.normal(size=n_paths)[:, None] * x
    return Sample(np.stack([g[:, i] * g[:, j] for i, j in ENTRIES], axis=1), ["FIM_11", "FIM_22"])


def fim_check(label, simulate, hessian) -> MonteCarloMean:
    return MonteCarloMean(f"{label}: mean of grad L_j grad L_j^T at the critical point against the statement at the "
                          "exact Hessian (Gauss-Hermite)", simulate,
                          lambda p, f: [f(**{**p, HP.name: h}) for h in hessian(p)], n_points=2, n_paths=200_000)


def fim_claim(regime, checks, statement_rhs=HP, notes=()) -> Claim:
    return Claim(statement=sp.Eq(FIM, statement_rhs), regime=regime, symbols=FIM_SYMBOLS,
                 dynamics="per-sample gradients of the training loss at a critical point c", observable="FIM(c)",
                 notes=list(notes), checks=list(checks))


@claim("adai.eq3.fim", "Sec. 2.1, Eq. (3)", "FIM(theta) ~ [H(theta)]^+ near a critical point",
       quantified="'~' read as equality in expectation over the data (N -> oo) at the critical point; a finite "
                  "training set adds the sampling error O(N^-1/2) of the averages")
def eq3_fim():
    return fim_claim(LOGISTIC, [fim_check("logistic regression (cross-entropy)", logistic_fim_simulate,
                                          lambda p: logistic_hessian(p["theta*_1"], p["theta*_2"]))],
                     notes=["Readings: the loss is a negative log-likelihood of a well-specified model "
                            "(adai.eq3.fim.nll) or a squared loss (adai.eq3.fim.mse)."])


@claim("adai.eq3.fim.nll", "Sec. 2.1, Eq. (3), likelihood loss", "FIM = H at the true parameter of a likelihood loss",
       reading_of="adai.eq3.fim", proof_reading=True,
       reading="L_j is the negative log-likelihood of a well-specified model and c its true parameter (the 'observed "
               "Fisher information' of Pawitan (2001), cited for (3)): the Fisher identity",
       quantified="'~' read as equality of the population averages, tested by Monte Carlo on logistic regression")
def eq3_fim_nll():
    return fim_claim(LOGISTIC, [fim_check("logistic regression (cross-entropy)", logistic_fim_simulate,
                                          lambda p: logistic_hessian(p["theta*_1"], p["theta*_2"]))])


@claim("adai.eq3.fim.mse", "Sec. 2.1, Eq. (3), squared loss", "FIM = H at the critical point of a squared loss",
       reading_of="adai.eq3.fim",
       reading="L_j is the squared loss (x_j . theta - y_j)^2/2 with label noise of variance sigma^2, c the critical "
               "point",
       quantified="'~' read as equality of the population averages, tested by Monte Carlo on least squares")
def eq3_fim_mse():
    return fim_claim(SQUARES, [fim_check("least squares (squared loss)", squares_fim_simulate, lambda p: SQUARES_H)])


@claim("adai.eq3.fim.mse.corrected", "Sec. 2.1, Eq. (3), squared loss, corrected", "FIM = sigma^2 H at the critical "
       "point of a squared loss with label noise sigma^2", corrects="adai.eq3.fim.mse")
def eq3_fim_mse_corrected():
    return fim_claim(SQUARES, [fim_check("least squares (squared loss)", squares_fim_simulate, lambda p: SQUARES_H)],
                     statement_rhs=sigma ** 2 * HP)


# --- App. C, Figure 6: the noise covariance away from critical points ------------------------------------------------
C_B = sp.Symbol("C_B", real=True)
GG = sp.Symbol(r"\nabla L \nabla L^\top", real=True)
TOY = Regime((Param(th1, 0.8, 1.5, doc="true parameter"), Param(th2, -0.5, 0.5), *P_HP, Param(C_B, 0.01, 1.0),
              Param(GG, -1.0, 1.0, doc="set by the model")), (),
             "logistic regression at its initialisation theta = 0, x ~ N(0, I_2), y ~ Bernoulli(sigmoid(theta* . x)); "
             "minibatches of B samples drawn with replacement")
TOY_BATCHES = (1, 8)
TOY_SYMBOLS = {"C_B": "covariance of the minibatch gradient", r"[H(\theta)]^+": "Hessian at theta",
               r"\nabla L \nabla L^\top": "outer product of the full gradient", "B": "batch size",
               "theta*_1": "true parameter"}


@lru_cache(maxsize=64)
def toy_moments(t1: float, t2: float) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """At theta = 0: the diagonal of H = E[x x^T]/4 and of g g^T, g = E[(1/2 - y) x] (the off-diagonal entries are
    left out: there both are near 0 and decide nothing)."""
    g = [float(gauss_expectation(lambda a, b, i=i: (0.5 - sigmoid(t1 * a + t2 * b)) * (a, b)[i])) for i in (0, 1)]
    return (0.25, 0.25), (g[0] ** 2, g[1] ** 2)


def toy_simulate(point, n_paths, rng) -> Sample:
    """Per path: the diagonal of (g_B - g)(g_B - g)^T, g_B the mean of B per-sample gradients (1/2 - y) x at theta =
    0, for each batch size of TOY_BATCHES (unbiased for the covariance: g is exact)."""
    t = np.array([point["theta*_1"], point["theta*_2"]])
    g = np.array([gauss_expectation(lambda a, b, i=i: (0.5 - sigmoid(t[0] * a + t[1] * b)) * (a, b)[i])
                  for i in (0, 1)], dtype=float)
    cols, labels = [], []
    for b in TOY_BATCHES:
        x = rng.normal(size=(n_paths, b, 2))
        y = rng.random((n_paths, b)) < sigmoid(x @ t)
        dev = ((0.5 - y)[..., None] * x).mean(axis=1) - g
        cols += [dev[:, i] ** 2 for i in (0, 1)]
        labels += [f"C_{i + 1}{i + 1} at B = {b}" for i in (0, 1)]
    return Sample(np.stack(cols, axis=1), labels)


def toy_predict(p, f) -> list:
    hs, ggs = toy_moments(p["theta*_1"], p["theta*_2"])
    return [f(**{**p, HP.name: h, GG.name: q, "B": b}) for b in TOY_BATCHES for h, q in zip(hs, ggs)]


def toy_claim(rhs) -> Claim:
    return Claim(statement=sp.Eq(C_B, rhs), regime=TOY.extended(Param(B, 8, 8, doc="set by the check: 1 and 8")),
                 symbols=TOY_SYMBOLS, dynamics="minibatch gradients of logistic regression at initialisation",
                 observable="covariance of the minibatch gradient",
                 notes=["A toy analogue, not Figure 6's setting, and no verdict on Figure 6: it shows what "
                        "'approximately' leaves out away from a critical point, the full gradient's outer product "
                        "(which vanishes at one); relative to H it is (dL/dtheta_i)^2/H_ii, 12-28% along theta_1 "
                        "over the regime."],
                 checks=[MonteCarloMean("Monte Carlo covariance of minibatch gradients at B = 1 and 8 against the "
                                        "statement (exact H and gradient by Gauss-Hermite)", toy_simulate, toy_predict,
                                        n_points=2, n_paths=100_000)])


@claim("adai.fig6", "App. C, Figure 6", "Far from critical points the SGN covariance is still approximately "
       "proportional to the Hessian and inverse to the batch size")
def fig6():
    return Claim(
        statement=sp.Eq(sp.Symbol("SGN covariance against Hessian/B in Figure 6"), 0), regime=Regime(()),
        about="text", dynamics="three-layer fully connected networks on MNIST, pretrained and randomly initialised",
        observable="gradient-noise covariance against the Hessian in the Hessian's eigenbasis",
        checks=[NotCheckable("Figure 6's networks", "the claim is about trained and random three-layer networks on "
                             "MNIST whose weights, Hessians and noise covariances are only shown as scatter plots; the "
                             "text gives no numbers to compare and no tolerance for 'approximately' (see "
                             "adai.fig6.toy for a toy analogue)")])


@claim("adai.fig6.toy", "App. C, Figure 6 (toy analogue)", "Logistic regression at initialisation: C_B = H/B",
       uses=["adai.fig6"],
       quantified="'approximately proportional to the Hessian and inverse to the batch size' read, on the toy, as "
                  "C_B = H/B entrywise (Eq. (3) away from a critical point), tested at B = 1 and 8")
def fig6_toy():
    return toy_claim(HP / B)


@claim("adai.fig6.toy.corrected", "App. C, Figure 6 (toy analogue), corrected", "Logistic regression at "
       "initialisation: C_B = (H - grad L grad L^T)/B", corrects="adai.fig6.toy")
def fig6_toy_corrected():
    return toy_claim((HP - GG) / B)


# --- Sec. 5 and App. A.5: Adai's mass and damping -------------------------------------------------------------------
g_ = sp.Symbol("g", positive=True)          # (1 - beta1)/eta, held fixed as eta -> 0
t_ = sp.Symbol("t", positive=True)
var_g = sp.Symbol(r"\sigma_g^2", positive=True)   # variance of the gradient noise per step (D = eta sigma_g^2 / 2)
FP_REGIME = Regime((Param(eta, 0.002, 0.02, log=True, doc="learning rate (ladder variable)"),
                    Param(g_, 2.0, 5.0, doc="(1 - beta1)/eta"), Param(H, 0.1, 0.4, doc="curvature"),
                    Param(t_, 1.0, 3.0, doc="time eta x iterations"),
                    Param(beta1, 0.5, 0.99, doc="Adai's inertia (the ladder sets it to 1 - g eta)"),
                    Param(var_g, 0.5, 2.0, doc="gradient-noise variance")), (),
                   "Adai's update with a frozen inertia beta1 = 1 - g eta per coordinate, on L = H theta^2/2")


def ode_solution(mass, damping) -> sp.Expr:
    """theta(t) of M theta'' = -gamma M theta' - H theta, theta(0) = 1, theta'(0) = 0 (the mean of (7))."""
    disc = sp.sqrt(damping ** 2 - 4 * H / mass)
    lp, lm = (-damping + disc) / 2, (-damping - disc) / 2
    return (lp * sp.exp(lm * t_) - lm * sp.exp(lp * t_)) / (lp - lm)


def adai_mean(p: dict) -> float:
    """Mean of Adai's update without bias correction, beta1 frozen: m_t = beta1 m_(t-1) + (1 - beta1) H theta_t,
    theta_(t+1) = theta_t - eta m_t, from theta_0 = 1, m = 0, after t/eta iterations."""
    b1, steps = 1 - p["g"] * p["eta"], int(round(p["t"] / p["eta"]))
    th, m = 1.0, 0.0
    for _ in range(steps):
        m = b1 * m + (1 - b1) * p["H"] * th
        th -= p["eta"] * m
    return th


def stationary_of_7(mass, damping) -> sp.Expr:
    """Stationary variance D/(gamma M H) of theta under (7) on L = H theta^2/2, D = eta sigma_g^2/2 (Eq. (3)'s D =
    eta C/2), the diffusion term of (8) with the given mass and damping."""
    return eta * var_g / 2 / (damping * mass * H)


def adai_stationary_variance(p: dict) -> float:
    """Exact stationary variance of theta for Adai's update with beta1 frozen and noisy gradients H theta_t + xi_t,
    Var xi = sigma_g^2 (discrete Lyapunov equation of the state (theta_t, m_(t-1)))."""
    from scipy.linalg import solve_discrete_lyapunov

    b1, e, h = 1 - p["g"] * p["eta"], p["eta"], p["H"]
    A = np.array([[1 - e * (1 - b1) * h, -e * b1], [(1 - b1) * h, b1]])
    b = np.array([-e * (1 - b1), 1 - b1])
    return float(solve_discrete_lyapunov(A, p[var_g.name] * np.outer(b, b))[0, 0])


def eq5_solution() -> sp.Matrix:
    """Eq. (5)'s matching (1 - gamma dt = beta1, dt/M = beta3) with dt = eta and Adai's beta3 = 1 - beta1."""
    sol = sp.solve([1 - gamma * eta - beta1, eta / M - (1 - beta1)], [M, gamma], dict=True)[0]
    return sp.Matrix([sol[M], sol[gamma]])


@claim("adai.sec5.fp", "Sec. 5 (before Prop. 3), App. A.5", "Adai's Fokker-Planck equation is (8) with M = eta (I - "
       "diag(beta1))^-1 and gamma = eta^-1 (I - diag(beta1)); gamma M = I")
def sec5_fp():
    return Claim(
        statement=sp.Eq(sp.Matrix([M, gamma]), sp.Matrix([eta / (1 - beta1), (1 - beta1) / eta]), evaluate=False),
        regime=FP_REGIME, symbols={"M": "mass (per coordinate)", "gamma": "damping", "beta_1": "Adai's inertia",
                                   "eta": "learning rate", "g": "(1 - beta1)/eta", "t": "time"},
        dynamics="Adai (Algorithm 2) with beta1 frozen per coordinate (diag(beta1)), without bias correction",
        observable="mass and damping of the continuous-time limit (7)",
        notes=["The matrices are diagonal, so the statement is per coordinate. The bias correction 1/(1 - prod "
               "beta1) of Algorithm 2 is left out, as (8) leaves it out."],
        checks=[SymbolicEquality("Eq. (5)'s matching with dt = eta and Adai's beta3 = 1 - beta1",
                                 lambda c: eq5_solution(), lambda c: c.formula),
                SymbolicEquality("gamma M = I (App. A.5)", lambda c: c.formula[0] * c.formula[1], sp.S.One),
                ExactOrder("mean of Adai's iterates against (7)'s mean with the stated M and gamma, beta1 = 1 - g eta, "
                           "eta -> 0 at fixed time", adai_mean, small=eta, order=1.0, rungs=5, factor=2.0, n_points=2,
                           start=lambda p: {**p, "eta": 0.02, "t": 0.02 * round(p["t"] / 0.02)},
                           formula=lambda c: ode_solution(*c.formula).subs(beta1, 1 - g_ * eta)),
                ExactOrder("stationary variance of Adai's iterates with gradient noise (discrete Lyapunov) against the "
                           "stationary variance of (8) with the stated M and gamma, beta1 = 1 - g eta, eta -> 0",
                           adai_stationary_variance, small=eta, order=1.0, rungs=5, factor=2.0, n_points=2,
                           start=lambda p: {**p, "eta": 0.02},
                           formula=lambda c: stationary_of_7(*c.formula).subs(beta1, 1 - g_ * eta))])
