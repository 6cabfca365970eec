"""Deciding symbolic equality: SymPy's simplify first, then mpmath at high precision as a safety net."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import math

import mpmath
import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

from .claim import Regime

DEFAULT_POINTS = 24      # the safety net evaluates at least 20 random points of the regime
DEFAULT_DIGITS = 30      # ... with at least 30 significant digits


@dataclass
class Decision:
    equal: bool | None              # None: undecided
    method: str                      # "simplify" or "mpmath (24 points, 30 digits)"
    details: dict[str, Any] = field(default_factory=dict)
    counterexample: dict[str, Any] | None = None


SIMPLIFY_MAX_OPS = 400    # beyond this, simplify is slow and rarely decisive: go to mpmath


def _simplifies_to_zero(diff: sp.Expr) -> bool:
    """Cheap rewrites first (they decide most identities between explicit formulas), simplify last."""
    try:
        diff = sp.expand(diff)
        if diff == 0:
            return True
        rational = sp.cancel(sp.together(sp.expand(sp.powsimp(diff))))
        if rational == 0:
            return True
        if sp.count_ops(diff) > SIMPLIFY_MAX_OPS:
            return False
        return sp.simplify(diff) == 0
    except (TypeError, NotImplementedError, RecursionError, sp.PolynomialError):
        return False


def _mp_function(expr: sp.Expr, symbols: list[sp.Symbol]):
    return sp.lambdify(symbols, sp.sympify(expr).doit(), modules="mpmath", dummify=True)


def decide_equal(lhs: sp.Expr, rhs: sp.Expr, regime: Regime, rng: np.random.Generator,
                 n_points: int = DEFAULT_POINTS, digits: int = DEFAULT_DIGITS,
                 try_simplify: bool = True) -> Decision:
    """Is ``lhs == rhs`` on the whole regime?

    simplify can prove equality but not inequality; when it does not reach zero, both sides are
    evaluated at ``n_points`` random points of the regime with ``digits`` significant digits. A point
    where they differ beyond rounding is a counterexample.
    """
    lhs, rhs = sp.sympify(lhs), sp.sympify(rhs)
    if isinstance(lhs, sp.MatrixBase) or isinstance(rhs, sp.MatrixBase):
        return _decide_entries(lhs, rhs, regime, rng, n_points, digits, try_simplify)
    diff = sp.expand(lhs - rhs).doit()
    if try_simplify and _simplifies_to_zero(diff):
        return Decision(True, "simplify", {"simplified": "0"})
    if diff.atoms(AppliedUndef):
        return Decision(None, "simplify", {"note": "simplify did not reach 0 and the expression holds "
                                           "undefined functions, which cannot be evaluated numerically"})
    free = diff.free_symbols | lhs.free_symbols | rhs.free_symbols
    by_name = {p.name: p for p in regime.params}
    missing = sorted(s.name for s in free if s.name not in by_name)
    if missing:
        raise ValueError(f"symbols {missing} have no range in the regime; cannot evaluate numerically")
    points = regime.sample(rng, n_points)
    symbols = sorted(free, key=lambda s: s.name)
    f_lhs, f_rhs = _mp_function(lhs, symbols), _mp_function(rhs, symbols)
    method = f"mpmath ({n_points} points, {digits} digits)"
    worst = mpmath.mpf(0)
    with mpmath.workdps(digits + 10):
        tol = mpmath.mpf(10) ** (-(digits - 8))
        for i, point in enumerate(points):
            args = [mpmath.mpf(point[s.name]) for s in symbols]
            try:
                lv, rv = f_lhs(*args), f_rhs(*args)
            except (ZeroDivisionError, ValueError):
                continue
            err = abs(lv - rv) / max(abs(lv), abs(rv), 1)
            worst = max(worst, err)
            if err > tol:
                return Decision(False, method, {"points_checked": i + 1, "relative_difference": float(err)},
                                counterexample={"params": {k: point[k] for k in sorted(point)},
                                                "lhs": _num(lv), "rhs": _num(rv)})
    return Decision(True, method, {
        "points_checked": len(points), "max_relative_difference": float(worst),
        "note": "simplify did not reach 0; both sides agree at every sampled point"})


def _decide_entries(lhs, rhs, regime, rng, n_points, digits, try_simplify) -> Decision:
    """Matrices and vectors: every entry must be equal; the first unequal entry is the counterexample."""
    lhs, rhs = sp.Matrix(lhs), sp.Matrix(rhs)
    if lhs.shape != rhs.shape:
        return Decision(False, "shape", {"note": f"shapes differ: {lhs.shape} and {rhs.shape}"},
                        counterexample={"lhs_shape": list(lhs.shape), "rhs_shape": list(rhs.shape)})
    methods, details = [], {}
    for k, (a, b) in enumerate(zip(lhs, rhs)):
        d = decide_equal(a, b, regime, rng, n_points, digits, try_simplify)
        methods.append(d.method)
        if d.equal is not True:
            entry = {"entry": k, **d.details}
            ce = None if d.counterexample is None else {**d.counterexample, "entry": k}
            return Decision(d.equal, d.method, entry, counterexample=ce)
    method = "simplify" if all(m == "simplify" for m in methods) else next(m for m in methods if m != "simplify")
    return Decision(True, method, {"entries": len(methods), "methods": sorted(set(methods))})


def _num(v) -> float | str:
    try:
        x = float(v)
    except TypeError:
        return str(complex(v))
    return x if math.isfinite(x) else mpmath.nstr(v, 12)      # beyond float range: keep the digits


def gaussian_density(x: sp.Expr, var: sp.Expr, mean: sp.Expr = 0) -> sp.Expr:
    return sp.exp(-(x - mean) ** 2 / (2 * var)) / sp.sqrt(2 * sp.pi * var)


def fokker_planck_rhs(P: sp.Expr, x: sp.Symbol, drift: sp.Expr, diffusion: sp.Expr) -> sp.Expr:
    """Right side of the 1-D forward equation dP/dt = -d(drift P)/dx + d^2(diffusion P)/dx^2 (Ito).

    ``diffusion`` is D = g^2/2 for dx = drift dt + g dW.
    """
    return -sp.diff(drift * P, x) + sp.diff(diffusion * P, x, 2)
