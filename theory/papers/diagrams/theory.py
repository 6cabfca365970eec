"""`diagrams`, Sec. 2: the definition of irreducible diagrams and the wraptable's examples, Theorem 1
(`thm:resum`, orders 1-3 on toy models, one claim per reading), Remark 2 (`rmk:integrate`, sums by integrals)
and Theorem 2 (`thm:converge`).

The exact series (theory.series.expected_after) is SGD's exact expected test loss through the order it is
computed to (tested against enumeration of every SGD path), so the comparisons below have evidence "model".
"""
from __future__ import annotations

from functools import cache

import numpy as np
import sympy as sp

from checks import SymbolicEquality
from checks.base import FormulaCheck, RunContext
from checks.montecarlo import with_power
from checks.result import FAIL, CheckResult
from theory import Claim, Param, Regime, claim
from theory.series import expected_after

from . import enumerator as en
from . import models as m
from .kinds import RelationHolds, RemainderOrder
from .notation import BigO, LittleO, T, eta, taylor

SYMBOLS = {"eta": "learning rate", "T": "number of SGD steps (E = B = 1)"}
RSUM = sp.Function("RSUM")          # the sum over irreducible diagrams and their embeddings of Thm. 1
RSUM_TEX = (r"\sum_{D~\mathrm{irreducible}}\sum_{f~\mathrm{an~embedding~of}~D}\frac{(-1)^{|\mathrm{edges}(D)|}}"
            r"{|\mathrm{Aut}_f(D)|}\mathrm{rvalue}_f(D)")
EL = sp.Function(r"\mathbb{E}\,l")   # SGD's expected test loss after T steps
REGIME = Regime((Param(eta, 0.01, 0.3, log=True, doc="learning rate"),), (), "E = B = 1 SGD, T fixed")

# --- Theorem 1: the models and what each reading sums --------------------------------------------------------
th, x = m.th, m.x
DISCRETE = m.Discrete({-1: sp.Rational(2, 3), 2: sp.Rational(1, 3)})


def poly_model(a):
    return a * th + th ** 2 / 2 + th ** 3 / 3 + th ** 4 / 5 + x * (th + th ** 2 / 4)


CASES = {   # name -> (loss, parameter, data, theta0, steps)
    "polynomial, G = 1/2": (poly_model(sp.Rational(1, 2)), th, {x: DISCRETE}, 0, (2, 3)),
    "polynomial, G = 0": (poly_model(0), th, {x: DISCRETE}, 0, (2, 3)),
    "Gauss, h0 = 0": (m.GAUSS, m.h, m.N01, 0, (2, 3)),
    "Mean Estimation, H = 2, S = 1, theta0 = 1/3": (m.MEAN.subs({m.Hm: 2, m.Sm: 1}), th, m.N01, sp.Rational(1, 3),
                                                    (2,)),
}
READINGS = {"printed": ("printed", False), "injective": ("corrected", True), "collisions": ("corrected", False)}


@cache
def _land(case):
    loss, p, data, t0, _ = CASES[case]
    return en.Landscape1D(loss, p, data, t0)


@cache
def exact_series(case, steps):
    loss, p, data, t0, _ = CASES[case]
    return expected_after(loss, data, steps, 3, params=[p], theta0=[t0])


@cache
def reading_sum(case, steps, reading):
    definition, injective = READINGS[reading]
    return en.resummed(_land(case), steps, 3, definition, "cumulant", injective)


def thm1_check(reading: str, cases, order: int = 3):
    keys = [(c, s) for c in cases for s in CASES[c][4]]

    def lhs(c):
        return sp.Matrix([taylor(c.formula.replace(RSUM, lambda *a, k=k: reading_sum(k[0], k[1], reading)), order)
                          for k in keys])

    def rhs(c):
        return sp.Matrix([taylor(exact_series(*k), order) for k in keys])

    shown = "; ".join(f"{c} (T = {', '.join(map(str, CASES[c][4]))})" for c in cases)
    return SymbolicEquality(f"through eta^{order}: the diagram sum against the exact series on {shown}", lhs, rhs,
                            evidence="model")


