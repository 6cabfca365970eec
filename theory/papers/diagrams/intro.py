"""`diagrams`, Sec. 1.1: Example 1 (`exm:first`, the skewness term), the Remark after it (isotropic curvature,
T -> infinity) and its last sentence (Gaussian approximations miss the effect).

The S-part of a quantity is its part linear in the third cumulant S of the gradient noise: on the generic
model (models.GEN) the part linear in E x^3; on concrete landscapes the difference between a skewed law and a
symmetric law with the same mean and variance (which also differ in higher moments, at higher order).
"""
from __future__ import annotations

from functools import cache

import numpy as np
import sympy as sp

from checks import Curve, SymbolicEquality
from checks.dynamics.sgd_data import enumerate_sgd
from theory import Claim, Param, Regime, claim
from theory.series import expected_after, expected_after_flow, landscape, stationary_expectation

from . import models as m
from .kinds import RemainderOrder, series_check
from .notation import NORM_ETA_H, Hf, Jf, LittleO, Sf, T, TensorSum, eta, in_eigenbasis, lam, mu, n_dim, nu, taylor
from .simulate import paired_sampler, series_mc, stationary_average

SYMBOLS = {"eta": "learning rate (scalar reading of eta^{mu nu})", "T": "number of SGD steps (E = B = 1)",
           "n": "dimension of weight space", "H(mu, mu)": "mu-th eigenvalue of H (eigenbasis of eta H)",
           "S(mu, nu, lambda)": "third cumulant of the gradient noise", "J(mu, nu, lambda)": "third derivative of l",
           r"\|\eta H\|_2": "spectral norm of eta H (isotropic: eta H = ||eta H|| I)"}
HSUM = Hf(mu, mu) + Hf(nu, nu) + Hf(lam, lam)
EX1 = -eta ** 3 / sp.factorial(3) * TensorSum(Sf(mu, nu, lam) * (1 - sp.exp(-T * eta * HSUM)) / (eta * HSUM)
                                            * Jf(mu, nu, lam), (mu, 1, n_dim), (nu, 1, n_dim), (lam, 1, n_dim))
REMARK1 = -(eta ** 3 / sp.factorial(3)) * TensorSum(Sf(mu, nu, lam) * Jf(mu, nu, lam) / (3 * NORM_ETA_H),
                                                  (mu, 1, n_dim), (nu, 1, n_dim), (lam, 1, n_dim))
REMARK1_FIX = (eta ** 3 / sp.factorial(3)) * TensorSum(Sf(mu, nu, lam) * Jf(mu, nu, lam) / (6 * NORM_ETA_H),
                                                    (mu, 1, n_dim), (nu, 1, n_dim), (lam, 1, n_dim))
L_S = sp.Function(r"\Delta l_{S}")           # the S-part of SGD's expected test loss after T steps
EX1_TEX = (r"-\frac{\eta^3}{3!}\sum_{\mu\nu\lambda} S_{\mu\nu\lambda}\frac{1-\exp(-T\eta(H_{\mu\mu}+H_{\nu\nu}+"
           r"H_{\lambda\lambda}))}{\eta(H_{\mu\mu}+H_{\nu\nu}+H_{\lambda\lambda})}J_{\mu\nu\lambda}")
REGIME = Regime((Param(eta, 0.01, 0.2, log=True, doc="learning rate"), Param(T, 1, 50, doc="steps")), (),
                "E = B = 1 SGD for T steps from theta0, written in an eigenbasis of eta H")


# --- the models the checks instantiate the statement on --------------------------------------------------
def on_gen(expr, stationary=False):
    """The statement on the generic 1-D model at th = 0: H, J, S = s3 sigma^3; isotropic norm eta H."""
    e = in_eigenbasis(expr, {Hf: sp.Matrix([[m.H]]), Jf: np.array([[[m.J]]], dtype=object),
                             Sf: np.array([[[m.s3 * m.sig ** 3]]], dtype=object)}, 1, {NORM_ETA_H: eta * m.H})
    return e.subs(T, sp.oo) if stationary else e


