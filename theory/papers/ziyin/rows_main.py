"""`ziyin`, statements of the main text that had no claim of their own: the data law of Sec. 4 ("seemingly benign"),
the remarks after Proposition 2 (strict saddle; d > 1 on a concrete 2-D loss), GD's monotone escape rate (Sec. 5.2),
the rank of the noise of Eq. (10) (Sec. 5.3), and the experiments of App. A (Figures 5 and 6) and App. C.4's
comparison of (71) with Figure 2.

Every process statement is checked on the printed dynamics: SGD (2) on the stated loss with the two-point x
(x = 1 or a - 1, probability 1/2 each, mean a/2), simulated, or its exact law where one exists.
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp
from scipy import optimize, stats

from checks import ExactComparison, MonteCarloMean, Sample, SymbolicEquality
from checks.base import FormulaCheck, RunContext
from checks.dynamics.loop import run
from checks.dynamics.multiplicative import two_point_curvatures
from checks.stats import ALPHA
from checks.tails import ByReading
from theory import Claim, Param, Regime, Sampling, claim

from . import models as zm
from .experiment_checks import BinomialTest, RelationHolds, _passed
from .models import LOWER8, SYMBOLS, TwoPoint, a, lam, two_point, x

# --- Sec. 4: "seemingly benign ... (zero-mean and bounded)" ------------------------------------------------------
E_X, BOUNDED = sp.Symbol("E[x]"), sp.Symbol(r"1[\sup|x| < \infty]")
P_a = Param(a, -4.0, -0.1, doc="a < 0")


def draws(point, n, rng):
    return Sample(two_point_curvatures(point["a"], rng, (n, 1)), ["x"])


def _px_claim(mean) -> Claim:
    exact = sp.Matrix([two_point(x), sp.Integer(bool(sp.Max(1, 1 - a).is_finite))])
    return Claim(
        statement=sp.Eq(sp.Matrix([E_X, BOUNDED]), sp.Matrix([mean, 1])), regime=Regime((P_a,), (), "Prop. 1's p(x)"),
        symbols={**SYMBOLS, "1[sup|x| < oo]": "1 if x is bounded"}, about="algebra",
        dynamics="the data distribution p(x) of Prop. 1", observable="E[x] and whether x is bounded",
        notes=["x takes the values 1 and a - 1, so sup|x| = 1 - a is finite: 'bounded' holds."],
        checks=[SymbolicEquality("E[x] and boundedness of Prop. 1's p(x)", exact, lambda c: c.formula),
                MonteCarloMean("draws of x: the mean", draws, lambda p, f: [np.ravel(f(**p))[0]], n_points=3,
                               n_paths=20_000)])


@claim("ziyin.sec4.px", "Sec. 4, before Proposition 1", "Prop. 1's p(x) is 'zero-mean and bounded'",
       uses=["ziyin.sec4.mean"])
def sec4_px():
    return _px_claim(sp.S.Zero)


@claim("ziyin.sec4.px.corrected", "Sec. 4, before Proposition 1, corrected", "Prop. 1's p(x) is bounded with mean "
       "a/2 < 0", corrects="ziyin.sec4.px")
def sec4_px_corrected():
    return _px_claim(a / 2)


# --- Sec. 5.1, remark: x w^2 + w^4 makes w = 0 a strict saddle, "yet w converges to 0" ----------------------------
W = sp.Symbol("w", real=True)
P_LIM = sp.Symbol(r"\lim_{t\to\infty} P(|w_t| < \epsilon)")
u = sp.Symbol("u", positive=True)                    # position of lambda inside an interval (0: lower end)
START4, BALL4, RUNS4 = 0.01, 1e-3, 2000


def lam_at(point, factor) -> float:
    """lambda at position u of Prop. 2's interval (8) times ``factor`` (the reading), at the point's a."""
    lo, hi = (float(e.subs(a, point["a"])) for e in (LOWER8, zm.UPPER8))
    return float(factor) * (lo + point["u"] * (hi - lo))


def quartic2_runs(point, n, rng, T, lv, bounded: bool = False):
    """SGD (2) on x w^2 + w^4 from w_0 = 0.01: the fraction with |w_T| < 1e-3. A run reaching |w| >= 10 diverges
    (there 4 lambda w^2 dominates every other term of the step); it counts as a miss, or with ``bounded`` is left
    out (the runs that stay bounded)."""
    av = point["a"]

    def step(w, rng):
        xs = two_point_curvatures(av, rng, w.shape)
        return w - lv * (2 * xs * w + 4 * w ** 3)

    traj = run(step, np.full((n, 1), START4), int(T), rng, save=(int(T),), stop=lambda w: np.abs(w[:, 0]) >= 10)
    end = np.nan_to_num(traj.saved[int(T)][:, 0], nan=np.inf)
    left = (traj.exit_step > 0) | traj.diverged
    inside = (np.abs(end) < BALL4) & ~left
    if bounded:
        return Sample(inside[~left][:, None].astype(float), ["|w_T| < 1e-3 (runs that stay bounded)"])
    return Sample(inside[:, None].astype(float), ["|w_T| < 1e-3"])


def saddle_horizon(av: float, lv: float) -> int:
    """The horizon at which the linearised law 1 - 2 lambda x (Lemma 1) misses the ball with probability <= ALPHA/(10
    n) by Hoeffding; 400 where it does not converge (the runs then show it)."""
    T = TwoPoint(2 * lv, av).horizon(math.log(BALL4 / START4), ALPHA / (10 * RUNS4), cap=20_000)
    return 400 if T is None else T


def saddle_runs(factor, label: str, bounded: bool = False) -> BinomialTest:
    def simulate(p, n, rng):
        lv = lam_at(p, factor)
        return quartic2_runs(p, n, rng, saddle_horizon(p["a"], lv), lv, bounded)
    runs = "the bounded ones of " if bounded else ""
    return BinomialTest(f"{runs}{RUNS4} SGD runs on x w^2 + w^4 from w_0 = {START4}, lambda at u of {label}: "
                        f"fraction in |w_T| < {BALL4}", simulate, lambda c, e, p: [float(e)],
                        tolerance=lambda p: ALPHA / (10 * RUNS4), n_points=2, n_paths=RUNS4)


STRICT = SymbolicEquality("w = 0 is a strict saddle: sign of L''(0) of the mean loss a w^2/2 + w^4",
                          sp.sign(sp.diff(two_point(x * W ** 2 + W ** 4), W, 2).subs(W, 0)), -1)
PROP2_RATES, HALVED_RATES = (1, "Prop. 2's interval (8)"), (sp.Rational(1, 2), "(8)/2")


def _saddle_claim(checks) -> Claim:
    return Claim(
        statement=sp.Eq(P_LIM, 1), symbols={**SYMBOLS, "u": "position of lambda in the interval"},
        regime=Regime((Param(a, -2.0, -0.25), Param(u, 0.3, 0.7)), (),
                      "L = x w^2 + w^4, Prop. 2's p(x), lambda at position u of the reading's interval"),
        dynamics="SGD (2) on x w^2 + w^4, x = 1 or a - 1", observable="P(|w_t| < 1e-3) as t -> oo from w_0 = 0.01",
        notes=["Convergence 'to 0' is read as in Prop. 2, in probability; the start w_0 = 0.01 is near the saddle. "
               "The horizon is where the linearised law (multiplier 1 - 2 lambda x) misses with probability "
               "<= ALPHA/(10 n), so the test allows no miss. The strict-saddle part holds for every a < 0 (check)."],
        checks=[STRICT, *checks])


@claim("ziyin.remark.strict-saddle", "Sec. 5.1, first remark after Proposition 2",
       "On x w^2 + w^4 (a strict saddle at 0) w still converges to 0",
       quantified="'w converges to 0' read as: lim P(|w_t| < 1e-3) = 1 from w_0 = 0.01, for lambda at positions "
                  "0.3-0.7 of the reading's interval")
def remark_strict_saddle():
    return _saddle_claim([ByReading("convergence under each reading of the learning rates",
                                    {"Prop. 2's interval (8)": saddle_runs(*PROP2_RATES),
                                     "(8) halved": saddle_runs(*HALVED_RATES),
                                     "(8) halved, bounded runs": saddle_runs(*HALVED_RATES, bounded=True)})])


@claim("ziyin.remark.strict-saddle.prop2", "Sec. 5.1, first remark after Proposition 2",
       "w converges to 0 for lambda in Prop. 2's interval (8)", reading_of="ziyin.remark.strict-saddle",
       reading="the construction of Prop. 2 carried over with its learning rates (8) unchanged")
def remark_strict_saddle_prop2():
    return _saddle_claim([saddle_runs(*PROP2_RATES)])


@claim("ziyin.remark.strict-saddle.halved", "Sec. 5.1, first remark after Proposition 2",
       "w converges to 0 for lambda in (8)/2 (x w^2 is twice Eq. (4)'s x w^2/2)",
       reading_of="ziyin.remark.strict-saddle",
       reading="the construction of Prop. 2 with the loss x w^2 = 2 (x w^2/2): the multiplier near 0 is "
               "1 - 2 lambda x, so Prop. 2's learning rates are halved")
def remark_strict_saddle_halved():
    return _saddle_claim([saddle_runs(*HALVED_RATES)])


@claim("ziyin.remark.strict-saddle.bounded", "Sec. 5.1, first remark after Proposition 2",
       "Runs that stay bounded converge to 0 for lambda in (8)/2", reading_of="ziyin.remark.strict-saddle",
       reading="as (8)/2, counting only the runs that stay bounded (|w| < 10): a run kicked far out by a streak of "
               "x = a - 1 diverges through the w^4 term, which the remark does not discuss")
def remark_strict_saddle_bounded():
    return _saddle_claim([saddle_runs(*HALVED_RATES, bounded=True)])


# --- Sec. 5.2: "for GD the escape rate increases monotonically as the learning rate increases" ---------------------
GAMMA_GD = sp.Function(r"\gamma_{GD}")


def gd_rate(lv: float, av: float, T: int = 40) -> float:
    """GD (lambda) on the mean loss of Prop. 3's p(x), E[x] w^2/2 with E[x] = a/2, iterated: ln|w_T/w_0|/T."""
    mean, w = float(two_point(x).subs(a, av)), 1.0
    for _ in range(T):
        w = w - lv * mean * w
    return math.log(abs(w)) / T


