"""The compiled kernels against the plain-numpy reference kernels.

Bitwise: the reference kernel is fed exactly the numbers the compiled kernel drew (rng.ReplayNumbers,
reordered from the compiled per-path order to the reference's step-major order) and must give the same
positions bit for bit wherever both do the same floating-point operations (1-D, diagonal models, the
optimizers' updates); rotated models use BLAS in the reference, so they agree to rounding.
Statistical: each comparison at false-alarm level 1e-6 (two-sided), fewer than 20 in this file.
Threads: one and two threads give identical results.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from scipy import stats

from checks.dynamics import compiled as C
from checks.dynamics import escape as ref_escape
from checks.dynamics import jit, linear, momentum, multiplicative
from checks.dynamics import optimizers as O
from checks.dynamics.compiled import _common
from checks.dynamics.compiled.optimizers import to_reference
from checks.dynamics.rng import ReplayNumbers, numbers_by_path

Z = stats.norm.isf(1e-6 / 2)
BLOCK = C.BLOCK


def path_major(states, n_paths, n_steps, per_step=1):
    """Draws of a kernel whose paths run one after the other (1-D linear), in the numpy kernels' order
    (per step, all paths)."""
    z = numbers_by_path(states, BLOCK, n_paths, n_steps * per_step)
    return z.reshape(n_paths, n_steps, per_step).transpose(1, 0, 2)


def lockstep(states, n_paths, n_steps, per_step):
    """Draws of a kernel whose block's paths run in lockstep (per step, each path of the block in turn), in
    the numpy kernels' order: (step, path, per_step)."""
    parts = []
    for b in range(states.shape[0]):
        nq = min(n_paths, (b + 1) * BLOCK) - b * BLOCK
        parts.append(numbers_by_path(states[b:b + 1], 1, 1, n_steps * nq * per_step)[0]
                     .reshape(n_steps, nq, per_step))
    return np.concatenate(parts, axis=1)


def test_linear_1d_is_bitwise_the_reference():
    dyn = linear.sgd_on_quadratic(np.array([[-0.5]]), 0.05, 8.0)
    n, seed = 600, np.random.SeedSequence(3)
    got = C.simulate(dyn, n, (7, 20), seed)
    replay = ReplayNumbers(path_major(_common.streams(seed, n), n, 20))
    want = linear.simulate(dyn, n, (7, 20), replay)
    for a, b in zip(got.records, want.records):
        np.testing.assert_array_equal(a, b)
    assert got.path_steps == n * 20 and not got.diverged.any()


def test_linear_diagonal_and_rotated_match_the_reference():
    seed, n = np.random.SeedSequence(4), 300
    dyn = linear.sgd_on_quadratic(np.diag([0.5, -0.2, 1.1]), 0.05, 8.0)
    got = C.simulate(dyn, n, (5, 30), seed)
    want = linear.simulate(dyn, n, (5, 30), ReplayNumbers(lockstep(_common.streams(seed, n), n, 30, 3)))
    np.testing.assert_array_equal(got.records[1], want.records[1])
    H, _ = linear.rotated_hessian(np.array([0.5, -0.2, 1.1]), np.random.default_rng(1))
    dyn = linear.sgd_on_quadratic(H, 0.05, 8.0)
    got = C.simulate(dyn, n, (30,), seed)
    want = linear.simulate(dyn, n, (30,), ReplayNumbers(lockstep(_common.streams(seed, n), n, 30, 3)))
    np.testing.assert_allclose(got.records[0], want.records[0], rtol=1e-11, atol=1e-14)


def test_euler_pair_matches_the_reference():
    seed, n, steps = np.random.SeedSequence(5), 300, 40
    for H, D in ((np.array([[0.8]]), np.array([[0.3]])),
                 (np.array([[0.0, -1.0], [0.5, 2.0]]), np.diag([0.0, 0.2]))):      # phase space: not symmetric
        d = H.shape[0]
        xc, xf, bad = C.euler_maruyama_pair(H, D, 1.0, steps, n, seed)
        replay = ReplayNumbers(lockstep(_common.streams(seed, n), n, steps, 2 * d).reshape(steps, n, 2, d)
                               .transpose(0, 2, 1, 3))
        rc, rf, rbad = linear.euler_maruyama_pair(H, D, 1.0, steps, n, replay)
        check = np.testing.assert_array_equal if d == 1 else (
            lambda a, b: np.testing.assert_allclose(a, b, rtol=1e-11, atol=1e-14))
        check(xc, rc)
        check(xf, rf)
        assert not bad.any() and not rbad.any()


