"""`ziyin`, Secs. 5.1-5.2 with the rest of App. D.1 and App. D.2: mu (75)-(77), the solution (78)-(80) of
|(1 - lambda)(1 - lambda(a - 1))| > 1, Proposition 2 (Eq. (8)), Theorem 1, the remark on d > 1, Definition 2 and
Eq. (9), Proposition 3 with its proof (82)-(85), and Theorem 2.

Statements about the dynamics are compared with the exact binomial law of ln|w_t/w_0| (limits by the rate at
which the error shrinks, escape rates as the law's mean, suprema over lambda at 60 digits) and, where a probability
is claimed, with simulated runs; algebraic steps are checked in exact arithmetic.
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp

from checks import ExactComparison, FormulaCheck, MonteCarloMean, SymbolicEquality
from checks.base import SCALE_DOWN, SCALE_UP
from checks.stats import ALPHA
from theory import Claim, Param, Regime, Sampling, claim

from . import models as zm
from .experiment_checks import BinomialTest, ByReading, ExactLimit, RelationHolds, SufficientCondition, _passed
from .models import SYMBOLS, TwoPoint, a, eps, lam, t, two_point, w0

P_lam, P_a = Param(lam, 0.05, 2.0, doc="learning rate"), Param(a, -4.0, -0.1, doc="a < 0")
NOT_ONE = Sampling(sp.Abs(lam - 1) >= sp.Rational(1, 50), "|lambda - 1| >= 0.02 (ln|1 - lambda| finite)")
RESOLVED = Sampling(sp.Abs(zm.MU77) >= sp.Rational(1, 20), "|mu| >= 0.05 (a rate Monte Carlo can resolve)")
SGD_REGIME = Regime((P_lam, P_a), (NOT_ONE, RESOLVED), "SGD on Eq. (4) with the two-point p(x)")
BELOW_ONE = Regime((Param(lam, 0.02, 0.98, doc="learning rate < 1"), P_a), (RESOLVED,), "lambda < 1 (Theorem 2, (82))")
A_REGIME = Regime((P_a,), (), "a < 0")
EPS_REGIME = Regime((Param(eps, 1e-3, 2.0, log=True, doc="target escape rate"),), (), "any epsilon > 0")
DYN = "SGD (2) on Eq. (4), x = 1 or a - 1 with probability 1/2 each"
GAMMA, LAM_S, GAMMA_S, ABS_A = sp.symbols(r"\gamma \lambda^{*} \gamma^{*} |a|")


def rate_checks(step) -> list:
    return [SymbolicEquality("E ln|1 - lambda x| over the two-point p(x)", step, lambda c: c.formula),
            ExactComparison("exact law: E ln|w_T/w_0| / T", lambda p: [zm.exact_mean_rate(p)], lambda p, f: [f(**p)]),
            MonteCarloMean("SGD runs: ln|w_T/w_0|/T at T = 200", zm.log_rate_runs(200), lambda p, f: [f(**p)],
                           n_points=3, n_paths=20_000)]


def _rate_claim(rhs, regime=SGD_REGIME, step=zm.LOG_STEP) -> Claim:
    return Claim(statement=sp.Eq(sp.Symbol("mu"), rhs), regime=regime, symbols=SYMBOLS, dynamics=DYN,
                 observable="the escape rate E ln|w_t/w_0| / t", checks=rate_checks(two_point(step)))


@claim("ziyin.eq76", "Eqs. (75)-(76), App. D.1", "mu = E ln|1 - lambda x| = ln|1 - lambda|/2 + ln|1 - lambda(a-1)|/2")
def eq76():
    return _rate_claim(zm.MU76)


@claim("ziyin.eq77", "Eq. (77), App. D.1", "mu = ln|(1 - lambda)(1 - lambda(a - 1))| / 2", uses=["ziyin.eq76"])
def eq77():
    return _rate_claim(zm.MU77)


# --- (79)-(80): solving (78) ----------------------------------------------------------------------------------------
class SolvesInequality(FormulaCheck):
    """The statement ``lambda R bound`` is the printed solution of (78) |(1 - lambda)(1 - lambda(a - 1))| > 1 on a
    domain of lambda: at rational a, in exact arithmetic, the relation and (78) must agree at the bound, 0.1% on
    either side and at fixed rates across the domain. Self-test: the reversed relation must disagree."""

    kind, evidence, form = "symbolic", "derivation", "solution set"

    A_VALUES = (-sp.Rational(37, 10), -1, -sp.Rational(1, 7))

    def __init__(self, name, above_one: bool):
        self.name, self.above_one, self.a_values = name, above_one, self.A_VALUES

    @staticmethod
    def escapes(lam_v, a_v) -> bool:
        d = sp.Abs(zm.PRODUCT78.subs({lam: lam_v, a: a_v})) - 1
        return sp.radsimp(sp.expand(d)) != 0 and bool(d.evalf(50) > 0)

    def _judge(self, st):
        rows, failure = [], None
        fixed = (sp.Rational(21, 20), sp.Rational(6, 5), sp.Rational(7, 5), 2, 3) if self.above_one else \
            (sp.Rational(1, 20), sp.Rational(3, 10), sp.Rational(3, 5), sp.Rational(19, 20), 1)
        for a_v in self.a_values:
            b = st.rhs.subs(a, a_v)
            near = (b, b * sp.Rational(1001, 1000), b * sp.Rational(999, 1000)) if b.is_real else ()
            for lam_v in near + fixed:
                if (lam_v > 1) != self.above_one:
                    continue
                said, true = bool(type(st)(lam_v, b)) if b.is_real else False, self.escapes(lam_v, a_v)
                rows.append({"a": str(a_v), "lambda": float(lam_v), "relation": said, "(78)": true})
                if said != true and failure is None:
                    failure = dict(rows[-1])
        return rows, failure

    def _run(self, claim, ctx):
        st = claim.statement
        rows, failure = self._judge(st)
        rev = {sp.StrictLessThan: sp.GreaterThan, sp.LessThan: sp.StrictGreaterThan,
               sp.StrictGreaterThan: sp.LessThan, sp.GreaterThan: sp.StrictLessThan}[type(st)]
        _, bad = self._judge(rev(st.lhs, st.rhs, evaluate=False))
        return _passed(self.kind, self.name, "exact arithmetic at rational a", {"rows": rows}, failure, [],
                       [{"perturbation": "relation reversed", "rejected": bad is not None}])


def _solution_claim(rel, above_one: bool) -> Claim:
    dom = Regime((P_a,), (), "lambda > 1" if above_one else "lambda <= 1")
    return Claim(statement=rel, regime=dom, symbols=SYMBOLS, about="algebra", dynamics="-",
                 observable="the solution set of (78)",
                 checks=[SolvesInequality("(78) against the relation in exact arithmetic", above_one)])


@claim("ziyin.eq79", "Eqs. (78)-(79), App. D.1", "For lambda <= 1, (78) is solved by lambda < a/(a - 1)",
       uses=["ziyin.eq77"], about="algebra")
def eq79():
    return _solution_claim(sp.StrictLessThan(lam, zm.LOWER8), False)


@claim("ziyin.eq80", "Eq. (80), App. D.1", "For lambda > 1, (78) solves to lambda >= (a - sqrt(a^2-8a+8))/(2(a-1))",
       uses=["ziyin.eq77"], about="algebra")
def eq80():
    return _solution_claim(sp.GreaterThan(lam, zm.UPPER8), True)


@claim("ziyin.eq80.corrected", "Eq. (80), corrected", "For lambda > 1, (78) holds exactly when lambda > "
       "(a - sqrt(a^2-8a+8))/(2(a-1))", corrects="ziyin.eq80", about="algebra")
def eq80_corrected():
    return _solution_claim(sp.StrictGreaterThan(lam, zm.UPPER8), True)


# --- Proposition 2 and Eq. (8) ---------------------------------------------------------------------------------------
INTERVAL = sp.Matrix(sp.symbols(r"\lambda_{-} \lambda_{+}"))


def _prop2(ends: bool) -> Claim:
    positions = (0, "1/50", "1/2", "49/50", 1) if ends else ("1/50", "1/4", "1/2", "3/4", "49/50")
    checks = [SymbolicEquality("the ends are where |(1 - lambda)(1 - lambda(a - 1))| = 1 (mu = 0)",
                               lambda c: sp.Matrix([sp.Abs(zm.PRODUCT78.subs(lam, e)) for e in c.formula]),
                               sp.Matrix([1, 1])),
              ExactLimit("exact law: P(|w_t| < 1e-3) -> 1 " + ("on the closed interval" if ends else "inside"),
                         zm.interval_cases(positions), perturbations=(SCALE_DOWN, SCALE_UP))]
    if not ends:
        checks.append(BinomialTest(f"{zm.RUNS} SGD runs at u = 1/4, 1/2, 3/4: all within 1e-3 at the horizon",
                                   zm.interval_runs, lambda c, e, p: [1.0], tolerance=zm.hoeffding_tolerance,
                                   points=lambda c, e: zm.mc_points(e),
                                   n_paths=zm.RUNS, fixed_setting=True))
    return Claim(statement=sp.Eq(INTERVAL, sp.Matrix([zm.LOWER8, zm.UPPER8])), regime=A_REGIME, symbols=SYMBOLS,
                 dynamics=DYN, observable="lim P(|w_t| < 1e-3) from w_0 = 1 at lambda in the interval",
                 notes=[("(8) is printed with <= at both ends. " if ends else
                         "Corrected: < at both ends (mu = 0 there). ") + "The statement is the interval (8); the "
                        "conclusion, convergence in probability to w = 0, is lim P(|w_t| < epsilon) = 1 (epsilon = "
                        "1e-3, w_0 = 1), checked at positions u of the interval for a = -1/4, -1, -7/2"
                        + (", the ends u = 0 and u = 1 (given exactly) included." if ends else ".")], checks=checks)


@claim("ziyin.prop2", "Proposition 2, Eq. (8)", "SGD converges to the local maximum in probability if "
       "a/(a-1) <= lambda <= (a - sqrt(a^2-8a+8))/(2(a-1))", uses=["ziyin.eq74", "ziyin.eq77"])
def prop2():
    return _prop2(ends=True)


@claim("ziyin.prop2.corrected", "Proposition 2, Eq. (8), corrected", "SGD converges to the local maximum in "
       "probability if a/(a-1) < lambda < (a - sqrt(a^2-8a+8))/(2(a-1)) (strict: at the ends mu = 0)",
       corrects="ziyin.prop2", uses=["ziyin.eq74", "ziyin.eq80.corrected"])
def prop2_corrected():
    return _prop2(ends=False)


# --- Theorem 1 and its proof -----------------------------------------------------------------------------------------
THM_REGIME = Regime((Param(lam, 0.01, 100.0, log=True, doc="any fixed learning rate"),), (), "any lambda > 0")


@claim("ziyin.thm1", "Theorem 1", "For any fixed lambda some differentiable loss makes SGD converge to a local "
       "maximum in probability", uses=["ziyin.prop2.corrected"])
def thm1():
    m = TwoPoint(zm.LAMBDA0, zm.A0)
    tol = m.hoeffding(m.horizon(math.log(zm.BALL / zm.START), ALPHA / 20_000), math.log(zm.BALL / zm.START))
    return Claim(
        statement=sp.Eq(sp.Limit(sp.Symbol(r"P(|w_t|<\epsilon)"), t, sp.oo), 1), regime=THM_REGIME, symbols=SYMBOLS,
        dynamics="SGD (2) with rate lambda on k x w^2/2, k = 0.8/lambda, x = 1 or -2 with probability 1/2 each",
        observable="lim P(|w_t| < 1e-3) from w_0 = 1",
        notes=["Read as printed: 'there exist a differentiable loss function' is any differentiable loss chosen for "
               "the given lambda. The construction used: Eq. (4) scaled by k = 0.8/lambda with a = -1, so that "
               "lambda k = 0.8 lies inside (8). Proposition 2's own family (k = 1) covers only lambda < sqrt 2: "
               "ziyin.thm1.proof."],
        checks=[ExactLimit("exact law of the construction: P(|w_t| < 1e-3) -> 1", zm.thm1_cases),
                BinomialTest("2000 SGD runs with rate lambda on the scaled loss: all within 1e-3 at the horizon",
                             zm.thm1_runs, lambda c, e, p: [float(e)], tolerance=lambda p: tol, n_paths=2000)])


LAMBDA_COVER = sp.Symbol(r"\Lambda_{(8)}")


class CoveredRates(FormulaCheck):
    """The statement gives the supremum Lambda of the learning rates for which some a < 0 makes Proposition 2's
    loss (4) converge to w = 0 (mu < 0). Checked on the exact law: just below Lambda some a must give mu < 0 (the
    most favourable a is searched on a grid from -1e4 to -1e-12); at Lambda and 1.5 Lambda (or at lambda = 2 and 10
    when Lambda = oo) none may. The exact P(|w_T| < 1e-3) at the most favourable a is reported."""

    kind, evidence, form = "exact", "model", "supremum"
    A_GRID = -np.logspace(-12, 4, 400)

    def __init__(self, name):
        self.name = name

    def covered(self, lam_v: float) -> dict:
        mus = zm.rates(lam_v, self.A_GRID)
        k = int(np.argmin(mus))
        m = TwoPoint(lam_v, self.A_GRID[k])
        return {"lambda": lam_v, "best_a": float(self.A_GRID[k]), "least_mu": float(mus[k]),
                "covered": bool(mus[k] < 0),
                "P(|w_T|<1e-3), T = 10^4": m.p_inside(10 ** 4, zm.BALL, zm.START)[0]}

    def _judge(self, value):
        v = float(value)
        if not v > 0:
            tests = [(0.5, False)]
        elif math.isinf(v):
            tests = [(2.0, True), (10.0, True)]
        else:
            tests = [(v * (1 - 1e-3), True), (v, False), (1.5 * v, False)]
        rows = [{**self.covered(lam_v), "claimed_covered": want} for lam_v, want in tests]
        bad = next((r for r in rows if r["covered"] != r["claimed_covered"]), None)
        return rows, bad

    def _run(self, claim, ctx):
        expr = self.expression(claim)
        rows, failure = self._judge(expr)
        self_test = [{"perturbation": lab, "rejected": self._judge(f(expr))[1] is not None}
                     for lab, f in (SCALE_DOWN, SCALE_UP)]
        return _passed(self.kind, self.name, "exact escape rates over a grid of a", {"rows": rows}, failure, [],
                       self_test)


def _cover_claim(value) -> Claim:
    return Claim(statement=sp.Eq(LAMBDA_COVER, value), regime=Regime((), (), "Eq. (4), two-point p(x), a < 0"),
                 symbols=SYMBOLS, dynamics=DYN, observable="learning rates with mu < 0 for some a < 0",
                 checks=[CoveredRates("exact escape rates: the most favourable a at each learning rate")])


def least_rate(c, st, p):
    """The exact escape rate at the most favourable a < 0 (grid from -1e4 to -1e-12) at this learning rate."""
    return float(np.min(zm.rates(p["lambda"], CoveredRates.A_GRID))), float(st.rhs)


@claim("ziyin.thm1.proof", "Theorem 1 and Proposition 2", "Proposition 2 gives, for every fixed lambda, some a < 0 "
       "with SGD converging to the local maximum", uses=["ziyin.prop2.corrected"])
def thm1_proof():
    return Claim(statement=sp.StrictLessThan(sp.Symbol(r"\min_{a<0} \mu(\lambda, a)"), 0), regime=THM_REGIME,
                 symbols=SYMBOLS, dynamics=DYN, observable="the escape rate at the most favourable a < 0",
                 notes=["'The following proposition explicitly constructs an example' for Theorem 1's 'any fixed "
                        "learning rate': some a < 0 must give mu < 0 at every lambda."],
                 checks=[RelationHolds("exact escape rate at the most favourable a, lambda drawn and 2, 10", least_rate,
                                       lambda c, rng: c.regime.sample(rng, 6) + [{"lambda": 2.0}, {"lambda": 10.0}])])


@claim("ziyin.thm1.proof.corrected", "Theorem 1 and Proposition 2, corrected", "Proposition 2's family covers "
       "exactly lambda < sqrt 2 (the upper end of (8) tends to sqrt 2 as a -> 0-)", corrects="ziyin.thm1.proof",
       uses=["ziyin.prop2.corrected"])
def thm1_proof_corrected():
    return _cover_claim(sp.sqrt(2))


# --- Sec. 5.1, remark on d > 1 -------------------------------------------------------------------------------------
L_EIG, L_C = sp.symbols("l l_c", real=True)


class AttractedSide(FormulaCheck):
    """Each eigen-direction of H gets Prop. 2's noise x = 1 or a - 1, whose mean loss E[x] w^2/2 has the Hessian
    eigenvalue l = a/2; the direction is attracted exactly when mu(lambda, a = 2l) < 0. For lambda < 1 the
    negative eigenvalues split at l_c = -lambda/(2(1 - lambda)). At l = q l_c (q = 1/2, 3/2) the statement's relation
    between l and l_c (signed, or magnitudes |l|, |l_c| in the other reading) must say 'attracted' exactly when the
    exact law converges. Self-test: the reversed relation."""

    kind, evidence, form = "exact", "model", "classification"

    def __init__(self, name, magnitude: bool):
        self.name, self.magnitude = name, magnitude

    def _judge(self, claim, st):
        rows, failure = [], None
        for lam_v in (0.2, 0.5, 0.8):
            lc = -lam_v / (2 * (1 - lam_v))
            for q in (0.5, 1.5):
                l_v = q * lc
                m = TwoPoint(lam_v, 2 * l_v)
                said = bool(st.subs({L_EIG: abs(l_v) if self.magnitude else l_v, L_C: abs(lc) if self.magnitude
                                     else lc}))
                row = {"lambda": lam_v, "eigenvalue": l_v, "l_c": lc, "mu": m.mu, "attracted": m.mu < 0,
                       "relation_says_attracted": said,
                       "P(|w_T|<1e-3), T = 10^5": m.p_inside(10 ** 5, zm.BALL, zm.START)[0]}
                rows.append(row)
                if said != (m.mu < 0) and failure is None:
                    failure = dict(row)
        return rows, failure

    def _run(self, claim, ctx):
        st = claim.statement
        rows, failure = self._judge(claim, st)
        rev = {sp.StrictLessThan: sp.GreaterThan, sp.LessThan: sp.StrictGreaterThan,
               sp.StrictGreaterThan: sp.LessThan, sp.GreaterThan: sp.StrictLessThan}[type(st)]
        _, bad = self._judge(claim, rev(st.lhs, st.rhs, evaluate=False))
        return _passed(self.kind, self.name, "exact escape rate per eigen-direction", {"rows": rows}, failure, [],
                       [{"perturbation": "relation reversed", "rejected": bad is not None}])


SIGNED, MAGNITUDE = AttractedSide("signed eigenvalues", False), AttractedSide("eigenvalue magnitudes", True)


def _ddim(checks) -> Claim:
    return Claim(statement=sp.LessThan(L_EIG, L_C), regime=Regime((), (), "lambda < 1, H's negative eigenvalues"),
                 symbols={"l": "Hessian eigenvalue of a direction", "l_c": "critical eigenvalue l_c(lambda)"},
                 dynamics="SGD on w in R^d, each eigen-direction of H with its own two-point noise (Prop. 2's)",
                 observable="which eigen-directions are attracted to 0", checks=checks,
                 notes=["The remark leaves the noise across directions open; each direction is given Prop. 2's "
                        "two-point noise with mean equal to its eigenvalue (so a = 2l). Positive eigenvalues "
                        "(minimum directions) are attracted for small lambda under both readings and are left out."])


@claim("ziyin.remark.ddim", "Sec. 5.1, remark on d > 1", "Directions with eigenvalue l <= l_c(lambda) are attracted "
       "to 0, those with l > l_c escape")
def remark_ddim():
    return _ddim([ByReading("attraction by eigen-direction under each reading of l",
                            {"signed": SIGNED, "magnitude": MAGNITUDE})])


@claim("ziyin.remark.ddim.signed", "Sec. 5.1, remark on d > 1", "Signed eigenvalues l <= l_c are attracted",
       reading_of="ziyin.remark.ddim", reading="l is the signed Hessian eigenvalue (negative at a saddle)")
def remark_ddim_signed():
    return _ddim([SIGNED])


@claim("ziyin.remark.ddim.magnitude", "Sec. 5.1, remark on d > 1", "Eigenvalues of magnitude |l| <= |l_c| are "
       "attracted", reading_of="ziyin.remark.ddim", reading="l is the magnitude of a negative Hessian eigenvalue")
def remark_ddim_magnitude():
    return _ddim([MAGNITUDE])


# --- Definition 2 and Eq. (9) ---------------------------------------------------------------------------------------
W_REGIME = Regime((P_lam, P_a, Param(w0, 0.05, 2.0)), (NOT_ONE,), "SGD on Eq. (4), w_0 fixed")


def _rate_def(rhs) -> Claim:
    return Claim(statement=sp.Eq(GAMMA, rhs), regime=W_REGIME, symbols=SYMBOLS, about="algebra", dynamics=DYN,
                 observable="the escape rate of the exact law",
                 checks=[ExactLimit("the definition evaluated on the exact law", zm.rate_cases, order=1.0)])


@claim("ziyin.def2", "Definition 2", "gamma := (1/t) lim_t E[ln|w_t|]", about="algebra")
def def2():
    return _rate_def(sp.Limit(zm.ELNW(t), t, sp.oo) / t)


@claim("ziyin.def2.corrected", "Definition 2, corrected", "gamma := lim_t (1/t) E[ln|w_t|]", corrects="ziyin.def2",
       about="algebra")
def def2_corrected():
    return _rate_def(sp.Limit(zm.ELNW(t) / t, t, sp.oo))


@claim("ziyin.eq9", "Eq. (9), remark after Definition 2", "gamma = lim_t {E ln|w_0|/t + (1/t) sum_i E ln|w_i/w_(i-1)|}",
       uses=["ziyin.def2.corrected"], about="algebra")
def eq9():
    return _rate_def(sp.Limit(zm.ELNW0 / t + sp.Sum(zm.ESTEP(zm.i), (zm.i, 1, t)) / t, t, sp.oo))


# --- App. D.2: (82)-(85), Proposition 3, Theorem 2 --------------------------------------------------------------------
@claim("ziyin.eq82", "Eq. (82), App. D.2",
       "For lambda < 1, E ln|w_t/w_0| / t = mu = ln{(1 - lambda)(1 - lambda(a-1))}/2",
       uses=["ziyin.eq77"])
def eq82():
    return _rate_claim(zm.MU82, BELOW_ONE)


@claim("ziyin.eq83", "Eq. (83), App. D.2", "The escape rate over lambda < 1 is largest at lambda* = a/(2(a - 1))",
       uses=["ziyin.eq82"])
def eq83():
    return Claim(statement=sp.Eq(LAM_S, zm.LAM_STAR), regime=A_REGIME, symbols=SYMBOLS, dynamics=DYN,
                 observable="the learning rate of the largest escape rate",
                 checks=[SymbolicEquality("d(82)/d lambda = 0 at the statement's lambda*",
                                          lambda c: sp.diff(zm.MU82, lam).subs(lam, c.formula), sp.S.Zero),
                         ExactComparison("argmax over 0 < lambda < 1 of the exact rate (golden section, 40 digits)",
                                         zm.argmax_exact, lambda p, f: [f(**p)], rtol=1e-9)])


def _curvature(rel) -> Claim:
    derivation = RelationHolds("the second derivative of (82)", lambda c, st, p: (
        float(st.lhs.doit().subs({lam: p["lambda"], a: p["a"]})), float(st.rhs)),
        lambda c, rng: c.regime.sample(rng, 8), kind="symbolic", evidence="derivation")
    model = RelationHolds("second difference of the exact law's escape rate", lambda c, st, p: (
        zm.second_difference(p), float(st.rhs)), lambda c, rng: c.regime.sample(rng, 8), tol=1e-6)
    return Claim(statement=rel, regime=BELOW_ONE, symbols=SYMBOLS, about="algebra", dynamics=DYN,
                 observable="the curvature of mu in lambda", checks=[derivation, model])


@claim("ziyin.prop3.convex", "App. D.2, after (83)", "mu is convex in lambda, so lambda* is the maximum",
       about="algebra", uses=["ziyin.eq83"])
def prop3_convex():
    return _curvature(sp.GreaterThan(sp.Derivative(zm.MU82, lam, 2), 0))


@claim("ziyin.prop3.convex.corrected", "App. D.2, after (83), corrected", "mu is concave in lambda (so lambda* is "
       "its maximum)", corrects="ziyin.prop3.convex", about="algebra")
def prop3_convex_corrected():
    return _curvature(sp.StrictLessThan(sp.Derivative(zm.MU82, lam, 2), 0))


@claim("ziyin.eq84", "Eq. (84), App. D.2", "gamma* = mu(lambda*) = ln[(2 - a)^2 / (4(1 - a))] / 2",
       uses=["ziyin.eq83"])
def eq84():
    return Claim(statement=sp.Eq(GAMMA_S, zm.GAMMA84), regime=A_REGIME, symbols=SYMBOLS, dynamics=DYN,
                 observable="the best escape rate over lambda < 1",
                 checks=[SymbolicEquality("(82) at lambda* of (83)", zm.MU82.subs(lam, zm.LAM_STAR),
                                          lambda c: c.formula),
                         ExactComparison("sup over 0 < lambda < 1 of the exact rate", zm.sup_exact,
                                         lambda p, f: [f(**p)])])


PROP3_LE1 = ExactComparison("sup over 0 < lambda < 1 of the exact rate", zm.sup_exact, lambda p, f: [f(**p)])
PROP3_ALL = ExactLimit("sup over 0 < lambda <= L of the exact rate as L -> oo", zm.sup_all_cases, order=1.0)


def _prop3(checks) -> Claim:
    return Claim(statement=sp.Eq(GAMMA_S, zm.GAMMA_STAR), regime=A_REGIME, symbols=SYMBOLS, dynamics=DYN,
                 observable="gamma* = sup over lambda of the escape rate", checks=checks)


@claim("ziyin.prop3", "Proposition 3", "gamma* = ln((2 - a)/(2 sqrt(1 - a)))", uses=["ziyin.eq84"])
def prop3():
    return _prop3([ByReading("gamma* under each range of lambda", {"lambda < 1": PROP3_LE1, "all lambda": PROP3_ALL})])


@claim("ziyin.prop3.below-one", "Proposition 3 (with Theorem 2's lambda <= 1)", "gamma* = sup over lambda <= 1",
       reading_of="ziyin.prop3", proof_reading=True,
       reading="the sup of Definition 2 over lambda <= 1, Theorem 2's assumption, which (82) uses")
def prop3_below_one():
    return _prop3([PROP3_LE1, SymbolicEquality("(84)'s two forms", zm.GAMMA84, lambda c: c.formula),
                   MonteCarloMean("20,000 runs x 50 steps at the best lambda: estimator (9)", zm.estimator_at_best,
                                  lambda p, f: [f(**p)], n_points=3, n_paths=20_000)])


@claim("ziyin.prop3.all-lambda", "Proposition 3 (with Definition 2 as printed)", "gamma* = sup over all lambda > 0",
       reading_of="ziyin.prop3", reading="the sup of Definition 2 over every lambda > 0; Prop. 3 states no range")
def prop3_all_lambda():
    return _prop3([PROP3_ALL])


@claim("ziyin.eq85", "Eq. (85), App. D.2",
       "gamma* <= epsilon for |a| up to 2|-e^eps sqrt(e^(2 eps) - 1) - e^(2 eps) + 1|",
       uses=["ziyin.eq84"], quantified="the bound (85) read as the largest |a| with gamma* <= epsilon (it solves (84) "
       "at equality)")
def eq85():
    return Claim(statement=sp.Eq(sp.Symbol(r"|a|_{\max}"), zm.BOUND85), regime=EPS_REGIME, symbols=SYMBOLS,
                 dynamics=DYN,
                 observable="the largest |a| with gamma* <= epsilon",
                 checks=[SymbolicEquality("(84) at a = -bound equals epsilon",
                                          lambda c: zm.GAMMA_STAR.subs(a, -c.formula),
                                          eps),
                         ExactComparison("root of sup_lambda (exact rate) = epsilon in |a|", zm.abs_a_max,
                                         lambda p, f: [f(**p)], rtol=1e-9, n_points=4)])


def _prop3_bound(rel, maximal: bool) -> Claim:
    return Claim(statement=rel, regime=EPS_REGIME, symbols=SYMBOLS, dynamics=DYN,
                 observable="gamma* < epsilon at the values of |a| the condition admits",
                 checks=[SufficientCondition("gamma* < epsilon on the exact law (60 digits)", zm.best_rate_below,
                                             lambda c, rng: c.regime.sample(rng, 3), maximal=maximal)])


@claim("ziyin.prop3.bound", "Proposition 3, second part", "gamma* < epsilon if |a| <= 2|-e^eps sqrt(e^(2 eps) - 1) - "
       "e^(2 eps) + 1|", uses=["ziyin.eq85"])
def prop3_bound():
    return _prop3_bound(sp.LessThan(ABS_A, zm.BOUND85), False)


@claim("ziyin.prop3.bound.corrected", "Proposition 3, second part, corrected", "gamma* < epsilon exactly when "
       "|a| < 2|-e^eps sqrt(e^(2 eps) - 1) - e^(2 eps) + 1|", corrects="ziyin.prop3.bound")
def prop3_bound_corrected():
    return _prop3_bound(sp.StrictLessThan(ABS_A, zm.BOUND85), True)


def construction(values):
    """Theorem 2's loss: Eq. (4) with |a| = half the bound (85) at epsilon."""
    return lambda c, st, p: values(float(zm.BOUND85.subs(eps, p["epsilon"])) / 2, st, p)


@claim("ziyin.thm2", "Theorem 2",
       "For lambda <= 1 and any epsilon > 0 some loss has sup_lambda gamma(lambda) < epsilon",
       uses=["ziyin.prop3.bound.corrected"])
def thm2():
    def exact(b, st, p):
        return float(zm.sup_rate(-b, 1.0, 60)[0]), float(st.rhs.subs(eps, p["epsilon"]))

    def formula(b, st, p):
        return float(zm.GAMMA_STAR.subs(a, -b)), float(st.rhs.subs(eps, p["epsilon"]))
    points = lambda c, rng: c.regime.sample(rng, 6)
    return Claim(statement=sp.StrictLessThan(sp.Symbol(r"\sup_{\lambda \le 1} \gamma(\lambda)"), eps),
                 regime=EPS_REGIME, symbols=SYMBOLS, dynamics=DYN + ", |a| = bound (85) / 2",
                 observable="the best escape rate of the construction",
                 checks=[RelationHolds("exact law: sup over lambda < 1 of the rate", construction(exact), points),
                         RelationHolds("Prop. 3's gamma* at the construction", construction(formula), points,
                                       kind="symbolic", evidence="derivation")])
