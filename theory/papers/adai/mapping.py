"""`adai`, Eq. (3) and Sec. 3 up to Theorem 2: the noise model (3), Momentum as a motion equation (5)-(6), the
SDE (7) and its Fokker-Planck equation (8).

Every check reads the claim's own statement; the expressions shared with other sections are typed once in
``momentum_models``.
"""
from __future__ import annotations

import zlib

import numpy as np
import sympy as sp

from checks import ExactComparison, ExactOrder, MonteCarloMean, NotCheckable, Sample, SymbolicEquality
from checks.dynamics.linear import abs_matrix, psd_sqrt, rotated_hessian
from checks.dynamics.momentum import heavy_ball_exact_variance
from checks.dynamics.optimizers import HeavyBall
from theory import Claim, Param, Regime, claim
from theory.symbolic import fokker_planck_rhs

from .momentum_models import (
    BETA1_BELOW_1,
    GAMMA_MOMENTUM,
    M_MOMENTUM,
    MSYMBOLS,
    NEAR_SADDLE,
    NONZERO_H,
    OVERDAMPED,
    P_D,
    P_H,
    P_M,
    B,
    D,
    H,
    M,
    P_gamma,
    P_tlong,
    beta1,
    beta3,
    dt,
    eta,
    g,
    gamma,
    m_prev,
    msd_closed_form,
    r,
    r_now,
    r_prev,
    t,
    theta,
    theta_now,
)
from .sgd import P_B, L, P

# --- Eq. (3) -----------------------------------------------------------------------------------------------------
Hplus = sp.Symbol("[H]^{+}")
phi = sp.Symbol("phi", real=True)
h1, h2 = sp.symbols("h_1 h_2", real=True, nonzero=True)
ROT = sp.Matrix([[sp.cos(phi), -sp.sin(phi)], [sp.sin(phi), sp.cos(phi)]])
H2 = ROT * sp.diag(h1, h2) * ROT.T
HPLUS2 = ROT * sp.diag(sp.Abs(h1), sp.Abs(h2)) * ROT.T           # the text's definition of [H]^+
TWO_D = [Param(phi, -3.14, 3.14), Param(h1, -2, 2), Param(h2, -2, 2)]
ROTATION_SEED = 20211123          # one fixed rotation, shared by the simulation and the prediction
EIG3 = (1.0, -0.6, 1.3)


def _fixed_saddle(point) -> tuple[np.ndarray, np.ndarray]:
    eigs = np.array([point["H"] * EIG3[0], point["H"] * EIG3[1], abs(point["H"]) * EIG3[2]])
    return rotated_hessian(eigs, np.random.default_rng(ROTATION_SEED))


def _noise_simulate(point, n_paths, rng):
    """The gradient noise every kernel of this package draws on a rotated 3-D saddle, projected on H's
    eigenvectors u_i: (u_i . xi)^2, then (u_i . xi)(u_j . xi) for i < j."""
    Hm, U = _fixed_saddle(point)
    xi = (rng.standard_normal((n_paths, 3)) @ psd_sqrt(abs_matrix(Hm) / point["B"]).T) @ U
    pairs = [(0, 0), (1, 1), (2, 2), (0, 1), (0, 2), (1, 2)]
    return Sample(np.column_stack([xi[:, a] * xi[:, b] for a, b in pairs]),
                  [f"(u{a + 1}.xi)(u{b + 1}.xi)" for a, b in pairs])


def _noise_predict(point, f):
    """C = 2D/eta with D the statement's: 2 f |H_i| / eta along u_i ([H]^+ = U diag |H_i| U^T), 0 across."""
    Hm, U = _fixed_saddle(point)
    along = np.abs(np.diag(U.T @ Hm @ U)) * 2 * float(f(**point)) / point["eta"]
    return np.concatenate([along, np.zeros(3)])