SPECS = {
    "SGD": lambda Cm: C.sgd(0.05),
    "Momentum (SGD-style)": lambda Cm: C.heavy_ball(0.01, 0.9, 1.0),
    "Momentum (Adam-style)": lambda Cm: C.heavy_ball(0.05, 0.9),
    "Adam": lambda Cm: C.adam(0.02, 0.9, 0.999, 1e-8),
    "Adam eps outside": lambda Cm: C.adam(0.02, 0.9, 0.99, 1e-3, eps_outside=True),
    "idealized Adam": lambda Cm: C.idealized_adam(0.02, Cm, 0.9, bias_correction=True),
    "idealized Adam (121)": lambda Cm: C.idealized_adam(0.02, Cm, 0.9, bias_correction=False),
    "Adai": lambda Cm: C.adai(0.05, 0.1, 0.99, 1e-3),
    "AMSGrad": lambda Cm: C.amsgrad(0.02, 0.5, 0.99, 1e-6),
    "AMSGrad printed (13), no max": lambda Cm: C.amsgrad(0.02, 0.3, 0.99, 1e-6, printed_m=True, amsgrad=False),
}


@pytest.mark.parametrize("name", list(SPECS))
def test_optimizers_on_a_saddle_are_bitwise_the_reference(name):
    """Diagonal H (rotate=False): the reference's matrix products add exact zeros, so every operation agrees."""
    eigs, B, T, n, seed = [0.5, -0.3, 1.2], 16.0, 25, 300, np.random.SeedSequence(8)
    make = SPECS[name]
    Cm = np.diag(np.abs(eigs)) / B
    got = C.saddle_paths(make(Cm), np.diag(eigs), Cm, n, (10, T), seed)
    replay = ReplayNumbers(lockstep(_common.streams(seed, n), n, T, 3))
    want, bad = momentum.optimizer_on_saddle(lambda c: to_reference(make(c)), eigs, B, T, n, replay,
                                             record=(10, T), rotate=False)
    for a, b in zip(got.records, want):
        np.testing.assert_array_equal(a, b)
    assert got.path_steps == n * T and not bad.any()


@pytest.mark.parametrize("name", ["Momentum (SGD-style)", "Adam", "idealized Adam (121)", "Adai"])
def test_optimizers_on_a_rotated_saddle_agree_to_rounding(name):
    eigs, B, T, n, seed = np.array([0.5, -0.3, 1.2]), 16.0, 30, 200, np.random.SeedSequence(9)
    rot = np.random.default_rng(2).standard_normal((3, 3))
    H, U = C.saddle.rotated_hessian(eigs, ReplayNumbers(rot))
    Cm = C.saddle.abs_matrix(H) / B
    got = C.saddle_paths(SPECS[name](Cm), H, Cm, n, (T,), seed)
    replay = ReplayNumbers(np.concatenate([rot.ravel(), lockstep(_common.streams(seed, n), n, T, 3).ravel()]))
    (want,), _ = momentum.optimizer_on_saddle(lambda c: to_reference(SPECS[name](c)), eigs, B, T, n, replay)
    np.testing.assert_allclose(got.records[0] @ U, want, rtol=1e-9, atol=1e-13)


def test_reference_optimizer_objects_are_read_as_specs():
    (x,), bad = C.optimizer_on_saddle(lambda Cm: O.Adai(0.05), [0.5, -0.3], 16.0, 50, 2000, np.random.default_rng(1))
    assert x.shape == (2000, 2) and not bad.any() and np.all(np.isfinite(x))
    assert C.spec_of(O.AdaiW(0.1, weight_decay=0.1)) is None              # no compiled kernel: reference runs
    with pytest.raises(ValueError, match="beta1"):
        C.heavy_ball(0.1, 1.5)


