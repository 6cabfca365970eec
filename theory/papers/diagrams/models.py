"""Landscapes the checks run on, and their exact eta-series (computed on first use, then cached).

- GEN: the generic 1-D polynomial model l_x = A th + H th^2/2 + J th^3/6 + Q th^4/24 + x (sigma th + kappa th^2/2)
  with E x = 0, E x^2 = 1, E x^3 = s3, E x^4 = s4. At th = 0: G = A, H, J, C = sigma^2, grad C = 2 kappa sigma,
  S = s3 sigma^3 (so the S-part of anything is its s3-linear part).
- the paper's artificial landscapes (App. C.1): Gauss, Archimedes, Mean Estimation.
- QUARTIC: l_x = th^2/2 + th^3/6 + th^4/24 + x th (confining), x = +-1 (C = 1) or a skewed two-point law with
  the same mean and variance; the stationary-regime simulations use it.
- LINEAR_NOISE: l_x = A th + th^2/2 + x (th + th^2/2), x = +-1: the gradient is linear in th, so every SGD
  iterate is a polynomial in eta and the eta-series of finite order is the exact expectation.
"""
from __future__ import annotations

from functools import cache

import numpy as np
import sympy as sp

from theory import Param
from theory.series import (
    Discrete,
    Moments,
    Normal,
    expected_after,
    expected_after_epochs,
    expected_after_flow,
    landscape,
    stationary_expectation,
)

from .notation import T, eta

th, x = sp.symbols("theta x")
h, u, v, z = sp.symbols("h u v z")
A, J, Q, kap = sp.symbols("A J Q kappa", real=True)
H = sp.Symbol("H", positive=True)
sig = sp.Symbol("sigma", positive=True)
s3 = sp.Symbol("s_3", real=True)
s4 = sp.Symbol("s_4", positive=True)

GEN = A * th + H * th ** 2 / 2 + J * th ** 3 / 6 + Q * th ** 4 / 24 + x * (sig * th + kap * th ** 2 / 2)
GEN_LAW = {x: Moments(lambda k: [1, 0, 1, s3, s4][k] if k <= 4 else sp.Symbol(f"m_{k}"))}
GEN_PARAMS = [Param(A, -1, 1, doc="mean gradient G"), Param(H, 0.3, 2, doc="curvature"), Param(J, -1, 1),
              Param(Q, -1, 1), Param(sig, 0.3, 1.5), Param(kap, -1, 1), Param(s3, -2, 2), Param(s4, 1, 5)]
GEN_STATS = {"G": A, "H": H, "J": J, "C": sig ** 2, "dC": 2 * kap * sig, "S": s3 * sig ** 3}

GAUSS = (h + x ** 2 * sp.exp(-h)) / 2
HARCH = u ** 2 + v ** 2 + (sp.cos(z) * u + sp.sin(z) * v) ** 2
SARCH = sp.cos(z - sp.pi / 4) * u + sp.sin(z - sp.pi / 4) * v
ARCH = HARCH / 2 + x * SARCH
Hm, Sm = sp.symbols("H S", positive=True)
MEAN = Hm * th ** 2 / 2 + x * Sm * th
N01 = {x: Normal(0, 1)}

PM1 = Discrete({1: sp.Rational(1, 2), -1: sp.Rational(1, 2)})                        # symmetric, C = 1, S = 0
SKEWED = Discrete({3: sp.Rational(1, 10), sp.Rational(-1, 3): sp.Rational(9, 10)})    # mean 0, var 1, E x^3 = 8/3
PM1_NP = (np.array([1.0, -1.0]), np.array([0.5, 0.5]))
SKEWED_NP = (np.array([3.0, -1 / 3]), np.array([0.1, 0.9]))

QUARTIC = th ** 2 / 2 + th ** 3 / 6 + th ** 4 / 24 + x * th
QUARTIC_TEST = th ** 2 / 2 + th ** 3 / 6 + th ** 4 / 24


def quartic_grad(t, xx):
    return t + t ** 2 / 2 + t ** 3 / 6 + xx


def linear_noise(a):
    return a * th + th ** 2 / 2 + x * (th + th ** 2 / 2)


def linear_noise_grad(a):
    return lambda t, xx: a + t + xx * (1 + t)


# ------------------------------------------------------------------------------ exact series, cached
@cache
def gen_sgd(order: int, observable: str = "test_loss", B=1):
    return expected_after(GEN, GEN_LAW, T, order, params=[th], theta0=[0], observable=observable, B=B)


@cache
def gen_flow(order: int, noise: str, B=1):
    return expected_after_flow(GEN, GEN_LAW, T, order, params=[th], theta0=[0], noise=noise, B=B)


@cache
def gen_stationary(order: int, observable: str = "test_loss"):
    out = stationary_expectation(GEN.subs(A, 0), GEN_LAW, order, params=[th], minimum=[0], observable=observable)
    return out[0] if observable == "displacement" else out


def s_part(expr):
    """The part of an expression linear in the third moment s3 (S = s3 sigma^3 at th = 0)."""
    e = sp.expand(expr)
    return sp.expand(e.coeff(s3, 1) * s3)


@cache
def quartic_stationary(order: int, observable: str = "displacement", law: str = "pm1"):
    data = {x: PM1 if law == "pm1" else SKEWED}
    obs = QUARTIC_TEST if observable == "test_loss" else observable
    out = stationary_expectation(QUARTIC, data, order, params=[th], minimum=[0], observable=obs)
    return out[0] if observable == "displacement" else out


@cache
def epochs_series(a, N: int, order: int, epochs: int = 1, B: int = 1, schedule: str = "cyclic",
                  observable: str = "displacement", loss=None):
    """SGD on N training points of the LINEAR_NOISE model (or `loss`), exact to `order` (order >= T is exact)."""
    lo = linear_noise(a) if loss is None else loss
    out = expected_after_epochs(lo, {x: PM1}, N, order, params=[th], theta0=[0], epochs=epochs, B=B,
                                schedule=schedule, observable=observable)
    return out[0] if observable == "displacement" else out


@cache
def gen_epochs(N: int, order: int, epochs: int = 1, B: int = 1, schedule: str = "cyclic",
               observable: str = "displacement"):
    """The generic model (Q = 0) on N points of the symmetric law +-1 (C = sigma^2, S = 0)."""
    lo = GEN.subs(Q, 0)
    out = expected_after_epochs(lo, {x: PM1}, N, order, params=[th], theta0=[0], epochs=epochs, B=B,
                                schedule=schedule, observable=observable)
    return out[0] if observable == "displacement" else out


@cache
def stats_of(name: str):
    """Landscape tensors of the artificial landscapes at the points the paper uses."""
    if name == "gauss":
        return landscape(GAUSS, N01, [h], {h: 0})
    if name == "archimedes":
        return landscape(ARCH, N01, [u, v, z], {u: 0, v: 0, z: 0})
    if name == "mean":
        return landscape(MEAN, N01, [th], {th: 0})
    raise KeyError(name)


def value_at(expr, e: float) -> float:
    return float(sp.sympify(expr).subs(eta, e))
