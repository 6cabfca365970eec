"""`zhou`, Sec. 5 and the figure captions: measurements on deep networks (not checkable here) and toy analogues that
test the mechanism the paper offers for them on small models.
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from checks import ExactComparison, NotCheckable
from checks import heavytail as ht
from checks.dynamics.levy import MinOfParabolas, NoisyGradient, SasNoise, discrete, exit_times
from checks.stats import ALPHA
from checks.tails import RelationCheck, sides
from theory import Claim, Condition, Param, Regime, claim

from . import models as zm
from .models import SYMBOLS, beta1, beta2

FIG = sp.Symbol(r"\text{figure}")


@claim("zhou.fig1", "Fig. 1 caption; Sec. 5, 'Heavy Tails of Gradient Noise'", "the gradient noise of SGD and ADAM on "
       "AlexNet/CIFAR-10 is heavy-tailed, well described by SaS, and SGD's tails are heavier than ADAM's")
def fig1():
    return Claim(statement=sp.Eq(FIG, 0), regime=Regime(()), symbols=SYMBOLS,
                 checks=[NotCheckable("deep-network measurement", "tail indices estimated on AlexNet trained on "
                                                                  "CIFAR-10 "
                                      "(the figure is not in the text). Toy analogue of the mechanism: the average of "
                                      "SaS "
                                      "noise keeps its tail index (zhou.sec42.ema), while ADAM's update is bounded "
                                      "(zhou.fig1.toy).")])


STEP = sp.Symbol(r"\sup_t |\theta_{t+1} - \theta_t| / \eta")
BOUND = (1 - beta1) / sp.sqrt(1 - beta2) / sp.sqrt(1 - beta1 ** 2 / beta2)


def adam_steps(claim, rng):
    """ADAM (3) (eps = 1e-8 outside the root) and SGD on F = x^2/2 with SaS(1.5) gradient noise, eta = 1e-3, 200 runs x
    2000 steps: the largest |step|/eta of each algorithm."""
    def run(r):
        out = {}
        for kind in ("adam", "sgd"):
            opt, noise = discrete(kind, 1e-3), SasNoise(1.5, 1)
            x, worst = np.zeros((200, 1)), 0.0
            for _ in range(2000):
                nxt = opt.step(x, x - noise(200, r))
                worst = max(worst, float(np.max(np.abs(nxt - x))) / 1e-3)
                x = nxt
            out[kind] = worst
        return out
    res = zm.memo_by_rng("adam steps", run, rng)
    return [{"beta_1": 0.9, "beta_2": 0.999, "adam_max": res["adam"], "sgd_max": res["sgd"]}]


def extremal_ratio(p) -> float:
    """The Cauchy-Schwarz equality case: m_t = (1 - b1) sum_j b1^j g_(t-j), v_t = (1 - b2) sum_j b2^j g_(t-j)^2 with
    g_(t-j) = (b1/b2)^j."""
    b1, b2 = p["beta_1"], p["beta_2"]
    j = np.arange(4000)
    g = (b1 / b2) ** j
    m, v = (1 - b1) * np.sum(b1 ** j * g), (1 - b2) * np.sum(b2 ** j * g * g)
    return float(m / np.sqrt(v))


@claim("zhou.fig1.toy", "Fig. 1 and Sec. 4.2 (toy analogue)", "ADAM's update has lighter tails than SGD's: with SaS "
       "gradient noise its steps are bounded, |theta_{t+1} - theta_t| <= eta (1 - beta1)/sqrt(1 - beta2)/sqrt(1 - "
       "beta1^2/beta2)")
def fig1_toy():
    return Claim(
        statement=sp.Le(STEP, BOUND), regime=Regime((Param(beta1, 0.5, 0.95), Param(beta2, 0.95, 0.9999)),
                                                    (Condition(beta1 ** 2 < beta2,
                                                               "beta1^2 < beta2"),)), symbols=SYMBOLS,
        dynamics="ADAM (3) with SaS(1.5) gradient noise on F = x^2/2, eta = 1e-3, defaults beta1 = 0.9, beta2 = 0.999",
        observable="largest step / eta over 200 x 2000 steps (SGD's in the evidence: unbounded)",
        notes=["Cauchy-Schwarz: |m_t| <= (1 - beta1) sqrt(v_t/(1 - beta2)) / sqrt(1 - beta1^2/beta2), and the bias "
               "corrections only shrink the ratio; so every ADAM step is at most 7.3 eta however heavy the noise. "
               "This, "
               "not the averaging, is what removes ADAM's jumps."],
        checks=[ExactComparison("the bound is attained: |m|/sqrt(v) for the extremal gradients g_(t-j) = "
                                "(beta1/beta2)^j "
                                "(t = 4000, no bias correction)", extremal_ratio, lambda p, f: f(**p), n_points=6,
                                rtol=1e-8),
                RelationCheck("largest ADAM step against the bound", lambda c, st, p: sides(
                    st, {STEP: p["adam_max"], beta1: p["beta_1"], beta2: p["beta_2"]}), adam_steps, kind="exact")])


@claim("zhou.fig3", "Fig. 3 caption; Sec. 5, 'Escaping Behaviors'", "on MNIST/CIFAR-10 fully connected networks SGD's "
       "alpha drops and it jumps over a barrier to another basin early in training; ADAM does not")
def fig3():
    return Claim(statement=sp.Eq(FIG, 0), regime=Regime(()), symbols=SYMBOLS,
                 checks=[NotCheckable("deep-network measurement", "nine- and seven-layer fully connected networks on "
                                      "MNIST and CIFAR-10 (the figure is not in the text). Toy analogue: "
                                      "zhou.fig3.toy.")])


DIFF = sp.Symbol(r"P_{SGD} - P_{ADAM}")


def sharp_basin_points(claim, rng):
    """Fraction of runs that leave the sharp basin x = 1 of f = min(x^2, 100 (x - 1)^2) (cross its barrier toward the
    wide basin at 0) within 2000 steps, SGD and ADAM (3) with SaS(1.5) gradient noise, learning rate 0.01 each, 1000
    runs; the lower confidence limit of the difference (exact Clopper-Pearson limits at ALPHA/2 each)."""
    def run(r):
        fr = {}
        for kind in ("sgd", "adam"):
            f = MinOfParabolas(100.0)
            e = exit_times(NoisyGradient(discrete(kind, 0.01), f.grad, SasNoise(1.5, 1)), [1.0], f.in_attraction, 1000,
                           2000, r)
            fr[kind] = int(e.exited.sum())
        return fr
    k = zm.memo_by_rng("sharp basin", run, rng)
    (lo_s, hi_s), (lo_a, hi_a) = (ht.clopper_pearson(k[a], 1000, ALPHA / 2) for a in ("sgd", "adam"))
    return [{"sgd_left": k["sgd"] / 1000, "adam_left": k["adam"] / 1000, "lower": lo_s - hi_a, "upper": hi_s - lo_a}]


@claim("zhou.fig3.toy", "Fig. 3, Sec. 5 (toy analogue)", "SGD jumps out of a sharp basin to a wide one; ADAM does not")
def fig3_toy():
    return Claim(
        statement=sp.Gt(DIFF, sp.Rational(1, 2)), regime=Regime(()), symbols=SYMBOLS,
        quantified="the fraction of runs leaving the sharp basin within 2000 steps exceeds ADAM's by more than 1/2",
        dynamics="SGD (2) and ADAM (3) with SaS(1.5) gradient noise on f = min(x^2, 100 (x - 1)^2), from x = 1",
        observable="fractions of runs that cross the barrier within 2000 steps",
        notes=["The mechanism here is ADAM's bounded step (zhou.fig1.toy), not the paper's Radon-measure argument."],
        checks=[RelationCheck("lower confidence limit of the difference of the fractions", lambda c, st, p: sides(
            st, {DIFF: (p["lower"], p["upper"])}), sharp_basin_points, kind="montecarlo")])


@claim("zhou.sec5.gen", "Sec. 5, 'Escaping Behaviors', first paragraph", "SGD usually generalizes better than "
                                                                         "ADAM-alike "
       "adaptive algorithms on these networks")
def sec5_gen():
    return Claim(statement=sp.Eq(FIG, 0), regime=Regime(()), symbols=SYMBOLS,
                 checks=[NotCheckable("empirical generalization", "test accuracy of trained deep networks; "
                                                                  "generalization "
                                      "has no counterpart in the small models here, so no toy analogue tests the "
                                      "paper's "
                                      "mechanism for it")])