@claim("adai.eq3", "Eq. (3)", "Noise model near a critical point: D = eta C / 2 = eta [H]^+ / (2B)")
def eq3():
    def D2(c):                          # the statement's D on a rotated 2-D saddle
        return c.formula.subs(Hplus, HPLUS2)

    return Claim(
        statement=sp.Eq(D, eta / (2 * B) * Hplus),
        regime=Regime((P_H, Param(eta, 1e-3, 0.1, log=True), P_B, P_D),
                      (NONZERO_H,), "near a critical point c"),
        symbols={**MSYMBOLS, "[H]^{+}": "U diag(|H_1|, ..., |H_n|) U^T for H = U diag(H_i) U^T"},
        dynamics="every kernel of this package: gradient noise xi ~ N(0, [H]^+/B)",
        observable="covariance of the gradient noise",
        notes=["As a model assumption the kernels take C = [H]^+/B; the checks verify the statement's D on a "
               "rotated saddle and that the kernels' noise has covariance 2D/eta. FIM ~ H near critical points of a "
               "network is an empirical statement (Fig. 6) that needs a trained network: not checkable here."],
        checks=[SymbolicEquality("(2B D/eta)^2 = H^2 (2-D, any rotation, both signs)",
                                 lambda c: (2 * B / eta * D2(c)) ** 2, H2 * H2, extra=TWO_D),
                SymbolicEquality("D commutes with H", lambda c: D2(c) * H2 - H2 * D2(c), sp.zeros(2, 2), extra=TWO_D),
                SymbolicEquality("D has eigenvalues eta |H_i| / (2B): its trace and determinant",
                                 lambda c: sp.Matrix([D2(c).trace(), D2(c).det()]),
                                 sp.Matrix([eta * (sp.Abs(h1) + sp.Abs(h2)) / (2 * B),
                                            eta ** 2 * sp.Abs(h1 * h2) / (4 * B ** 2)]), extra=TWO_D),
                MonteCarloMean("the kernels' gradient noise has covariance 2D/eta = [H]^+/B (3-D, rotated)",
                               _noise_simulate, _noise_predict, formula=lambda c: c.formula.subs(Hplus, 1),
                               n_points=2, n_paths=50_000),
                NotCheckable("FIM ~ [H]^+ near critical points of a neural network",
                             "an empirical statement about trained networks (Fig. 6); no model in the paper to check")])


theta_next = sp.Symbol(r"\theta_{t+1}", real=True)
X_theta, X_r = Param(theta, -3, 3), Param(r, -3, 3)


# --- Eq. (5): Momentum (4) as a motion equation -------------------------------------------------------------
MOMENTUM4 = beta1 * m_prev + beta3 * g                           # m_t of Eq. (4)
IDENT5 = {dt: eta, gamma: GAMMA_MOMENTUM, M: M_MOMENTUM}         # dt = eta, 1 - gamma dt = beta1, dt/M = beta3
STEP_REGIME = Regime((Param(beta1, 0.05, 0.99), Param(beta3, 0.05, 1.0), Param(eta, 1e-3, 1.0, log=True),
                      Param(g, -3, 3), Param(m_prev, -3, 3), Param(r_prev, -3, 3), Param(theta_now, -3, 3),
                      Param(r_now, -3, 3), Param(theta_next, -3, 3)), (BETA1_BELOW_1,), "one step of Eq. (4), r = -m")
TRAJ_H, TRAJ_NOISE, TRAJ_STEPS = 0.7, 0.5, 12


def motion5(force):
    """(5) as printed, with F = force: [r_t, theta_{t+1}] = [(1 - gamma dt) r_{t-1} + F dt / M, theta_t + r_t dt]."""
    return sp.Eq(sp.Matrix([r_now, theta_next]),
                 sp.Matrix([(1 - gamma * dt) * r_prev + force / M * dt, theta_now + r_now * dt]), evaluate=False)


def trajectory_noise(point) -> np.ndarray:
    """Gradient noise fixed by the point (a reproducible stream keyed by its values)."""
    key = zlib.crc32(repr(sorted((k, round(v, 12)) for k, v in point.items())).encode())
    return TRAJ_NOISE * np.random.default_rng(key).standard_normal(TRAJ_STEPS)


def momentum_trajectory(point, lr_name="eta", b3=None):
    """Momentum (4) (the package's HeavyBall) on L = h theta^2/2 with Gaussian gradient noise, from theta_1 = 1,
    m_0 = 0: [theta_2 .. theta_{K+1}, -m_1 .. -m_K]. The noise is fixed by the point (same for both sides)."""
    b3 = point["beta_3"] if b3 is None else b3
    noise = trajectory_noise(point)
    opt, th, thetas, rs = HeavyBall(point[lr_name], point["beta_1"], b3), np.array([1.0]), [], []
    for xi in noise:
        th = opt.step(th, TRAJ_H * th + xi)
        thetas.append(float(th[0]))
        rs.append(-float(opt.m[0]))
    return np.array(thetas + rs)


