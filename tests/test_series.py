"""theory.series: exact eta-series of SGD expectations, against brute force, closed forms and bad input."""
from __future__ import annotations

import itertools

import pytest
import sympy as sp

from theory.series import (
    ETA,
    Discrete,
    Moments,
    Normal,
    SeriesError,
    expected_after,
    expected_after_epochs,
    expected_after_flow,
    landscape,
    stationary_expectation,
)

eta = ETA
u, v, x, th = sp.symbols("u v x theta")
T = sp.Symbol("T", integer=True, nonnegative=True)
mu, sig = sp.symbols("mu sigma", positive=True)
THIRD, SIXTH, HALF = sp.Rational(1, 3), sp.Rational(1, 6), sp.Rational(1, 2)
LAW = Discrete({-1: THIRD, 2: SIXTH, 0: HALF})
LOSS2 = x * u ** 3 / 3 + (u - v) ** 2 / 2 + x * u * v ** 2 + v ** 4 / 4 + x * v     # 2 weights, non-quadratic


def truncate(expr, order):
    expr = sp.expand(expr)
    return sp.expand(sum(expr.coeff(eta, k) * eta ** k for k in range(order + 1)))


def mean_over(law, expr):
    return sp.expand(sum(p * expr.subs(x, vals[0]) for vals, p in law.outcomes))


def brute_force(loss, params, start, steps, observable, B=1, precond=None, law=LAW, order=3):
    """Exact E[observable(theta_T)] over every sequence of data draws, SGD run with symbolic eta; theta_t is
    kept to eta^order (a step multiplies by eta, so dropped terms only affect orders above `order`)."""
    grads = [sp.diff(loss, p) for p in params]
    total = sp.zeros(*observable.shape) if isinstance(observable, sp.MatrixBase) else 0
    for seq in itertools.product(law.outcomes, repeat=steps * B):
        point, prob = dict(zip(params, start)), sp.Integer(1)
        for t in range(steps):
            batch = seq[t * B:(t + 1) * B]
            g = [sum(gi.subs(x, d[0][0]).subs(point) for d in batch) / B for gi in grads]
            if precond is not None:
                g = list(sp.Matrix(precond) * sp.Matrix(g))
            prob *= sp.Mul(*[d[1] for d in batch])
            point = {p: truncate(point[p] - eta * gi, order) for p, gi in zip(params, g)}
        total += prob * observable.subs(point)
    return total.applyfunc(sp.expand) if isinstance(total, sp.MatrixBase) else sp.expand(total)


# ------------------------------------------------------------------ brute force over all SGD paths
TWO_POINT = Discrete({2: THIRD, -1: 2 * THIRD})


@pytest.mark.parametrize("steps, law", [(1, LAW), (2, LAW), (3, TWO_POINT)])
def test_matches_enumeration_of_all_paths(steps, law):
    start = (HALF, -1)
    exact = brute_force(LOSS2, (u, v), start, steps, mean_over(law, LOSS2), law=law)
    series = expected_after(LOSS2, {x: law}, steps, 3, params=[u, v], theta0=start)
    assert sp.expand(truncate(exact, 3) - series) == 0
    wrong = expected_after(LOSS2 + x * u ** 2 / 10, {x: law}, steps, 3, params=[u, v], theta0=start)
    assert sp.expand(truncate(exact, 3) - wrong) != 0          # the comparison can fail


def test_symbolic_T_agrees_with_numeric_T_and_enumeration():
    start = (HALF, -1)
    symbolic = expected_after(LOSS2, {x: LAW}, T, 3, params=[u, v], theta0=start, observable="displacement")
    exact = brute_force(LOSS2, (u, v), start, 2, sp.Matrix([u - start[0], v - start[1]]))
    assert all(sp.expand(truncate(e, 3) - s.subs(T, 2)) == 0 for e, s in zip(exact, symbolic))