def _escape_case(opt_ref, spec, potential, sigma, n=200, noise="gaussian", alpha=2.0, lo=-0.8, hi=0.8,
                 max_steps=3000):
    """One block: its live paths draw in lockstep, exactly as the reference draws for its live rows."""
    seed = np.random.SeedSequence(12)
    start = 0.1 if lo < 0 else 1.0
    got = C.escape_times(spec, potential, start, (lo, hi), sigma, n, max_steps, seed, noise=noise, alpha=alpha)
    stream = numbers_by_path(_common.streams(seed, n)[:1], 1, 1, got.path_steps,
                             "normal" if noise == "gaussian" else "stable", alpha)[0]
    draw = (lambda r, shape: r.standard_normal(shape)) if noise == "gaussian" else (lambda r, shape: r.random(shape))
    grad = lambda x, r: potential.gradient(x) + sigma * draw(r, x.shape)
    out = lambda x: ~((lo < x[:, 0]) & (x[:, 0] < hi))
    want = ref_escape.escape_times(opt_ref(), grad, [start], out, n, max_steps, ReplayNumbers(stream))
    return got, want


@pytest.mark.parametrize("kind", ["SGD", "Momentum", "Adam", "Adai"])
def test_escape_times_are_bitwise_the_reference(kind):
    """One block of paths fed to the reference: the same exit steps, censoring and work."""
    make = {"SGD": lambda: O.SGD(0.1), "Momentum": lambda: O.HeavyBall(0.05, 0.8, 1.0),
            "Adam": lambda: O.Adam(0.1), "Adai": lambda: O.Adai(0.1)}[kind]
    for pot in (C.double_well(0.3), C.quadratic(0.8)):
        got, want = _escape_case(make, C.spec_of(make()), pot, 1.5)
        np.testing.assert_array_equal(got.steps, want.steps)
        np.testing.assert_array_equal(got.censored, want.censored)
        assert got.path_steps == want.path_steps and got.censored.mean() < 0.2


def test_stable_escape_is_bitwise_the_reference_and_gaussian_at_alpha_2():
    got, want = _escape_case(lambda: O.SGD(0.1), C.sgd(0.1), C.min_quadratics(150.0), 0.4, noise="stable",
                             alpha=1.5, lo=0.5, hi=1.5)
    np.testing.assert_array_equal(got.steps, want.steps)
    assert not got.censored.any()
    # alpha = 2 is N(0, 2): the stable kernel with sigma matches the Gaussian one with sigma sqrt(2)
    pot, n = C.cosine_valley(0.2), 10_000                    # DeltaL/T = 2 with T = lr sigma^2 (2 at alpha = 2) / 2
    s = C.escape_times(C.sgd(0.1), pot, 0.0, (-1.5, 1.5), 1.0, n, 10 ** 6, 1, noise="stable", alpha=2.0)
    g = C.escape_times(C.sgd(0.1), pot, 0.0, (-1.5, 1.5), math.sqrt(2), n, 10 ** 6, 2)
    (ms, ss), (mg, sg) = s.mean(), g.mean()
    assert abs(ms - mg) / math.hypot(ss, sg) < Z
    assert abs(ms - 1.1 * mg) / math.hypot(ss, sg) > Z


def test_escape_divergence_and_censoring_are_flagged():
    e = C.escape_times(C.sgd(3.0), C.quadratic(1.0), 0.0, (-1e200, 1e200), 1.0, 300, 10_000, 0)
    assert e.diverged.all() and e.censored.all()
    e = C.escape_times(C.sgd(0.01), C.quadratic(1.0), 0.0, (-50.0, 50.0), 0.1, 300, 100, 0)
    assert e.censored.all() and not e.diverged.any() and (e.steps == 100).all() and e.path_steps == 300 * 100


def test_log_abs_w_follows_the_exact_binomial_law():
    lam, a, T, n = 0.7, -1.5, 100, 200_000
    logs = C.log_abs_w(lam, a, T, n, np.random.SeedSequence(5), record=(37, T))
    l1, l2 = math.log(abs(1 - lam)), math.log(abs(1 - lam * (a - 1)))
    k = np.rint((logs[T] - T * l2) / (l1 - l2)).astype(int)
    np.testing.assert_allclose(logs[T], k * l1 + (T - k) * l2, rtol=1e-12)
    observed = np.bincount(k, minlength=T + 1)
    p = stats.binom.pmf(np.arange(T + 1), T, 0.5)
    keep = p * n > 5
    expected = np.concatenate([p[keep] * n, [n - p[keep].sum() * n]])
    obs = np.concatenate([observed[keep], [n - observed[keep].sum()]])
    assert stats.chisquare(obs, expected).pvalue > 1e-6
    p_wrong = stats.binom.pmf(np.arange(T + 1), T, 0.52)[keep] * n
    assert stats.chisquare(obs, np.concatenate([p_wrong, [n - p_wrong.sum()]])).pvalue < 1e-6
    k37 = np.rint((logs[37] - 37 * l2) / (l1 - l2)).astype(int)
    assert np.all((k37 <= k) & (k - k37 <= T - 37))                                  # one path, two records
    assert np.isneginf(C.log_abs_w(1.0, -1.0, 12, 1000, 2)[12]).mean() > 0.99       # w = 0 is absorbing


