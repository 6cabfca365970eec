"""`levy-rebuttal`, answer to Reviewer #2 (ll. 2-11): the function f = min(x^2, a (x - 1)^2), its three basins, the
escape experiment and what it is said to confirm, and the remark on asymmetric valleys.

The experiment (experiment.py) prints no step, alpha, noise scale or escape criterion: the escape criterion is a
reading, the numerical parameters are searched.
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from checks import ExactComparison, NotCheckable, SymbolicEquality
from checks.curves import Curve
from checks.heavytail import clopper_pearson
from checks.stats import ALPHA
from checks.tails import ByReading, RelationCheck, sides
from theory import Claim, Param, Regime, claim
from theory.papers.zhou import models as zm

from .experiment import BASINS, N_STEPS, PRINTED_P, Reproduction, escape_curve

a, xx = sp.Symbol("a", positive=True), sp.Symbol("x", real=True)
F = sp.Min(xx ** 2, a * (xx - 1) ** 2)
EDGES = sp.Symbol(r"(x_-, x_+)")
SYMBOLS = {"a": "curvature of the basin at x = 1", "x_-": "the barrier between the basins",
           "x_+": "where the a-branch ends on the right"}


@claim("levy-rebuttal.example1.f", "l. 3", "f = min(x^2, a (x - 1)^2) has a local basin at x = 1", about="algebra")
def example_f():
    return Claim(
        statement=sp.Eq(EDGES, sp.Matrix([sp.sqrt(a) / (sp.sqrt(a) + 1), sp.sqrt(a) / (sp.sqrt(a) - 1)]),
                        evaluate=False),
        regime=Regime((Param(a, 2.0, 1e5, log=True),)), symbols=SYMBOLS,
        quantified="x = 1 is a strict local minimum (f(1) = 0, f = a (x-1)^2 near 1, a > 1) whose a-branch is the "
                   "interval "
        "(x-, x+) where a (x - 1)^2 < x^2; x- is the barrier (a local maximum of f), beyond x+ f keeps rising on the "
        "x^2 "
        "branch, so the domain of attraction of 1 is (x-, oo)",
        notes=["Assumption 1 (strong convexity in Omega) holds on the a-branch only, not on the attraction domain."],
        checks=[SymbolicEquality("the roots of x^2 = a (x - 1)^2 around 1", lambda c: c.formula,
                                 sp.Matrix(sorted(sp.solve(sp.Eq(xx ** 2, a * (xx - 1) ** 2), xx),
                                                  key=lambda r: float(r.subs(a, 4))))),
                ExactComparison("the kernel's branch edges (checks.dynamics.levy.MinOfParabolas)",
                                lambda p: [float(zm.MinOfParabolas(p["a"]).left),
                                           float(zm.MinOfParabolas(p["a"]).right)],
                                lambda p, f: np.asarray(f(**p), float).ravel(), n_points=6, rtol=1e-12)])


M_PAIR = sp.symbols("m_1 m_2", positive=True)


def width(a_: float) -> float:
    return 2 * math.sqrt(a_) / (a_ - 1)


@claim("levy-rebuttal.example1.measure", "ll. 4-5", "a = 1e5, 500, 150 give basins A, B, C with m(A) < m(B) < m(C)",
       about="algebra")
def example_measure():
    def points(c, rng):
        return [{"pair": "A < B", "m_1": width(1e5), "m_2": width(500.0), "nu_1": zm.nu_interval(1.5, *_d(1e5)),
                 "nu_2": zm.nu_interval(1.5, *_d(500.0))},
                {"pair": "B < C", "m_1": width(500.0), "m_2": width(150.0), "nu_1": zm.nu_interval(1.5, *_d(500.0)),
                 "nu_2": zm.nu_interval(1.5, *_d(150.0))}]
    return Claim(
        statement=sp.Lt(M_PAIR[0], M_PAIR[1]), regime=Regime(()), symbols=SYMBOLS,
        quantified="m read as the Lebesgue measure (width 2 sqrt(a)/(a - 1)) of the a-branch; the escaping sets order "
                   "the "
        "other way (nu(W_A) > nu(W_B) > nu(W_C), R-m), consistently",
        checks=[RelationCheck("widths of the a-branches", lambda c, st, p: sides(st, {M_PAIR[0]: p["m_1"],
                                                                                      M_PAIR[1]: p["m_2"]}),
                              points, evidence="derivation")])


def _d(a_: float) -> tuple[float, float]:
    """Distances from 1 to the barrier x- and to x+."""
    s_ = math.sqrt(a_)
    return 1 - s_ / (s_ + 1), s_ / (s_ - 1) - 1


PROB = sp.Symbol(r"(P_A, P_B, P_C)")
ITERS = sp.Symbol(r"(\bar T_A, \bar T_B, \bar T_C)")
PRINTED_PROB = sp.Matrix([1, sp.Rational(656, 1000), sp.Rational(101, 1000)])
PRINTED_ITERS = sp.Matrix([122, 457, 1898])
CRITERIA = {"branch": "escape = leaving the a-branch (x-, x+), the basin Omega of Theorem 1 (where Assumption 1 holds)",
            "attraction": "escape = crossing the barrier x- (leaving the domain of attraction (x-, oo) of x = 1)"}
CURVES = [Curve("escape fractions within 2000 iterations against the noise scale s (alpha = 1.3, h = 1.47e-7, branch)",
                "s", {"alpha": 1.3, "h": 1.47e-7}, escape_curve, ylabel="escape probability", log=False,
                notes="printed: A 100%, B 65.6%, C 10.1% (constant columns)")]


def _example(statement, quantity, criterion, curves=()):
    checks = ([Reproduction(f"search of the unprinted parameters ({criterion})", criterion, quantity)] if criterion
              else [ByReading("escape criterion", {k: Reproduction(f"search ({k})", k, quantity) for k in CRITERIA})])
    return Claim(statement=statement, regime=Regime(()), symbols=SYMBOLS, curves=list(curves),
                 dynamics="Euler scheme of (4) on f: x <- x - h f'(x) + s xi, xi ~ SaS(1), x0 = 1, 2000 iterations, "
                          "1000 "
                 "runs per basin", observable="per basin: fraction escaped, mean iteration of the escapes",
                 notes=["Not printed: the step h, alpha, the noise scale s = eps h^(1/alpha), the escape criterion. A "
                        "grid of about 1e6 runs (alpha 0.5-2, h 1e-7-1e-4, s 3e-7-0.1, both criteria) found no set "
                        "reproducing the six numbers; the default run re-tests the closest sets, --deep a grid."],
                 checks=checks)


@claim("levy-rebuttal.example1.prob", "ll. 5-7", "escaping probabilities 100%, 65.6% and 10.1% for A, B, C (2000 "
       "iterations, 1000 runs, x0 = 1, the same Levy noise)")
def example_prob():
    return _example(sp.Eq(PROB, PRINTED_PROB, evaluate=False), "prob", None, CURVES)


@claim("levy-rebuttal.example1.prob.branch", "ll. 5-7", "escaping probabilities 100/65.6/10.1% with escape = leaving "
                                                        "the "
       "a-branch", reading_of="levy-rebuttal.example1.prob",
       reading="escape = leaving the a-branch (x-, x+), the basin Omega of Theorem 1 (where Assumption 1 holds)",
       proof_reading=True)
def example_prob_branch():
    return _example(sp.Eq(PROB, PRINTED_PROB, evaluate=False), "prob", "branch")


@claim("levy-rebuttal.example1.prob.attraction", "ll. 5-7", "escaping probabilities 100/65.6/10.1% with escape = "
       "crossing the barrier", reading_of="levy-rebuttal.example1.prob",
       reading="escape = crossing the barrier x- (leaving the domain of attraction (x-, oo) of x = 1)")
def example_prob_attraction():
    return _example(sp.Eq(PROB, PRINTED_PROB, evaluate=False), "prob", "attraction")


@claim("levy-rebuttal.example1.iters", "ll. 7-8", "average iterations for successful escaping 122, 457 and 1898")
def example_iters():
    c = _example(sp.Eq(ITERS, PRINTED_ITERS, evaluate=False), "iters-successful", None)
    c.notes.append("What is averaged is a reading too: over the escapes (as printed) or over all runs with the "
                   "censored "
                   "ones counted as 2000 iterations (C's 1898 is, to the digit, the latter for an exponential law with "
                   "P = 10.1%: 1897.3).")
    c.checks = [ByReading("escape criterion (averaged over the escapes)",
                          {k: Reproduction(f"search ({k})", k, "iters-successful") for k in CRITERIA})]
    return c


@claim("levy-rebuttal.example1.iters.branch", "ll. 7-8", "mean iterations of the escapes 122/457/1898, escape = "
                                                         "leaving "
       "the a-branch", reading_of="levy-rebuttal.example1.iters",
       reading="the mean exit iteration over the runs that escaped, escape = leaving the a-branch", proof_reading=True)
def example_iters_branch():
    return _example(sp.Eq(ITERS, PRINTED_ITERS, evaluate=False), "iters-successful", "branch")


@claim("levy-rebuttal.example1.iters.attraction", "ll. 7-8", "mean iterations of the escapes 122/457/1898, escape = "
       "crossing the barrier", reading_of="levy-rebuttal.example1.iters",
       reading="the mean exit iteration over the runs that escaped, escape = crossing the barrier")
def example_iters_attraction():
    return _example(sp.Eq(ITERS, PRINTED_ITERS, evaluate=False), "iters-successful", "attraction")


def all_runs_bound(c, rng):
    """Whatever the law of T, E min(T, 2000) >= 2000 P(T > 2000): with the printed escape fractions, the average over
    all runs is at least 2000 (1 - P)."""
    return [{"basin": b, "bound": N_STEPS * (1 - float(p)), "printed": float(t)} for b, p, t in
            zip(BASINS, PRINTED_P, PRINTED_ITERS)]


@claim("levy-rebuttal.example1.iters.all-runs", "ll. 7-8", "122/457/1898 as averages of min(T, 2000) over all 1000 "
                                                           "runs",
       reading_of="levy-rebuttal.example1.iters", reading="the average over all runs, the censored ones counted as "
                                                          "2000 "
       "iterations", about="algebra")
def example_iters_all():
    T_ = sp.Symbol(r"\bar T")
    LB = sp.Symbol(r"2000\,(1 - P)")
    return Claim(
        statement=sp.Ge(T_, LB), regime=Regime(()), symbols=SYMBOLS,
        quantified="an average of min(T, 2000) over all runs is at least 2000 x (the fraction not escaped), for any "
                   "law",
        notes=["B: 457 < 2000 x 0.344 = 688, so the printed B cannot be such an average; C's 1898 would be one (an "
               "exponential law with P = 0.101 gives 1897.3), so the printed numbers mix two averages or neither."],
        checks=[RelationCheck("printed averages against 2000 (1 - P)", lambda c, st, p: sides(
            st, {T_: p["printed"], LB: p["bound"]}), all_runs_bound, evidence="derivation")])


# --- consistency of the printed pairs with an exponential exit law -------------------------------------------------
def conditional_mean(p_: float, n: int = N_STEPS) -> float:
    """E[T | T <= n] for an exponential law with P(T <= n) = p_ (constant hazard)."""
    lam = -math.log(1 - p_) / n
    return (1 / lam) * (1 - (1 - p_) * (1 + lam * n)) / p_


@claim("levy-rebuttal.example1.consistency", "ll. 5-8", "the printed pairs (65.6%, 457) and (10.1%, 1898) of B and C "
                                                        "fit "
       "the exponential exit law of Theorem 1", about="algebra")
def example_consistency():
    TB = sp.Symbol(r"(\bar T_B, \bar T_C)")
    return Claim(
        statement=sp.Eq(TB, sp.Matrix([457, 1898]), evaluate=False), regime=Regime(()), symbols=SYMBOLS,
        quantified="read as: a constant-hazard (exponential) exit law with the printed P(T <= 2000) has the printed "
                   "mean "
        "iteration of the escapes",
        notes=["For any exit law with a non-decreasing hazard (the Euler chain started at the minimum, whose hazard "
               "rises "
               "to its quasi-stationary value) E[T | T <= 2000] is at least the constant-hazard value: 825.6 for B "
               "(printed 457) and 982.8 for C; B's printed pair needs escapes concentrated early (a decreasing hazard) "
               "and C's needs 90% of its escapes after iteration 1000."],
        checks=[ExactComparison("E[T | T <= 2000] of the exponential law with P_B = 0.656 and P_C = 0.101",
                                lambda p: [conditional_mean(0.656), conditional_mean(0.101)],
                                lambda p, f: np.asarray(f(**p),
                                                        float).ravel(), n_points=1, rtol=0.05, evidence="derivation")])


RATE_RATIO = sp.Symbol(r"\ln(1 - P_B) / \ln(1 - P_C)")


def theory_ratio_points(c, rng):
    """The printed fractions' rate ratio (constant hazard) against Theorem 1's nu(W_B)/nu(W_C) (R-m, escape = leaving
    the a-branch) at alpha = 1.1 ... 1.99 (its supremum over alpha <= 2 is about 3.3)."""
    printed = math.log(1 - 0.656) / math.log(1 - 0.101)
    return [{"alpha": a_, "printed_ratio": printed, "theorem_ratio": zm.nu_interval(a_, *_d(500.0))
             / zm.nu_interval(a_, *_d(150.0))} for a_ in (1.1, 1.5, 1.9, 1.99)]


@claim("levy-rebuttal.example1.order", "ll. 8-9", "'It confirms our theory: the larger Radon measure of the basin, the "
       "harder to escape'")
def example_order():
    c = _order_claim("qualitative")
    c.checks = [ByReading("how the numbers confirm the theory", {k: _order_check(k) for k in ("qualitative",
                                                                                              "quantitative")})]
    return c


def _order_check(kind):
    if kind == "qualitative":
        def points(c, rng, seed):
            from .experiment import shared_experiment
            out = []
            for cand in ({"alpha": 1.3, "h": 1.47e-7, "s": 1e-4},):
                res = shared_experiment(cand, "branch", 1000, seed)
                k = {b: res[b]["exit_steps"].size for b in BASINS}
                lo = {b: clopper_pearson(k[b], 1000, ALPHA / 2)[0] for b in BASINS}
                hi = {b: clopper_pearson(k[b], 1000, ALPHA / 2)[1] for b in BASINS}
                out.append({"params": cand, "fractions": {b: k[b] / 1000 for b in BASINS},
                            "largest increase": (max(lo["B"] - hi["A"], lo["C"] - hi["B"]),
                                                 max(hi["B"] - lo["A"], hi["C"] - lo["B"]))})
            return out
        return RelationCheck("escape fractions ordered A > B > C in the simulated experiment (closest parameters; "
                             "upper "
                             "confidence limits of the increases, exact)",
                             lambda c, st, p: sides(st, {ORDER: p["largest increase"]}), points,
                             kind="montecarlo", with_seed=True)
    return RelationCheck("printed rate ratio against Theorem 1's for alpha in (1, 2)", lambda c, st, p: sides(
        st, {ORDER: p["printed_ratio"] - p["theorem_ratio"]}), theory_ratio_points, evidence="derivation")


ORDER = sp.Symbol(r"\Delta")


def _order_claim(kind):
    quant = {"qualitative": "the escape fractions decrease from A to C (Delta = the largest increase of the fraction "
                            "from one basin to the next, must be < 0)",
             "quantitative": "the printed numbers agree with Theorem 1: their constant-hazard rate ratio ln(1 - P_B)/"
                             "ln(1 - P_C) equals Theorem 1's nu(W_B)/nu(W_C) (Delta = the difference, must "
                             "vanish)"}[kind]
    st = sp.Lt(ORDER, 0) if kind == "qualitative" else sp.Eq(ORDER, 0)
    return Claim(statement=st, regime=Regime(()), symbols=SYMBOLS, quantified=quant,
                 about="process" if kind == "qualitative" else "algebra",
                 notes=["The printed fractions imply a B:C rate ratio of 10.0; Theorem 1 gives 2.0 (alpha = 1.1) to "
                        "3.3 "
                        "(alpha -> 2), and 10 would need alpha near 3.9. The qualitative ordering holds in every "
                        "simulated setting."], checks=[_order_check(kind)])


@claim("levy-rebuttal.example1.order.qualitative", "ll. 8-9", "the larger the basin, the harder to escape (ordering)",
       reading_of="levy-rebuttal.example1.order", reading="qualitative: escape fractions (and times) ordered A, B, C",
       proof_reading=True)
def example_order_qualitative():
    return _order_claim("qualitative")


@claim("levy-rebuttal.example1.order.quantitative", "ll. 8-9", "the printed numbers confirm Theorem 1 quantitatively",
       reading_of="levy-rebuttal.example1.order", reading="quantitative: the printed numbers agree with Theorem 1's "
                                                          "rate "
       "ratio nu(W_B)/nu(W_C)", about="algebra")
def example_order_quantitative():
    return _order_claim("quantitative")


@claim("levy-rebuttal.remark.asymmetric", "ll. 10-11", "the Radon-measure definition of flatness explains the good "
       "generalization of minima at asymmetric valleys, which existing definitions cannot")
def remark_asymmetric():
    return Claim(statement=sp.Eq(sp.Symbol(r"\text{flatness}"), 0), regime=Regime(()), symbols=SYMBOLS,
                 checks=[NotCheckable("generalization", "a statement about generalization of trained networks. On its "
                                      "premise (large volume => hard to escape): an elongated basin of the same area "
                                      "escapes about 4 times faster than a disc under the paper's own Levy dynamics "
                                      "(zhou.sec41.volume)")])
