"""`ziyin`, App. B.1: Proposition 8 (E ln^2|x| is finite), its bound near x = 0 ((26)-(29)) and in the tails
((30)-(34)), each checked exactly on cases p = N(m, s_p^2) that meet the printed premises.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache

import numpy as np
import sympy as sp
from scipy import integrate, stats

from checks import SymbolicEquality
from checks.base import FormulaCheck, RunContext
from checks.montecarlo import with_power
from checks.result import FAIL, CheckResult
from theory import Claim, Param, Regime, Sampling, claim

delta = sp.Symbol("delta", positive=True)
xp = sp.Symbol("x", positive=True)
SYMBOLS = {"delta": "half-width of the neighbourhood of 0", "x": "integration variable", "p": "density of x"}


# --- Proposition 8: Eqs. (26)-(29) ------------------------------------------------------------------------------
SUP_P, P0, C_P = sp.symbols(r"\sup_{|x|<\delta}p p(0) c", positive=True)
MU_P, S_P = sp.Symbol("m", real=True), sp.Symbol("s_p", nonnegative=True)   # not of the bound's kind
PREMISE_REGIME = Regime((Param(MU_P, 0.5, 0.95), Param(S_P, 0.1, 0.3)), (),
                        "case: p = N(m, s_p^2), delta = 1 (p continuous near 0, as Prop. 8 assumes)")


class Bound26(FormulaCheck):
    """(26) bounds p on (-delta, delta) by p(0) + c, c from the premise 'for all |x| < delta, |p(x_r) - p(x)| <= c' with
    x_r = ``anchor`` (delta as printed, 0 as the bound needs). On Gaussian cases (delta = 1) c is 1.1 x the smallest
    constant the premise allows (any c it allows must do), and the relation sup p <= p(0) + c is evaluated.
    Self-test: the reversed relation must fail."""

    kind, evidence, form = "exact", "derivation", "relation"

    def __init__(self, name: str, anchor: float, n_points: int = 6):
        self.name, self.anchor, self.n_points = name, anchor, n_points

    def _judge(self, statement, points):
        rows, failure = [], None
        xs = np.linspace(-1, 1, 20001)[1:-1]
        for pt in points:
            dens = stats.norm.pdf(xs, pt["m"], pt["s_p"])
            c = 1.1 * float(np.max(np.abs(stats.norm.pdf(self.anchor, pt["m"], pt["s_p"]) - dens)))
            vals = {SUP_P: float(dens.max()), P0: float(stats.norm.pdf(0, pt["m"], pt["s_p"])), C_P: c}
            holds = bool(statement.subs({**vals, MU_P: pt["m"], S_P: pt["s_p"]}))
            bound = float(statement.rhs.subs({**vals, MU_P: pt["m"], S_P: pt["s_p"]}))
            rows.append({"params": pt, **{str(k): v for k, v in vals.items()}, "bound": bound, "holds": holds})
            if not holds and failure is None:
                failure = dict(rows[-1])
        return rows, failure

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        points = claim.regime.sample(self.rng(claim, ctx), self.n_points)
        rows, failure = self._judge(claim.statement, points)
        _, bad = self._judge(sp.Not(claim.statement), points)    # the complementary relation
        details = {"rows": rows, "anchor": self.anchor, "seed": self.seed(claim, ctx),
                   "self_test": [{"perturbation": "relation reversed", "rejected": bad is not None}]}
        method = f"the relation on Gaussian cases, c from the premise anchored at x = {self.anchor:g}"
        if failure is not None:
            return CheckResult(self.kind, self.name, FAIL, method, details, failure)
        return with_power(self.kind, self.name, method, details)


@claim("ziyin.eq26", "Proposition 8, premise and Eq. (26), App. B.1", "If |p(delta) - p(x)| <= c for |x| < delta, then "
       "p <= p(0) + c there", about="algebra")
def eq26():
    return Claim(statement=sp.LessThan(SUP_P, P0 + C_P), regime=PREMISE_REGIME, symbols=SYMBOLS,
                 dynamics="-", observable="the bound of p near 0",
                 notes=["The premise as printed compares with p(delta); it gives p <= p(0) + 2c. Any finite constant "
                        "serves the proof, so Proposition 8's conclusion stands."],
                 checks=[Bound26("the premise as printed (anchored at delta)", anchor=1.0)])


@claim("ziyin.eq26.corrected", "Proposition 8, corrected premise", "If |p(0) - p(x)| <= c for |x| < delta, then "
       "p <= p(0) + c there", corrects="ziyin.eq26", about="algebra")
def eq26_corrected():
    return Claim(statement=sp.LessThan(SUP_P, P0 + C_P), regime=PREMISE_REGIME, symbols=SYMBOLS, dynamics="-",
                 observable="the bound of p near 0", checks=[Bound26("the premise anchored at 0", anchor=0.0)])


@claim("ziyin.eq29", "Proposition 8, Eqs. (27)-(29), App. B.1", "int_0^delta ln^2 x dx = delta (ln^2 delta - 2 ln "
                                                                "delta "
       "+ 2) < oo", about="algebra")
def eq29():
    return Claim(
        statement=sp.Eq(sp.Integral(sp.log(xp) ** 2, (xp, 0, delta)),
                        delta * (sp.log(delta) ** 2 - 2 * sp.log(delta) + 2)),
        regime=Regime((Param(delta, 0.01, 2.0),), (), "delta > 0"), symbols=SYMBOLS, dynamics="-",
        observable="the integral bounding E ln^2|x| near 0",
        checks=[SymbolicEquality("the integral", sp.integrate(sp.log(xp) ** 2, (xp, 0, delta)), lambda c: c.formula),
                SymbolicEquality("(28): the antiderivative's derivative is ln^2 x",
                                 lambda c: sp.diff(c.formula.subs(delta, xp), xp), sp.log(xp) ** 2,
                                 extra=[Param(xp, 0.01, 2.0)])])


# --- Proposition 8: the tails, Eqs. (30)-(34) --------------------------------------------------------------------
pf = sp.Function("p")
xr = sp.Symbol("x", real=True)
al, bl = sp.Symbol("a", positive=True), sp.Symbol("b", real=True)      # the linear bound a x + b of (30)
E_LN2, MU1, MU2 = sp.Symbol(r"\mathbb{E}[\ln^2|x|]"), sp.Symbol(r"\mu_1", real=True), sp.Symbol(r"\mu_2", positive=True)
TAIL30 = sp.LessThan(sp.Integral(pf(xr) * sp.log(sp.Abs(xr)) ** 2, (xr, delta, sp.oo)),
                     sp.Integral(pf(xr) * (al * xr + bl) ** 2, (xr, delta, sp.oo)))
MIDDLE29 = 2 * (P0 + C_P) * delta * (sp.log(delta) ** 2 - 2 * sp.log(delta) + 2)
BOUND34 = 2 * (al ** 2 * MU2 + 2 * al * bl * MU1 + bl ** 2) + MIDDLE29
BOUND34_CORRECTED = (al ** 2 * MU2 + 2 * al * bl * MU1 + bl ** 2) + (al ** 2 * MU2 - 2 * al * bl * MU1 + bl ** 2) \
    + MIDDLE29
TAIL_SYMBOLS = {**SYMBOLS, "a": "slope of the linear bound a x + b", "b": "intercept of the linear bound",
                "m": "mean of the case p = N(m, s_p^2)", "s_p": "its standard deviation", "p": "density of x",
                r"\mu_1": "E x", r"\mu_2": "E x^2", "c": "sup over |x| < delta of |p(x) - p(0)|"}
PREMISE30 = "a x + b >= ln x for all x > 0 (so for x >> delta, the printed premise)"
PREMISE30_CORRECTED = "a x + b >= |ln x| for all x >= delta (the premise that gives ln^2 x <= (a x + b)^2)"


@lru_cache(maxsize=512)
def case_values(m: float, sd: float, d: float) -> tuple[float, ...]:
    """E ln^2|x|, mu_1, mu_2, p(0) and c = max_{|x| < delta} |p(x) - p(0)| of p = N(m, sd^2)."""
    f = lambda x: math.log(abs(x)) ** 2 * stats.norm.pdf(x, m, sd)
    e = sum(integrate.quad(f, lo, hi, limit=200)[0] for lo, hi in pieces(-math.inf, math.inf, m, sd))
    xs = np.linspace(-d, d, 4001)
    c = float(np.max(np.abs(stats.norm.pdf(xs, m, sd) - stats.norm.pdf(0, m, sd))))
    return e, m, m * m + sd * sd, float(stats.norm.pdf(0, m, sd)), c


def pieces(lo: float, hi: float, m: float, sd: float) -> list[tuple[float, float]]:
    """(lo, hi) cut at 0 and around the peak m +- 8 sd (so quadrature sees a narrow case and the log at 0)."""
    cuts = sorted({v for v in (m - 8 * sd, m, m + 8 * sd, 0.0) if lo < v < hi})
    ends = [lo, *cuts, hi]
    return list(zip(ends[:-1], ends[1:]))


def integral_at(integral: sp.Integral, pt: dict) -> float:
    """An integral of the statement with p(x) the case's N(m, s_p^2) density and a, b, delta the point's."""
    (var, lo, hi), = integral.limits
    known = {al: pt["a"], bl: pt["b"], delta: pt["delta"], MU_P: pt["m"], S_P: pt["s_p"]}
    body = integral.function.subs(known).replace(pf, lambda arg: sp.Symbol("_p_"))
    g = sp.lambdify((var, sp.Symbol("_p_")), body, "math")
    m, sd = pt["m"], pt["s_p"]
    f = lambda x: g(x, stats.norm.pdf(x, m, sd))
    lo_, hi_ = (float(e.subs(known)) for e in (lo, hi))
    return sum(integrate.quad(f, a_, b_, limit=200)[0] for a_, b_ in pieces(lo_, hi_, m, sd))


class GaussianCase(FormulaCheck):
    """The statement (a relation) evaluated exactly on cases p = N(m, s_p^2): p(x) in an integral is replaced by the
    case's density and the integral taken by quadrature; the symbols E ln^2|x|, mu_1, mu_2, p(0) and c (the smallest
    constant with |p(x) - p(0)| <= c on |x| < delta) get the case's values. ``premise(point)`` must hold at every
    point (the case is an instance of the paper's assumptions). Self-test: the complementary relation must fail."""

    kind, evidence, form = "exact", "derivation", "relation"

    def __init__(self, name: str, premise: Callable[[dict], bool], n_points: int = 6):
        self.name, self.premise, self.n_points = name, premise, n_points

    @staticmethod
    def values(pt) -> dict:
        return dict(zip((E_LN2, MU1, MU2, P0, C_P), case_values(pt["m"], pt["s_p"], pt["delta"])))

    def _value(self, side, pt):
        """A side at the case: each integral of p by quadrature split at the peak and at 0, the symbols by their
        values."""
        known = {al: pt["a"], bl: pt["b"], delta: pt["delta"], MU_P: pt["m"], S_P: pt["s_p"]}
        side = side.xreplace({i: sp.Float(integral_at(i, pt), 15) for i in side.atoms(sp.Integral)})
        return float(side.subs({**self.values(pt), **known}))

    def _judge(self, statement, points):
        rows, failure = [], None
        for pt in points:
            lhs, rhs = self._value(statement.lhs, pt), self._value(statement.rhs, pt)
            holds = bool(statement.func(sp.Float(lhs, 15), sp.Float(rhs, 15)))
            rows.append({"params": pt, "lhs": lhs, "rhs": rhs, "holds": holds})
            if not holds and failure is None:
                failure = dict(rows[-1])
        return rows, failure

    def cases(self, points: list[dict]) -> list[dict]:
        return points

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        points = self.cases(claim.regime.sample(self.rng(claim, ctx), self.n_points))
        broken = [pt for pt in points if not self.premise(pt)]
        if broken:
            raise ValueError(f"{claim.id}: the case {broken[0]} does not meet the premise of the linear bound")
        rows, failure = self._judge(claim.statement, points)
        _, bad = self._judge(sp.Not(claim.statement), points)
        details = {"rows": rows, "seed": self.seed(claim, ctx),
                   "self_test": [{"perturbation": "complementary relation", "rejected": bad is not None}]}
        method = "the relation on cases p = N(m, s_p^2) (quadrature, 15 digits)"
        if failure is not None:
            return CheckResult(self.kind, self.name, FAIL, method, details, failure)
        return with_power(self.kind, self.name, method, details)


def dominates_log(pt, absolute: bool) -> bool:
    """a x + b >= ln x (absolute: >= |ln x|) on a fine grid of x > 0 (x >= delta when absolute)."""
    xs = np.geomspace(pt["delta"] if absolute else 1e-6, 1e4, 20001)
    target = np.abs(np.log(xs)) if absolute else np.log(xs)
    return bool(np.all(pt["a"] * xs + pt["b"] >= target - 1e-12))


REGIME30 = Regime((Param(al, 0.8, 1.25), Param(bl, -1.25, -0.85), Param(MU_P, 0.3, 0.6), Param(S_P, 0.02, 0.05),
                   Param(delta, 0.1, 0.25)),
                  (Sampling(sp.And(bl >= -1 - sp.log(al), bl <= -sp.Rational(9, 10) - sp.log(al)),
                            "b just above the tangent line's -1 - ln a, so a x + b >= ln x for all x > 0"),),
                  "cases p = N(m, s_p^2) with mass in (delta, 1), where ln x < 0")
REGIME30_CORRECTED = Regime((Param(al, 0.5, 2), Param(bl, 0, 4), Param(MU_P, -3, 3), Param(S_P, 0.05, 1),
                             Param(delta, 0.05, 0.5)),
                            (Sampling(al * delta + bl >= -sp.log(delta), "a delta + b >= |ln delta|"),),
                            "cases p = N(m, s_p^2)")
REGIME34 = Regime((Param(al, 0.5, 1), Param(bl, 2, 4), Param(S_P, 0.05, 0.2), Param(delta, 0.15, 0.5)), (),
                  "cases p = N(-b/a, s_p^2): the mass sits where a x + b = 0 (a x + b >= |ln x| for x >= delta)")


@claim("ziyin.eq30", "Proposition 8, proof, Eq. (30), App. B.1", "a x + b >= ln x for x >> delta gives "
       "int_delta^oo p ln^2|x| <= int_delta^oo p (a x + b)^2", about="algebra")
def eq30():
    return Claim(statement=TAIL30, regime=REGIME30, symbols=TAIL_SYMBOLS, dynamics="-",
                 observable="the tail of E ln^2|x|",
                 notes=["ln x <= a x + b does not give ln^2 x <= (a x + b)^2 where ln x < 0 (delta < x < 1). Any "
                        "finite bound serves the proof, so Proposition 8's conclusion stands (ziyin.eq30.corrected)."],
                 checks=[GaussianCase("cases meeting the printed premise: " + PREMISE30,
                                      lambda pt: dominates_log(pt, absolute=False))])


@claim("ziyin.eq30.corrected", "Eq. (30), corrected", "a x + b >= |ln x| for x >= delta gives "
       "int_delta^oo p ln^2|x| <= int_delta^oo p (a x + b)^2", corrects="ziyin.eq30", about="algebra")
def eq30_corrected():
    return Claim(statement=TAIL30, regime=REGIME30_CORRECTED, symbols=TAIL_SYMBOLS, dynamics="-",
                 observable="the tail of E ln^2|x|",
                 checks=[GaussianCase("cases meeting the premise " + PREMISE30_CORRECTED, corrected_premise),
                         CentredCase("cases centred at b/a", corrected_premise, mirror_root),
                         CentredCase("cases centred just above delta, b the least the premise allows",
                                     corrected_premise, above_delta, tight=True)])


def corrected_premise(pt) -> bool:
    return dominates_log(pt, absolute=True)


class CentredCase(GaussianCase):
    """GaussianCase with p centred at ``centre(point)`` (where a x + b or a x - b vanishes, or just above delta:
    where a looser bound would fail)."""

    def __init__(self, name: str, premise: Callable[[dict], bool], centre: Callable[[dict], float], n_points: int = 6,
                 tight: bool = False):
        super().__init__(name, premise, n_points)
        self.centre, self.tight = centre, tight

    def cases(self, points):
        moved = [{**p, "b": least_b(p)} if self.tight else p for p in points]
        return [{**p, "m": self.centre(p)} for p in moved]


def least_b(point) -> float:
    """The least b with a x + b >= |ln x| for all x >= delta (the tightest line the corrected premise allows)."""
    av, d = point["a"], point["delta"]
    return max(-math.log(d) - av * d, (-math.log(av) - 1) if av < 1 else -av)


def root(point) -> float:
    return -point["b"] / point["a"]


def mirror_root(point) -> float:
    return point["b"] / point["a"]


def above_delta(point) -> float:
    return point["delta"] + 3 * point["s_p"]


def expectation(square: sp.Expr) -> sp.Expr:
    """E[(linear in x)^2] in the moments mu_1, mu_2 (what (32)-(33) do)."""
    e = sp.expand(square)
    return e.coeff(xr, 2) * MU2 + e.coeff(xr, 1) * MU1 + e.coeff(xr, 0)


MOMENTS = [Param(MU1, -3, 3), Param(MU2, 0.1, 10), Param(P0, 0.01, 2), Param(C_P, 0.01, 1)]


def pieces_of_34():
    """The sum of the three bounds the proof adds: (33) for x >= delta, its mirror (x -> -x) for x <= -delta, and
    (26)-(29) for |x| < delta."""
    return (expectation((al * xr + bl) ** 2) + expectation((-al * xr + bl) ** 2)
            + 2 * (P0 + C_P) * sp.integrate(sp.log(xp) ** 2, (xp, 0, delta)))


@claim("ziyin.eq34", "Proposition 8, proof, Eq. (34), App. B.1", "E ln^2|x| <= 2(a^2 mu_2 + 2ab mu_1 + b^2) + "
       "2(p(0) + c) delta (ln^2 delta - 2 ln delta + 2)", about="algebra", uses=["ziyin.eq29", "ziyin.eq30.corrected"])
def eq34():
    return Claim(statement=sp.LessThan(E_LN2, BOUND34), regime=REGIME34, symbols=TAIL_SYMBOLS, dynamics="-",
                 observable="E ln^2|x|",
                 notes=["The printed E[ln|x|^2] is read as E ln^2|x|, the quantity of Proposition 8. 'The case x <= "
                        "-delta is completely symmetric' bounds that tail with (-a x + b)^2, whose integral is a^2 "
                        "mu_2 - 2ab mu_1 + b^2, not a^2 mu_2 + 2ab mu_1 + b^2: the cross terms cancel in the sum. The "
                        "proposition's conclusion (finite) stands."],
                 checks=[CentredCase("cases p = N(-b/a, s_p^2) meeting " + PREMISE30_CORRECTED, corrected_premise,
                                     root),
                         SymbolicEquality("the sum of the pieces the proof bounds: (33), its mirror, (29)",
                                          lambda c: c.rhs, pieces_of_34(), extra=MOMENTS)])


@claim("ziyin.eq34.corrected", "Eq. (34), corrected", "E ln^2|x| <= 2(a^2 mu_2 + b^2) + 2(p(0) + c) delta (ln^2 delta "
       "- 2 ln delta + 2)", corrects="ziyin.eq34", about="algebra")
def eq34_corrected():
    return Claim(statement=sp.LessThan(E_LN2, BOUND34_CORRECTED), regime=REGIME30_CORRECTED, symbols=TAIL_SYMBOLS,
                 dynamics="-", observable="E ln^2|x|",
                 checks=[CentredCase("cases p = N(-b/a, s_p^2) meeting " + PREMISE30_CORRECTED, corrected_premise,
                                     root),
                         GaussianCase("cases p = N(m, s_p^2) meeting " + PREMISE30_CORRECTED, corrected_premise),
                         SymbolicEquality("the sum of the pieces the proof bounds: (33), its mirror, (29)",
                                          lambda c: c.rhs, pieces_of_34(), extra=MOMENTS)])
