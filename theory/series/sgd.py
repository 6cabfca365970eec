"""SGD with fresh data (one epoch), its ODE/SDE, and SGD on a finite training set over several epochs."""
from __future__ import annotations

import itertools
import math

import sympy as sp

from .laws import ETA, MAX_SCHEDULES, SeriesError, _Law
from .polys import (
    _apply,
    _check_common,
    _check_T,
    _deg,
    _Landscape,
    _matrix,
    _observable,
    _padd,
    _pderiv,
    _pmul,
    _pscale,
    _ptrunc,
    _result,
    _taylor,
)


def expected_after(loss, data, T, order, *, params, theta0=None, observable="test_loss", B=1,
                   eta=ETA, preconditioner=None, big_o=False):
    """E[s(theta_T)] of one-epoch SGD (fresh batches of B i.i.d. points each step), to order eta^order.

    loss: SymPy expression in `params` and the data symbols; data: {symbol: Normal/Discrete/Moments};
    T: a nonnegative integer or a symbol (the coefficients are polynomials in T); theta0: the start
    (default: the parameter symbols themselves, so coefficients are functions of the start);
    observable: 'test_loss' (l = E_x l_x), 'displacement' (theta_T - theta0, a Matrix) or an expression
    in params. Returns the Taylor polynomial in `eta` (plus O(eta^(order+1)) when big_o).
    """
    fn = "expected_after"
    law = _Law(data, f"{fn}: data")
    loss, params, point, B = _check_common(fn, loss, params, order, theta0, law.symbols, B)
    T = _check_T(fn, T)
    land = _Landscape(fn, loss, params, point, law, B, _matrix(fn, preconditioner, len(params)), max(order - 1, 0))
    polys, vector = _observable(fn, observable, loss, params, point, law, order)
    values = []
    for poly in polys:
        memo = {}

        def F(comp, r):
            if (comp, r) not in memo:
                memo[comp, r] = _ptrunc(poly, r) if not comp else _apply(land, comp[0], F(comp[1:], r + comp[0]), r)
            return memo[comp, r]

        total = poly.get((0,) * len(params), 0)
        for d in range(1, order + 1):
            coeff = 0
            for j in range(1, d + 1):
                inner = sum(F(c, 0).get((0,) * len(params), 0) for c in _compositions(d, j))
                coeff += sp.expand_func(sp.binomial(T, j)) * inner
            total += eta ** d * sp.expand(coeff)
        values.append(total)
    return _result(values, vector, eta, big_o, order)


def _compositions(d, j):
    for cuts in itertools.combinations(range(1, d), j - 1):
        bounds = (0,) + cuts + (d,)
        yield tuple(bounds[i + 1] - bounds[i] for i in range(j))


def expected_after_flow(loss, data, T, order, *, params, noise="sde", theta0=None, observable="test_loss",
                        B=1, eta=ETA, preconditioner=None, big_o=False):
    """E[s(theta(T))] for the ODE d theta = -eta M G dt (noise='ode') or the Ito SDE with the same drift
    and diffusion covariance eta^2 M C M^T / B per unit time (noise='sde'): exp(T L) s expanded in eta."""
    fn = "expected_after_flow"
    if noise not in ("ode", "sde"):
        raise SeriesError(f"{fn}: noise={noise!r} must be 'ode' or 'sde'")
    law = _Law(data, f"{fn}: data")
    loss, params, point, B = _check_common(fn, loss, params, order, theta0, law.symbols, B)
    T = _check_T(fn, T)
    n = len(params)
    land = _Landscape(fn, loss, params, point, law, 1, _matrix(fn, preconditioner, n), max(order - 1, 0))
    zero = (0,) * n
    G = [land.raw([i], max(order - 1, 0)) for i in range(n)]
    C = {(i, j): _padd(land.raw([i, j], max(order - 2, 0)), _pscale(_pmul(G[i], G[j], max(order - 2, 0)), -1))
         for i in range(n) for j in range(n)}

    def L(w, f, r):
        if w == 1:
            return _padd(*[_pscale(_pmul(G[i], _pderiv(f, i), r), -1) for i in range(n)])
        return _padd(*[_pscale(_pmul(C[i, j], _pderiv(_pderiv(f, i), j), r), sp.Rational(1, 2) / B)
                       for i in range(n) for j in range(n)])

    polys, vector = _observable(fn, observable, loss, params, point, law, order)
    values = []
    for poly in polys:
        memo = {}

        def F(word, r):
            if (word, r) not in memo:
                memo[word, r] = _ptrunc(poly, r) if not word else L(word[0], F(word[1:], r + word[0]), r)
            return memo[word, r]

        total = poly.get(zero, 0)
        kinds = (1, 2) if noise == "sde" else (1,)
        words = [w for m in range(1, order + 1) for w in itertools.product(kinds, repeat=m)]
        for w in words:
            if sum(w) <= order:
                total += eta ** sum(w) * T ** len(w) / math.factorial(len(w)) * F(w, 0).get(zero, 0)
        values.append(sp.expand(total))
    return _result(values, vector, eta, big_o, order)


