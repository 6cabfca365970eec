"""`zhou`, Sec. 4.1: preference to flat minima (Definition 2 and the paragraph after it).

Read through Theorem 1 with m(W) = (alpha/2) nu(W) (R-m): E Gamma = 1/nu(W/eps). Basins are quadratic, started at the
centre; escape times come from the Euler scheme of (4) (models.quadratic_exits).
"""
from __future__ import annotations

import numpy as np
import sympy as sp

from checks import ExactComparison
from checks.tails import ExitRatio, RelationCheck
from theory import Claim, Param, Regime, claim

from . import models as zm
from .models import SYMBOLS, alpha

b1_, b2_ = sp.symbols("b_1 b_2", positive=True)
RATIO = sp.Symbol(r"\mathbb{E}\Gamma(\Omega_2) / \mathbb{E}\Gamma(\Omega_1)")
NESTED_REGIME = Regime((Param(alpha, 1.3, 1.7), Param(b1_, 1.0, 1.0), Param(b2_, 1.3, 1.8)), (),
                       "nested 1-D basins (-b_1, b_1) inside (-b_2, b_2), F = x^2/2, eps = 0.1, Euler h = 0.2")


def nested_pair(p, n, rng):
    a = p["alpha"]
    return [zm.quadratic_exits(a, 0.1, 0.2, [[1.0]], w * w, 1.0, n, rng) for w in (p["b_2"], p["b_1"])]


@claim("zhou.sec41.flat", "Sec. 4.1, Definition 2 and the paragraph after it",
       "A larger basin has a smaller m(W) and a larger escaping time: SGD and ADAM stay longer at 'flat' minima")
def flat():
    return Claim(
        statement=sp.Eq(RATIO, (b2_ / b1_) ** alpha), regime=NESTED_REGIME, symbols={**SYMBOLS, "b_1": "smaller basin",
                                                                                     "b_2": "larger basin"},
        quantified="for nested basins Omega_1 in Omega_2 (half-widths b_1 < b_2) the mean exit times are in the ratio "
        "m(W_1)/m(W_2) of Theorem 1 (R-m): (b_2/b_1)^alpha > 1",
        dynamics=zm.DYN4, observable="ratio of mean exit times",
        notes=["Definition 2 (a minimum is flat if its basin has a large non-zero Radon measure) is a definition; this "
               "is "
               "its consequence for nested basins, where W_2 is inside W_1. For basins that are not nested, volume "
               "does "
               "not decide: zhou.sec41.volume."],
        checks=[ExactComparison("ratio of the Levy measures of the escaping sets", lambda p: zm.nu_interval(
                    p["alpha"], p["b_1"], p["b_1"]) / zm.nu_interval(p["alpha"], p["b_2"], p["b_2"]),
                    lambda p, f: f(**p), n_points=6, rtol=1e-10),
                ExitRatio("simulated exit times (larger over smaller basin)", nested_pair, lambda p, f: f(**p),
                          at=[{"alpha": 1.5, "b_1": 1.0, "b_2": 1.6}], n_paths=1000)])


m_Wc = sp.Symbol(r"m(\mathcal{W}^c)")
M_BOUND = sp.Symbol("M", positive=True)


def complement_values(claim, statement, point):
    """m(W^c) for R-m: (alpha/2) int_{|y|<1} c_alpha |y|^(-1-alpha) dy (both sides of 0), by SymPy."""
    y = sp.Symbol("y", positive=True)
    density = (alpha / 2 * zm.C_ALPHA * y ** (-1 - alpha)).subs(alpha, point["alpha"])
    return float(2 * sp.integrate(density, (y, 0, 1))), float(statement.rhs.subs(M_BOUND, point["M"])), {}


@claim("zhou.sec41.complement", "Sec. 4.1, paragraph after Definition 2", "the Radon measure on W^c union W is a "
       "constant, so the larger m(W^c) the smaller m(W)", about="algebra")