def motion_trajectory(point, f, b3=None):
    """The same run with (5) as stated: r and theta from the statement's two components, F from g_t."""
    noise = trajectory_noise(point)
    th, rp, thetas, rs = 1.0, 0.0, [], []
    for xi in noise:
        kw = {**point, "g_t": TRAJ_H * th + xi, "r_{t-1}": rp, r"\theta_t": th, "r_t": 0.0}
        rn = float(np.asarray(f(**kw), dtype=float).ravel()[0])
        th = float(np.asarray(f(**{**kw, "r_t": rn}), dtype=float).ravel()[1])
        thetas.append(th)
        rs.append(rn)
        rp = rn
    return np.array(thetas + rs)


def motion_checks(ident, recursion, lr, trajectory_exact, b3=None, names=("(5)", "Momentum (4)")) -> list:
    def stepped(c):          # the statement's step with the identifications and r = -m
        r_t = c.formula[0].subs(ident).subs(r_prev, -m_prev)
        return sp.Matrix([r_t, c.formula[1].subs(ident).subs(r_now, r_t)])

    motion, rule = names
    return [SymbolicEquality(f"with the identifications and r = -m, one step of {motion} is one step of "
                             f"{rule}", stepped,
                             sp.Matrix([-recursion, theta_now - lr * recursion])),
            ExactComparison(f"{motion} iterated reproduces {rule} step by step ({TRAJ_STEPS} steps on a noisy "
                            "quadratic, the package's optimizer)", trajectory_exact,
                            lambda p, f: motion_trajectory(p, f, b3), formula=lambda c: c.formula.subs(ident),
                            n_points=4, rtol=1e-9)]


@claim("adai.eq5", "Eq. (5) and the text after it", "Momentum (4) as the motion equation (5) with r_t = -m_t, F = g_t")
def eq5():
    return Claim(
        statement=motion5(g), regime=STEP_REGIME, symbols={**MSYMBOLS, "g_t": "stochastic gradient", "F": "force"},
        printed=r"r_t = (1 - \gamma dt) r_{t-1} + \frac{F}{M} dt,\ \theta_{t+1} = \theta_t + r_t dt,\ F = g_t",
        dynamics="Momentum (4)", observable="r_t = -m_t and theta_{t+1} after each step",
        notes=["Encoded as printed: r_t = -m_t, F = g_t, dt = eta, 1 - gamma dt = beta1, dt/M = beta3 (F = g_t "
               "substituted into (5))."],
        checks=motion_checks(IDENT5, MOMENTUM4, eta, momentum_trajectory))


@claim("adai.eq5.corrected", "Eq. (5), corrected", "Momentum (4) as the motion equation (5) with F = -g_t",
       corrects="adai.eq5")
def eq5_corrected():
    return Claim(
        statement=motion5(-g), regime=STEP_REGIME, symbols={**MSYMBOLS, "g_t": "stochastic gradient"},
        dynamics="Momentum (4)", observable="r_t = -m_t and theta_{t+1} after each step",
        notes=["Derived: with r_t = -m_t, (4) gives r_t = beta1 r_(t-1) - beta3 g_t, so the force is F = -g_t, minus "
               "the stochastic gradient, as Eq. (7) writes it (-dL/dtheta)."],
        checks=motion_checks(IDENT5, MOMENTUM4, eta, momentum_trajectory))


# --- Eq. (6) ---------------------------------------------------------------------------------------------------
@claim("adai.eq6", "Eq. (6) and the text after "
                   "it", "Mass and damping of Momentum: M = eta/beta3, gamma = (1-beta1)/eta",
       about="algebra")