def gd_slope(claim, statement, point):
    """The slope of GD's escape rate in lambda (central difference of iterated GD) and the statement's right side."""
    h = 1e-4 * point["lambda"]
    slope = (gd_rate(point["lambda"] + h, point["a"]) - gd_rate(point["lambda"] - h, point["a"])) / (2 * h)
    return slope, float(statement.rhs)


@claim("ziyin.sec52.gd-monotone", "Sec. 5.2, paragraph after Proposition 3",
       "For GD the escape rate increases monotonically with the learning rate")
def sec52_gd_monotone():
    return Claim(
        statement=sp.StrictGreaterThan(sp.Derivative(GAMMA_GD(lam), lam), 0),
        regime=Regime((Param(lam, 0.01, 3.0), Param(a, -4.0, -0.1)), (), "GD on the mean loss of Prop. 3's p(x)"),
        symbols={**SYMBOLS, r"\gamma_{GD}": "escape rate ln|w_t/w_0|/t of GD"}, dynamics="GD on a w^2/4",
        observable="d gamma_GD / d lambda",
        notes=["GD's rate is ln|1 - lambda a/2| = ln(1 + lambda |a|/2) for a < 0, increasing for every lambda > 0; the "
               "same holds with E[x] = a."],
        checks=[RelationHolds("GD iterated at lambda +- h: the slope of its rate", gd_slope,
                              lambda c, rng: c.regime.sample(rng, 12), tol=1e-9)])