def thm1_claim(reading, checks):
    return Claim(statement=sp.Eq(EL(T), RSUM(eta, T), evaluate=False), printed=r"\mathbb{E}\,l(\theta_T) = " + RSUM_TEX,
                 regime=REGIME, symbols=SYMBOLS, dynamics="E = B = 1 SGD for T steps",
                 observable="expected test loss after T steps", checks=checks,
                 notes=["Diagrams up to 3 edges are enumerated for 1-D weights (theory/papers/diagrams/enumerator.py); "
                        "the sum is compared with the exact series through eta^3 at T = 2, 3. Values are cumulants "
                        "(the paper's footnote); embeddings are counted up to automorphism (1/|Aut_f|)."])


@claim("diagrams.def2.irreducible", "Sec. 2, definition of irreducible diagrams and the wraptable",
       "'Irreducible when each of its degree-2 nodes is in a part of size one' classifies the wraptable's four "
       "examples as the wraptable does", about="text")
def def_irreducible():
    return Claim(statement=sp.Eq(sp.Symbol("n_{agree}"), 4, evaluate=False), regime=Regime(()),
                 observable="examples of the wraptable the definition classifies as the wraptable does",
                 notes=["Wraptable: c(0-1)(01), c(0-1-2)(02-12) are irreducible; c(0-1-2)(01-12), c(01-2-3)(03-12-23) "
                        "are not 'due to their green nodes' (a non-root degree-2 node alone in its part)."],
                 checks=[RelationHolds("the printed definition applied to the four examples", lambda c: {
                     sp.Symbol("n_{agree}"): agreement("printed")}, evidence="derivation", kind="symbolic")])


EXAMPLES = {"c(0-1)(01)": True, "c(0-1-2)(02-12)": True, "c(0-1-2)(01-12)": False, "c(01-2-3)(03-12-23)": False}


def agreement(definition):
    return sum(en.is_irreducible_named(n, definition) == want for n, want in EXAMPLES.items())


@claim("diagrams.def2.irreducible.corrected", "Sec. 2, definition of irreducible, corrected",
       "Irreducible when no non-root degree-2 node is alone in its part", corrects="diagrams.def2.irreducible",
       about="text", uses=["diagrams.thm1.collisions"])
def def_irreducible_corrected():
    return Claim(statement=sp.Eq(sp.Symbol("n_{agree}"), 4, evaluate=False), regime=Regime(()),
                 observable="examples of the wraptable the definition classifies as the wraptable does",
                 notes=["With this definition Theorem 1 (reading diagrams.thm1.collisions) equals the exact series "
                        "through eta^3; with the printed one it does not even at a minimum (diagrams.thm1.printed)."],
                 checks=[RelationHolds("the corrected definition applied to the four examples", lambda c: {
                     sp.Symbol("n_{agree}"): agreement("corrected")}, evidence="derivation", kind="symbolic")])


@claim("diagrams.def2.aut", "Sec. 2, wraptable", "|Aut_f(c(01-2-3)(03-12-23))| = 1 and |Aut_f(c(01-2-3)(02-12-23))| "
       "= 2 for every embedding f", about="algebra")
def wraptable_aut():
    a1, a2 = sp.symbols("A_1 A_2")
    return Claim(statement=sp.Eq(sp.Matrix([a1, a2]), sp.Matrix([1, 2]), evaluate=False), regime=Regime(()),
                 symbols={"A_1": "|Aut_f(c(01-2-3)(03-12-23))|", "A_2": "|Aut_f(c(01-2-3)(02-12-23))|"},
                 checks=[RelationHolds("automorphisms of the rooted trees that keep every part", lambda c: {
                     a1: en.automorphisms_preserving_parts("c(01-2-3)(03-12-23)"),
                     a2: en.automorphisms_preserving_parts("c(01-2-3)(02-12-23)")}, evidence="derivation",
                     kind="symbolic")])


ALL = tuple(CASES)


