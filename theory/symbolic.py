"""Symbolic helpers the papers share: Gaussian densities and the Fokker-Planck operator.

(Deciding whether two expressions are equal is a check: see checks.equality.)
"""
from __future__ import annotations

import sympy as sp


def gaussian_density(x: sp.Expr, var: sp.Expr, mean: sp.Expr = 0) -> sp.Expr:
    return sp.exp(-(x - mean) ** 2 / (2 * var)) / sp.sqrt(2 * sp.pi * var)


def fokker_planck_rhs(P: sp.Expr, x: sp.Symbol, drift: sp.Expr, diffusion: sp.Expr) -> sp.Expr:
    """Right side of the 1-D forward equation dP/dt = -d(drift P)/dx + d^2(diffusion P)/dx^2 (Ito).

    ``diffusion`` is D = g^2/2 for dx = drift dt + g dW.
    """
    return -sp.diff(drift * P, x) + sp.diff(diffusion * P, x, 2)