# --- Sec. 5.3, remark after Prop. 4: "In this example, the noise is not full-rank" ---------------------------------
W1, W2, bb, aa = sp.symbols("w_1 w_2 b a_{10}", real=True)
LOSS10 = sp.Rational(1, 2) * (-(W1 - W2) ** 2 - (W1 + W2) ** 2 + (W1 - W2) ** 4 + (W1 + W2) ** 4 - 2 * aa * W2 ** 2
                              + x * bb * W1 ** 2)
RANK = sp.Symbol(r"\mathrm{rank}\,\mathrm{Cov}[\nabla\hat{L}]")
GRAD10 = sp.Matrix([sp.diff(LOSS10, v) for v in (W1, W2)])


def noise_covariance() -> sp.Matrix:
    """Cov_x of the sampled gradient of (10) over p(x) = (delta(x - 1) + delta(x + 1))/2."""
    vals = [GRAD10.subs(x, xv) for xv in (1, -1)]
    mean = (vals[0] + vals[1]) / 2
    return sp.simplify(sum(((g - mean) * (g - mean).T for g in vals), sp.zeros(2, 2)) / 2)


def sampled_rank(point) -> list[float]:
    """Numerical rank of the covariance of 4000 sampled gradients of (10) at (w_1, w_2) (singular values > 1e-9 of
    the largest)."""
    rng = np.random.default_rng(11)
    f = sp.lambdify((W1, W2, aa, bb, x), GRAD10, "numpy")
    xs = np.where(rng.random(4000) < 0.5, 1.0, -1.0)
    g = np.array([np.ravel(f(point["w_1"], point["w_2"], point["a_{10}"], point["b"], xv)) for xv in xs])
    sv = np.linalg.svd(np.cov(g.T), compute_uv=False)
    return [float(np.sum(sv > 1e-9 * sv[0]))]


