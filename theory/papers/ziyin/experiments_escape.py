"""`ziyin`, the experiments on escape: Figure 1 (Sec. 6.1), Figure 2 left (phase diagram) and right (escape rate,
Sec. 6.2), Figure 7 (additive noise, App. C.4) and App. A.1 (the phase line of the fourth-order loss).

The figures are histograms and heat maps whose binning is not printed; each claim states the quantitative reading
it encodes. Runs follow the printed settings (lambda = 0.8, a = -1, w_0 ~ U[-1, 1], 2000 runs) where the paper
gives them; exact laws are used wherever the quadratic loss allows.
"""
from __future__ import annotations

import math

import numpy as np
import sympy as sp
from scipy import stats

from checks import ExactComparison, MonteCarloMean, Sample, SymbolicEquality
from checks.curves import Curve
from checks.stats import ALPHA
from theory import Claim, Param, Regime, claim

from . import models as zm
from .experiment_checks import BinomialTest, BoundaryAtHalf, ByReading, ExactLimit, StationaryNotDelta
from .models import SYMBOLS, TwoPoint, a, eps, lam, t

FIG_LAM, FIG_A, FIG_RUNS = 0.8, -1.0, 2000            # Sec. 6.1
P_BALL = sp.Symbol(r"P(|w_t|<\epsilon)")
EPS_REGIME = Regime((Param(eps, 1e-4, 1e-2, log=True, doc="radius of the ball around w = 0"),), (),
                    "lambda = 0.8, a = -1, w_0 ~ U[-1, 1] (Sec. 6.1)")
DYN = "SGD (2) on L = x w^2/2, x = 1 or a - 1 with probability 1/2 each, w_0 ~ U[-1, 1]"


# --- Figure 1 (left) -------------------------------------------------------------------------------------------
def inside_uniform_start(T: int, epsilon: float) -> float:
    """Exact P(|w_T| < epsilon) with |w_0| ~ U(0, 1): sum_k P(k) min(1, epsilon e^-(ln|w_T/w_0|))."""
    m = TwoPoint(FIG_LAM, FIG_A)
    k = np.arange(T + 1)
    logs = k * m.l1 + (T - k) * m.l2
    return float(np.sum(stats.binom.pmf(k, T, 0.5) * np.exp(np.minimum(0.0, math.log(epsilon) - logs))))


def horizon_uniform_start(epsilon: float, n: int) -> int:
    """|w_0| <= 1, so a miss needs ln|w_T/w_0| >= ln epsilon: Hoeffding's bound <= ALPHA/(10 n) at this T."""
    return TwoPoint(FIG_LAM, FIG_A).horizon(math.log(epsilon), ALPHA / (10 * n))


def fig1_runs(point, n, rng):
    T = horizon_uniform_start(point["epsilon"], n)
    logs = zm.sgd_log(FIG_LAM, FIG_A, T, n, rng, log_start=np.log(np.abs(rng.uniform(-1, 1, n))))[T]
    return Sample((logs < math.log(point["epsilon"]))[:, None].astype(float), [f"|w_T| < epsilon, T = {T}"])


def fig1_tolerance(point) -> float:
    T = horizon_uniform_start(point["epsilon"], FIG_RUNS)
    return TwoPoint(FIG_LAM, FIG_A).hoeffding(T, math.log(point["epsilon"]))


def fig1_table(point, rng):
    steps = [1, 2, 5, 10, 20, 50, 100, 200, 400]
    logs = zm.sgd_log(FIG_LAM, FIG_A, steps[-1], FIG_RUNS, rng, log_start=np.log(np.abs(rng.uniform(-1, 1, FIG_RUNS))),
                      record=tuple(steps))
    frac = [float((logs[s_] < math.log(point["epsilon"])).mean()) for s_ in steps]
    return ({"t": steps, "exact": [inside_uniform_start(s_, point["epsilon"]) for s_ in steps],
             "2000 SGD runs": frac, "2000 SGD runs_se": [math.sqrt(f * (1 - f) / FIG_RUNS) for f in frac]},
            {"exact": "exact", "2000 SGD runs": "simulated"})


