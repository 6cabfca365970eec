"""`ziyin`, Sec. 5.4 with App. D.4 and Sec. 6.4: AMSGrad on Eq. (4). The algorithm (13)-(16), the remark (17)-(18),
Proposition 5 with the proof's steps (94)-(109), and the experiment of Figure 4.

Runs use checks.dynamics.optimizers.AMSGrad (no bias correction, eps = 0, as (13)-(16); ``amsgrad=False`` is Adam
without bias correction, which Sec. 6.4 compares; bias correction and eps change none of the outcomes below) on
x w^2/2 with x = 1 or a - 1, w kept in [-1, 1] (Proposition 5's w_t in [-1, 1]), from w_0 ~ U[-1, 1]. Whether a
run converges is decided at its end by the proof's own mechanism (``amsgrad_checks.certify``): v-hat only grows, so
lambda' = lambda/sqrt(v-hat) only falls, and with v-hat frozen the step is a linear random recursion.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from checks import ExactComparison, SymbolicEquality
from checks.base import FormulaCheck, RunContext
from checks.montecarlo import with_power
from checks.result import FAIL, CheckResult
from theory import Claim, Param, Regime, claim

from .amsgrad_checks import FractionCheck
from .experiment_checks import ByReading
from .figure4_checks import adaptive_runs, certify
from .models import LOWER8, UPPER8, TwoPoint
from .models import a as a_neg

lam = sp.Symbol("lambda", positive=True)
a = a_neg                                             # a < 0: x = 1 or a - 1
beta1 = sp.Symbol("beta_1", nonnegative=True)
m_prev, v_prev, g_t = sp.symbols("m_{t-1} v_{t-1} g_t", real=True)
w = sp.Symbol("w", real=True)
lp = sp.Symbol("lambda'", positive=True)
eps = sp.Symbol("epsilon", positive=True)
SYMBOLS = {"lambda": "learning rate", "a": "x = 1 or a - 1 (a < 0)", "beta_1": "momentum", "g_t": "stochastic gradient",
           "m_{t-1}": "previous first moment", "v_{t-1}": "previous preconditioner", "w": "parameter",
           "lambda'": "lambda / sqrt(c), c = lim v-hat", "epsilon": "tolerance of (101)"}


# --- Eqs. (13)-(16) ---------------------------------------------------------------------------------------------------
M13 = beta1 * v_prev + (1 - beta1) * g_t
M_REDDI = beta1 * m_prev + (1 - beta1) * g_t          # Reddi et al. (2018): the moving average of the gradients
STEP_REGIME = Regime((Param(beta1, 0.0, 0.99), Param(m_prev, -1, 1), Param(v_prev, 0.01, 1), Param(g_t, -1, 1)), (),
                     "one AMSGrad step")


def kernel_m(point) -> list[float]:
    """m_t of one step of the AMSGrad kernel the runs use (checks.dynamics.optimizers.AMSGrad) from the given state."""
    from checks.dynamics.optimizers import AMSGrad

    opt = AMSGrad(0.1, beta1=point["beta_1"])
    opt.update(np.array([[1.0]]))                        # create the state, then set it
    opt.m[:], opt.v[:], opt.v_hat[:] = point["m_{t-1}"], point["v_{t-1}"], point["v_{t-1}"]
    opt.update(np.array([[point["g_t"]]]))
    return [float(opt.m[0, 0])]


def m_checks():
    return [SymbolicEquality("AMSGrad (Reddi et al. 2018) keeps m_t = beta_1 m_(t-1) + (1 - beta_1) g_t",
                             lambda c: c.formula, M_REDDI),
            ExactComparison("one step of the AMSGrad kernel the experiments run", kernel_m, lambda p, f: [f(**p)],
                            rtol=1e-12)]


@claim("ziyin.eq13", "Eqs. (13)-(16), Sec. 5.4", "AMSGrad's first moment m_t = beta_1 v_(t-1) + (1 - beta_1) g_t",
       about="text")
def eq13():
    return Claim(statement=sp.Eq(sp.Symbol("m_t"), M13), regime=STEP_REGIME, symbols=SYMBOLS,
                 dynamics="AMSGrad as (13)-(16) print it", observable="the first moment",
                 notes=["(13) feeds the preconditioner v_(t-1) into the momentum. The theory takes beta_1 = 0, "
                        "where both "
                        "agree; Sec. 6.4's beta_1 = 0.9 runs use the moving average of the gradients."],
                 checks=m_checks())


@claim("ziyin.eq13.corrected", "Eq. (13), corrected", "m_t = beta_1 m_(t-1) + (1 - beta_1) g_t", corrects="ziyin.eq13",
       about="text")
def eq13_corrected():
    return Claim(statement=sp.Eq(sp.Symbol("m_t"), M_REDDI), regime=STEP_REGIME, symbols=SYMBOLS,
                 dynamics="AMSGrad (Reddi et al. 2018)", observable="the first moment", checks=m_checks())


# --- the remark (17)-(18) ---------------------------------------------------------------------------------------------
G18 = sp.Matrix([w, -(1 + a) * w])
G_REGIME = Regime((Param(a, -3, -0.05), Param(w, 0.05, 1)), (), "Eq. (4), x = 1 or a - 1 (w > 0 shown; odd in w)")


def g18_checks():
    return [SymbolicEquality("the gradient x w of (4) for x = 1 and x = a - 1", lambda c: c.rhs,
                             sp.Matrix([w, (a - 1) * w])),
            SymbolicEquality("'the expected gradient also increases |w_t|': sign of -E[g] w is +1",
                             lambda c: sp.sign(-(c.rhs[0] + c.rhs[1]) * w), sp.S.One)]


@claim("ziyin.eq18", "Eqs. (17)-(18), remark after Proposition 5", "The gradient is w_(t-1) or -(1 + a) w_(t-1) with "
       "probability 1/2 each", about="algebra")
def eq18():
    return Claim(statement=sp.Eq(sp.Matrix([sp.Symbol("g_+"), sp.Symbol("g_-")]), G18), regime=G_REGIME,
                 symbols=SYMBOLS, dynamics="Eq. (4)", observable="the two values of the gradient",
                 notes=["'(roughly)' allows the preconditioner's factor, not the sign of a: with -(1 + a) w the "
                        "expected "
                        "gradient is -a w/2, which a step moves against, shrinking |w| (the text says it grows)."],
                 checks=g18_checks())


@claim("ziyin.eq18.corrected", "Eq. (18), corrected", "The gradient is w_(t-1) or -(1 - a) w_(t-1)",
       corrects="ziyin.eq18", about="algebra")
def eq18_corrected():
    return Claim(statement=sp.Eq(sp.Matrix([sp.Symbol("g_+"), sp.Symbol("g_-")]), sp.Matrix([w, -(1 - a) * w])),
                 regime=G_REGIME, symbols=SYMBOLS, dynamics="Eq. (4)", observable="the two values of the gradient",
                 checks=g18_checks())


# --- App. D.4: Eqs. (94)-(109) ----------------------------------------------------------------------------------------
BOUND94 = sp.Matrix([1 + a, 1 + a])
BOUND94_CORRECTED = sp.Matrix([1 - a, (1 - a) ** 2])
SUP_REGIME = Regime((Param(a, -3, -0.05), Param(lam, 0.1, 0.6)), (), "|w| <= 1, x = 1 or a - 1")


def largest_gradient(point, n: int = 500, T: int = 300) -> list[float]:
    """The largest |g_t| over AMSGrad runs (beta_1 = 0): early steps are large and reach the clip |w| = 1,
    where x = a - 1 gives |g| = 1 - a, the sup."""
    rng = np.random.default_rng(7)
    return [float(adaptive_runs({"beta1": 0.0}, point["a"], point["lambda"], T, n, rng)["g_max"].max())]


def bound94_checks():
    return [SymbolicEquality("sup over |w| <= 1 and x in {1, a - 1} of |x w|, and its square (v is an average of g^2)",
                             lambda c: c.rhs, sp.Matrix([sp.Max(1, 1 - a), sp.Max(1, 1 - a) ** 2])),
            ExactComparison("the largest |g_t| in AMSGrad runs (500 runs x 300 steps)", largest_gradient,
                            lambda p, f: [float(np.ravel(f(**p))[0])], n_points=3, rtol=1e-12)]


@claim("ziyin.eq94", "Eqs. (94), (97)-(98), App. D.4", "|g_t| <= 1 + a and v_t <= 1 + a", about="algebra")
def eq94():
    return Claim(statement=sp.Eq(sp.Matrix([sp.Symbol(r"\sup|g_t|"), sp.Symbol(r"\sup v_t")]), BOUND94),
                 regime=SUP_REGIME, symbols=SYMBOLS, dynamics="AMSGrad on (4), |w_t| <= 1", observable="the bounds",
                 notes=["With a < 0 the larger |x| is 1 - a; 1 + a < 1 is no bound (negative for a < -1). The proof "
                        "only "
                        "needs some finite bound, so its conclusion is not affected."],
                 checks=bound94_checks())


@claim("ziyin.eq94.corrected", "Eqs. (94), (97), corrected", "|g_t| <= 1 - a and v_t <= (1 - a)^2",
       corrects="ziyin.eq94", about="algebra")
def eq94_corrected():
    return Claim(statement=sp.Eq(sp.Matrix([sp.Symbol(r"\sup|g_t|"), sp.Symbol(r"\sup v_t")]), BOUND94_CORRECTED),
                 regime=SUP_REGIME, symbols=SYMBOLS, dynamics="AMSGrad on (4), |w_t| <= 1", observable="the bounds",
                 checks=bound94_checks())


VHAT_N, C_LIM = sp.symbols(r"\hat{v}_N c", positive=True)
PREMISE_REGIME = Regime((Param(eps, 0.001, 0.3, log=True), Param(lam, 0.1, 0.4)), (), "AMSGrad on (4), a = -lambda/2")


class PremiseOf101(FormulaCheck):
    """(101) writes v-hat_i = c - k_i with 0 <= k_i <= eps for every i > N. The statement is the premise that picks N
    (a relation between v-hat_N and c - eps, eps relative to c). On AMSGrad runs the first N satisfying it is taken and
    max_{i > N} (c - v-hat_i)/c <= eps is checked (c = v-hat at the end, where v-hat has stopped)."""

    kind, evidence, form = "montecarlo", "model", "relation"

    def __init__(self, name: str, n_points: int = 3, n_paths: int = 20, T: int = 4000):
        self.name, self.n_points, self.n_paths, self.T = name, n_points, n_paths, T

    @staticmethod
    def _judge(statement, series, e, lam_value):
        """max over runs of max_{i > N} (c - v-hat_i)/c, N the first index meeting the premise (None: no N)."""
        premise = sp.lambdify((VHAT_N, C_LIM, eps, lam), statement, "numpy")
        worst = 0.0
        for vh in series:
            c = vh[-1]
            idx = np.flatnonzero(premise(vh, c, e * c, lam_value))
            if idx.size == 0:
                return None
            tail = vh[idx[0] + 1:]
            worst = max(worst, float(np.max(c - tail) / c) if tail.size else 0.0)
        return worst

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        from checks.dynamics.optimizers import AMSGrad

        rng = self.rng(claim, ctx)
        rows, failure = [], None
        for point in claim.regime.sample(rng, self.n_points):
            opt = AMSGrad(point["lambda"], beta1=0.0)
            wv = rng.uniform(-1, 1, (self.n_paths, 1))
            series = []
            for _ in range(self.T):
                x = np.where(rng.random(wv.shape) < 0.5, 1.0, -point["lambda"] / 2 - 1.0)
                wv = np.clip(opt.step(wv, x * wv), -1, 1)
                series.append(opt.v_hat[:, 0].copy())
            series = np.array(series).T
            worst = self._judge(claim.statement, series, point["epsilon"], point["lambda"])
            rows.append({"params": point, "max_(i>N) (c - vhat_i)/c": worst, "epsilon": point["epsilon"]})
            if worst is None or worst > point["epsilon"] * (1 + 1e-12):
                failure = failure or dict(rows[-1])
        bad = self._judge(sp.Not(claim.statement), series, point["epsilon"],
                          point["lambda"])
        details = {"rows": rows, "seed": self.seed(claim, ctx),
                   "self_test": [{"perturbation": "premise reversed",
                                  "rejected": bad is None or bad > point["epsilon"]}]}
        method = "the premise's first N on AMSGrad runs, then max over i > N of (c - v-hat_i)/c against eps"
        if failure is not None:
            return CheckResult(self.kind, self.name, FAIL, method, details, failure)
        return with_power(self.kind, self.name, method, details)


@claim("ziyin.eq101", "Eqs. (100)-(101), App. D.4", "There is N(eps) with v-hat_N <= c - eps, so v-hat_i = c - k_i, "
       "0 <= k_i <= eps, for i > N", about="algebra")
def eq101():
    return Claim(statement=sp.LessThan(VHAT_N, C_LIM - eps), regime=PREMISE_REGIME, symbols=SYMBOLS,
                 dynamics="AMSGrad on (4)", observable="the split of the sum (101)",
                 notes=["v-hat increases to c, so v-hat_N <= c - eps holds already at N = 1 and says nothing about "
                        "later "
                        "terms; the split needs v-hat_N >= c - eps (then c - eps <= v-hat_i <= c for i > N)."],
                 checks=[PremiseOf101("AMSGrad runs (20 runs x 4000 steps per point)")])


@claim("ziyin.eq101.corrected", "Eq. (101), corrected", "There is N(eps) with v-hat_N >= c - eps, so 0 <= k_i <= eps "
       "for i > N", corrects="ziyin.eq101", about="algebra")
def eq101_corrected():
    return Claim(statement=sp.GreaterThan(VHAT_N, C_LIM - eps), regime=PREMISE_REGIME, symbols=SYMBOLS,
                 dynamics="AMSGrad on (4)", observable="the split of the sum (101)",
                 checks=[PremiseOf101("AMSGrad runs (20 runs x 4000 steps per point)")])


ABS108 = sp.Abs((1 - lp) * (1 + lp * (1 - a)))
A_REGIME = Regime((Param(a, -3, -0.05),), (), "a < 0")


def ends_109(point) -> list[float]:
    """The set {lambda' > 0 : |(1 - lambda')(1 + lambda'(1 - a))| <= 1}, found numerically: its two ends."""
    from scipy.optimize import brentq

    av = point["a"]
    h = lambda v: abs((1 - v) * (1 + v * (1 - av))) - 1
    grid = np.linspace(1e-9, 3, 30001)
    sign = np.sign([h(v) for v in grid])
    roots = [brentq(h, grid[i], grid[i + 1], xtol=1e-15) for i in np.flatnonzero(sign[1:] != sign[:-1])]
    return [roots[0], roots[-1]]


@claim("ziyin.eq109", "Eqs. (103), (108)-(109), App. D.4", "|(1 - lambda')(1 + lambda'(1 - a))| <= 1 solves to "
       "a/(a - 1) <= lambda' <= (a - sqrt(a^2 - 8a + 8))/(2(a - 1))", about="algebra")
def eq109():
    return Claim(statement=sp.Eq(sp.Matrix([sp.Symbol(r"\lambda'_-"), sp.Symbol(r"\lambda'_+")]),
                                 sp.Matrix([LOWER8, UPPER8])), regime=A_REGIME, symbols=SYMBOLS,
                 dynamics="AMSGrad with v-hat frozen at c", observable="the ends of the interval (109)",
                 checks=[SymbolicEquality("(103): for x = a - 1 the factor |1 - lambda'(a - 1)| is 1 + lambda'(1 - a)",
                                          sp.Abs(1 - lp * (a - 1)), 1 + lp * (1 - a), extra=[Param(lp, 0.01, 2)]),
                         ExactComparison("the ends of {lambda' : (108) holds}, root-finding", ends_109,
                                         lambda p, f: list(np.ravel(f(**p))), rtol=1e-9)])


class Converges108(FormulaCheck):
    """The statement is (108) as a condition on lambda' (with v-hat frozen, AMSGrad is SGD at rate lambda'). At the ends
    of (109), inside and outside, the condition must hold exactly where the exact law converges: E ln|1 - lambda' x| < 0
    (60 digits; at an end it is 0 and P(|w_t| < eps) -> 1/2, not 1). Self-test: the reversed relation must fail."""

    kind, evidence, form = "exact", "model", "relation"

    def __init__(self, name: str, n_points: int = 4):
        self.name, self.n_points = name, n_points

    def _judge(self, rel, points):
        rows, failure = [], None
        for point in points:
            av = sp.nsimplify(point["a"], rational=True)
            lo, hi = (e.subs(a, av) for e in (LOWER8, UPPER8))
            for where, v in (("lower end", lo), ("upper end", hi), ("inside", (lo + hi) / 2), ("below", lo / 2),
                             ("above", hi + sp.Rational(1, 10))):
                said = bool(rel.subs({lp: v, a: av}))
                conv = TwoPoint(v, av).mu < 0
                rows.append({"a": point["a"], "where": where, "lambda_prime": float(v), "condition": said,
                             "converges": bool(conv)})
                if said != conv and failure is None:
                    failure = dict(rows[-1])
        return rows, failure

    def _run(self, claim, ctx: RunContext) -> CheckResult:
        points = self.points(claim, ctx, self.rng(claim, ctx), self.n_points)
        rows, failure = self._judge(claim.statement, points)
        _, bad = self._judge(sp.Not(claim.statement), points)    # the complementary relation
        details = {"rows": rows, "self_test": [{"perturbation": "relation reversed", "rejected": bad is not None}],
                   "seed": self.seed(claim, ctx)}
        method = "the condition against the exact law of SGD at rate lambda' (60 digits)"
        if failure is not None:
            return CheckResult(self.kind, self.name, FAIL, method, details, failure)
        return with_power(self.kind, self.name, method, details)


@claim("ziyin.eq108", "Eqs. (106)-(108), App. D.4", "With v-hat frozen, AMSGrad converges in probability if "
       "|(1 - lambda')(1 + lambda'(1 - a))| <= 1", uses=["ziyin.eq109"])
def eq108():
    return Claim(statement=sp.LessThan(ABS108, 1), regime=A_REGIME, symbols=SYMBOLS,
                 dynamics="AMSGrad on (4) with v-hat at its limit c: SGD at rate lambda' = lambda/sqrt(c)",
                 observable="convergence of w to 0 in probability",
                 notes=["(106)-(107) are strict; letting eps -> 0 turns '<' into '<=', which takes in the ends of "
                        "(109), "
                        "where mu = 0 and ln|w_t| is a centred walk."],
                 checks=[Converges108("the condition against the exact law at the ends, inside and outside (109)")])


@claim("ziyin.eq108.corrected", "Eq. (108), corrected", "Converges in probability iff |(1 - lambda')(1 + lambda'(1 "
                                                        "- a))| "
       "< 1 (the open interval)", corrects="ziyin.eq108")
def eq108_corrected():
    return Claim(statement=sp.StrictLessThan(ABS108, 1), regime=A_REGIME, symbols=SYMBOLS,
                 dynamics="AMSGrad on (4) with v-hat at its limit c", observable="convergence of w to 0 in probability",
                 checks=[Converges108("the condition against the exact law at the ends, inside and outside (109)")])


# --- Proposition 5 ----------------------------------------------------------------------------------------------------
LIMIT_P = sp.Symbol(r"\lim_t P(|w_t| < \epsilon)")


def prop5_runs(point, n_paths, rng):
    """2000 AMSGrad runs (beta_1 = 0) of 2 x 10^4 steps with a = -lambda/2, each certified at its end."""
    lv = point["lambda"]
    r = adaptive_runs({"beta1": 0.0}, -lv / 2, lv, 20_000, n_paths, rng)
    out, info = certify(lv, -lv / 2, 0.0, r["v_hat"], rng)
    from checks import Sample

    return Sample(out[:, None], ["converges to 0 (certified)"], 0.0, info)


@claim("ziyin.prop5", "Proposition 5 and Theorem 4", "For lambda < 1 some a < 0 makes AMSGrad (beta_1 = 0) converge in "
       "probability to the local maximum", uses=["ziyin.eq108.corrected", "ziyin.eq94.corrected"])
def prop5():
    return Claim(
        statement=sp.Eq(LIMIT_P, 1), regime=Regime((Param(lam, 0.05, 0.6),), (), "a = -lambda/2, beta_2 = 0.999, "
                                                   "w in [-1, 1], w_0 ~ U[-1, 1]"),
        symbols=SYMBOLS, dynamics="AMSGrad (13)-(16), beta_1 = 0, on (4), w kept in [-1, 1]",
        observable="fraction of runs certain to converge to 0",
        notes=["The construction: a = -lambda/2 (then lambda/(1 - a) = 2 a/(a - 1), so lambda' never falls below "
               "(109)); "
               "a = -0.1 fails for lambda below about 0.09 (lambda' ends below a/(a - 1) in some runs).",
               "Runs whose lambda' still sits at or above the upper end of (109) are undecided and left out of the "
               "test "
               "(their share is in the evidence). It grows with lambda: sampled up to 0.6; between 0.6 and 1 most runs "
               "are still undecided after 2 x 10^4 steps, so that range is open."],
        checks=[FractionCheck("AMSGrad runs, certified at 2 x 10^4 steps", prop5_runs, lambda p, f: [f(**p)],
                              n_points=2, n_paths=2000)])


# --- Figure 4 / Sec. 6.4 ----------------------------------------------------------------------------------------------
from .figure4_checks import Figure4Limits, Figure4Share, Figure4Speed  # noqa: E402

FIG4_REGIME = Regime((), (), "a = -0.1, lambda = 0.2, beta_2 = 0.999, 2000 runs x 5 x 10^4 steps, w_0 ~ U[-1, 1], "
                     "w kept in [-1, 1]")
FIG4_LIMITS = sp.Matrix([1, 1])
SPEED = sp.LessThan(sp.Symbol(r"|\ln(t_{\mathrm{Adam}} / t_{\mathrm{AMSGrad}})|"), sp.log(sp.Rational(3, 2)))
FIG4_NOTES = ["Not printed and chosen here: w_0 ~ U[-1, 1] (Figure 1's start), w kept in [-1, 1] (Proposition 5), "
              "Adam without bias correction and eps = 0 (like (13)-(16)); bias correction and eps = 1e-8 give the "
              "same fractions."]


def fig4_claim(statement, checks, **kw) -> Claim:
    return Claim(statement=statement, regime=FIG4_REGIME, symbols=SYMBOLS, notes=FIG4_NOTES + kw.pop("notes", []),
                 dynamics="AMSGrad and Adam (no bias correction, eps = 0) on (4)", checks=checks, **kw)


@claim("ziyin.fig4", "Figure 4, Sec. 6.4", "Without momentum, Adam and AMSGrad converge to the local maximum with "
       "almost the same speed", quantified="'converge with almost the same speed' read two ways (the readings "
       "ziyin.fig4.in-probability and ziyin.fig4.mean-curve)")
def fig4():
    return fig4_claim(sp.Eq(sp.Matrix([sp.Symbol("P_AMSGrad"), sp.Symbol("P_Adam")]), FIG4_LIMITS), [ByReading(
        "by reading of 'converge'", {"in probability": Figure4Limits("limits", ("AMSGrad", "Adam")),
                                     "the mean curve": Figure4Speed("mean curves", SPEED)})],
        observable="lim P(|w_t| < 1e-3) per optimizer")


@claim("ziyin.fig4.in-probability", "Figure 4, Sec. 6.4 (in probability)", "Without momentum both converge in "
       "probability", reading_of="ziyin.fig4", reading="'converges' as Theorem 4 and Proposition 5 use it: lim "
                                                       "P(|w_t| < 1e-3) = 1 for each optimizer (speed is then moot "
                                                       "if one does not converge)", proof_reading=True,
       quantified="converge: lim P(|w_t| < 1e-3) = 1 (AMSGrad runs certified at their end; Adam's fraction tested at "
                  "5 x 10^4 steps once it has stopped rising)")
def fig4_in_probability():
    return fig4_claim(sp.Eq(sp.Matrix([sp.Symbol("P_AMSGrad"), sp.Symbol("P_Adam")]), FIG4_LIMITS),
                      [Figure4Limits("limits, AMSGrad and Adam", ("AMSGrad", "Adam"))],
                      observable="lim P(|w_t| < 1e-3) per optimizer")


@claim("ziyin.fig4.mean-curve", "Figure 4, Sec. 6.4 (the plotted mean)", "The mean |w_t| curves of Adam and AMSGrad "
                                                                         "fall "
       "to the local maximum at almost the same speed", reading_of="ziyin.fig4", reading='the plotted curve: the '
       'mean |w_t| over the 2000 runs falls below 0.1 (a fifth of its start) and stays there to 5 x 10^4 steps, '
       'for both, at steps within a factor 1.5 of each other',
       quantified="almost the same speed: |ln(t_Adam / t_AMSGrad)| <= ln(3/2), t the first step the mean |w_t| "
                  "falls below 0.1 and stays below it to the end")
def fig4_mean_curve():
    return fig4_claim(SPEED, [Figure4Speed("mean curves of 2000 runs")], observable="crossing steps of the mean |w_t|")


@claim("ziyin.fig4.momentum-amsgrad", "Figure 4 (right), Sec. 6.4", "With momentum (beta_1 = 0.9) AMSGrad still "
       "converges to the local maximum", quantified="converges: lim P(|w_t| < 1e-3) = 1, each run certified at its end "
       "by the top Lyapunov exponent of the step with v-hat frozen")
def fig4_momentum_amsgrad():
    return fig4_claim(sp.Eq(sp.Matrix([sp.Symbol("P_AMSGrad")]), sp.Matrix([1])),
                      [Figure4Limits("limit, AMSGrad with momentum", ("AMSGrad, beta_1 = 0.9",))],
                      observable="lim P(|w_t| < 1e-3)",
                      notes=["The momentum is the moving average of the gradients (ziyin.eq13.corrected)."])


@claim("ziyin.fig4.momentum-adam", "Figure 4 (right), Sec. 6.4", "With momentum Adam is no longer attracted to the "
                                                                 "local "
       "maximum but also remains away from the local minimum",
       quantified="'not attracted ... remains away' read as: after 5 x 10^4 steps at most half of the runs are within "
                  "1e-3 of w = 0 and at most half at |w| > 0.99 (the clip, where the loss on [-1, 1] is least)")
def fig4_momentum_adam():
    return fig4_claim(sp.LessThan(sp.Symbol(r"\max(P(|w_T| < 10^{-3}), P(|w_T| > 0.99))"), sp.Rational(1, 2)),
                      [Figure4Share("shares of the 2000 runs at 5 x 10^4 steps")],
                      observable="shares of runs near 0 and near the clip")
