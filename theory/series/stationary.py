"""The stationary expansion near a non-degenerate minimum (T -> infinity first) and the landscape tensors."""
from __future__ import annotations

import itertools
import math

import sympy as sp

from .laws import ETA, SeriesError, _Law
from .polys import _check_common, _deg, _Landscape, _matrix, _multi_indices, _observable, _result


def stationary_expectation(loss, data, order, *, params, minimum, observable="test_loss", B=1, eta=ETA,
                           preconditioner=None, big_o=False):
    """The eta-expansion, to order eta^order, of E[s(theta)] under the stationary law of SGD (fresh
    batches of B) near a non-degenerate minimum theta* of l = E_x l_x (G(theta*) = 0, H(theta*) > 0).

    This is the T -> infinity limit taken before eta -> 0 (the regime T >> 1/(eta H)). With delta =
    theta - theta*, the moments m_a = E[delta^a] satisfy E[(delta - eta g)^a - delta^a] = 0 and are
    expanded as m_a = sum_{j >= ceil(|a|/2)} eta^j mu_{a,j}; the linear equations are solved order by
    order. On a loss unbounded below (e.g. a cubic) this is the formal (metastable) expansion.
    """
    fn = "stationary_expectation"
    law = _Law(data, f"{fn}: data")
    if minimum is None:
        raise SeriesError(f"{fn}: minimum (a dict or sequence of the minimum's coordinates) is required")
    loss, params, point, B = _check_common(fn, loss, params, order, minimum, law.symbols, B, "minimum")
    if order < 1:
        raise SeriesError(f"{fn}: order={order} must be at least 1")
    n, K = len(params), order
    mean_loss = law.expect(loss)
    grad = [sp.simplify(sp.diff(mean_loss, p).xreplace(point)) for p in params]
    if any(g != 0 for g in grad):
        raise SeriesError(f"{fn}: minimum is not a critical point of l = E_x l_x (gradient {grad} there)")
    hess = sp.Matrix(n, n, lambda i, j: sp.diff(mean_loss, params[i], params[j]).xreplace(point))
    if all(v.is_number for v in hess) and not hess.is_positive_definite:
        raise SeriesError(f"{fn}: the Hessian {hess.tolist()} at minimum is not positive definite (degenerate "
                          "or not a minimum), so there is no stationary expansion")
    D = 2 * K
    land = _Landscape(fn, loss, params, point, law, B, _matrix(fn, preconditioner, n), D)
    alphas = [a for a in _multi_indices(n, D) if _deg(a)]
    mu = {(a, j): sp.Dummy(f"mu_{a}_{j}") for a in alphas for j in range((_deg(a) + 1) // 2, K + 1)}
    m = {a: sum(eta ** j * mu[a, j] for j in range((_deg(a) + 1) // 2, K + 1)) for a in alphas}
    m[(0,) * n] = sp.Integer(1)
    equations = []
    for a in alphas:
        expr = 0
        for beta in _multi_indices(n, min(_deg(a), K + 1)):
            if not _deg(beta) or any(b > c for b, c in zip(beta, a)):
                continue
            rest = tuple(c - b for b, c in zip(beta, a))
            coef = math.prod(math.comb(c, b) for b, c in zip(beta, a)) * (-eta) ** _deg(beta)
            mom = land.batch([i for i in range(n) for _ in range(beta[i])], D - _deg(rest))
            for e, c in mom.items():
                g = tuple(x + y for x, y in zip(e, rest))
                if _deg(g) <= D:
                    expr += coef * c * m[g]
        expr = sp.expand(expr)
        equations += [expr.coeff(eta, e) for e in range(1, K + 2)]
    solution = sp.linsolve([q for q in equations if q != 0], list(mu.values()))
    if not solution:
        raise SeriesError(f"{fn}: the moment equations have no solution (is the minimum non-degenerate?)")
    (values,) = solution
    subs = dict(zip(mu.values(), values))
    if any(v.has(*mu.values()) for v in values):
        raise SeriesError(f"{fn}: the moment equations do not determine the moments (degenerate minimum?)")
    polys, vector = _observable(fn, observable, loss, params, point, law, D)
    out = []
    for p in polys:
        total = sum(c * m[e] for e, c in p.items())
        total = sp.expand(sp.expand(total).xreplace(subs))
        out.append(sum(eta ** e * sp.factor(total.coeff(eta, e)) for e in range(K + 1)))
    return _result(out, vector, eta, big_o, order)


def _tidy(e):
    """Numbers stay numbers (simplify is slow and changes nothing there); expressions are simplified."""
    e = sp.expand(e)
    return e if e.is_number else sp.simplify(e)


def landscape(loss, data, params, point=None):
    """The paper's tensors at a point: G = E grad l_x, H = E grad^2 l_x, J = E grad^3 l_x, the gradient
    covariance C and third central moment S (as SymPy Arrays; G, H, C as Matrices)."""
    fn = "landscape"
    law = _Law(data, f"{fn}: data")
    loss, params, pt, _ = _check_common(fn, loss, params, 0, point, law.symbols, point_name="point")
    n = len(params)
    full = [sp.diff(loss, p) for p in params]
    g = [gi.xreplace(pt) for gi in full] if pt else full          # products taken at the point: cheaper
    at = lambda e: _tidy(law.expect(e))
    G = [at(gi) for gi in g]
    H = sp.Matrix(n, n, lambda i, j: at(sp.diff(full[i], params[j]).xreplace(pt)))
    J = sp.MutableDenseNDimArray.zeros(n, n, n)
    S = sp.MutableDenseNDimArray.zeros(n, n, n)
    C = sp.zeros(n, n)
    for i, j in itertools.product(range(n), repeat=2):
        C[i, j] = at(g[i] * g[j]) - G[i] * G[j]
        for k in range(n):
            J[i, j, k] = at(sp.diff(full[i], params[j], params[k]).xreplace(pt))
            S[i, j, k] = _tidy(at(g[i] * g[j] * g[k]) - G[i] * C[j, k] - G[j] * C[i, k] - G[k] * C[i, j]
                                     - G[i] * G[j] * G[k])
    return {"G": sp.Matrix(G), "H": H, "J": sp.ImmutableDenseNDimArray(J), "C": C,
            "S": sp.ImmutableDenseNDimArray(S)}