def test_sharp_flat_is_bitwise_the_reference():
    lam, a, T, n, seed = 0.05, -0.1, 300, 200, np.random.SeedSequence(6)
    w0 = np.random.default_rng(0).uniform(-1, 1, (2, n))
    w1, w2 = C.sharp_flat_sgd(lam, a, 1 / lam - 6, T, n, seed, w_init=w0)
    n_words = -(-T // 64)                    # every 64 steps each path of the block takes one word, in turn
    words = numbers_by_path(_common.streams(seed, n)[:1], 1, 1, n_words * n, "bits")[0].reshape(n_words, n)
    bits = (words[:, :, None] >> np.arange(64, dtype=np.uint64)) & np.uint64(1)      # (word, path, bit)
    coins = np.where(bits.transpose(0, 2, 1).reshape(-1, n)[:T] == 1, 0.25, 0.75)   # random() < 0.5 <=> x = +1
    r1, r2 = multiplicative.sharp_flat_sgd(lam, a, 1 / lam - 6, T, n, ReplayNumbers(coins), w_init=w0)
    np.testing.assert_array_equal(w1, r1)
    np.testing.assert_array_equal(w2, r2)


@pytest.mark.skipif(jit.max_threads() < 2, reason="one thread only")
def test_one_and_two_threads_give_identical_results():
    dyn = linear.sgd_on_quadratic(np.diag([0.5, -0.2]), 0.05, 8.0)
    runs = {
        "linear": lambda: C.simulate(dyn, 3000, (50,), 1).records[0],
        "saddle": lambda: C.optimizer_on_saddle(C.adam(0.02), [0.5, -0.3, 1.2], 16.0, 50, 3000, 1)[0][0],
        "escape": lambda: C.escape_times(C.adai(0.1), C.cosine_valley(0.2), 0.0, (-1.5, 1.5), 2.0, 3000,
                                         10 ** 5, 1).steps,
        "log|w|": lambda: C.log_abs_w(0.7, -1.5, 100, 3000, 1)[100],
    }
    for name, run in runs.items():
        with jit.threads(1):
            one = run()
        with jit.threads(2):
            two = run()
        np.testing.assert_array_equal(one, two, err_msg=name)


def test_divergence_stops_the_path_and_is_flagged():
    got = C.simulate(linear.sgd_on_quadratic(np.array([[1.5]]), 2.5, 1.0), 500, (10, 2000), 0)
    assert got.diverged.all() and np.isnan(got.records[1]).all() and got.path_steps < 500 * 2000
    (x,), bad = C.optimizer_on_saddle(C.sgd(3.0), [1.0], 1.0, 2000, 300, 0)
    assert bad.all() and np.isnan(x).all()


def test_without_numba_the_reference_answers_with_a_warning(monkeypatch):
    monkeypatch.setattr(jit, "HAVE_NUMBA", False)
    dyn = linear.sgd_on_quadratic(np.array([[0.5]]), 0.05, 8.0)
    with pytest.warns(RuntimeWarning, match="numba is not available"):
        got = C.simulate(dyn, 100, (10,), 1)
    assert got.records[0].shape == (100, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (x,), bad = C.optimizer_on_saddle(C.adam(0.02, eps_outside=True), [0.5], 16.0, 10, 50, 1)
        e = C.escape_times(C.sgd(0.1), C.quadratic(1.0), 0.0, (-0.5, 0.5), 1.0, 50, 1000, 1, noise="stable",
                           alpha=1.5)
        logs = C.log_abs_w(0.7, -1.5, 10, 50, 1)
    assert x.shape == (50, 1) and e.n == 50 and not e.censored.any() and logs[10].shape == (50,)