a2, b2, x1, x2 = sp.symbols("a b x_1 x_2")
LOSS2 = (a2 ** 2 + 3 * b2 ** 2) / 2 + a2 ** 2 * b2 / 2 + a2 * b2 ** 2 / 3 - a2 ** 3 / 5 + b2 ** 3 / 7 \
    + x1 * (a2 + b2 / 2) + x2 * (b2 - a2 / 3)
ISO2 = 2 * (a2 ** 2 + b2 ** 2) / 2 + a2 ** 2 * b2 / 2 + a2 * b2 ** 2 / 3 - a2 ** 3 / 5 + b2 ** 3 / 7 \
    + x1 * (a2 + b2 / 2) + x2 * (b2 - a2 / 3)


@cache
def two_d(loss_key: str, stationary: bool):
    """(exact S-part, S, J, H) of a 2-D model: H = diag(1, 3) (anisotropic) or 2 I (isotropic); x_1 skewed
    or symmetric, x_2 symmetric; the S-part is the difference of the two laws' expectations."""
    loss = LOSS2 if loss_key == "aniso" else ISO2
    out = {}
    for key, law in (("skew", m.SKEWED), ("sym", m.PM1)):
        data = {x1: law, x2: m.PM1}
        if stationary:
            out[key] = stationary_expectation(loss, data, 2, params=[a2, b2], minimum=[0, 0])
        else:
            out[key] = expected_after(loss, data, T, 3, params=[a2, b2], theta0=[0, 0])
    st = landscape(loss, {x1: m.SKEWED, x2: m.PM1}, [a2, b2], {a2: 0, b2: 0})
    return sp.expand(out["skew"] - out["sym"]), st["S"], st["J"], st["H"]


def on_two_d(expr, loss_key, stationary=False):
    _, S, J, H = two_d(loss_key, stationary)
    e = in_eigenbasis(expr, {Hf: H, Sf: S, Jf: J}, 2, {NORM_ETA_H: eta * H[0, 0]})
    return e.subs(T, sp.oo) if stationary else e


# --- the process at finite eta: QUARTIC with a skewed law against the symmetric law (same C) ---------------
QUARTIC_STATS = {Hf: sp.Matrix([[1]]), Jf: np.array([[[1]]], dtype=object),
                 Sf: np.array([[[sp.Rational(8, 3)]]], dtype=object)}
T_FIXED = 4


def on_quartic(expr, t=T_FIXED):
    e = in_eigenbasis(expr, QUARTIC_STATS, 1, {NORM_ETA_H: eta})
    return e.subs(T, t)


def quartic_s_part_exact(etas):
    """Exact S-part after T_FIXED steps: every data sequence of both laws enumerated."""
    out = [enumerate_sgd(m.quartic_grad, *law, [0.0], list(etas), T_FIXED, observe=lambda t: t ** 2 / 2 + t ** 3 / 6
                         + t ** 4 / 24)[:, 0] for law in (m.SKEWED_NP, m.PM1_NP)]
    return out[0] - out[1]


@cache
def quartic_stationary_s_part(order: int):
    return sp.expand(m.quartic_stationary(order, "test_loss", "skewed") - m.quartic_stationary(order, "test_loss"))


STAT_ETAS = (0.15,)


def stationary_s_part_sim(etas, n_paths, rng):
    """Per-path time averages of the test-loss difference, skewed minus symmetric law, same uniforms."""
    def grad(t, xx):
        return t * (1 + t * (0.5 + t / 6)) + xx

    def observe(t):
        q = t * t * (0.5 + t * (1 / 6 + t / 24))
        return (q[..., 0] - q[..., 1])[..., None]

    avg = stationary_average(grad, paired_sampler(m.SKEWED_NP, m.PM1_NP), 2, etas, n_paths, rng, 600, 100, observe)
    return avg[..., 0].T


