"""checks.dynamics.sgd_data: Monte Carlo of SGD with sampled data against exact values (enumeration of every
path, the exact eta-series, closed forms), common random numbers, divergence and bad input."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from checks.dynamics.sgd_data import (
    SimulationError,
    enumerate_sgd,
    enumerate_training_sgd,
    epoch_schedules,
    run_sde,
    run_sgd,
)
from theory.series import ETA, Discrete, expected_after, expected_after_epochs

th, x = sp.symbols("theta x")
LOSS = th ** 2 / 2 + th ** 3 / 6 + x * (th + th ** 2 / 4)          # theta-dependent noise, nonlinear gradient
LAW = Discrete({-1: sp.Rational(2, 3), 2: sp.Rational(1, 3)})
VALUES, PROBS = [-1.0, 2.0], [2 / 3, 1 / 3]


def grad(t, xx):
    return t + t ** 2 / 2 + xx * (1 + t / 2)


def mean_loss(t):
    return t ** 2 / 2 + t ** 3 / 6                                   # E x = 0


def sample(rng, shape):
    return np.where(rng.random(shape) < 2 / 3, -1.0, 2.0)


def z_of(values, exact):
    values = np.asarray(values, dtype=float)
    return (values.mean() - exact) / (values.std(ddof=1) / np.sqrt(len(values)))


# ----------------------------------------------------------------------------- exact enumeration
@pytest.mark.parametrize("B", [1, 2])
def test_enumeration_matches_the_exact_series(B):
    series = expected_after(LOSS, {x: LAW}, 3, 6, params=[th], theta0=[sp.Rational(1, 5)], B=B)
    etas = [0.01, 0.002]
    exact = enumerate_sgd(grad, VALUES, PROBS, [0.2], etas, 3, observe=mean_loss, B=B)[:, 0]
    for e, v in zip(etas, exact):
        assert v == pytest.approx(float(series.subs(ETA, e)), rel=1e-7)
    wrong = expected_after(LOSS + x * th ** 2 / 10, {x: LAW}, 3, 6, params=[th], theta0=[sp.Rational(1, 5)], B=B)
    assert exact[0] != pytest.approx(float(wrong.subs(ETA, etas[0])), rel=1e-6)     # the comparison can fail


@pytest.mark.parametrize("B, epochs, shuffle", [(3, 2, "cyclic"), (1, 2, "reshuffle"), (1, 1, "cyclic")])
def test_training_set_enumeration_matches_the_epoch_series(B, epochs, shuffle):
    series = expected_after_epochs(LOSS, {x: LAW}, 3, 6, params=[th], theta0=[sp.Rational(1, 5)], epochs=epochs,
                                   B=B, schedule=shuffle)
    exact = enumerate_training_sgd(grad, VALUES, PROBS, [0.2], [0.003], 3, epoch_schedules(3, B, epochs, shuffle),
                                   observe=lambda t, train: mean_loss(t))[0, 0]
    assert exact == pytest.approx(float(series.subs(ETA, 0.003)), rel=1e-9)


def test_epoch_schedules_count_and_weights():
    sched = epoch_schedules(3, 1, 3, "reshuffle")
    assert len(sched) == 36 and sum(w for _, w in sched) == pytest.approx(1.0)
    assert all(len(b) == 9 and sorted(b[3:6]) == [(0,), (1,), (2,)] for b, _ in sched)
    assert epoch_schedules(4, 2, 2, "cyclic") == [([(0, 1), (2, 3), (0, 1), (2, 3)], 1.0)]
    with pytest.raises(SimulationError, match="B=2 must divide N=3"):
        epoch_schedules(3, 2, 1)


# ------------------------------------------------------------------ Monte Carlo against exact values
def test_fresh_data_sgd_matches_enumeration_and_rejects_a_wrong_value():
    etas, T = [0.2, 0.1], 6
    run = run_sgd(grad, sample, [0.2], etas, T, 40_000, np.random.default_rng(1), observe=lambda t: mean_loss(t))
    exact = enumerate_sgd(grad, VALUES, PROBS, [0.2], etas, T, observe=mean_loss)[:, 0]
    for i in range(2):
        assert abs(z_of(run.records[T][i, :, 0], exact[i])) < 5
        assert abs(z_of(run.records[T][i, :, 0], 1.05 * exact[i])) > 5
    assert not run.diverged.any()


@pytest.mark.parametrize("B, shuffle", [(4, "reshuffle"), (1, "reshuffle"), (1, "cyclic"), (2, "fixed")])
def test_training_set_sgd_matches_enumeration(B, shuffle):
    N, epochs, eta = 4, 2, 0.2
    T = epochs * N // B
    run = run_sgd(grad, sample, [0.2], [eta], T, 40_000, np.random.default_rng(2), N=N, B=B, shuffle=shuffle)
    # 'fixed' (one random order for every epoch) has the law of 'cyclic': the points are exchangeable
    sched = epoch_schedules(N, B, epochs, "reshuffle" if shuffle == "reshuffle" else "cyclic")
    exact = enumerate_training_sgd(grad, VALUES, PROBS, [0.2], [eta], N, sched)[0, 0]
    assert abs(z_of(run.records[T][0, :, 0], exact)) < 5
    assert run.train.shape == (40_000, N, 1)


def test_sampling_with_replacement_is_fresh_data_on_a_large_training_set():
    T = 4
    run = run_sgd(grad, sample, [0.2], [0.2], T, 40_000, np.random.default_rng(3), N=2, B=1, replacement=True)
    # with replacement from N = 2 points, steps reuse points: the mean differs from fresh-data SGD's
    exact_fresh = enumerate_sgd(grad, VALUES, PROBS, [0.2], [0.2], T)[0, 0]
    with_repl = enumerate_training_sgd(grad, VALUES, PROBS, [0.2], [0.2], 2,
                                       [([(a,), (b,), (c,), (d,)], 1 / 16) for a in (0, 1) for b in (0, 1)
                                        for c in (0, 1) for d in (0, 1)])[0, 0]
    assert abs(z_of(run.records[T][0, :, 0], with_repl)) < 5
    assert abs(with_repl - exact_fresh) > 1e-3


def test_common_random_numbers_drive_every_learning_rate():
    run = run_sgd(grad, sample, [0.0], [0.1, 0.1, 0.05], 20, 500, np.random.default_rng(4), record=[5, 20])
    assert np.array_equal(run.records[20][0], run.records[20][1])
    # paths at two learning rates share the data: their difference has far less spread than either path
    d = run.records[20][0, :, 0] - run.records[20][2, :, 0]
    assert d.std() < 0.8 * run.records[20][0, :, 0].std()


def test_time_average_of_the_stationary_linear_model():
    """l_x = theta^2/2 + x theta, x = +-1: stationary E theta^2 = eta / (2 - eta) exactly."""
    eta = 0.2
    run = run_sgd(lambda t, xx: t + xx, lambda rng, s: np.where(rng.random(s) < 0.5, 1.0, -1.0), [0.0], [eta],
                  3000, 400, np.random.default_rng(5), average_from=200, observe=lambda t: t ** 2)
    assert abs(z_of(run.time_average[0, :, 0], eta / (2 - eta))) < 5
    assert abs(z_of(run.time_average[0, :, 0], eta / 2)) > 5


def test_sde_against_the_ornstein_uhlenbeck_solution():
    """d theta = -eta theta dt + eta dW from theta0 = 1: mean exp(-eta T), variance eta (1 - exp(-2 eta T)) / 2;
    Euler-Maruyama with 16 substeps is biased by O(eta / 16) relative, below the tolerance used here."""
    eta, T = 0.1, 10
    run = run_sde(lambda t: t, lambda t: np.ones(t.shape + (1,)), [1.0], [eta], T, 40_000, np.random.default_rng(6))
    th_T = run.records[T][0, :, 0]
    assert abs(z_of(th_T, np.exp(-eta * T))) < 5
    var = eta * (1 - np.exp(-2 * eta * T)) / 2
    assert th_T.var() == pytest.approx(var, rel=0.03)
    assert th_T.var() != pytest.approx(var * 1.2, rel=0.03)


# ---------------------------------------------------------------------- divergence and bad input
def test_divergence_is_flagged_and_never_averaged():
    run = run_sgd(lambda t, xx: t ** 3 + xx, lambda rng, s: rng.standard_normal(s), [0.0], [0.01, 3.0], 50, 200,
                  np.random.default_rng(7), blowup=1e6)
    assert run.diverged_fraction[0] == 0 and run.diverged_fraction[1] > 0.5
    assert np.all(np.isnan(run.records[50][1][run.diverged[1]]))


@pytest.mark.parametrize("kwargs, words", [
    (dict(etas=[-0.1]), "positive learning rates"), (dict(T=-1), "T=-1"), (dict(n_paths=0), "n_paths=0"),
    (dict(N=3, B=2), "B=2 must divide N=3"), (dict(shuffle="random"), "shuffle="),
    (dict(average_from=99), "average_from=99"), (dict(record=[11]), "record="),
])
def test_bad_arguments_are_named(kwargs, words):
    args = dict(etas=[0.1], T=10, n_paths=10)
    args.update(kwargs)
    with pytest.raises(SimulationError, match=words.replace("[", r"\[")):
        run_sgd(grad, sample, [0.0], args.pop("etas"), args.pop("T"), args.pop("n_paths"), np.random.default_rng(0),
                **args)


def test_bad_laws_are_named():
    with pytest.raises(SimulationError, match="sum to 1"):
        enumerate_sgd(grad, VALUES, [0.5, 0.6], [0.0], [0.1], 2)
    with pytest.raises(SimulationError, match="exceeds"):
        enumerate_sgd(grad, VALUES, PROBS, [0.0], [0.1], 40)
    with pytest.raises(SimulationError, match="weights summing to 1"):
        enumerate_training_sgd(grad, VALUES, PROBS, [0.0], [0.1], 2, [([(0,), (1,)], 0.5)])
