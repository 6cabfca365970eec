"""What the series functions share: polynomials in delta = theta - theta0 (dicts of exponent tuples), Taylor
coefficients, input validation, the batch moments of the gradient and the one-step operator P_k."""
from __future__ import annotations

import itertools
import math

import sympy as sp
from sympy.utilities.iterables import multiset_partitions

from .laws import MAX_ORDER, SeriesError


# ---------------------------------------------------- polynomials in delta = theta - theta0 (dicts)
def _deg(e):
    return sum(e)


def _padd(*ps):
    out = {}
    for p in ps:
        for e, c in p.items():
            out[e] = out.get(e, 0) + c
    return {e: c for e, c in out.items() if c != 0}


def _pscale(p, s):
    return {e: c * s for e, c in p.items()} if s != 0 else {}


def _pmul(a, b, maxdeg):
    out = {}
    for ea, ca in a.items():
        da = _deg(ea)
        for eb, cb in b.items():
            if da + _deg(eb) <= maxdeg:
                e = tuple(i + j for i, j in zip(ea, eb))
                out[e] = out.get(e, 0) + ca * cb
    return {e: sp.expand(c) for e, c in out.items() if c != 0}


def _pderiv(p, i):
    out = {}
    for e, c in p.items():
        if e[i]:
            f = list(e)
            f[i] -= 1
            out[tuple(f)] = c * e[i]
    return out


def _ptrunc(p, maxdeg):
    return {e: c for e, c in p.items() if _deg(e) <= maxdeg}


def _multi_indices(n, maxdeg):
    for d in range(maxdeg + 1):
        for combo in itertools.combinations_with_replacement(range(n), d):
            e = [0] * n
            for i in combo:
                e[i] += 1
            yield tuple(e)


def _taylor(expr, params, point, maxdeg):
    """{alpha: d^alpha expr(point) / alpha!} for |alpha| <= maxdeg."""
    out, cache = {}, {(0,) * len(params): sp.sympify(expr)}
    for e in _multi_indices(len(params), maxdeg):
        if e not in cache:
            i = max(k for k in range(len(e)) if e[k])
            prev = list(e)
            prev[i] -= 1
            cache[e] = sp.diff(cache[tuple(prev)], params[i])
        c = cache[e].xreplace(point) if point else cache[e]
        c = sp.expand(c / math.prod(math.factorial(k) for k in e))
        if c != 0:
            out[e] = c
    return out


# ------------------------------------------------------------------------------ input validation
def _check_common(fn, loss, params, order, theta0, law_syms=(), B=1, point_name="theta0"):
    loss = sp.sympify(loss)
    if not isinstance(loss, sp.Expr):
        raise SeriesError(f"{fn}: loss must be a SymPy expression")
    if isinstance(params, sp.Symbol) or not params or not all(isinstance(p, sp.Symbol) for p in params):
        raise SeriesError(f"{fn}: params must be a non-empty sequence of SymPy symbols (the weights)")
    params = tuple(params)
    if len(set(params)) != len(params):
        raise SeriesError(f"{fn}: params has a repeated symbol")
    clash = set(params) & set(law_syms)
    if clash:
        raise SeriesError(f"{fn}: {sorted(map(str, clash))} is both a parameter and a data symbol")
    if not isinstance(order, int) or isinstance(order, bool) or not 0 <= order <= MAX_ORDER:
        raise SeriesError(f"{fn}: order={order!r} must be an integer from 0 to {MAX_ORDER}")
    B = sp.sympify(B)
    if B.is_positive is not True or B.is_integer is False:
        raise SeriesError(f"{fn}: B={B} must be a positive integer (or a positive symbol)")
    if theta0 is None:
        point = {}
    elif isinstance(theta0, dict):
        missing = [p for p in params if p not in theta0]
        if missing:
            raise SeriesError(f"{fn}: {point_name} has no value for {missing}")
        point = {p: sp.sympify(theta0[p]) for p in params}
    else:
        vals = list(theta0)
        if len(vals) != len(params):
            raise SeriesError(f"{fn}: {point_name} has {len(vals)} values for {len(params)} params")
        point = {p: sp.sympify(v) for p, v in zip(params, vals)}
    return loss, params, point, B


def _check_T(fn, T, symbolic_ok=True):
    if isinstance(T, bool):
        raise SeriesError(f"{fn}: T={T!r} must be a nonnegative integer")
    if isinstance(T, (int, sp.Integer)):
        if T < 0:
            raise SeriesError(f"{fn}: T={T} must be a nonnegative integer")
        return sp.Integer(T)
    if isinstance(T, sp.Symbol) and symbolic_ok:
        if T.is_integer is False or T.is_nonnegative is False:
            raise SeriesError(f"{fn}: the symbol T={T} must not be declared non-integer or negative")
        return T
    raise SeriesError(f"{fn}: T={T!r} must be a nonnegative integer" + (" or a SymPy symbol" if symbolic_ok else ""))