@claim("ziyin.fig1", "Figure 1 (left), Sec. 6.1", "lambda = 0.8, a = -1: the distribution of w converges to the "
       "local maximum w = 0", uses=["ziyin.prop2.corrected"],
       quantified="'the distribution converges to w = 0' read as lim_t P(|w_t| < epsilon) = 1 for every epsilon > 0")
def fig1():
    c = Claim(
        statement=sp.Eq(sp.Limit(P_BALL, t, sp.oo), 1), regime=EPS_REGIME, symbols=SYMBOLS, dynamics=DYN,
        observable="fraction of runs within epsilon of w = 0",
        checks=[ExactLimit("exact law averaged over w_0: P(|w_t| < epsilon) -> the statement's limit",
                           lambda c, e, rng: [{"point": p, "ladder": [25, 50, 100, 200, 400, 800],
                                               "exact": lambda T, p=p: inside_uniform_start(T, p["epsilon"]),
                                               "claimed": lambda T: float(e)} for p in c.regime.sample(rng, 3)]),
                BinomialTest(f"{FIG_RUNS} SGD runs (the paper's count) at the horizon where 0 misses are allowed",
                             fig1_runs, lambda c, e, p: [float(e)], tolerance=fig1_tolerance, n_paths=FIG_RUNS)])
    c.curves = [Curve("Figure 1 (left): fraction of runs within 1e-3 of the local maximum", "t", {"epsilon": 1e-3},
                      fig1_table, ylabel="P(|w_t| < 1e-3)", log=False)]
    return c


# --- Figure 1 (right): the fourth-order loss ------------------------------------------------------------------
W = sp.Symbol("w", real=True)
QUARTIC = zm.two_point(zm.x * W ** 2 / 2 + W ** 4 / 4)            # Sec. 6.1's loss, averaged over p(x)
QUARTIC_T = 1000


def quartic_sample(bounded_only: bool):
    def simulate(point, n, rng):
        w, escaped, radius = zm.quartic_runs(FIG_LAM, FIG_A, QUARTIC_T, n, rng)
        inside = (~escaped) & (np.abs(np.nan_to_num(w, nan=np.inf)) < point["epsilon"])
        keep = ~escaped if bounded_only else np.ones(n, dtype=bool)
        return Sample(inside[keep][:, None].astype(float), ["|w_T| < epsilon" + (" (bounded runs)" if bounded_only
                                                                                 else " (all runs)")],
                      info={"escaped_fraction": [float(escaped.mean())], "escape_radius": [radius]})
    return simulate


def quartic_check(bounded_only: bool) -> BinomialTest:
    label = "runs that stay bounded" if bounded_only else "all runs (a run past |w| = R diverges)"
    return BinomialTest(f"{FIG_RUNS} runs x {QUARTIC_T} steps, {label}", quartic_sample(bounded_only),
                        lambda c, e, p: [float(e)], tolerance=lambda p: ALPHA / (10 * FIG_RUNS), n_points=1,
                        n_paths=FIG_RUNS)


def _fig1_right(checks) -> Claim:
    return Claim(statement=sp.Eq(sp.Limit(P_BALL, t, sp.oo), 1), regime=EPS_REGIME, symbols=SYMBOLS,
                 dynamics="SGD (2) on x w^2/2 + w^4/4 (Sec. 6.1), lambda = 0.8, a = -1, w_0 ~ U[-1, 1]",
                 observable=f"fraction of runs within epsilon of w = 0 after {QUARTIC_T} steps", checks=checks,
                 notes=[f"A run with |w| >= R, lambda R^2 = 3 - lambda (a - 1), is multiplied by at least 2 at every "
                        f"step, so it diverges; such runs are stopped and counted. The tolerance ALPHA/(10 x "
                        f"{FIG_RUNS}) is what a probability-1 claim allows at the false-alarm level: 0 misses."])


@claim("ziyin.fig1.right", "Figure 1 (right), Sec. 6.1", "On x w^2/2 + w^4/4 the distribution of w also concentrates "
       "at the local maximum; no w converges to the two local minima")
def fig1_right():
    return _fig1_right([ByReading("quartic runs under each reading", {"all runs": quartic_check(False),
                                                                      "bounded runs": quartic_check(True)})])