def eq6():
    return Claim(
        statement=sp.Eq(sp.Matrix([M, gamma]), sp.Matrix([M_MOMENTUM, GAMMA_MOMENTUM]), evaluate=False),
        regime=Regime((Param(beta1, 0.05, 0.99), Param(beta3, 0.05, 1.0), Param(eta, 1e-3, 1.0, log=True), P_M,
                       P_gamma), (BETA1_BELOW_1,), "Momentum (4)"),
        symbols=MSYMBOLS, dynamics="Momentum (4) as the motion equation (5)/(6)", observable="M and gamma",
        notes=["That (7) with these M and gamma is the diffusion limit of (4) is checked against the exact dynamics "
               "in adai.eq7."],
        checks=[SymbolicEquality("solve dt = eta, 1 - gamma dt = beta1, dt/M = beta3",
                                 lambda c: sp.Matrix([sp.solve([dt - eta, 1 - gamma * dt - beta1, dt / M - beta3],
                                                               [dt, gamma, M], dict=True)[0][s] for s in (M, gamma)]),
                                 lambda c: c.formula)])


# --- Eq. (7): the Momentum SDE ---------------------------------------------------------------------------------
d_thetadot, d_theta, dW = sp.Symbol(r"d\dot{\theta}", real=True), sp.Symbol(r"d\theta", real=True), sp.Symbol("dW_t")
SDE7 = sp.Eq(M * d_thetadot, -gamma * M * d_theta - sp.Derivative(L(theta), theta) * dt + sp.sqrt(2 * D) * dW,
             evaluate=False)


def sde_coefficients(statement, force=None):
    """(drift of r, noise amplitude of r) of an SDE written as ``M d(theta-dot) = ...``, with d theta = r dt and,
    if given, dL/dtheta = force: dr = drift dt + amplitude dW (the drift is the part of first order in dt)."""
    rate = sp.solve(statement, d_thetadot)[0].subs(d_theta, r * dt)
    if force is not None:
        rate = rate.subs(sp.Derivative(L(theta), theta), force)
    rate = sp.expand(rate)
    return rate.coeff(dW, 0).coeff(dt, 1), rate.coeff(dW, 1)


def sde7_msd_of(statement, r0_sq=0):
    """<theta(t)^2> of the statement's SDE on L = H theta^2/2 from theta(0) = 0 (closed form)."""
    drift, amp = sde_coefficients(statement, H * theta)
    return msd_closed_form(-drift.coeff(r), -drift.coeff(theta), amp ** 2, r0_sq, t)


P_step = Param(eta, 1e-4, 1e-2, log=True, doc="step size dt = eta of Momentum (4)")
SDE7_REGIME = Regime((P_H, P_D, P_M, P_gamma, P_tlong), (NONZERO_H, OVERDAMPED, NEAR_SADDLE),
                     "SDE (7) on L = H theta^2/2 along one eigenvector, D constant (Eq. (3)), theta(0) = c")


def _limit_start(point):
    """First rung: gamma eta = 1/10 with t/eta an integer number of steps."""
    n = int(np.ceil(10 * point["gamma"] * point["t"]))
    return {**point, "eta": point["t"] / n}


def _momentum_at_sde_point(point):
    """Exact variance of Momentum (4) with M, gamma of (6) inverted (beta1 = 1 - gamma eta, beta3 = eta/M), the
    gradient noise variance C = 2D/eta of (3), T = t/eta steps, m_0 = 0."""
    e, inverse = point["eta"], _inverse()
    b1, b3 = inverse["beta_1"](point["gamma"], e), inverse["beta_3"](point["M"], e)
    return float(heavy_ball_exact_variance(point["H"], 2 * point["D"] / e, int(round(point["t"] / e)), e, b1, b3))


_INVERSE: dict = {}


def _inverse() -> dict:
    """beta1, beta3 as functions of (gamma, eta) and (M, eta): Eq. (6) solved (once, when first needed)."""
    if not _INVERSE:
        sol = sp.solve([sp.Eq(M, M_MOMENTUM), sp.Eq(gamma, GAMMA_MOMENTUM)], [beta1, beta3], dict=True)[0]
        _INVERSE["beta_1"] = sp.lambdify((gamma, eta), sol[beta1])
        _INVERSE["beta_3"] = sp.lambdify((M, eta), sol[beta3])
    return _INVERSE


@claim("adai.eq7", "Eq. (7)", "The Momentum SDE M d(theta-dot) = -gamma M d theta - dL/dtheta dt + (2D)^(1/2) dW",
       uses=["adai.eq6", "adai.eq3"])