def expected_after_epochs(loss, data, N, order, *, params, epochs=1, B=1, schedule="cyclic", theta0=None,
                          observable="test_loss", eta=ETA, preconditioner=None, batch_loss=None, big_o=False):
    """E[s(theta_T)] for SGD on a training set of N i.i.d. points for `epochs` epochs of batches of B
    (without replacement within an epoch; T = epochs N / B steps; GD is B = N), to order eta^order.

    schedule: 'cyclic' (the same order every epoch), 'reshuffle' (the exact average over independent
    uniform orders in each epoch) or an explicit list of batches (tuples of point indices).
    observable: 'test_loss', 'train_loss' (mean of l_n over the training set), 'gen_gap' (test minus
    train), 'displacement' or an expression in params. batch_loss(batch, points), if given, returns the
    loss minimized at a step (points: one {data symbol: symbol of point n} dict per training point).
    """
    fn = "expected_after_epochs"
    law = _Law(data, f"{fn}: data")
    loss, params, point, Bs = _check_common(fn, loss, params, order, theta0, law.symbols, B)
    for name, v in (("N", N), ("epochs", epochs), ("B", B)):
        if not isinstance(v, int) or isinstance(v, bool) or v < 1:
            raise SeriesError(f"{fn}: {name}={v!r} must be a positive integer")
    if N % B:
        raise SeriesError(f"{fn}: B={B} must divide N={N} (batches without replacement within an epoch)")
    n, K = len(params), order
    points = [{s: sp.Symbol(f"{s.name}_{k}") for s in law.symbols} for k in range(N)]
    copies = dict(enumerate(points))
    schedules = _schedules(fn, schedule, N, B, epochs)
    precond = _matrix(fn, preconditioner, n)
    grad_deg = max(K - 1, 0)
    generic = [_taylor(sp.diff(loss, p), params, point, grad_deg) for p in params]
    if precond is not None:
        generic = [_padd(*[_pscale(generic[j], precond[i, j]) for j in range(n)]) for i in range(n)]
    step_cache = {}

    def step_grad(batch):
        if batch not in step_cache:
            if batch_loss is None:
                polys = [{e: sp.Add(*[c.xreplace(points[k]) for k in batch]) / B for e, c in g.items()}
                         for g in generic]
            else:
                bl = sp.sympify(batch_loss([points[k] for k in batch], points))
                polys = [_taylor(sp.diff(bl, p), params, point, grad_deg) for p in params]
                if precond is not None:
                    polys = [_padd(*[_pscale(polys[j], precond[i, j]) for j in range(n)]) for i in range(n)]
            step_cache[batch] = polys
        return step_cache[batch]

    polys, vector = _epoch_observable(fn, observable, loss, params, point, law, points, K)
    totals = [[0] * (K + 1) for _ in polys]
    for sched, weight in schedules:
        delta = [[sp.Integer(0)] * (K + 1) for _ in range(n)]       # eta-coefficients 0..K of delta_i
        for batch in sched:
            g = [_eval_poly(p, delta, K) for p in step_grad(batch)]
            delta = [[sp.Integer(0)] + [sp.expand(delta[i][e] - g[i][e - 1]) for e in range(1, K + 1)]
                     for i in range(n)]
        for o, p in enumerate(polys):
            val = _eval_poly(p, delta, K)
            for e in range(K + 1):
                totals[o][e] += weight * val[e]
    values = [sum(eta ** e * law.expect(t[e], copies) for e in range(K + 1)) for t in totals]
    return _result(values, vector, eta, big_o, order)


def _schedules(fn, schedule, N, B, epochs):
    if isinstance(schedule, str):
        chunks = lambda perm: [tuple(sorted(perm[i:i + B])) for i in range(0, N, B)]
        if schedule == "cyclic":
            return [(chunks(list(range(N))) * epochs, sp.Integer(1))]
        if schedule == "reshuffle":
            count = math.factorial(N) ** (epochs - 1)
            if count > MAX_SCHEDULES:
                raise SeriesError(f"{fn}: schedule='reshuffle' averages {count} orders (N={N}, epochs={epochs}); "
                                  f"the limit is {MAX_SCHEDULES}: use a smaller N or schedule='cyclic'")
            later = itertools.product(itertools.permutations(range(N)), repeat=epochs - 1)
            return [(chunks(list(range(N))) + [b for perm in rest for b in chunks(list(perm))], sp.Rational(1, count))
                    for rest in later]
        raise SeriesError(f"{fn}: schedule={schedule!r} must be 'cyclic', 'reshuffle' or a list of batches")
    batches = [tuple(b) for b in schedule]
    if not batches or any(len(b) != B or not all(isinstance(k, int) and 0 <= k < N for k in b) for b in batches):
        raise SeriesError(f"{fn}: every batch of the schedule must hold B={B} point indices in [0, {N})")
    return [(batches, sp.Integer(1))]


def _eval_poly(p, delta, K):
    """A delta-polynomial at delta given by eta-coefficient lists (no constant term): eta-coefficients 0..K."""
    n = len(delta)
    powers = {}

    def power(i, k):
        if (i, k) not in powers:
            if k == 0:
                powers[i, k] = [sp.Integer(1)] + [sp.Integer(0)] * K
            else:
                a, b = power(i, k - 1), delta[i]
                powers[i, k] = [sp.expand(sum(a[j] * b[e - j] for j in range(e + 1))) for e in range(K + 1)]
        return powers[i, k]

    out = [sp.Integer(0)] * (K + 1)
    for e, c in p.items():
        if _deg(e) > K:
            continue
        term = [c] + [sp.Integer(0)] * K
        for i in range(n):
            if e[i]:
                q = power(i, e[i])
                term = [sum(term[j] * q[m - j] for j in range(m + 1)) for m in range(K + 1)]
        out = [out[m] + term[m] for m in range(K + 1)]
    return [sp.expand(v) for v in out]


def _epoch_observable(fn, observable, loss, params, point, law, points, K):
    if observable in ("train_loss", "gen_gap"):
        per = _taylor(loss, params, point, K)
        train = {e: sp.Add(*[c.xreplace(pt) for pt in points]) / len(points) for e, c in per.items()}
        if observable == "train_loss":
            return [train], False
        test = _taylor(law.expect(loss), params, point, K)
        return [_padd(test, _pscale(train, -1))], False
    return _observable(fn, observable, loss, params, point, law, K)