@claim("ziyin.fig1.right.all-runs", "Figure 1 (right), Sec. 6.1", "Every run converges to w = 0",
       reading_of="ziyin.fig1.right", reading="the distribution of all runs concentrates at w = 0")
def fig1_right_all():
    return _fig1_right([quartic_check(False)])


@claim("ziyin.fig1.right.bounded-runs", "Figure 1 (right), Sec. 6.1", "Every run that stays bounded converges to 0",
       reading_of="ziyin.fig1.right", reading="the histogram's runs, those that stay finite, concentrate at w = 0")
def fig1_right_bounded():
    return _fig1_right([quartic_check(True)])


def _minima(points) -> Claim:
    grad, curv = sp.diff(QUARTIC, W), sp.diff(QUARTIC, W, 2)
    g = sp.lambdify((W, a), grad)

    def gd_limit(p):
        out = []
        for start in (0.5, -0.5):                    # gradient descent on the expected loss, small steps
            w = start
            for _ in range(20_000):
                w -= 0.01 * g(w, p["a"])
            out.append(w)
        return out
    return Claim(statement=sp.Eq(sp.Matrix(sp.symbols("w_+ w_-")), points),
                 regime=Regime((Param(a, -4.0, -0.1, doc="a < 0"),), (), "E[x] = a/2 (Sec. 6.1's p(x))"),
                 symbols=SYMBOLS, about="algebra", dynamics="the expected loss a w^2/4 + w^4/4",
                 observable="its local minima",
                 checks=[SymbolicEquality("the gradient of the expected loss vanishes there",
                                          lambda c: c.formula.applyfunc(lambda v: grad.subs(W, v)), sp.zeros(2, 1)),
                         SymbolicEquality("the curvature is positive there (sign)",
                                          lambda c: c.formula.applyfunc(lambda v: sp.sign(curv.subs(W, v))),
                                          sp.ones(2, 1)),
                         ExactComparison("gradient descent on the expected loss from w = 0.5 and -0.5", gd_limit,
                                         lambda p, f: np.real_if_close(np.ravel(f(**p))).astype(float), rtol=1e-6,
                                         n_points=4)])


@claim("ziyin.fig1.right.minima", "Sec. 6.1", "The expected loss of x w^2/2 + w^4/4 has local minima at w = +-sqrt(a)",
       about="algebra")
def fig1_right_minima():
    return _minima(sp.Matrix([sp.sqrt(a), -sp.sqrt(a)]))


@claim("ziyin.fig1.right.minima.corrected", "Sec. 6.1, corrected", "The local minima are at w = +-sqrt(-a/2) "
       "(E[x] = a/2)", corrects="ziyin.fig1.right.minima", about="algebra")
def fig1_right_minima_corrected():
    return _minima(sp.Matrix([sp.sqrt(-a / 2), -sp.sqrt(-a / 2)]))


# --- Figure 2 (left): the phase boundary --------------------------------------------------------------------------
def escape_runs(lam_v, a_v, T, n, rng):
    return zm.sgd_log(lam_v, a_v, T, n, rng)[T] > 0


@claim("ziyin.fig2.left", "Figure 2 (left), Sec. 6.1", "The empirical phase transition line is Eq. (8)",
       uses=["ziyin.prop2.corrected"],
       quantified="'the orange line agrees exactly with the empirical phase transition line' read as: on the printed "
                  "curve the escape fraction P(|w_T| > |w_0|) at odd T = 101 is 1/2, the level where the absorbing and "
                  "active phases meet; a curve moved by 5% must be rejected")
def fig2_left():
    return Claim(statement=sp.Eq(sp.Matrix(sp.symbols(r"\lambda_{-}^{emp} \lambda_{+}^{emp}")),
                                 sp.Matrix([zm.LOWER8, zm.UPPER8])),
                 regime=Regime((Param(a, -4.0, -0.1),), (), "a < 0, T = 101"), symbols=SYMBOLS, dynamics=DYN,
                 observable="escape fraction P(|w_T| > |w_0|) on the printed boundary",
                 checks=[BoundaryAtHalf("exact law on both branches", (-0.25, -0.5, -1.0, -2.0, -4.0)),
                         BoundaryAtHalf("4000 SGD runs on both branches", (-0.5, -1.0, -2.0, -4.0), mode="simulate",
                                        simulate=escape_runs)])