def eq7():
    drift = lambda c: sde_coefficients(c.statement, sp.Symbol("Lp"))[0]
    amp = lambda c: sde_coefficients(c.statement, sp.Symbol("Lp"))[1]
    Lp, C_i = sp.Symbol("Lp"), sp.Symbol("C", positive=True)
    one_step = {beta1: 1 - gamma * eta, beta3: eta / M}
    return Claim(
        statement=SDE7, regime=SDE7_REGIME.extended(P_step),
        symbols={**MSYMBOLS, "eta": "step size of Momentum (4) (dt = eta)"},
        dynamics="Momentum (4) with gradient noise of variance C = 2D/eta, as eta -> 0 with M, gamma, t fixed",
        observable="drift and diffusion of r; <Delta theta^2(t)>",
        notes=["Two ways: one step of (4) (r = -m, dt = eta, g = L' + xi with Var xi = C) has mean -gamma r - L'/M and "
               "variance 2D/M^2 per unit time; and the exact MSD of the statement's SDE is the eta -> 0 limit of the "
               "exact MSD of (4) with beta1 = 1 - gamma eta, beta3 = eta/M (Eq. (6) inverted), C = 2D/eta, "
               "T = t/eta, the relative error shrinking like eta."],
        checks=[SymbolicEquality("the statement is an Ito differential: no term of order dt^0 but the noise",
                                 lambda c: sp.expand(sp.solve(c.statement, d_thetadot)[0].subs(d_theta, r * dt))
                                 .coeff(dW, 0).coeff(dt, 0), sp.S.Zero, extra=[X_theta, Param(r, -3, 3)]),
                SymbolicEquality("drift: E[Delta r]/dt of one step of (4) is the statement's drift",
                                 ((-(1 - beta1) * r - beta3 * Lp) / eta).subs(one_step), drift,
                                 extra=[Param(r, -3, 3), Param(Lp, -3, 3)]),
                SymbolicEquality("diffusion: Var[Delta r]/dt of one step of (4), with D = eta C/2, is the statement's",
                                 (beta3 ** 2 * C_i / eta).subs(one_step).subs(C_i, 2 * D / eta),
                                 lambda c: amp(c) ** 2),
                ExactOrder("the statement's exact MSD is the eta -> 0 limit of Momentum (4)'s exact MSD (from rest)",
                           _momentum_at_sde_point, small=eta, order=1.0, rungs=5, start=_limit_start, n_points=2,
                           formula=lambda c: sde7_msd_of(c.statement))])


# --- Eq. (8) --------------------------------------------------------------------------------------------------
Pf = P(theta, r, t)
FP8_RHS = (-sp.Derivative(r * Pf, theta)
           + sp.Derivative((gamma * r + sp.Derivative(L(theta), theta) / M) * Pf, r)
           + sp.Derivative(D / M ** 2 * sp.Derivative(Pf, r), r))          # as printed (1-D)


def forward_operator_of_sde7(dens):
    """The Ito forward operator of (7) (d theta = r dt, dr = drift dt + amp dW) applied to a density."""
    drift, amp = sde_coefficients(SDE7)
    return (-sp.diff(r * dens, theta) + fokker_planck_rhs(dens, r, drift, amp ** 2 / 2))


@claim("adai.eq8", "Eq. (8)", "Phase-space Fokker-Planck equation of (7)", uses=["adai.eq7"])
def eq8():
    return Claim(
        statement=sp.Eq(sp.Derivative(Pf, t), FP8_RHS), regime=Regime((P_M, P_gamma, P_D), (),
                                                                     "any L; 1-D phase space (theta, r), D constant"),
        symbols=MSYMBOLS, observable="density P(theta, r, t)",
        dynamics="SDE (7) in phase space: d theta = r dt, dr = -(gamma r + L'/M) dt + (2D)^(1/2)/M dW",
        notes=["Checked in one dimension (the n-D case is the same term by term with D a matrix)."],
        checks=[SymbolicEquality("(8) is the Ito forward equation of (7)", lambda c: c.rhs.doit(),
                                 forward_operator_of_sde7(Pf), extra=[X_theta, X_r, Param(t, 0.1, 2.0)],
                                 evidence="model")])