@claim("ziyin.remark.noise-rank", "Sec. 5.3, remark after Proposition 4", "The gradient noise of Eq. (10) is not "
       "full-rank", about="algebra")
def remark_noise_rank():
    return Claim(
        statement=sp.Eq(RANK, 1),
        regime=Regime((Param(W1, -1, 1), Param(W2, -1, 1), Param(aa, 0.1, 2), Param(bb, 0.1, 2)),
                      (Sampling(sp.Abs(W1) >= sp.Rational(1, 10), "w_1 != 0 (at w_1 = 0 there is no noise)"),),
                      "Eq. (10), p(x) = (delta(x - 1) + delta(x + 1))/2, |w_i| <= 1"),
        symbols={"w_1": "first coordinate", "w_2": "second coordinate", "a_{10}": "a of Eq. (10)",
                 "b": "b of Eq. (10)"}, dynamics="the sampled gradient of Eq. (10)",
        observable="rank of the gradient-noise covariance",
        notes=["'Not full-rank' in d = 2 means rank <= 1; the rank is exactly 1 where w_1 != 0 (only the x b w_1^2 "
               "term is random), encoded as the equality, which implies the printed words."],
        checks=[SymbolicEquality("rank of the exact covariance Cov_x[grad L]", sp.Integer(noise_covariance().subs(
                    {W1: 1, W2: 0, aa: 1, bb: 1}).rank()), lambda c: c.formula),
                ExactComparison("4000 sampled gradients: numerical rank of their covariance", sampled_rank,
                                lambda p, f: [f(**p)], n_points=3)])


# --- Sec. 5.1, remark on d > 1, on a concrete 2-D loss -----------------------------------------------------------
L_EIG, L_C = sp.symbols("l l_c", real=True)
H_SCALES = (0.5, 1.5)            # directions at l = q l_c: one on each side of l_c (simulated)
H_NEAR = (0.98, 1.02)            # and close to it (exact law)
RUNS_D, T_D = 2000, 600


def critical_scale(lv: float, av: float) -> float:
    """The curvature h_c with mu(lambda h_c, a) = 0, lambda h_c < 1, for the loss (x/2)(h w^2): the root of the exact
    one-step mean E ln|1 - lambda h x| (found numerically, not from a formula)."""
    return optimize.brentq(lambda h: TwoPoint(lv * h, av).mu, 1e-9 / lv, (1 - 1e-9) / lv, xtol=1e-14)


def runs_2d(lv, av, hs, n, rng):
    """SGD (2) on (x/2)(h_1 w_1^2 + h_2 w_2^2), one x per step, from w_0 = (1, 1): |w_T| per coordinate."""
    h = np.asarray(hs, dtype=float)

    def step(w, rng):
        xs = two_point_curvatures(av, rng, (w.shape[0], 1))
        return w - lv * xs * h * w

    traj = run(step, np.ones((n, 2)), T_D, rng, save=(T_D,), blowup=1e300)
    return np.abs(np.nan_to_num(traj.saved[T_D], nan=np.inf))