def stationary_mc(name):
    return series_mc(name, stationary_s_part_sim, STAT_ETAS, lambda c: on_quartic(c.formula, sp.oo),
                     lambda etas: [float(quartic_stationary_s_part(4).subs(eta, e)) for e in etas],
                     lambda: quartic_stationary_s_part(4), n_paths=12_000, order=2)


def sj_rvalue(etas, lam_, S3, J3):
    """The S-J diagram's value summed over its embeddings (Sec. 2's rvalue: three edges K^(dt-1) eta, sign and
    1/3!) at eta T = 1: -(eta^3/6) sum S_mnl J_mnl sum_{s<T} (k_m k_n k_l)^s with k = 1 - eta lambda."""
    out = []
    for e in etas:
        t_ = int(round(1 / e))
        k = 1 - e * np.asarray(lam_, dtype=float)
        total = 0.0
        for i, j, n in np.ndindex(*np.shape(S3)):
            q = k[i] * k[j] * k[n]
            total += float(S3[i, j, n]) * float(J3[i, j, n]) * (1 - q ** t_) / (1 - q)
        out.append(-e ** 3 / 6 * total)
    return np.array(out)


def rvalue_check(instantiate, lam_, S3, J3, where):
    return RemainderOrder(f"the S-J diagram's exact sum over embeddings at eta T = 1 ({where}): Remark 2's "
                          "integral, relative error O(eta)", lambda etas: sj_rvalue(etas, lam_, S3, J3),
                          lambda c: instantiate(c).subs(T, 1 / eta), eta0=0.2, evidence="derivation", order=(3, False))


def quartic_rvalue():
    return rvalue_check(lambda c: in_eigenbasis(c.formula, QUARTIC_STATS, 1, {NORM_ETA_H: eta}), [1.0],
                        np.array([[[8 / 3]]]), np.array([[[1.0]]]), "QUARTIC: H = J = 1, S = 8/3")


def fixed_t_checks():
    return [quartic_rvalue(),
        series_check("S-part through eta^3 on the generic 1-D model (exact series, T symbolic)",
                     lambda c: on_gen(c.formula), lambda: m.s_part(m.gen_sgd(3)), extra=m.GEN_PARAMS, order=3),
        series_check("S-part through eta^3 on a 2-D model with H = diag(1, 3) (exact series)",
                     lambda c: on_two_d(c.formula, "aniso"), lambda: two_d("aniso", False)[0], order=3),
    ]


def order_curve(formula):
    def build(point, rng):
        etas = tuple(0.2 / 2 ** k for k in range(5))
        exact = quartic_s_part_exact(etas)
        f = sp.lambdify(eta, on_quartic(formula), "math")
        return ({"eta": list(etas), "|exact - Example 1|": [abs(x - f(e)) for x, e in zip(exact, etas)],
                 "|exact|": [abs(x) for x in exact]}, {"|exact - Example 1|": "formula", "|exact|": "exact"})
    return Curve(f"Example 1 at T = {T_FIXED}: remainder of the S-part (QUARTIC, skewed vs symmetric law)", "eta",
                 {}, build, ylabel="|S-part of E l(theta_T)|", notes="exact enumeration of every data sequence")


@claim("diagrams.example1", "Example 1 (exm:first), Sec. 1.1", "Leading contribution of skewed noise S to SGD's "
       "test loss (eigenbasis of eta H)")
def example1():
    return Claim(
        statement=sp.Eq(L_S(T), EX1, evaluate=False), printed=r"\Delta l_S(T) = " + EX1_TEX, regime=REGIME,
        symbols=SYMBOLS, dynamics="E = B = 1 SGD", observable="S-part of the expected test loss after T steps",
        quantified="'leading order contribution' read, in the checks every reading shares, as: equal to the "
                   "exact S-part through eta^3 at fixed T",
        notes=["Two readings of the regime: fixed T with eta -> 0 (diagrams.example1.fixed-t), and uniformly in T "
               "including T -> infinity (diagrams.example1.large-t), the reading Remark 1 relies on.",
               "The rvalue of the S-J diagram printed in Sec. 2 (product of three K^(dt-1) eta) sums exactly to "
               "sum_s (k_mu k_nu k_lam)^s; Example 1 is that sum with Remark 2's integral approximation."],
        checks=fixed_t_checks(), curves=[order_curve(EX1)])