# --- Figure 2 (right) and Sec. 6.2 ----------------------------------------------------------------------------
def fig2_right_table(point, rng):
    lams = np.round(np.linspace(0.05, 0.95, 19), 3)
    cols, kinds = {"lambda": lams.tolist()}, {}
    for a_v in (-0.25, -1.0, -4.0):
        est = [zm.sgd_log(float(lv), a_v, 50, FIG_RUNS, rng)[50] / 50 for lv in lams]
        cols[f"(82), a = {a_v:g}"] = [float(zm.MU82.subs({lam: float(lv), a: a_v})) for lv in lams]
        cols[f"simulated, a = {a_v:g}"] = [float(e.mean()) for e in est]
        cols[f"simulated, a = {a_v:g}_se"] = [float(e.std(ddof=1) / math.sqrt(e.size)) for e in est]
        kinds[f"(82), a = {a_v:g}"], kinds[f"simulated, a = {a_v:g}"] = "formula", "simulated"
    return cols, kinds


@claim("ziyin.fig2.right", "Figure 2 (right), Sec. 6.2", "The escape rate estimated over 50 steps peaks at gamma*(a), "
       "which decreases toward 0 as |a| -> 0", uses=["ziyin.prop3.below-one"],
       quantified="the best escape rate read as Eq. (9)'s estimator over the first 50 steps at the best lambda < 1; "
                  "'decreases towards 0' as gamma*(a) -> 0 as a -> 0-")
def fig2_right():
    c = Claim(statement=sp.Eq(sp.Symbol(r"\gamma^{*}(a)"), zm.GAMMA_STAR),
              regime=Regime((Param(a, -0.95, -0.05, doc="a < 0, small |a|"),), (), "lambda < 1, tau = 50"),
              symbols=SYMBOLS,
              dynamics=DYN, observable="Eq. (9)'s estimator at the best learning rate",
              checks=[SymbolicEquality("gamma*(a) -> 0 as a -> 0-", lambda c: sp.limit(c.formula, a, 0, "-"),
                                       sp.S.Zero),
                      MonteCarloMean("20,000 runs x 50 steps at the exact law's best lambda", zm.estimator_at_best,
                                     lambda p, f: [f(**p)], n_points=4, n_paths=20_000)])
    c.curves = [Curve("Figure 2 (right): escape rate against the learning rate", "lambda", {"tau": 50},
                      fig2_right_table, "Estimator (9) over the first 50 steps of 2000 runs (Sec. 6.2).",
                      ylabel="escape rate gamma", log=False)]
    return c


# --- Figure 7: additive noise -------------------------------------------------------------------------------------
SIGMA7 = 0.1


def fig7_runs(steps, n, rng):
    return zm.additive_runs(FIG_LAM, FIG_A, SIGMA7, steps, n, rng)


@claim("ziyin.fig7", "Figure 7, App. C.4", "With additive noise sigma = 0.1 (else as Figure 1) a stationary "
       "distribution exists and is not a delta at 0",
       quantified="'exists' read as: the law of |w| at T = 1000 and 2000 agree (two-sample KS); 'not a delta' as "
                  "P(|w| < 1e-3) < 1 in the stationary law")
def fig7():
    return Claim(statement=sp.StrictLessThan(sp.Symbol(r"P_{stat}(|w|<10^{-3})"), 1),
                 regime=Regime((), (), "lambda = 0.8, a = -1, sigma = 0.1, w_0 ~ U[-1, 1], 2000 runs"),
                 symbols=SYMBOLS, dynamics="SGD with gradient x w + sigma xi, xi ~ N(0, 1)",
                 observable="the law of |w| at T and 2T, and its mass within 1e-3 of 0",
                 notes=["The additive noise is read as sigma xi added to each sampled gradient."],
                 checks=[StationaryNotDelta("2000 runs at T = 1000 and 2000", fig7_runs)])


# --- App. A.1: the fourth-order loss ------------------------------------------------------------------------------
QUARTIC_START = 1e-6


def quartic_escapes(lam_v, a_v, T, n, rng):
    w, escaped, _ = zm.quartic_runs(lam_v, a_v, T, n, rng, w_start=QUARTIC_START)
    return escaped | (np.abs(np.nan_to_num(w, nan=np.inf)) > QUARTIC_START)


