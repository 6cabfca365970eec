"""The in-kernel random numbers: xoshiro256++ against an independent implementation and its jump against the
transition matrix, and the samplers against their laws.

Each statistical comparison is made at false-alarm level 1e-6 (two-sided); the file makes fewer than 40,
so a correct generator fails this file with probability below 4e-5 (the seeds are fixed, so a run either
always passes or always fails). Each law test is paired with a wrong law that the same test must reject.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from checks.dynamics import jit, rng

LEVEL = 1e-6
Z = stats.norm.isf(LEVEL / 2)                         # 4.89
M64 = (1 << 64) - 1


def xoshiro_python(state, n):
    """Reference xoshiro256++ (Blackman and Vigna), on Python integers."""
    s = [int(v) for v in state]
    rotl = lambda x, k: ((x << k) | (x >> (64 - k))) & M64
    out = []
    for _ in range(n):
        out.append((rotl((s[0] + s[3]) & M64, 23) + s[0]) & M64)
        t = (s[1] << 17) & M64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
    return out, s


def test_xoshiro_matches_the_reference_implementation():
    s = tuple(np.uint64(v) for v in (1, 2, 3, 4))
    words = []
    for _ in range(1000):
        w, s = rng.next_u64(s)
        s = tuple(np.uint64(v) for v in s)
        words.append(int(w))
    assert words[0] == 41943041                         # rotl(1 + 4, 23) + 1
    assert words == xoshiro_python([1, 2, 3, 4], 1000)[0]


def test_a_block_stream_is_its_generator_sequence():
    state = rng.block_states(123, 1)[0]
    assert [int(v) for v in rng.block_sequence(state, 300, "bits")] == xoshiro_python(state, 300)[0]


def _transition_matrix() -> np.ndarray:
    """The xoshiro state update as a 256 x 256 0/1 matrix over GF(2): column j is the image of bit j."""
    T = np.zeros((256, 256), dtype=np.uint8)
    for j in range(256):
        state = [0, 0, 0, 0]
        state[j // 64] = 1 << (j % 64)
        _, nxt = xoshiro_python(state, 1)
        T[:, j] = [(nxt[w] >> b) & 1 for w in range(4) for b in range(64)]
    return T


def _square(M: np.ndarray) -> np.ndarray:
    """M @ M over GF(2): row i of the product is the XOR of the rows j of M with M[i, j] = 1."""
    packed = np.packbits(M, axis=1)                                  # (256, 32) bytes
    rows = np.bitwise_xor.reduce(M[:, :, None] * packed[None, :, :], axis=1)
    return np.unpackbits(rows, axis=1)


def _apply(M, state) -> list[int]:
    bits = np.array([(int(state[w]) >> b) & 1 for w in range(4) for b in range(64)], dtype=np.int64)
    out = (M.astype(np.int64) @ bits) % 2
    return [sum(int(out[w * 64 + b]) << b for b in range(64)) for w in range(4)]


def test_jumps_advance_the_state_by_2_to_the_128_and_192():
    T = _transition_matrix()
    P = T.copy()
    for _ in range(128):
        P = _square(P)                                               # T^(2^k)
    state = rng.block_states(7, 1)[0]
    assert [int(v) for v in rng.jump(state)] == _apply(P, state)
    for _ in range(64):
        P = _square(P)
    assert [int(v) for v in rng.jump(state, long=True)] == _apply(P, state)
    assert _apply(T, state) == xoshiro_python(state, 1)[1]            # the matrix is the generator's step
    assert _apply(_square(T), state) == xoshiro_python(state, 2)[1]   # and squaring is two steps


def test_block_streams_are_successive_jumps_and_reproducible():
    a = rng.block_states(np.random.SeedSequence(5), 6)
    np.testing.assert_array_equal(a, rng.block_states(np.random.SeedSequence(5), 6))
    assert not np.array_equal(a, rng.block_states(np.random.SeedSequence(6), 6))
    for b in range(1, 6):
        np.testing.assert_array_equal(a[b], rng.jump(a[b - 1]))
    np.testing.assert_array_equal(a[:3], rng.block_states(np.random.SeedSequence(5), 3))
    with pytest.raises(TypeError):
        rng.as_seed_sequence("seed")


@pytest.fixture(scope="module")
def normals():
    return rng.standard_normals(np.random.SeedSequence(2024), 1 << 21)


def test_normals_follow_the_standard_normal_law(normals):
    x = normals
    assert stats.kstest(x, "norm").pvalue > LEVEL
    assert stats.kstest(x / 1.01, "norm").pvalue < LEVEL            # a 1% scale error is seen
    edges = stats.norm.ppf(np.linspace(0, 1, 201))
    counts = np.histogram(x, edges)[0]
    assert stats.chisquare(counts).pvalue > LEVEL
    n = x.size
    assert abs(x.mean()) * math.sqrt(n) < Z
    assert abs(np.mean(x ** 2) - 1) / math.sqrt(2 / n) < Z
    assert abs(np.mean(x ** 4) - 3) / math.sqrt(96 / n) < Z
    assert abs(np.mean(x ** 2) - 1.01) / math.sqrt(2 / n) > Z


def test_the_tail_and_the_wedges_are_exact(normals):
    """The ziggurat's slow paths: |x| > R (layer 0's tail) and the wedges (about 1% of draws)."""
    x, n = np.abs(normals), normals.size
    for c in (rng.ZIG_R, 4.0, 4.5):
        p = 2 * stats.norm.sf(c)
        k = int((x > c).sum())
        assert stats.binomtest(k, n, p).pvalue > LEVEL, c
    # within the outer layers (between consecutive table abscissae) the counts follow the normal law
    edges = np.sort(rng.ZIG_X[1:12])
    counts = np.histogram(x, edges)[0]
    probs = np.diff(2 * stats.norm.cdf(edges))
    assert stats.chisquare(counts, probs / probs.sum() * counts.sum()).pvalue > LEVEL


def test_uniforms_and_bits_are_uniform():
    states = rng.block_states(11, 4)
    u = rng.numbers_by_path(states, 1, 4, 1 << 18, "uniform").ravel()
    assert u.min() >= 0 and u.max() < 1
    counts = np.histogram(u, np.linspace(0, 1, 1001))[0]
    assert stats.chisquare(counts).pvalue > LEVEL
    assert stats.kstest(u, "uniform").pvalue > LEVEL
    assert stats.kstest(u ** 1.02, "uniform").pvalue < LEVEL               # a slight distortion is seen
    words = rng.numbers_by_path(states, 1, 4, 1 << 14, "bits").ravel()
    assert words.dtype == np.uint64
    ones = np.array([int(((words >> np.uint64(b)) & np.uint64(1)).sum()) for b in range(64)])
    z = (ones - words.size / 2) / math.sqrt(words.size / 4)
    assert stats.chi2.sf(float(z @ z), 64) > LEVEL


def test_exponentials_follow_the_exponential_law():
    x = rng.numbers_by_path(rng.block_states(3, 4), 1, 4, 1 << 18, "exponential").ravel()
    assert stats.kstest(x, "expon").pvalue > LEVEL
    assert stats.kstest(x / 1.01, "expon").pvalue < LEVEL
    for c in (rng.EXP_R, 10.0):                                          # the tail beyond the ziggurat's R
        assert stats.binomtest(int((x > c).sum()), x.size, math.exp(-c)).pvalue > LEVEL


@pytest.mark.parametrize("alpha", [0.5, 1.0, 1.5, 2.0])
def test_stable_characteristic_function(alpha):
    """E cos(tX) = exp(-|t|^alpha): a bounded statistic, so a z-test is valid for every alpha."""
    x = rng.symmetric_stable(alpha, 1.0, 1 << 20, np.random.SeedSequence(int(alpha * 10)))
    for t in (0.3, 1.0, 2.0):
        c = np.cos(t * x)
        se = c.std() / math.sqrt(c.size)
        assert abs(c.mean() - math.exp(-t ** alpha)) / se < Z, (alpha, t)
        assert abs(c.mean() - math.exp(-(1.06 * t) ** alpha)) / se > Z or t < 1   # a 6% scale error is seen
    s = np.sin(x[: 1 << 18])
    assert abs(s.mean()) / (s.std() / math.sqrt(s.size)) < Z                   # symmetric


def test_stable_special_cases_are_gauss_and_cauchy():
    g = rng.symmetric_stable(2.0, 1.5, 1 << 18, 3)
    assert stats.kstest(g / (1.5 * math.sqrt(2)), "norm").pvalue > LEVEL     # alpha = 2: N(0, 2 sigma^2)
    c = rng.symmetric_stable(1.0, 0.7, 1 << 18, 4)
    assert stats.kstest(c / 0.7, "cauchy").pvalue > LEVEL
    assert stats.kstest(c / 0.75, "cauchy").pvalue < LEVEL
    with pytest.raises(ValueError):
        rng.symmetric_stable(2.5, 1.0, 10, 0)


def test_stable_far_tail_keeps_its_accuracy():
    """x^alpha P(|X| > x) -> 2 c_alpha / alpha with c_alpha = Gamma(1 + alpha) sin(pi alpha/2)/pi."""
    alpha = 0.8
    x = np.abs(rng.symmetric_stable(alpha, 1.0, 1 << 20, 9))
    c = math.gamma(1 + alpha) * math.sin(math.pi * alpha / 2) / math.pi
    level = 1e4
    p = 2 * c / alpha * level ** -alpha
    assert stats.binomtest(int((x > level).sum()), x.size, p).pvalue > LEVEL
    assert np.isfinite(x).all()


@pytest.mark.skipif(jit.max_threads() < 2, reason="one thread only")
def test_streams_do_not_depend_on_the_thread_count():
    states = rng.block_states(1, 8)
    with jit.threads(1):
        one = rng.numbers_by_path(states, 100, 800, 50)
    with jit.threads(2):
        two = rng.numbers_by_path(states, 100, 800, 50)
    np.testing.assert_array_equal(one, two)


def test_replay_serves_numbers_in_order():
    r = rng.ReplayNumbers(np.arange(10.0))
    out = np.empty((2, 2))
    r.standard_normal(out=out)
    np.testing.assert_array_equal(out, [[0, 1], [2, 3]])
    np.testing.assert_array_equal(r.random(3), [4, 5, 6])
    with pytest.raises(IndexError):
        r.standard_normal((2, 2))