@claim("diagrams.example1.fixed-t", "Example 1, reading: fixed T", "Example 1 as a fixed-T expansion: the S-part "
       "is the formula + o(eta^3)", reading_of="diagrams.example1",
       reading="T fixed, eta -> 0: the S-part of the test loss is the printed formula + o(eta^3)")
def example1_fixed_t():
    return Claim(
        statement=sp.Eq(L_S(T), EX1 + LittleO(eta ** 3), evaluate=False), regime=REGIME, symbols=SYMBOLS,
        dynamics="E = B = 1 SGD", observable="S-part of the expected test loss after T steps",
        checks=fixed_t_checks() + [
            RemainderOrder(f"exact S-part at T = {T_FIXED} (every data sequence of a skewed and a symmetric law)",
                           quartic_s_part_exact, lambda c: on_quartic(c.formula))])


@claim("diagrams.example1.large-t", "Example 1, reading: every T", "Example 1 uniformly in T: at T -> infinity the "
       "S-part is the formula's limit + o(eta^2)", reading_of="diagrams.example1", proof_reading=True,
       reading="uniformly in T (the paper's use in Remark 1: T -> infinity at fixed eta)")
def example1_large_t():
    return Claim(
        statement=sp.Eq(L_S(T), EX1 + LittleO(eta ** 2), evaluate=False), regime=REGIME, symbols=SYMBOLS,
        dynamics="E = B = 1 SGD, T -> infinity near a minimum", observable="S-part of the stationary test loss",
        notes=["At T -> infinity the formula is Theta(eta^2), so o(eta^2) is the order a leading-term statement "
               "needs. The S-J diagram is not the only one of that order: the diagram S -> J -> H (a singleton J "
               "node with two S legs) contributes +eta^2 S J/(12 H); the total is +eta^2 S J/(36 H)."],
        checks=[series_check("stationary S-part through eta^2, generic 1-D model (exact stationary expansion)",
                             lambda c: on_gen(c.formula, True), lambda: m.s_part(m.gen_stationary(2)),
                             extra=m.GEN_PARAMS), quartic_rvalue()])


SYMBOLIC_LIMIT = SymbolicEquality(
    "the statement is Example 1's formula for eta H = ||eta H|| I and T -> infinity (algebra)",
    lambda c: on_gen(EX1, True).subs(m.H, NORM_ETA_H / eta), lambda c: on_gen(c.formula).subs(m.H, NORM_ETA_H / eta),
    extra=m.GEN_PARAMS + [Param(NORM_ETA_H, 0.01, 0.5)])


def remark1_checks():
    return [
        series_check("stationary S-part through eta^2, generic 1-D model (exact stationary expansion)",
                     lambda c: on_gen(c.formula), lambda: m.s_part(m.gen_stationary(2)), extra=m.GEN_PARAMS, order=2),
        series_check("stationary S-part through eta^2, 2-D isotropic model (H = 2 I, skewed minus symmetric law)",
                     lambda c: on_two_d(c.formula, "iso", True), lambda: two_d("iso", True)[0], order=2),
        stationary_mc("SGD on QUARTIC, skewed minus symmetric law (same uniforms), time averages"),
    ]


def remark_curve(formula, label):
    def build(point, rng):
        c = sp.Poly(quartic_stationary_s_part(4), eta)
        exact = [float(c.coeff_monomial(eta ** k)) for k in range(5)]
        f = sp.Poly(taylor(on_quartic(formula, sp.oo), 2), eta)
        return ({"power of eta": list(range(5)), label: [float(f.coeff_monomial(eta ** k)) for k in range(5)],
                 "exact (stationary expansion)": exact}, {label: "formula", "exact (stationary expansion)": "exact"})
    return Curve("Stationary S-part on QUARTIC (H = J = 1, S = 8/3): coefficients of eta^k", "power of eta", {},
                 build, ylabel="coefficient", log=False)