def test_batches_and_symbolic_batch_size():
    start = (HALF, -1)
    exact = truncate(brute_force(LOSS2, (u, v), start, 2, mean_over(LAW, LOSS2), B=2), 3)
    assert sp.expand(exact - expected_after(LOSS2, {x: LAW}, 2, 3, params=[u, v], theta0=start, B=2)) == 0
    Bs = sp.Symbol("B", positive=True, integer=True)
    general = expected_after(LOSS2, {x: LAW}, 2, 3, params=[u, v], theta0=start, B=Bs)
    assert sp.expand(exact - general.subs(Bs, 2)) == 0


def test_preconditioner_matches_enumeration():
    M = [[2, HALF], [HALF, 1]]
    start = (HALF, -1)
    exact = brute_force(LOSS2, (u, v), start, 2, mean_over(LAW, LOSS2), precond=M)
    series = expected_after(LOSS2, {x: LAW}, 2, 3, params=[u, v], theta0=start, preconditioner=M)
    assert sp.expand(truncate(exact, 3) - series) == 0


# ------------------------------------------------- finite training sets: epochs, GD, train loss, gap
LOSS1 = x * u ** 3 / 3 + u ** 2 / 2 + x * u + x ** 2 * u ** 2 / 4
LAW2 = Discrete({-1: THIRD, 2: SIXTH, 0: HALF})


def brute_epochs(schedules, N, B, start, observable):
    grad = sp.diff(LOSS1, u)
    test = mean_over(LAW2, LOSS1)
    total = 0
    for data in itertools.product(LAW2.outcomes, repeat=N):
        xs = [d[0][0] for d in data]
        for sched, weight in schedules:
            w = start
            for batch in sched:
                w = sp.expand(w - eta * sum(grad.subs({x: xs[k], u: w}) for k in batch) / B)
            train = sum(LOSS1.subs({x: xs[k], u: w}) for k in range(N)) / N
            value = {"test_loss": test.subs(u, w), "train_loss": train, "gen_gap": test.subs(u, w) - train}[observable]
            total += sp.Mul(*[d[1] for d in data]) * weight * value
    return truncate(total, 3)


@pytest.mark.parametrize("observable", ["test_loss", "train_loss", "gen_gap"])
def test_two_epochs_cyclic_matches_enumeration(observable):
    start = THIRD
    exact = brute_epochs([([(0,), (1,), (0,), (1,)], 1)], 2, 1, start, observable)
    series = expected_after_epochs(LOSS1, {x: LAW2}, 2, 3, params=[u], theta0=[start], epochs=2, observable=observable)
    assert sp.expand(exact - series) == 0


def test_reshuffled_epochs_and_gd_match_enumeration():
    start = THIRD
    both = [([(0,), (1,), (0,), (1,)], HALF), ([(0,), (1,), (1,), (0,)], HALF)]
    exact = brute_epochs(both, 2, 1, start, "test_loss")
    assert sp.expand(exact - expected_after_epochs(LOSS1, {x: LAW2}, 2, 3, params=[u], theta0=[start], epochs=2,
                                                   schedule="reshuffle")) == 0
    gd = brute_epochs([([(0, 1), (0, 1)], 1)], 2, 2, start, "test_loss")
    assert sp.expand(gd - expected_after_epochs(LOSS1, {x: LAW2}, 2, 3, params=[u], theta0=[start], epochs=2, B=2)) == 0
    assert sp.expand(gd - exact) != 0                                    # GD and SGD differ at this order


def test_one_epoch_of_singletons_is_fresh_data_sgd():
    one_epoch = expected_after_epochs(LOSS1, {x: LAW2}, 3, 3, params=[u], theta0=[THIRD])
    assert sp.expand(one_epoch - expected_after(LOSS1, {x: LAW2}, 3, 3, params=[u], theta0=[THIRD])) == 0