class DirectionsAttracted(FormulaCheck):
    """The statement is the attraction criterion 'l <= l_c' for a Hessian eigenvalue l = a h/2 (signed) of the 2-D
    loss (x/2)(h_1 w_1^2 + h_2 w_2^2) with Prop. 2's x. l_c is the model's critical eigenvalue (where the exact
    mean log-step of the direction vanishes). (i) 2-D SGD runs with h_i = q h_c, q = 0.5 and 1.5: a direction is
    attracted when most runs end with |w_i| < 1e-3 (exact binomial test against 1/2); (ii) the exact law at
    q = 0.98 and 1.02 (mu < 0: attracted). The relation must say 'attracted' exactly when the model is. Self-test:
    the reversed relation."""

    kind, evidence, form = "montecarlo", "model", "classification"
    CASES = ((0.3, -1.0), (0.6, -0.5), (0.4, -2.0))

    def __init__(self, name: str):
        self.name = name

    def _observe(self, ctx, rng):
        rows = []
        for lv, av in self.CASES:
            hc = critical_scale(lv, av)
            lc = av * hc / 2
            ends = runs_2d(lv, av, [q * hc for q in H_SCALES], RUNS_D, rng)
            for j, q in enumerate(H_SCALES):
                k = int(np.sum(ends[:, j] < 1e-3))
                p = float(stats.binomtest(k, RUNS_D, 0.5).pvalue)
                ctx.counter.add(1)
                rows.append({"lambda": lv, "a": av, "l_c": lc, "l": q * lc, "source": "2-D SGD runs",
                             "fraction |w_i,T| < 1e-3": k / RUNS_D, "p_vs_half": p,
                             "attracted": (k > RUNS_D / 2) if p < ALPHA else None})
            for q in H_NEAR:
                mu_q = TwoPoint(lv * q * hc, av).mu
                rows.append({"lambda": lv, "a": av, "l_c": lc, "l": q * lc, "source": "exact law", "mu": mu_q,
                             "attracted": mu_q < 0})
        return rows

    @staticmethod
    def _judge(statement, rows):
        failure = None
        for r in rows:
            r = dict(r)
            r["relation_says_attracted"] = bool(statement.subs({L_EIG: r["l"], L_C: r["l_c"]}))
            if r["attracted"] is not None and r["relation_says_attracted"] != r["attracted"] and failure is None:
                failure = r
        return failure

    def _run(self, claim, ctx: RunContext):
        rows = self._observe(ctx, self.rng(claim, ctx))
        st = claim.statement
        failure = self._judge(st, rows)
        rev = {sp.StrictLessThan: sp.GreaterThan, sp.LessThan: sp.StrictGreaterThan,
               sp.StrictGreaterThan: sp.LessThan, sp.GreaterThan: sp.StrictLessThan}[type(st)]
        bad = self._judge(rev(st.lhs, st.rhs, evaluate=False), rows)
        undecided = [r for r in rows if r["attracted"] is None]
        return _passed(self.kind, self.name, "2-D SGD runs and the exact law per eigen-direction",
                       {"rows": rows, "seed": self.seed(claim, ctx)}, failure,
                       [f"undecided direction at {r}" for r in undecided],
                       [{"perturbation": "relation reversed", "rejected": bad is not None}])


@claim("ziyin.remark.ddim.lc", "Sec. 5.1, second remark after Proposition 2", "On a 2-D loss with diagonal Hessian, "
       "directions with eigenvalue l <= l_c(lambda) are attracted to 0 and those with l > l_c escape",
       uses=["ziyin.remark.ddim"])
def remark_ddim_lc():
    return Claim(
        statement=sp.LessThan(L_EIG, L_C),
        regime=Regime((), (), "lambda h_i < 1, Prop. 2's x shared by the directions"),
        symbols={"l": "Hessian eigenvalue a h/2 of a direction", "l_c": "critical eigenvalue l_c(lambda)"},
        dynamics="SGD (2) on (x/2)(h_1 w_1^2 + h_2 w_2^2), x = 1 or a - 1 (one draw per step)",
        observable="which eigen-directions are attracted to 0",
        notes=["The concrete model: one data point x per step, as in SGD with batch size 1, scales every direction's "
               "curvature (H = (a/2) diag(h_1, h_2)); direction i multiplies w_i by 1 - lambda h_i x. Here l_c < 0 "
               "and the more negative eigenvalues are attracted (signed reading); in ziyin.remark.ddim each direction "
               "has its own noise of fixed size and the magnitude reading holds instead: which eigenvalues are "
               "attracted depends on how the noise scales with the curvature. When l_c exceeds both eigenvalues "
               "both directions are attracted (the rows with q = 1.5 at two cases)."],
        checks=[DirectionsAttracted("2-D SGD runs and the exact law at l = q l_c")])
