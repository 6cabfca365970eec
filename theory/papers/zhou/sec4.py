"""`zhou`, Sec. 4 up to Theorem 1: Definition 1 and the "non-zero Radon measure", Assumption 1 with the constants
kappa_1, kappa_2, Assumption 2 (i)-(v) and Fig. 2.

Assumption 2 is about SDE (5) and its noise-free twin (eps = 0, the same theta_0); both are run by Euler on
F = x^2/2 in 1-D with rates beta1 = beta2 = 1 (models.adam_sde_records).
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from checks import MonteCarloFraction, NotCheckable, Sample
from checks.tails import ByReading, RelationCheck
from theory import Claim, Condition, Param, Regime, claim

from . import models as zm
from .models import SYMBOLS, beta1, beta2, mu

# --- Definition 1 and the "non-zero Radon measure" -------------------------------------------------------------
mU, mV = sp.Symbol("m(U)", nonnegative=True), sp.Symbol("m(V)", nonnegative=True)
sup_inner = sp.Symbol(r"\sup_{U \subseteq V} m(U)", nonnegative=True)


def finite_measures(claim, rng):
    """Random measures on a five-point space (every subset V of it): the points where the conditions are evaluated."""
    return [{"weights": rng.exponential(size=5).round(6).tolist(), "V": int(v)} for v in rng.integers(1, 32, 6)]


def printed_inner_gap(claim, statement, point):
    """sup over the subsets U of V (U = V included, as printed) of m(U), against m(V): the printed condition (1)."""
    w = np.asarray(point["weights"])
    members = [i for i in range(5) if point["V"] >> i & 1]
    subsets = [sum(w[members[k]] for k in range(len(members)) if s_ >> k & 1) for s_ in range(1 << len(members))]
    m_v = float(sum(w[i] for i in members))
    return float(statement.lhs.subs({sup_inner: max(subsets), mV: m_v})), float(statement.rhs.subs(mV, m_v)), \
        {"m(V)": m_v}


@claim("zhou.def1", "Sec. 4, Definition 1", "Radon measure: inner regular m(V) = sup_{U subseteq V} m(U), outer "
                                            "regular "
       "m(V) = inf_{V subseteq U} m(U), locally finite", about="text")
def def1():
    return Claim(
        statement=sp.Lt(sup_inner, mV), regime=Regime(()), symbols={**SYMBOLS, "m": "a measure"},
        quantified="read as: the printed inner-regularity condition (1) restricts m, i.e. some measure has "
        "sup_{U subseteq V} m(U) < m(V) for some V; as printed U = V is admissible, so (1) (and likewise (2) with U = "
        "V) "
        "holds for every measure and Definition 1 reduces to local finiteness",
        notes=["Corrected: inner regularity is m(V) = sup{m(K) : K compact, K subseteq V}, outer regularity "
               "m(V) = inf{m(U) : U open, V subseteq U}. On R^d every locally finite Borel measure is Radon, so the "
               "slip "
               "changes nothing downstream; it is recorded as printed."],
        checks=[RelationCheck("the printed condition on random measures of a finite space (U = V admissible)",
                              printed_inner_gap, finite_measures, evidence="derivation")])


mW_, mWp = sp.Symbol(r"m(W \setminus \{p\})", nonnegative=True), sp.Symbol("m(W)", positive=True)


def measure_pairs(claim, rng):
    """Candidate measures on R (the Levy measure of W the reading R-m needs, Lebesgue measure on an interval) and a
    point p inside the set: U = V minus {p} is a proper subset of V."""
    return [{"measure": "nu (R-m, alpha = 1.5)", "p": 1.7}, {"measure": "Lebesgue on (-1, 1)", "p": 0.3},
            {"measure": "nu (R-m, alpha = 1.2)", "p": 2.5}]


def measure_gap(claim, statement, point):
    """m(V) - m(U) for V = W = {|y| >= 1} (or the interval (-1, 1)) and U = V without the point p, each integrated
    numerically over its pieces (U splits at p)."""
    from scipy.integrate import quad
    p_ = point["p"]
    if point["measure"].startswith("nu"):
        a = float(point["measure"].split("= ")[1].rstrip(")"))
        dens = lambda y: a / 2 * zm.c_alpha(a) * abs(y) ** (-1 - a)          # (alpha/2) nu, reading R-m
        m_v = 2 * quad(dens, 1.0, np.inf)[0]
        m_u = quad(dens, 1.0, p_)[0] + quad(dens, p_, np.inf)[0] + quad(dens, 1.0, np.inf)[0]
    else:
        m_v = quad(lambda y: 1.0, -1.0, 1.0)[0]
        m_u = quad(lambda y: 1.0, -1.0, p_)[0] + quad(lambda y: 1.0, p_, 1.0)[0]
    return float(statement.lhs.subs({mW_: m_u, mWp: m_v})), float(statement.rhs.subs({mW_: m_u, mWp: m_v})), {}


@claim("zhou.def1.nonzero", "Sec. 4, after Definition 1", "A non-zero Radon measure obeys m(U) < m(V) whenever U is a "
       "proper subset of V", about="algebra")
def def1_nonzero():
    return Claim(
        statement=sp.Lt(mW_, mWp), regime=Regime(()), symbols=SYMBOLS,
        notes=["No locally finite measure on R^d is strictly monotone: at most countably many points carry mass, so "
               "some "
               "p in V has m({p}) = 0 and U = V minus {p} has m(U) = m(V). The check evaluates the measure Theorem 1 "
               "needs (reading R-m, (alpha/2) nu, which has a density) and Lebesgue measure. 'Since larger set has "
               "larger "
               "volume, m(U) positively depends on the volume' does not follow either (zhou.sec41.volume). Theorem 1 "
               "needs only the monotone measure of reading R-m."],
        checks=[RelationCheck("m(W minus a point) against m(W) for the measures Theorem 1 could use", measure_gap,
                              measure_pairs)])


# --- Assumption 1 and the constants before Theorem 1 ---------------------------------------------------------------
tau, v_max, eps_a = sp.Symbol("tau", positive=True), sp.Symbol("v_max", positive=True), sp.Symbol(r"\epsilon",
                                                                                                     positive=True)
KAPPA2_ADAM = 2 * mu * tau / (beta1 * (v_max + eps_a) + mu * tau) * (beta1 - beta2 / 4)
ASM1_REGIME = Regime((Param(mu, 0.01, 10, log=True), Param(tau, 0.01, 1, log=True), Param(v_max, 0.1, 10, log=True),
                      Param(eps_a, 1e-8, 1e-3, log=True), Param(beta1, 0.01, 5, log=True),
                      Param(beta2, 0.01, 10, log=True)),
                     (Condition(beta1 <= beta2, "beta1 <= beta2 (Assumption 2)"),
                      Condition(beta2 <= 2 * beta1, "beta2 <= 2 beta1 (Assumption 2)")),
                     "Assumptions 1-2 (beta1, beta2 the rates of (5))")


def kappa_points(claim, rng):
    return claim.regime.sample(rng, 40) + [{"mu": 1.0, "tau": 0.5, "v_max": 1.0, r"\epsilon": 1e-8, "beta_1": 1.0,
                                            "beta_2": 2.0}]


def kappa_values(claim, statement, point):
    f = sp.lambdify(list(claim.regime.symbols), statement.lhs)
    return float(f(*(point[s.name] for s in claim.regime.symbols))), float(statement.rhs), {}


@claim("zhou.asm1", "Sec. 4, Assumption 1 and the constants before Theorem 1",
       "kappa_2 = 2 mu tau/(beta1 (v_max + eps) + mu tau) (beta1 - beta2/4) > 0 for ADAM (with kappa_1 = l, kappa_2 = "
       "2 mu for SGD)", about="algebra")
def asm1():
    return Claim(
        statement=sp.Gt(KAPPA2_ADAM, 0), regime=ASM1_REGIME, symbols={**SYMBOLS, "tau": "Assumption 2 (iv)",
                                                                      "v_max": "Assumption 2 (v)"},
        quantified="the constants are usable as decay rates: kappa_2 > 0 under Assumptions 1-2 (beta2 <= 2 beta1 gives "
        "beta1 - beta2/4 >= beta1/2 > 0)",
        notes=["Assumption 1 holds for the quadratic basins of the checks (mu = l = the curvature) and for the "
               "rebuttal's "
               "f on its a-branch (x-, x+), not on the whole attraction domain (x-, oo), where f is not convex. "
               "kappa_1 = c_1 l/(v_min + eps)^(tau_m - 1) has the exponent tau_m, which Assumption 2 (iii) cannot make "
               "finite (zhou.asm2.taum)."],
        checks=[RelationCheck("kappa_2 at 40 points of the regime and at beta2 = 2 beta1", kappa_values, kappa_points,
                              evidence="derivation")])


# --- Assumption 2 -----------------------------------------------------------------------------------------------
INNER = sp.Symbol(r"\int_0^\Gamma \langle \nabla F/(1+F), \mu_s Q_s^{-1} m_s \rangle ds", real=True)
P_NONNEG = sp.Symbol(r"\mathbb{P}(\int_0^\Gamma \ldots \geq 0)", nonnegative=True)
INNER_REGIME = Regime((Param(sp.Symbol("theta_0", positive=True), 0.2, 0.2),), (),
                      "SDE (5) on F = x^2/2, Omega = (-1, 1), alpha = 1.5, eps = 0.1, rates 1, v fed the step's draw, "
                      "h = 1e-3, up to the exit or t = 3")


def inner_nonnegative(p, n, rng):
    _, integral, _ = zm.adam_sde_records(n, 3.0, 1e-3, rng, e=0.1, th0=p["theta_0"])
    return Sample((integral >= 0)[:, None].astype(float), ["integral >= 0"])


@claim("zhou.asm2.inner", "Sec. 4, Assumption 2 (i)", "int_0^Gamma <grad F/(1 + F), mu_s Q_s^-1 m_s> ds >= 0 almost "
                                                      "surely")
def asm2_inner():
    return Claim(
        statement=sp.Eq(P_NONNEG, 1), regime=INNER_REGIME, symbols=SYMBOLS,
        quantified="'almost surely' read as: the integral is >= 0 with probability 1 (exact binomial test: no "
        "negative path may occur)",
        dynamics="SDE (5) (Euler) in 1-D", observable="fraction of paths whose integral up to the exit is negative",
        notes=["Fig. 2 plots rho_t = (10/t) int_0^Gamma ...: the upper limit Gamma does not depend on t, presumably "
               "int_0^t was meant."],
        checks=[MonteCarloFraction("paths of (5) from theta_0 = 0.2", inner_nonnegative, lambda p, f: [f(**p)],
                                   n_points=1, n_paths=2000, perturbations=(("probability 0.95",
                                                                             lambda e: e * sp.Rational(
                                       19, 20)),))])


BETA_RATIO = sp.Abs(beta2 / beta1 - sp.Rational(3, 2))
BETA_REGIME = Regime((Param(sp.Symbol("eta", positive=True), 1e-4, 1e-2, log=True),), (),
                     "ADAM's defaults beta1 = 0.9, beta2 = 0.999 at learning rate eta")


def betas(kind):
    def values(claim, statement, point):
        b1, b2 = (0.9, 0.999) if kind == "decay" else ((1 - 0.9) / point["eta"], (1 - 0.999) / point["eta"])
        return float(statement.lhs.subs({beta1: b1, beta2: b2})), float(statement.rhs), {"beta_1": b1, "beta_2": b2}
    return values


def eta_points(claim, rng):
    return [{"eta": e} for e in (1e-2, 1e-3, 1e-4)]


def _betas_claim(kind):
    return Claim(statement=sp.Le(BETA_RATIO, sp.Rational(1, 2)), regime=BETA_REGIME, about="algebra",
                 symbols=SYMBOLS, quantified="beta1 <= beta2 <= 2 beta1 written as |beta2/beta1 - 3/2| <= 1/2",
                 checks=[RelationCheck(f"the defaults as {kind}", betas(kind), eta_points, evidence="derivation")])


@claim("zhou.asm2.betas", "Sec. 4, Assumption 2 (ii) and the paragraph after it",
       "beta1 <= beta2 <= 2 beta1, 'also satisfied under the default setting of ADAM'", about="algebra")
def asm2_betas():
    c = _betas_claim("decay")
    c.checks = [ByReading("what beta1, beta2 are", {"decay factors": _betas_claim("decay").checks[0],
                                                     "rates of (5)": _betas_claim("rates").checks[0]})]
    return c


@claim("zhou.asm2.betas.decay", "Sec. 4, Assumption 2 (ii)", "beta1 <= beta2 <= 2 beta1 for ADAM's decay factors",
       reading_of="zhou.asm2.betas", reading="beta1, beta2 are ADAM's decay factors 0.9 and 0.999", about="algebra")
def asm2_betas_decay():
    return _betas_claim("decay")


@claim("zhou.asm2.betas.rates", "Sec. 4, Assumption 2 (ii)", "beta1 <= beta2 <= 2 beta1 for the rates of (5)",
       reading_of="zhou.asm2.betas", reading="beta1, beta2 are the rates of (5) (dm = beta1 (grad F - m) dt); ADAM's "
       "defaults give (1 - 0.9)/eta and (1 - 0.999)/eta", proof_reading=True, about="algebra")
def asm2_betas_rates():
    return _betas_claim("rates")


# (iii) and (iv): ratios along the trajectory near t = 0
TAU_M = sp.Symbol(r"\tau_m", positive=True)
RATIO_M = sp.Symbol(r"\|m_t - \hat m_t\| / \|\int_0^t (m_s - \hat m_s) ds\|", positive=True)
RATIO_HAT = sp.Symbol(r"\|\hat m_t\| / \|\nabla F(\hat\theta_t)\|", nonnegative=True)
T_LADDER = (1e-3, 1e-2, 1e-1, 1.0)


def _records(seed_rng, noise=True):
    out, _, _ = zm.adam_sde_records(400, 1.0, 1e-4, seed_rng, e=0.05, th0=0.5, record=T_LADDER, noise=noise)
    return out


def taum_points(claim, rng):
    records = _records(rng)
    return [{r"\tau_m": tm, "t": t_,
             "median_ratio": float(np.median(records[t_]["diff"] / records[t_]["diff_integral"]))}
            for tm in (10.0, 100.0, 1000.0) for t_ in T_LADDER]


def taum_values(claim, statement, point):
    lhs = statement.lhs.subs(RATIO_M, point["median_ratio"])
    rhs = statement.rhs.subs(TAU_M, point[r"\tau_m"])
    return float(lhs), float(rhs), {"ratio_times_t": point["median_ratio"] * point["t"]}


@claim("zhou.asm2.taum", "Sec. 4, Assumption 2 (iii)", "||m_t - m-hat_t|| <= tau_m ||int_0^t (m_s - m-hat_s) ds|| for "
                                                       "a "
       "constant tau_m")
def asm2_taum():
    return Claim(
        statement=sp.Le(RATIO_M, TAU_M), regime=Regime((Param(TAU_M, 1.0, 1000.0, log=True),)), symbols=SYMBOLS,
        dynamics="SDE (5) and its noise-free twin from theta_0 = 0.5, F = x^2/2, alpha = 1.5, eps = 0.05, rates 1, "
        "Euler h = 1e-4 (400 paths)", observable="median over paths of the ratio at t = 1e-3 ... 1",
        notes=["m - m-hat is continuous with value 0 at t = 0, so its integral is of higher order: the ratio behaves "
               "like "
               "(k + 1)/t and no constant tau_m bounds it near t = 0 (the ratio x t stays near a constant along the "
               "ladder). The check evaluates tau_m = 10, 100, 1000."],
        checks=[RelationCheck("median ratio along t, against tau_m", taum_values, taum_points, kind="montecarlo")])


def tau_points(claim, rng):
    records = _records(rng, noise=False)
    return [{"tau": tv, "t": t_, "ratio": abs(records[t_]["m_hat"]) / abs(records[t_]["grad_hat"])}
            for tv in (0.01, 0.1) for t_ in T_LADDER]


def tau_values(claim, statement, point):
    return float(statement.lhs.subs(RATIO_HAT, point["ratio"])), float(statement.rhs.subs(tau, point["tau"])), {}


@claim("zhou.asm2.tau", "Sec. 4, Assumption 2 (iv)", "||m-hat_t|| >= tau ||grad F(theta-hat_t)|| for a constant tau > "
                                                     "0")
def asm2_tau():
    return Claim(
        statement=sp.Ge(RATIO_HAT, tau), regime=Regime((Param(tau, 0.01, 0.1, log=True),)), symbols=SYMBOLS,
        dynamics="the noise-free (5) (eps = 0) from theta_0 = 0.5, F = x^2/2, rates 1, Euler h = 1e-4",
        observable="||m-hat_t|| / ||grad F(theta-hat_t)|| at t = 1e-3 ... 1",
        notes=["m-hat_0 = 0 while grad F(theta_0) != 0, and m-hat_t is about beta1 t grad F(theta_0) for small t, so "
               "the "
               "ratio tends to 0 as t -> 0: no positive tau holds for all t. With the bias-corrected mu_t m-hat_t the "
               "small-t ratio tends to 1 instead."],
        checks=[RelationCheck("the noise-free ratio along t, against tau = 0.01 and 0.1", tau_values, tau_points)])


V_SUP = sp.Symbol(r"\sup_t \sqrt{v_{t,i}}", positive=True)
T_STEPS = (1000, 8000, 32000)


def vmax_points(claim, rng):
    return [{"v_max": vm, "steps": s_, "median_running_max": float(np.median(zm.running_max_sqrt_v(1.5, 0.999, s_, 100,
                                                                                                 rng)))}
            for vm, s_ in [(2.0, T_STEPS[0]), (2.0, T_STEPS[1]), (2.0, T_STEPS[2])]]


def vmax_values(claim, statement, point):
    return float(point["median_running_max"]), float(statement.rhs.subs(v_max, point["v_max"])), {}


@claim("zhou.asm2.v", "Sec. 4, Assumption 2 (v)", "v_min <= sqrt(v_{t,i}) <= v_max for all i and t")
def asm2_v():
    return Claim(
        statement=sp.Le(V_SUP, v_max), regime=Regime((Param(v_max, 2.0, 2.0),)), symbols=SYMBOLS,
        dynamics="ADAM's v_t = beta2 v_(t-1) + (1 - beta2) g_t^2 at theta* fed SaS(1.5) gradient noise, beta2 = 0.999",
        observable="median over 100 paths of max_{t <= T} sqrt(v_t), T = 1000, 8000, 32000 steps",
        notes=["With heavy-tailed gradient noise in v, sqrt(v_t) has a tail like its noise, so its running maximum "
               "grows "
               "like T^(1/alpha) and no v_max holds for all t (v_max = 2 is passed by the median path within the "
               "ladder). v_max is compatible only with readings of (5) where v sees no heavy-tailed noise (Q fixed, or "
               "v "
               "fed grad F), exactly where (5) loses ADAM's clipping (zhou.eq5). v_min = 0 is allowed (the small "
               "constant "
               "keeps Q > 0)."],
        checks=[RelationCheck("median running maximum of sqrt(v_t) against v_max", vmax_values, vmax_points,
                              kind="montecarlo")])


@claim("zhou.fig2", "Sec. 4, Fig. 2 and the paragraph around it", "rho_t, tau'_m, tau', v_min, v_max measured on a "
       "4-layer network: 'well lower/upper bounded', validating Assumption 2")
def fig2():
    return Claim(
        statement=sp.Eq(sp.Symbol(r"\text{figure}"), 0), regime=Regime(()), symbols=SYMBOLS,
        checks=[NotCheckable("deep-network measurement", "Fig. 2 is a measurement on a 4-layer fully connected network "
                             "of width 20 (data set not named); the figure is not in the text. Toy analogue on a 1-D "
                             "quadratic with the same five quantities: zhou.asm2.inner, zhou.asm2.taum (tau'_m "
                             "unbounded "
                             "near t = 0), zhou.asm2.tau (tau' -> 0 near t = 0), zhou.asm2.v (v_max exceeded).")])