# ----------------------------------------------------------------------------- known closed forms
def test_linear_regression_closed_form_all_T():
    """l_x = (theta - x)^2/2, x ~ N(mu, sigma^2): E theta_T and Var theta_T are known for every eta."""
    series = expected_after((th - x) ** 2 / 2, {x: Normal(mu, sig ** 2)}, T, 4, params=[th])
    a = 1 - eta
    mean, var = mu + a ** T * (th - mu), eta * sig ** 2 * (1 - a ** (2 * T)) / (2 - eta)
    exact = sp.series(((mean - mu) ** 2 + var + sig ** 2) / 2, eta, 0, 5).removeO()
    assert sp.expand(exact - series) == 0
    assert sp.expand(exact.coeff(eta, 2) + 1 - series.coeff(eta, 2)) != 0   # a wrong coefficient is seen


def test_ornstein_uhlenbeck_flow_and_sgd_minus_sde():
    loss, data = (th - x) ** 2 / 2, {x: Normal(mu, sig ** 2)}
    sde = expected_after_flow(loss, data, T, 4, params=[th])
    ode = expected_after_flow(loss, data, T, 4, params=[th], noise="ode")
    mean, var = mu + sp.exp(-eta * T) * (th - mu), eta * sig ** 2 * (1 - sp.exp(-2 * eta * T)) / 2
    assert sp.expand(sp.series(((mean - mu) ** 2 + var + sig ** 2) / 2, eta, 0, 5).removeO() - sde) == 0
    assert sp.expand(sp.series(((mean - mu) ** 2 + sig ** 2) / 2, eta, 0, 5).removeO() - ode) == 0
    sgd = expected_after(loss, data, T, 2, params=[th])
    assert sp.expand(sgd - truncate(sde, 2) + T * eta ** 2 * (th - mu) ** 2 / 2) == 0


def test_stationary_linear_model_and_cubic_drift():
    H, C, J = sp.symbols("H C J", positive=True)
    exact = sp.series(eta * C / (2 * (2 - eta * H)), eta, 0, 4).removeO()     # H/2 * eta^2 C / (1 - (1-eta H)^2)
    s = stationary_expectation(H * u ** 2 / 2 + x * u, {x: Normal(0, C)}, 3, params=[u], minimum=[0])
    assert sp.expand(s - exact) == 0
    drift = stationary_expectation(H * u ** 2 / 2 + J * u ** 3 / 6 + x * u, {x: Normal(0, C)}, 1, params=[u],
                                   minimum=[0], observable="displacement")
    assert sp.simplify(drift[0] + eta * C * J / (4 * H ** 2)) == 0          # E[G(theta)] = 0 at stationarity


def test_landscape_of_gauss():
    h = sp.Symbol("h")
    stats = landscape((h + x ** 2 * sp.exp(-h)) / 2, {x: Normal(0, 1)}, [h], {h: 0})
    assert (stats["G"][0], stats["H"][0], stats["J"][0, 0, 0], stats["C"][0], stats["S"][0, 0, 0]) == \
        (0, HALF, -HALF, HALF, -1)


def test_moments_law_and_non_polynomial_loss_with_discrete_data():
    gaussian = Moments(lambda k: 0 if k % 2 else sp.factorial2(k - 1))
    a = expected_after((th - x) ** 2 / 2, {x: gaussian}, T, 2, params=[th])
    assert sp.expand(a - expected_after((th - x) ** 2 / 2, {x: Normal(0, 1)}, T, 2, params=[th])) == 0
    law = Discrete({1: HALF, -1: HALF})                 # exp(x theta) is not polynomial in x: enumeration
    series = expected_after(sp.exp(x * th) / 2, {x: law}, 1, 2, params=[th], theta0=[1], observable=th)
    assert sp.simplify(series - (1 - eta * (sp.E - sp.exp(-1)) / 4)) == 0