def phase_table(point, rng):
    lams = np.round(np.linspace(0.05, 1.45, 29), 3)[np.round(np.linspace(0.05, 1.45, 29), 3) != 1.0]
    exact = [TwoPoint(float(lv), point["a"]).cdf(101, 0.0)[1] for lv in lams]
    quart = [float(quartic_escapes(float(lv), point["a"], 101, 2000, rng).mean()) for lv in lams]
    lo, hi = (float(e.subs(a, point["a"])) for e in (zm.LOWER8, zm.UPPER8))
    inside = [float(lo <= lv <= hi) for lv in lams]
    return ({"lambda": lams.tolist(), "Eq. (8): 1 = absorbing": inside, "quadratic: exact escape": exact,
             "quartic: simulated escape": quart},
            {"Eq. (8): 1 = absorbing": "formula", "quadratic: exact escape": "exact",
             "quartic: simulated escape": "simulated"})


@claim("ziyin.appa1", "App. A.1, Figure 5", "For small lambda the quadratic phase line a/(a - 1) also gives the "
       "phase transition of the fourth-order loss", uses=["ziyin.fig2.left"],
       quantified="the escape fraction P(|w_T| > |w_0|) of SGD on x w^2/2 + w^4/4 from |w_0| = 1e-6 at odd "
                  "T = 1001 is 1/2 on lambda = a/(a - 1) for a = -0.2 and -0.4 (lambda <= 0.29); 5% off is rejected")
def appa1():
    c = Claim(statement=sp.Eq(sp.Symbol(r"\lambda_{b}^{(4)}"), zm.LOWER8),
              regime=Regime((Param(a, -0.4, -0.2),), (), "small lambda"), symbols=SYMBOLS,
              dynamics="SGD (2) on x w^2/2 + w^4/4, two-point x", observable="escape fraction on the printed line",
              checks=[BoundaryAtHalf("4000 runs of the fourth-order loss", (-0.2, -0.4), T=1001, mode="simulate",
                                     simulate=quartic_escapes)])
    c.curves = [Curve("Phase diagram at a = -1: escape against lambda, quadratic (exact) and quartic", "lambda",
                      {"a": -1.0}, phase_table, "Escape: |w_101| > |w_0|, quartic from w_0 = 1e-6, 2000 runs.",
                      ylabel="escape fraction", log=False)]
    return c


# --- the loss of Figure 1 (right) ---------------------------------------------------------------------------------
LOSS_CAPTION = zm.x * W ** 2 / 2 + W ** 4                        # Figure 1's caption
LOSS_SEC61 = zm.x * W ** 2 / 2 + W ** 4 / 4                      # Sec. 6.1, the text of the same experiment


def _loss_claim(loss) -> Claim:
    return Claim(statement=sp.Eq(sp.Symbol(r"\hat{L}_{Fig. 1 right}"), loss),
                 regime=Regime((Param(zm.x, -3.0, 1.0), Param(W, -2.0, 2.0)), (), "the sampled loss"),
                 symbols={"x": "data point", "w": "parameter"}, about="text", dynamics="-",
                 observable="the loss of the fourth-order experiment",
                 notes=["Which loss the runs used is not known; Sec. 6.1 describes the experiment in full, so its loss "
                        "is taken as the reference. Both losses concentrate the bounded runs at w = 0; with w^4 more "
                        "runs diverge (about 52% against 35% at lambda = 0.8, a = -1)."],
                 checks=[SymbolicEquality("the loss Sec. 6.1 gives for Figure 1 (right)", LOSS_SEC61,
                                          lambda c: c.formula)])


@claim("ziyin.fig1.right.loss", "Figure 1 (right), caption", "The fourth-order loss is x w^2/2 + w^4")
def fig1_right_loss():
    return _loss_claim(LOSS_CAPTION)


@claim("ziyin.fig1.right.loss.corrected", "Figure 1 (right), caption, corrected", "The fourth-order loss is "
       "x w^2/2 + w^4/4, as Sec. 6.1 says", corrects="ziyin.fig1.right.loss")
def fig1_right_loss_corrected():
    return _loss_claim(LOSS_SEC61)
