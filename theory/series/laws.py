"""Data laws and expectations over them (exact: rationals and symbols)."""
from __future__ import annotations

import itertools
import math
from functools import cache

import sympy as sp

ETA = sp.Symbol("eta", positive=True)
MAX_ORDER = 8
MAX_SCHEDULES = 5000


class SeriesError(ValueError):
    """Bad input to the series functions; the message names the argument and the broken assumption."""


# --------------------------------------------------------------------------------------- data laws
class Normal:
    """x ~ N(mean, var); var may be a symbol."""

    def __init__(self, mean=0, var=1):
        self.mean, self.var = sp.sympify(mean), sp.sympify(var)
        if self.var.is_negative:
            raise SeriesError(f"Normal: var={self.var} must be nonnegative")

    def moment(self, ks):
        (k,) = ks
        return sp.expand(sum(sp.binomial(k, j) * self.mean ** (k - j) * self.var ** sp.Rational(j, 2)
                             * (sp.factorial2(j - 1) if j % 2 == 0 else 0) for j in range(k + 1)))


class Moments:
    """A law given by its moments: fn(k) = E[x^k] for k >= 0 (one symbol)."""

    def __init__(self, fn):
        if not callable(fn):
            raise SeriesError("Moments: fn must be a callable k -> E[x^k]")
        self.fn = fn

    def moment(self, ks):
        return sp.sympify(self.fn(ks[0]))


class Discrete:
    """A finite law: outcomes is a dict value -> probability or a list of (value, probability); for a
    tuple of symbols each value is a tuple. Probabilities must be exact and sum to 1."""

    def __init__(self, outcomes):
        items = list(outcomes.items()) if isinstance(outcomes, dict) else list(outcomes)
        if not items:
            raise SeriesError("Discrete: outcomes is empty")
        self.outcomes = []
        for value, p in items:
            p = sp.nsimplify(p, rational=True)
            if p.is_negative:
                raise SeriesError(f"Discrete: probability {p} of outcome {value} is negative")
            vals = tuple(sp.sympify(v) for v in value) if isinstance(value, (tuple, list)) else (sp.sympify(value),)
            self.outcomes.append((vals, p))
        total = sp.nsimplify(sum(p for _, p in self.outcomes))
        if sp.simplify(total - 1) != 0:
            raise SeriesError(f"Discrete: probabilities sum to {total}, not 1")

    def moment(self, ks):
        if len(ks) != len(self.outcomes[0][0]):
            raise SeriesError("Discrete: outcome tuples do not match the number of data symbols")
        return sp.expand(sum(p * sp.Mul(*[v ** k for v, k in zip(vals, ks)]) for vals, p in self.outcomes))


class _Law:
    """Independent blocks of data symbols; expectation of expressions in them."""

    def __init__(self, data, where="data"):
        if not isinstance(data, dict) or not data:
            raise SeriesError(f"{where}: give a dict {{symbol or tuple of symbols: Normal/Discrete/Moments}}")
        self.blocks = []
        for key, law in data.items():
            syms = tuple(key) if isinstance(key, (tuple, list)) else (key,)
            if not all(isinstance(s, sp.Symbol) for s in syms):
                raise SeriesError(f"{where}: key {key!r} is not a SymPy symbol or a tuple of symbols")
            if not isinstance(law, (Normal, Moments, Discrete)):
                raise SeriesError(f"{where}[{key}]: {law!r} is not Normal, Discrete or Moments")
            if len(syms) > 1 and not isinstance(law, Discrete):
                raise SeriesError(f"{where}[{key}]: a joint law of several symbols must be Discrete")
            self.blocks.append((syms, law))
        self.symbols = tuple(s for syms, _ in self.blocks for s in syms)
        if len(set(self.symbols)) != len(self.symbols):
            raise SeriesError(f"{where}: a data symbol appears twice")

    def expect(self, expr, copies=None):
        """E over the data; `copies` maps copy index -> {symbol: copy symbol} for i.i.d. copies."""
        expr = sp.expand(sp.sympify(expr))
        copies = copies or {None: {s: s for s in self.symbols}}
        gens = [c[s] for c in copies.values() for s in self.symbols]
        if not expr.has(*gens):
            return expr
        try:
            poly = sp.Poly(expr, *gens)
        except sp.PolynomialError:
            return self._enumerate(expr, copies)
        if any(c.has(*gens) for c in poly.coeffs()):
            return self._enumerate(expr, copies)
        total = 0
        per = len(self.symbols)
        for exps, coeff in poly.terms():
            value = coeff
            for ci in range(len(copies)):
                ks = exps[ci * per:(ci + 1) * per]
                pos = 0
                for syms, law in self.blocks:
                    sub = ks[pos:pos + len(syms)]
                    pos += len(syms)
                    if any(sub):
                        value *= _block_moment(law, tuple(sub))
            total += value
        return sp.expand(total)

    def _enumerate(self, expr, copies):
        if not all(isinstance(law, Discrete) for _, law in self.blocks):
            raise SeriesError("data: the loss is not polynomial in the data symbols, so their law must be "
                              "Discrete (moments alone do not determine the expectation)")
        choices = []
        for c in copies.values():
            for syms, law in self.blocks:
                choices.append([({c[s]: v for s, v in zip(syms, vals)}, p) for vals, p in law.outcomes])
        if math.prod(len(ch) for ch in choices) > 200000:
            raise SeriesError("data: too many discrete outcomes to enumerate exactly")
        total = 0
        for combo in itertools.product(*choices):
            subs, p = {}, sp.Integer(1)
            for s, q in combo:
                subs.update(s)
                p *= q
            total += p * expr.xreplace(subs)
        return sp.expand(total)


@cache
def _block_moment(law, ks):
    return law.moment(ks)