@claim("diagrams.thm1", "Theorem 1 (thm:resum), Sec. 2", "SGD's expected test loss is the sum over irreducible "
       "diagrams of (-1)^edges rvalue_f / |Aut_f|")
def thm1():
    return thm1_claim("printed", [thm1_check("collisions", ALL, order=1)])


@claim("diagrams.thm1.printed", "Theorem 1, reading: definitions as printed", "Theorem 1 with the printed "
       "irreducibility and injective embeddings", reading_of="diagrams.thm1",
       reading="irreducible as printed ('each degree-2 node in a part of size one'); embeddings injective as defined")
def thm1_printed():
    return thm1_claim("printed", [thm1_check("printed", ALL)])


@claim("diagrams.thm1.injective", "Theorem 1, reading: corrected irreducibility, injective embeddings",
       "Theorem 1 with the corrected irreducibility and injective embeddings", reading_of="diagrams.thm1",
       reading="irreducible corrected (diagrams.def2.irreducible.corrected); embeddings injective as defined")
def thm1_injective():
    return thm1_claim("injective", [thm1_check("injective", ALL)])


@claim("diagrams.thm1.collisions", "Theorem 1, reading of its proof (App. B.5)", "Theorem 1 with the corrected "
       "irreducibility and embeddings that may put distinct parts at one time", reading_of="diagrams.thm1",
       proof_reading=True, reading="irreducible corrected; the proof 'permit[s] such illegal embeddings' (parts may "
       "share a time), values are cumulants")
def thm1_collisions():
    return thm1_claim("collisions", [thm1_check("collisions", ALL)])


# --- Remark 2: sums by integrals, (1 - eta H)^t by exp(-eta H t) ------------------------------------------------
RATIO = sp.Function("R")   # exact diagram sum / its integral approximation


def ratio_gap(etas, T_=10, H=1.0):
    """Cor. 2's gen. gap of GD on Mean Estimation: exact (1 - (1 - eta H)^T) over Remark 2's (1 - exp(-eta T H))."""
    e = np.asarray(etas)
    return (1 - (1 - e * H) ** T_) / (1 - np.exp(-e * T_ * H))


def ratio_gap_tau(etas, tau=1.0, H=1.0):
    """The same at eta T = tau fixed (T = tau / eta steps)."""
    e = np.asarray(etas)
    return (1 - (1 - e * H) ** np.rint(tau / e)) / (1 - np.exp(-tau * H))


def ratio_sj(etas, T_=10, H=1.0):
    """The S-J diagram of Example 1: sum_s (1 - eta H)^(3 s) over its integral (1 - exp(-3 T eta H))/(3 eta H)."""
    out = []
    for e in etas:
        k3 = (1 - e * H) ** 3
        out.append(((1 - k3 ** T_) / (1 - k3)) / ((1 - np.exp(-3 * T_ * e * H)) / (3 * e * H)))
    return np.array(out)


def rmk2_checks():
    inst = lambda c: c.formula
    return [RemainderOrder("gen. gap of GD on Mean Estimation (Cor. 2), T = 10, H = 1: exact sum / integral",
                           ratio_gap, inst, eta0=0.05),
            RemainderOrder("the same at eta T = 1 fixed (T = 1/eta)", ratio_gap_tau, inst, eta0=0.05),
            RemainderOrder("the S-J diagram of Example 1, T = 10, H = 1: exact sum / integral", ratio_sj, inst,
                           eta0=0.05)]


@claim("diagrams.rmk2", "Remark 2 (rmk:integrate), Sec. 2", "Sums over embeddings by integrals and (I - eta H)^t by "
       "exp(-eta H t): error factor 1 + o(eta)", about="algebra")
def rmk2():
    return Claim(statement=sp.Eq(RATIO(eta), 1 + LittleO(eta), evaluate=False), regime=REGIME, symbols=SYMBOLS,
                 observable="exact sum over embeddings / its integral approximation",
                 notes=["At fixed T the ratio is 1 + eta H/2 + O(eta^2) (Cor. 2's gap), 1 + 3 eta H/2 (the S-J "
                        "diagram); at eta T = tau fixed 1 + eta H^2 tau/(2(e^{H tau} - 1)) + O(eta^2): the error is "
                        "of order eta, not o(eta)."], checks=rmk2_checks())