def complement():
    return Claim(
        statement=sp.Lt(m_Wc, M_BOUND), regime=Regime((Param(alpha, 1.1, 1.9), Param(M_BOUND, 1.0, 1e6, log=True))),
        symbols={**SYMBOLS, "M": "a finite bound"},
        quantified="'m(W^c union W) is a constant' needs m(W^c) finite (then m(W) = constant - m(W^c))",
        notes=["For the measure Theorem 1 needs (R-m: (alpha/2) nu, nu = c_alpha |y|^(-1-alpha) dy) W^c = {|y| < 1} "
               "(the "
               "1-D basin (-1, 1)) contains a neighbourhood of 0, where nu has infinite mass; for Lebesgue measure W "
               "has "
               "infinite measure instead. Either way the sum is infinite and the trade-off does not follow. For nested "
               "basins the conclusion itself holds (W_2 in W_1): zhou.sec41.flat."],
        checks=[RelationCheck("m(W^c) for R-m: (alpha/2) int_{|y|<1} c_alpha |y|^(-1-alpha) dy (SymPy)",
                              complement_values,
                              lambda c, rng: [{"alpha": 1.2, "M": 1e6}, {"alpha": 1.5, "M": 1e3},
                                              {"alpha": 1.8, "M": 10}],
                              evidence="derivation")])


ax = sp.Symbol("a", positive=True)
RATIO_EQ = sp.Symbol(r"\mathbb{E}\Gamma_{ellipse} / \mathbb{E}\Gamma_{disc}")
VOL_REGIME = Regime((Param(alpha, 1.5, 1.5), Param(ax, 4.0, 4.0)), (),
                    "2-D: the unit disc and the ellipse with semi-axes a, 1/a (the same area pi), Sigma = I, eps = "
                    "0.1, "
                    "Euler h = 0.05")


def area_pair(p, n, rng):
    a_ = p["a"]
    ellipse = zm.quadratic_exits(p["alpha"], 0.1, 0.05, np.diag([1 / a_ ** 2, a_ ** 2]), 1.0, 1.0, n, rng)
    disc = zm.quadratic_exits(p["alpha"], 0.1, 0.05, np.eye(2), 1.0, 1.0, n, rng)
    return ellipse, disc


def _volume_claim(rhs):
    return Claim(
        statement=sp.Eq(RATIO_EQ, rhs), regime=VOL_REGIME, symbols={**SYMBOLS, "a": "semi-axis of the ellipse"},
        dynamics=zm.DYN4 + " in 2-D (independent SaS coordinates)", observable="ratio of mean exit times",
        checks=[ExactComparison("ratio of the Levy measures nu(W_disc)/nu(W_ellipse)", lambda p: zm.nu_escape(
                    p["alpha"], np.eye(2), 1.0) / zm.nu_escape(p["alpha"], np.diag([1 / p["a"] ** 2, p["a"] ** 2]),
                                                               1.0),
                    lambda p, f: f(**p), n_points=1, rtol=1e-10),
                ExitRatio("simulated exit times (ellipse over disc)", area_pair, lambda p, f: f(**p),
                          at=[{"alpha": 1.5, "a": 4.0}], n_paths=1000)])


@claim("zhou.sec41.volume", "Sec. 4.1, paragraph after Definition 2", "m(W) depends negatively on the volume of Omega: "
       "the volume of the basin determines the jump size needed to escape")
def volume():
    c = _volume_claim(sp.S.One)
    c.quantified = ("read as: basins of the same volume have the same m(W), hence (Theorem 1) the same mean exit time; "
                    "tested on a disc and an ellipse of equal area")
    c.notes = ["Under independent SaS coordinates the escape rate is sum_i (2 c_alpha/alpha) R_i^-alpha over the axis "
               "reaches R_i: the narrowest direction dominates, so an elongated basin of the same area escapes about "
               "(a^alpha + a^-alpha)/2 times faster. This also bears on 'asymmetric valleys' (levy-rebuttal.remark."
               "asymmetric)."]
    return c


@claim("zhou.sec41.volume.corrected", "Sec. 4.1, corrected", "the mean exit times are in the ratio of the Levy "
                                                             "measures "
       "of the escaping sets, nu(W_disc)/nu(W_ellipse) = 2/(a^alpha + a^-alpha)", corrects="zhou.sec41.volume")
def volume_corrected():
    return _volume_claim(2 / (ax ** alpha + ax ** -alpha))