def _matrix(fn, M, n):
    if M is None:
        return None
    M = sp.Matrix(M)
    if M.shape != (n, n):
        raise SeriesError(f"{fn}: preconditioner must be {n}x{n}, got {M.shape}")
    return M


class _Landscape:
    """Gradient Taylor polynomials (per sample, in delta) and their batch moments."""

    def __init__(self, fn, loss, params, point, law, B, precond, grad_deg):
        self.n, self.law, self.B = len(params), law, B
        grads = [_taylor(sp.diff(loss, p), params, point, grad_deg) for p in params]
        if precond is not None:
            grads = [_padd(*[_pscale(grads[j], precond[i, j]) for j in range(self.n)]) for i in range(self.n)]
        self.grads = grads
        self._raw, self._batch = {}, {}

    def raw(self, idx, maxdeg):
        """E_x[prod_i g_{idx_i}(delta, x)] as a delta-polynomial of degree <= maxdeg."""
        key = (tuple(sorted(idx)), maxdeg)
        if key not in self._raw:
            p = {(0,) * self.n: sp.Integer(1)}
            for i in key[0]:
                p = _pmul(p, self.grads[i], maxdeg)
            self._raw[key] = {e: c2 for e, c in p.items() if (c2 := self.law.expect(c)) != 0}
        return self._raw[key]

    def batch(self, idx, maxdeg):
        """E[prod ḡ_{idx}] for the mean ḡ of B i.i.d. gradients: B^-k sum_pi (B)_|pi| prod_blocks raw."""
        key = (tuple(sorted(idx)), maxdeg)
        if key not in self._batch:
            if self.B == 1:
                out = self.raw(idx, maxdeg)
            else:
                out, k = {}, len(idx)
                for part in multiset_partitions(list(range(k))):
                    p = {(0,) * self.n: sp.ff(self.B, len(part)) / self.B ** k}
                    for block in part:
                        p = _pmul(p, self.raw([key[0][j] for j in block], maxdeg), maxdeg)
                    out = _padd(out, p)
            self._batch[key] = out
        return self._batch[key]


def _observable(fn, observable, loss, params, point, law, maxdeg):
    """Taylor polynomials (in delta) of the observable's components; returns (polys, is_vector)."""
    n = len(params)
    if isinstance(observable, str):
        if observable == "test_loss":
            return [_taylor(law.expect(loss), params, point, maxdeg)], False
        if observable == "displacement":
            return [{tuple(int(j == i) for j in range(n)): sp.Integer(1)} for i in range(n)], True
        raise SeriesError(f"{fn}: observable={observable!r} must be 'test_loss', 'displacement' or an expression")
    if isinstance(observable, (list, tuple, sp.MatrixBase)):
        return [_observable(fn, o, loss, params, point, law, maxdeg)[0][0] for o in observable], True
    obs = sp.sympify(observable)
    if obs.has(*law.symbols):
        raise SeriesError(f"{fn}: observable {obs} depends on data symbols; take its expectation first")
    return [_taylor(obs, params, point, maxdeg)], False


def _truncate(expr, eta, order):
    """Keep the powers eta^0..eta^order (the loss itself may contain eta, e.g. a regularizer eta C)."""
    expr = sp.expand(expr)
    if expr.is_polynomial(eta):
        return sp.expand(sum(expr.coeff(eta, k) * eta ** k for k in range(order + 1)))
    return sp.expand(sp.series(expr, eta, 0, order + 1).removeO())


def _result(values, vector, eta, big_o, order):
    tail = sp.O(eta ** (order + 1)) if big_o else 0
    out = [_truncate(v, eta, order) + tail for v in values]
    return sp.Matrix(out) if vector else out[0]


def _apply(land, k, f, r):
    """P_k f = (-1)^k / k! E[(ḡ . grad)^k f] as a delta-polynomial of degree <= r."""
    out = {}
    for combo in itertools.combinations_with_replacement(range(land.n), k):
        counts = [combo.count(i) for i in range(land.n)]
        df = f
        for i in combo:
            df = _pderiv(df, i)
        if not df:
            continue
        weight = sp.Integer(-1) ** k / math.prod(math.factorial(c) for c in counts)
        out = _padd(out, _pscale(_pmul(land.batch(combo, r), df, r), weight))
    return out
