"""`zhou`, Sec. 4.2: the escaping sets (7)-(8) of a quadratic basin, and the big-jump/small-jump decomposition of
L_t with its intensity and jump times (the paragraph before Theorem 2 and the one after it).

The intensity is checked against L itself: the Euler increments h^(1/alpha) xi of L exceed r at the rate
nu{|y| >= r} per unit time (exact binomial tests), and the waiting time for the first such increment is geometric
with the exact SaS(1) tail probability (scipy.stats.levy_stable).
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from checks import ExactComparison, MonteCarloFraction, Sample, SymbolicEquality
from checks.tails import ExitLadder, ExitLaw
from theory import BigO, Claim, Param, Regime, claim

from . import models as zm
from .models import C_ALPHA, SYMBOLS, alpha, delta, eps

# --- (7) and (8) ------------------------------------------------------------------------------------------------
s1, s2, sx, l1, l2, lx, q1, q2, hf = sp.symbols(r"\sigma_1 \sigma_2 \sigma_x \lambda_1 \lambda_2 \lambda_x q_1 q_2 "
                                                r"h_f^*",
                                                  real=True)
SIG = sp.Matrix([[s1, sx], [sx, s2]])
HES = sp.Matrix([[l1, lx], [lx, l2]])
QINV = sp.diag(1 / q1, 1 / q2)
FORM = sp.MatrixSymbol("A_W", 2, 2)       # W = {y : y^T A_W y >= h_f^*}
SET_REGIME = Regime((Param(s1, 0.5, 1.5), Param(s2, 0.3, 1.0), Param(sx, -0.2, 0.2), Param(l1, 1.0, 2.0),
                     Param(l2, 0.5, 1.5), Param(lx, -0.3, 0.3), Param(q1, 0.5, 2.0), Param(q2, 0.5, 2.0),
                     Param(hf, 1.0, 1.0)), (), "2-D quadratic basin {y^T H y <= h_f^*} around theta* = 0")
SET_AT = [{r"\sigma_1": 1.0, r"\sigma_2": 0.6, r"\sigma_x": 0.15, r"\lambda_1": 1.0, r"\lambda_2": 1.5,
           r"\lambda_x": 0.2, "q_1": 1.3, "q_2": 0.8, "h_f^*": 1.0}]


def _num(p, expr):
    subs = {sym: p[sym.name] for sym in (s1, s2, sx, l1, l2, lx, q1, q2, hf)}
    return np.array(expr.subs(subs).evalf(), dtype=float)


def w_reach_rate(p, form) -> float:
    """nu(W) for W = {y : y^T A y >= h}: jumps along axis i leave once |y_i| >= sqrt(h / A_ii) (independent SaS
    coordinates), so nu(W) = sum_i (2 c_alpha / alpha) (h / A_ii)^(-alpha/2)."""
    a = 1.5
    return float(np.sum(2 * zm.c_alpha(a) / a * (p["h_f^*"] / np.diag(form)) ** (-a / 2)))


def sgd_2d_exits(p, n, rng):
    return zm.quadratic_exits(1.5, EPS_SET, 0.2, _num(p, HES), p["h_f^*"], _num(p, SIG), n, rng)


EPS_SET = 0.05


def adam_2d_exits(p, n, rng):
    """(5) with Q frozen at diag(q_1, q_2) (the Q_theta* of (6)), rates 1, Euler h = 0.2, eps = 0.05."""
    H, Sig = _num(p, HES), _num(p, SIG)
    basin = zm.Quadratic(H, p["h_f^*"] / 2)
    sde = zm.AdaptiveLevySDE(basin.grad, zm.SasNoise(1.5, 2, Sig), EPS_SET, 0.2, 1.0, 1.0, 0.0, "adam",
                             Q=[p["q_1"], p["q_2"]])
    return zm.exit_times(sde, np.zeros(2), basin.inside, n, 40_000, rng, dt=0.2)


def _set_claim(rhs, derived, simulate, dynamics):
    def predict(p, f):
        return 1 / (EPS_SET ** 1.5 * w_reach_rate(p, np.asarray(f(**p), dtype=float)))
    return Claim(
        statement=sp.Eq(FORM, rhs), regime=SET_REGIME, about="process",
        symbols={**SYMBOLS, "A_W": "matrix of the quadratic form defining W", "h_f^*": "2 (h(theta*) - F(theta*))"},
        dynamics=dynamics, observable="the escaping set, through the mean exit time 1/nu(W/eps) (R-m, eps = 0.05)",
        notes=["From (6) with the margin eps^gamma -> 0: Q^-1 Sigma y is outside Omega iff (Q^-1 Sigma y)^T H (Q^-1 "
               "Sigma y) "
               "> h_f^*. (7)-(8) write >= (the boundary has measure 0)."],
        checks=[SymbolicEquality("(6) with Omega = {y^T H y <= h_f^*}: the form of Q^-1 Sigma y", lambda c: c.formula,
                                 derived),
                ExitLaw("simulated exit time against 1/nu(W/eps) of the statement's W", simulate, predict, at=SET_AT,
                        n_paths=1000)])


@claim("zhou.eq7", "Sec. 4.2, Eq. (7)", "W_SGD = {y : y^T Sigma H Sigma y >= h_f^*}")
def eq7():
    return _set_claim(SIG * HES * SIG, SIG.T * HES * SIG, sgd_2d_exits, zm.DYN4 + " in 2-D")


@claim("zhou.eq8", "Sec. 4.2, Eq. (8)", "W_ADAM = {y : y^T Sigma Q^-1 H Q^-1 Sigma y >= h_f^*}")
def eq8():
    return _set_claim(SIG * QINV * HES * QINV * SIG, (QINV * SIG).T * HES * (QINV * SIG), adam_2d_exits,
                      "SDE (5) in 2-D with Q_t frozen at Q_theta* (the reading of (6))")


# --- the decomposition of L --------------------------------------------------------------------------------------
THETA_D = sp.Symbol(r"\Theta(\varepsilon^{-\delta})")
DECOMP_REGIME = Regime((Param(alpha, 1.2, 1.8), Param(eps, 0.05, 0.2, log=True), Param(delta, 0.2, 0.9)), (),
                       "L_t with SaS(1) coordinates (the paper's L), 1-D, big jumps |y| >= eps^-delta")


def step_for(p):
    """An Euler step h with P(|h^(1/alpha) xi| >= r) near 2e-3 (far in the tail, where the increment law is the Levy
    measure's to a fraction of a percent)."""
    r = p["varepsilon"] ** -p["delta"]
    return 2e-3 * r ** p["alpha"] * p["alpha"] / (2 * zm.c_alpha(p["alpha"]))


def exceedances(p, n, rng):
    h_ = step_for(p)
    r = p["varepsilon"] ** -p["delta"]
    return Sample((np.abs(h_ ** (1 / p["alpha"]) * zm.sas_sample(p["alpha"], n, rng)) >= r)[:, None].astype(float),
                  ["increment >= eps^-delta"])


def _decomp(rhs):
    return Claim(
        statement=sp.Eq(THETA_D, rhs), regime=DECOMP_REGIME, symbols=SYMBOLS,
        dynamics="the Levy motion L_t (SaS(1) coordinates), Euler increments h^(1/alpha) xi",
        observable="fraction of increments of L over h with size >= eps^-delta (= intensity x h)",
        notes=["Printed: Theta(eps^-delta) = int nu(dy) = (2/alpha) eps^(alpha delta): the tail mass of the "
               "unit-constant "
               "measure |y|^(-1-alpha) dy. For the paper's L (SaS(1) coordinates) nu = c_alpha |y|^(-1-alpha) dy and "
               "the "
               "intensity is (2 c_alpha/alpha) eps^(alpha delta), smaller by c_alpha (0.30 at alpha = 1.5, 0.09 at "
               "1.9). "
               "Jump sizes: Pareto(alpha) on [eps^-delta, oo) (the compound Poisson part, checks.dynamics.stable."
               "big_jumps); inter-jump times exponential with mean 1/Theta."],
        checks=[ExactComparison("the exact tail of the increment law, P(|h^(1/alpha) xi| >= r)/h at h -> 0 (h = 1e-6 x "
                                "the step below)", lambda p: 2 * zm.sas_tail(p["alpha"],
                                                                             p["varepsilon"] ** -p["delta"] * (
                                    1e-6 * step_for(p)) ** (-1 / p["alpha"])) / (1e-6 * step_for(p)),
                                lambda p, f: f(**p), n_points=6, rtol=1e-3),
                MonteCarloFraction("exceedances of the Euler increments of L (exact binomial)", exceedances,
                                   lambda p, f: [f(**p) * step_for(p)], n_points=3, n_paths=1_000_000)])


@claim("zhou.sec42.decomp", "Sec. 4.2, paragraph before Theorem 2", "the big jumps (size >= eps^-delta) of L_t form a "
       "compound Poisson process with intensity Theta(eps^-delta) = (2/alpha) eps^(alpha delta)")
def decomp():
    return _decomp(2 / alpha * eps ** (alpha * delta))


@claim("zhou.sec42.decomp.corrected", "Sec. 4.2, corrected", "intensity Theta(eps^-delta) = (2 c_alpha/alpha) "
       "eps^(alpha delta), c_alpha = Gamma(1 + alpha) sin(pi alpha/2)/pi", corrects="zhou.sec42.decomp")
def decomp_corrected():
    return _decomp(2 * C_ALPHA / alpha * eps ** (alpha * delta))


yv, r_ = sp.Symbol("y", real=True), sp.Symbol("r", positive=True)
INTEGRAL = sp.Symbol(r"\int_{\|y\| \geq r} \frac{\alpha y}{\|y\|^{1+\alpha}}")


@claim("zhou.sec42.decomp.integrand", "Sec. 4.2, paragraph before Theorem 2", "int_{||y|| >= r} alpha "
                                                                              "y/||y||^(1+alpha) "
       "= (2/alpha) r^-alpha (r = eps^-delta)", about="algebra")
def decomp_integrand():
    integrand = alpha * yv / sp.Abs(yv) ** (1 + alpha)
    return Claim(
        statement=sp.Eq(INTEGRAL, 2 / alpha * r_ ** -alpha), regime=Regime((Param(alpha, 0.5, 1.9),
                                                                            Param(r_, 0.5, 5.0))), symbols=SYMBOLS,
        notes=["In 1-D the printed integrand is odd: its integral over |y| >= r is 0; with |y| in the numerator it is "
               "2 r^-alpha; the value (2/alpha) r^-alpha comes from |y|^(-1-alpha) dy. In R^d a norm-based density "
               "||y||^(-1-alpha) has a finite tail mass only for alpha > d - 1; the Levy measure of independent "
               "coordinates lives on the axes (rate d (2 c_alpha/alpha) r^-alpha)."],
        checks=[SymbolicEquality("the printed integrand integrated over |y| >= r (1-D)",
                                 lambda c: sp.integrate(integrand.subs(yv, -yv), (yv, r_, sp.oo), conds="none")
                                 + sp.integrate(integrand, (yv, r_, sp.oo), conds="none"), lambda c: c.formula)])


# --- the first big jump --------------------------------------------------------------------------------------------
ES1 = sp.Symbol(r"\mathbb{E}\sigma_1")
TIMES_REGIME = Regime((Param(alpha, 1.8, 1.8), Param(delta, 0.9, 0.9), Param(eps, 0.025, 0.1, log=True)), (),
                      "alpha delta = 1.62 > 1 (allowed: delta in (0, 1), alpha in (1, 2))")


def first_big_jump(p, n, rng):
    """Waiting times (in time units) for the first Euler increment of L with |h^(1/alpha) xi| >= eps^-delta, h = 1e-3:
    geometric with the SaS(1) tail probability (models.sas_tail)."""
    h_ = 1e-3
    thr = p["varepsilon"] ** -p["delta"] * h_ ** (-1 / p["alpha"])
    q = 2 * zm.sas_tail(p["alpha"], thr)
    return h_ * rng.geometric(q, n).astype(float), np.zeros(n, bool), h_


def _times(rhs, level):
    return Claim(
        statement=sp.Eq(ES1, rhs), regime=TIMES_REGIME, symbols=SYMBOLS,
        dynamics="the Levy motion L_t (SaS(1)), Euler increments over h = 1e-3",
        observable="mean waiting time for the first increment of size >= eps^-delta, along eps = 0.1, 0.05, 0.025",
        notes=["The printed E(sigma_1) = alpha/(2 eps^(alpha delta)) is 1/Theta with the unit-constant measure (the "
               "constant: zhou.sec42.decomp). Its order is eps^(-alpha delta), which is O(eps^-1) only when "
               "alpha delta <= 1. The comparison 'much larger than v_eps = O(ln(1/eps))' holds for any alpha delta > "
               "0."],
        checks=[ExitLadder("eps-ladder: exponent of the mean first big-jump time", first_big_jump,
                           lambda p, f: f(**p), eps, lambda p: [{**p, "varepsilon": e} for e in (0.1, 0.05, 0.025)],
                           level=level, at=[{"alpha": 1.8, "delta": 0.9, "varepsilon": 0.1}], n_paths=4000,
                           formula=lambda c: c.remainder_bound,
                           perturbations=(("x eps^(1/2)", lambda e: e * eps ** sp.Rational(1, 2)),
                                          ("x eps^(-1/2)", lambda e: e / eps ** sp.Rational(1, 2))))])


@claim("zhou.sec42.times", "Sec. 4.2, paragraph after Theorem 2", "E(sigma_1) = alpha/(2 eps^(alpha delta)) = "
                                                                  "O(eps^-1), "
       "much larger than v_eps = O(ln(1/eps))")
def times():
    return _times(BigO(eps ** -1), False)


@claim("zhou.sec42.times.corrected", "Sec. 4.2, corrected", "E(sigma_1) = O(eps^(-alpha delta))",
       corrects="zhou.sec42.times")
def times_corrected():
    return _times(BigO(eps ** (-alpha * delta)), False)