@claim("diagrams.remark1", "Remark 1 (after Example 1), Sec. 1.1", "Isotropic curvature, T -> infinity: the "
       "skewness term is -(eta^3/3!) sum S J / (3 ||eta H||)", uses=["diagrams.example1"])
def remark1():
    return Claim(
        statement=sp.Eq(sp.Limit(L_S(T), T, sp.oo), REMARK1, evaluate=False), regime=REGIME, symbols=SYMBOLS,
        dynamics="E = B = 1 SGD near a non-degenerate minimum with eta H = ||eta H|| I, T -> infinity",
        observable="S-part of SGD's stationary test loss",
        quantified="read as the leading (eta^2) S-part of the stationary test loss: equal through eta^2",
        notes=["As algebra the statement is Example 1's formula in the stated limit (first check). As a statement "
               "about SGD it has the wrong sign and twice the size: the exact S-part is +eta^2 S:J/(36 h)."],
        checks=[SYMBOLIC_LIMIT] + remark1_checks(), curves=[remark_curve(REMARK1, "Remark 1 (printed)")])


@claim("diagrams.remark1.corrected", "Remark 1, corrected", "Isotropic curvature, T -> infinity: the S-part of "
       "SGD's test loss is +(eta^3/3!) sum S J / (6 ||eta H||) + o(eta^2)", corrects="diagrams.remark1")
def remark1_corrected():
    return Claim(
        statement=sp.Eq(sp.Limit(L_S(T), T, sp.oo), REMARK1_FIX + LittleO(eta ** 2), evaluate=False), regime=REGIME,
        symbols=SYMBOLS, dynamics="E = B = 1 SGD near a non-degenerate minimum, eta H = ||eta H|| I, T -> infinity",
        observable="S-part of SGD's stationary test loss",
        notes=["Derivation (1-D, delta = theta - theta*, a = 1 - eta H): E delta^3 gets -eta^3 S/(1 - a^3) ~ "
               "-eta^2 S/(3H) (Example 1's term, -eta^2 S J/(18 H) in the loss) and E delta^2 gets -a eta J E "
               "delta^3/(1 - a^2) ~ +eta^2 J S/(6 H^2) (+eta^2 S J/(12 H) in the loss): +eta^2 S J/(36 H) in all."],
        checks=remark1_checks(), curves=[remark_curve(REMARK1_FIX, "corrected")])


@claim("diagrams.remark1.sde", "Remark 1, last sentence", "Gaussian approximations (SDE) miss the skewness effect: "
       "the SDE's expected test loss has no S-part", uses=["diagrams.remark1.corrected"])
def remark1_sde():
    return Claim(
        statement=sp.Eq(sp.Function(r"\Delta l_{S}^{SDE}")(T), sp.S.Zero, evaluate=False), regime=REGIME,
        symbols=SYMBOLS, dynamics="SDE with SGD's drift and gradient covariance (Gaussian noise)",
        observable="S-part of the SDE's expected test loss",
        notes=["SGD's own S-part is nonzero (diagrams.example1, diagrams.remark1.corrected), so the SDE misses a "
               "real effect."],
        checks=[series_check("S-part of the SDE's expected test loss through eta^4 (generic 1-D model)",
                             lambda c: c.formula, lambda: m.s_part(expected_after_flow(
                                 m.GEN, m.GEN_LAW, T, 4, params=[m.th], theta0=[0])), extra=m.GEN_PARAMS, order=4),
                series_check("S-part of the SDE's stationary-regime test loss is that of a Gaussian law (2-D model)",
                             lambda c: c.formula, lambda: sp.expand(
                                 expected_after_flow(LOSS2, {x1: m.SKEWED, x2: m.PM1}, T, 3, params=[a2, b2],
                                                     theta0=[0, 0])
                                 - expected_after_flow(LOSS2, {x1: m.PM1, x2: m.PM1}, T, 3, params=[a2, b2],
                                                       theta0=[0, 0])), order=3)])