# ------------------------------------------------------------------------------ truncation order
def test_truncation_is_exact_and_nested():
    low = expected_after(LOSS2, {x: LAW}, T, 2, params=[u, v], theta0=(HALF, -1))
    high = expected_after(LOSS2, {x: LAW}, T, 3, params=[u, v], theta0=(HALF, -1))
    assert sp.Poly(low, eta).degree() <= 2 and sp.expand(truncate(high, 2) - low) == 0
    assert sp.Poly(high.coeff(eta, 3), T).degree() <= 3                       # coefficient of eta^d: degree <= d in T
    with_o = expected_after(LOSS2, {x: LAW}, T, 2, params=[u, v], theta0=(HALF, -1), big_o=True)
    assert with_o.getO() == sp.O(eta ** 3)


def test_loss_containing_eta_is_truncated_at_order():
    """A regularizer eta th^2/2 makes the step factor a = 1 - eta - eta^2: terms above `order` are dropped."""
    loss = (th - x) ** 2 / 2 + eta * th ** 2 / 2
    series = expected_after(loss, {x: Normal(0, 1)}, T, 3, params=[th], observable=th ** 2)
    a = 1 - eta - eta ** 2
    exact = a ** (2 * T) * th ** 2 + eta ** 2 * (1 - a ** (2 * T)) / (1 - a ** 2)
    assert sp.expand(sp.series(exact, eta, 0, 4).removeO() - series) == 0


# ---------------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("kwargs, words", [
    (dict(T=-1), "T=-1"), (dict(T=1.5), "T=1.5"), (dict(order=-1), "order=-1"),
    (dict(params=u), "params"), (dict(params=[u, x]), "both a parameter and a data symbol"),
    (dict(B=0), "B=0"), (dict(theta0=[1]), "theta0 has 1 values"), (dict(observable="energy"), "observable"),
    (dict(observable=u * x), "depends on data symbols"), (dict(data={x: [1, 2]}), "is not Normal"),
    (dict(data={x: Normal(0, 1)}, loss=sp.exp(x) * u), "must be Discrete"),
    (dict(preconditioner=[[1]]), "preconditioner must be 2x2"),
])
def test_bad_input_is_named(kwargs, words):
    args = dict(loss=LOSS2, data={x: LAW}, T=2, order=2, params=[u, v], theta0=(0, 0))
    args.update(kwargs)
    with pytest.raises(SeriesError, match=r"(?s).*" + __import__("re").escape(words)):
        expected_after(args.pop("loss"), args.pop("data"), args.pop("T"), args.pop("order"), **args)


def test_bad_input_of_the_companions_is_named():
    with pytest.raises(SeriesError, match="Discrete: probabilities sum to 9/10, not 1"):
        Discrete({1: HALF, 2: sp.Rational(2, 5)})
    with pytest.raises(SeriesError, match="var=-1 must be nonnegative"):
        Normal(0, -1)
    with pytest.raises(SeriesError, match="B=2 must divide N=3"):
        expected_after_epochs(LOSS1, {x: LAW2}, 3, 2, params=[u], B=2)
    with pytest.raises(SeriesError, match="reshuffle"):
        expected_after_epochs(LOSS1, {x: LAW2}, 8, 2, params=[u], epochs=3, schedule="reshuffle")
    with pytest.raises(SeriesError, match="minimum has 1 values for 2 params"):
        stationary_expectation(u ** 2 / 2 + x * u, {x: Normal(0, 1)}, 1, params=[u, v], minimum=[0])
    with pytest.raises(SeriesError, match="not a critical point"):
        stationary_expectation(u ** 2 / 2 + x * u, {x: Normal(1, 1)}, 1, params=[u], minimum=[0])
    with pytest.raises(SeriesError, match="not positive definite"):
        stationary_expectation(u ** 2 / 2 + x * v, {x: Normal(0, 1)}, 1, params=[u, v], minimum=[0, 0])
    with pytest.raises(SeriesError, match="noise='brownian'"):
        expected_after_flow(LOSS1, {x: LAW2}, 2, 2, params=[u], noise="brownian")