@claim("diagrams.rmk2.corrected", "Remark 2, corrected", "Sums by integrals: error factor 1 + O(eta)",
       corrects="diagrams.rmk2", about="algebra")
def rmk2_corrected():
    return Claim(statement=sp.Eq(RATIO(eta), 1 + BigO(eta), evaluate=False), regime=REGIME, symbols=SYMBOLS,
                 observable="exact sum over embeddings / its integral approximation",
                 notes=["Relative O(eta) on a d-edge diagram of order eta^d is an absolute o(eta^d) at fixed T, "
                        "which is what the leading-order corollaries need."], checks=rmk2_checks())


# --- Theorem 2 ----------------------------------------------------------------------------------------------
INCREMENT = sp.Function(r"\Delta_{d}")      # truncation(T + 10) - truncation(T)


class ConvergesInT(FormulaCheck):
    """The order-3 truncation of Thm. 1 at eta = 0.3 for T = 10, 20, ..., 60: the last increment must be within
    1e-6 of the statement's limit and below 1e-5 times the first; a degenerate model (H = 0: K = 1, so nothing
    decays) must be rejected by the same test (self-test)."""

    kind, form, evidence = "exact", "order", "model"

    def __init__(self, name, cases):
        self.name, self.cases = name, cases

    @staticmethod
    def increments(loss):
        land = en.Landscape1D(loss, th, {x: DISCRETE}, 0, 5)
        vals = en.truncation_values(land, (10, 20, 30, 40, 50, 60), 0.3, 3)
        return vals, np.abs(np.diff(vals))

    @staticmethod
    def vanishes(inc, limit) -> bool:
        """The last increment is within 1e-6 of the claimed limit and 1e-5 of the first (geometric decay)."""
        return abs(inc[-1] - limit) < 1e-6 and inc[-1] <= 1e-5 * max(inc[0], 1e-300)

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        limit = float(claim.formula)
        rows, failed = [], None
        for name, loss in self.cases:
            vals, inc = self.cached(ctx, claim, name, self.increments, (loss,))
            ok = bool(self.vanishes(inc, limit))
            rows.append({"model": name, "truncation": list(vals), "increments": inc.tolist(), "converges": ok})
            failed = failed or (None if ok else rows[-1])
        _, bad = self.cached(ctx, claim, "degenerate", self.increments, (x * th + th ** 3 / 3,))
        rejected = not self.vanishes(bad, limit)
        details = {"rows": rows, "self_test": [{"perturbation": "degenerate model H = 0", "rejected": rejected,
                                                "increments": bad.tolist()}]}
        method = "order-3 truncation of Theorem 1 (corrected reading) at eta = 0.3, T = 10..60"
        if failed:
            return CheckResult(self.kind, self.name, FAIL, method, details, failed)
        return with_power(self.kind, self.name, method, details)


@claim("diagrams.thm2", "Theorem 2 (thm:converge), Sec. 2", "Near a non-degenerate minimum the d-th order "
       "truncation of Theorem 1 converges as T -> infinity", uses=["diagrams.thm1.collisions"], about="algebra")
def thm2():
    return Claim(statement=sp.Eq(sp.Limit(INCREMENT(T), T, sp.oo), 0, evaluate=False), regime=REGIME,
                 symbols={**SYMBOLS, r"\Delta_d": "change of the order-3 truncation from T to T + 10"},
                 notes=["The paper's caution (the limit may not be a limit of SGD) is borne out: on the model with "
                        "G = 0 "
                        "the T = infinity truncation is right at O(eta) only, since at eta T >> 1 diagrams with more "
                        "edges are not of higher order (see diagrams.remark1, diagrams.cor1)."],
                 checks=[ConvergesInT("increments of the truncation vanish (G = 0 and G = 1/20, H = 1)",
                                      [("G = 0", poly_model(0)), ("G = 1/20", poly_model(sp.Rational(1, 20)))])])
