"""Plot-ready tables for the site: a statement's eta-coefficients beside the exact ones, and the remainder
|exact - statement| along an eta ladder (its slope is the order the statement achieves)."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy as sp

from checks import Curve

from .notation import eta, taylor


def coefficient_curve(title: str, label: str, instantiate: Callable[[], sp.Expr], exact_series: Callable[[], sp.Expr],
                      order: int, notes: str = "") -> Curve:
    """Coefficients of eta^0..eta^order of the statement on a model (instantiate()) and of the exact series."""
    def build(point, rng):
        mine, ex = sp.expand(taylor(instantiate(), order)), sp.expand(taylor(exact_series(), order))
        return ({"power of eta": list(range(order + 1)),
                 label: [float(mine.coeff(eta, k)) for k in range(order + 1)],
                 "exact": [float(ex.coeff(eta, k)) for k in range(order + 1)]},
                {label: "formula", "exact": "exact"})
    return Curve(title, "power of eta", {}, build, notes=notes, ylabel="coefficient of eta^k", log=False)


def remainder_curve(title: str, label: str, instantiate: Callable[[], sp.Expr], exact: Callable[[tuple], object],
                    eta0: float = 0.2, rungs: int = 6, notes: str = "") -> Curve:
    """|exact - statement| and |exact| along eta = eta0 / 2^k."""
    def build(point, rng):
        etas = tuple(eta0 / 2 ** k for k in range(rungs))
        f = sp.lambdify(eta, instantiate(), "math")
        ex = np.asarray(exact(etas), dtype=float).ravel()
        return ({"eta": list(etas), f"|exact - {label}|": [abs(a - f(e)) for a, e in zip(ex, etas)],
                 "|exact|": np.abs(ex).tolist()}, {f"|exact - {label}|": "formula", "|exact|": "exact"})
    return Curve(title, "eta", {}, build, notes=notes, ylabel="absolute value")


def attach(claim, model: str, label: str, instantiate: Callable, exact_series: Callable, exact: Callable,
           order: int, eta0: float = 0.2):
    """Both tables for a claim on one model; instantiate(claim) is the statement on that model."""
    claim.curves = [coefficient_curve(f"{model}: coefficients of eta^k", label, lambda: instantiate(claim),
                                      exact_series, order),
                    remainder_curve(f"{model}: remainder along eta", label, lambda: instantiate(claim), exact,
                                    eta0=eta0)]
    return claim
