"""Random numbers inside compiled kernels: xoshiro256++ streams, a ziggurat normal sampler, uniforms,
exponentials (ziggurat), random bits and symmetric alpha-stable variates (Chambers-Mallows-Stuck).

Streams. A kernel splits its paths into fixed-size blocks and gives each block its own xoshiro256++ stream:
the base state comes from the check's SeedSequence and block b starts b jumps of 2^128 outputs further on,
so the streams never overlap, and the numbers a path sees depend on the seed and the block size only,
never on the number of threads. A stream state is a 4-tuple of uint64 that the samplers take and return:
it stays in registers inside the kernels' loops (arrays passed to helper functions would cost reference
counting on every draw).

Normals. The ziggurat of Marsaglia and Tsang (256 layers, float64, the layout of rand_distr): one 64-bit
draw gives the layer (8 bits) and a signed 52-bit abscissa; about 99% of normals cost one word and one
comparison; the wedges and the tail (x > R, sampled exactly by Marsaglia's method) are exact.

``ReplayNumbers`` serves a fixed array through the numpy Generator methods the plain-numpy kernels call, so
a reference kernel can be driven by exactly the numbers a compiled kernel drew (bitwise comparisons).
"""
from __future__ import annotations

import math

import numpy as np

from . import jit
from .jit import njit, prange

U64 = np.uint64
_MASK8 = np.uint64(0xFF)
_SH11, _SH12, _SH17, _SH45, _SH23 = (np.uint64(k) for k in (11, 12, 17, 45, 23))
_SH19, _SH41 = np.uint64(19), np.uint64(41)     # 64 - 45, 64 - 23
_ONE = np.uint64(1)
TWO_M52 = 2.0 ** -52
TWO_M53 = 2.0 ** -53

JUMP = np.array([0x180EC6D33CFD0ABA, 0xD5A61266F0C9392C, 0xA9582618E03FC9AA, 0x39ABDC4529B1661C], dtype=np.uint64)
LONG_JUMP = np.array([0x76E15D3EFEFDCBBF, 0xC5004E441C522FB3, 0x77710069854EE241, 0x39109BB02ACBE635],
                     dtype=np.uint64)


# --- the ziggurat tables ---------------------------------------------------------------------------------------
def _ziggurat_tables(r: float = 3.6541528853610088, v: float = 0.00492867323399, n: int = 256):
    """Layer i (1 <= i < n) is the box [0, X[i]) x [F[i], F[i+1]]; layer 0 is the base strip with the tail.
    Every layer has area v; X decreases, F = exp(-X^2/2) increases to F[n] = 1."""
    f = lambda x: math.exp(-0.5 * x * x)
    x = np.empty(n + 1)
    x[0], x[1] = v / f(r), r
    for i in range(2, n):
        x[i] = math.sqrt(-2.0 * math.log(v / x[i - 1] + f(x[i - 1])))
    x[n] = 0.0
    return x, np.exp(-0.5 * x * x)


ZIG_R = 3.6541528853610088
ZIG_X, ZIG_F = _ziggurat_tables()
ZIG_W = ZIG_X * 2.0 ** -51        # x = (j - 2^51) ZIG_W[i] = u ZIG_X[i] exactly, u = 2 j 2^-52 - 1
_HALF = np.int64(1 << 51)


def _exponential_tables(r: float = 7.69711747013104972, v: float = 0.0039496598225815571993, n: int = 256):
    """The exponential ziggurat (same layout, f(x) = exp(-x) on x >= 0)."""
    x = np.empty(n + 1)
    x[0], x[1] = v / math.exp(-r), r
    for i in range(2, n):
        x[i] = -math.log(v / x[i - 1] + math.exp(-x[i - 1]))
    x[n] = 0.0
    return x, np.exp(-x)


EXP_R = 7.69711747013104972
EXP_X, EXP_F = _exponential_tables()
EXP_W = EXP_X * 2.0 ** -52        # x = j EXP_W[i] = u EXP_X[i] exactly, u = j 2^-52


# --- xoshiro256++ ----------------------------------------------------------------------------------------------
@njit
def next_u64(s):
    """One 64-bit output of xoshiro256++ and the next state (s a 4-tuple of uint64)."""
    s0, s1, s2, s3 = s
    a = s0 + s3
    out = ((a << _SH23) | (a >> _SH41)) + s0
    t = s1 << _SH17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = (s3 << _SH45) | (s3 >> _SH19)
    return out, (s0, s1, s2, s3)


@njit
def _apply_jump(state, poly):
    """state advanced by the jump polynomial poly (JUMP: 2^128 outputs, LONG_JUMP: 2^192)."""
    s = (state[0], state[1], state[2], state[3])
    a0 = a1 = a2 = a3 = U64(0)
    for word in poly:
        for b in range(64):
            if (word >> U64(b)) & _ONE:
                a0 ^= s[0]
                a1 ^= s[1]
                a2 ^= s[2]
                a3 ^= s[3]
            _, s = next_u64(s)
    out = np.empty(4, dtype=np.uint64)
    out[0], out[1], out[2], out[3] = a0, a1, a2, a3
    return out


@njit
def _jumped(base, n, poly):
    out = np.empty((n, 4), dtype=np.uint64)
    if n > 0:
        out[0] = base
    for b in range(1, n):
        out[b] = _apply_jump(out[b - 1], poly)
    return out


# --- samplers on a stream state ----------------------------------------------------------------------------------
@njit
def uniform(s):
    """U[0, 1) on the 2^-53 grid (integers below 2^63 convert to float in one signed conversion)."""
    r, s = next_u64(s)
    return float(np.int64(r >> _SH11)) * TWO_M53, s


@njit
def uniform_open(s):
    """U(0, 1), never 0 or 1 (for logarithms)."""
    r, s = next_u64(s)
    return (float(np.int64(r >> _SH12)) + 0.5) * TWO_M52, s


@njit
def _exponential_slow(s, i, x):
    while True:
        if i == 0:                                   # beyond R: R plus a fresh Exp(1) (memorylessness)
            u, s = uniform_open(s)
            return EXP_R - math.log(u), s
        w, s = uniform(s)
        if EXP_F[i + 1] + (EXP_F[i] - EXP_F[i + 1]) * w < math.exp(-x):
            return x, s
        r, s = next_u64(s)
        i = int(r & _MASK8)
        x = float(np.int64(r >> _SH12)) * EXP_W[i]
        if x < EXP_X[i + 1]:
            return x, s


@njit
def exponential(s):
    """An Exp(1) variate by the exponential ziggurat (one draw and one comparison 98% of the time)."""
    r, s = next_u64(s)
    i = int(r & _MASK8)
    x = float(np.int64(r >> _SH12)) * EXP_W[i]
    if x < EXP_X[i + 1]:
        return x, s
    return _exponential_slow(s, i, x)


@njit
def _normal_slow(s, i, x, u):
    """The 1% of ziggurat draws outside the layers' inner boxes: the tail (layer 0) or a wedge test."""
    while True:
        if i == 0:                                   # x beyond R: Marsaglia's exact tail method
            xx, yy = 1.0, 0.0
            while -2.0 * yy < xx * xx:
                u1, s = uniform_open(s)
                u2, s = uniform_open(s)
                xx = math.log(u1) / ZIG_R
                yy = math.log(u2)
            return (xx - ZIG_R if u < 0.0 else ZIG_R - xx), s
        w, s = uniform(s)
        if ZIG_F[i + 1] + (ZIG_F[i] - ZIG_F[i + 1]) * w < math.exp(-0.5 * x * x):
            return x, s
        r, s = next_u64(s)                          # rejected: start over
        i = int(r & _MASK8)
        j = float(np.int64(r >> _SH12) - _HALF)
        u = j * 2.0 ** -51
        x = j * ZIG_W[i]
        if abs(x) < ZIG_X[i + 1]:
            return x, s


@njit
def normal(s):
    """A standard normal and the next state."""
    r, s = next_u64(s)
    i = int(r & _MASK8)
    j = float(np.int64(r >> _SH12) - _HALF)          # u = j 2^-51 in [-1, 1)
    x = j * ZIG_W[i]
    if abs(x) < ZIG_X[i + 1]:
        return x, s
    return _normal_slow(s, i, x, j * 2.0 ** -51)


_SIN_TAYLOR = tuple((-1.0) ** k / math.factorial(2 * k + 1) for k in range(1, 11))


@njit
def sinpi_half(r):
    """sin(pi r) for |r| <= 1/2: Taylor to degree 21 (truncation below 2e-18), evaluated by Estrin's scheme
    (short dependency chains), plain arithmetic only, so loops over it vectorize. Accurate to a few ulp."""
    y = math.pi * r
    z = y * y
    c = _SIN_TAYLOR                                   # c[k] = (-1)^(k+1) / (2k + 3)!, k = 0..9
    z2 = z * z
    z4 = z2 * z2
    p01 = c[0] + c[1] * z
    p23 = c[2] + c[3] * z
    p45 = c[4] + c[5] * z
    p67 = c[6] + c[7] * z
    p89 = c[8] + c[9] * z
    poly = (p01 + z2 * p23) + z4 * ((p45 + z2 * p67) + z4 * p89)
    return y + y * (z * poly)


@njit
def sinpi(x):
    """sin(pi x) for any finite x: x = k + r with k = round(x) (exact), sin(pi x) = (-1)^k sin(pi r)."""
    k = math.floor(x + 0.5)
    parity = k - 2.0 * math.floor(0.5 * k)
    return (1.0 - 2.0 * parity) * sinpi_half(x - k)


@njit
def stable(s, alpha):
    """A symmetric alpha-stable variate with E exp(itX) = exp(-|t|^alpha), 0 < alpha <= 2 (Chambers-Mallows-
    Stuck; alpha = 2 gives N(0, 2), alpha = 1 the standard Cauchy law). With V = pi (u - 1/2) the three
    angular factors are sines of pi times arguments in (0, 1/2] built from a = |u - 1/2| and e = min(u, 1 - u)
    (both exact), so cos V near +-pi/2 keeps full relative accuracy (the far tail); the two powers are one
    exponential of a sum of logarithms."""
    u, s = uniform_open(s)
    w, s = exponential(s)
    a, e = abs(u - 0.5), min(u, 1.0 - u)                 # |V| = pi a, pi/2 - |V| = pi e
    sign = 1.0 if u > 0.5 else -1.0
    cos_v = sinpi_half(e)
    if alpha == 1.0:
        return sign * sinpi_half(a) / cos_v, s
    arg = alpha * a if alpha * a <= 0.5 else (1.0 - 0.5 * alpha) + alpha * e     # sin(alpha |V|), folded
    sin_av = sinpi_half(arg)
    b = abs(1.0 - alpha)
    cos_bv = sinpi_half(0.5 * (1.0 - b) + b * e)              # cos((1 - alpha) V)
    return sign * sin_av * math.exp(((1.0 - alpha) * math.log(cos_bv / w) - math.log(cos_v)) / alpha), s


# --- seeding: one stream per block of paths ----------------------------------------------------------------------
def jump(state: np.ndarray, long: bool = False) -> np.ndarray:
    """The state 2^128 (long: 2^192) outputs further on."""
    return _apply_jump(np.asarray(state, dtype=np.uint64), LONG_JUMP if long else JUMP)


def as_seed_sequence(seed) -> np.random.SeedSequence:
    """A SeedSequence from a SeedSequence (used as is), an int, or a numpy Generator (which gives fresh
    entropy, so successive calls with one Generator get different streams, reproducibly)."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence([int(v) for v in seed.integers(0, 2 ** 63, size=4)])
    if isinstance(seed, (int, np.integer)) or seed is None:
        return np.random.SeedSequence(seed)
    raise TypeError(f"a seed must be a SeedSequence, an int or a numpy Generator, got {type(seed).__name__}")


def block_states(seed, n_blocks: int) -> np.ndarray:
    """(n_blocks, 4) xoshiro256++ states: the SeedSequence's base state, then one jump (2^128) per block."""
    base = as_seed_sequence(seed).generate_state(4, np.uint64)
    if not base.any():                            # the one forbidden xoshiro state
        base[0] = 1
    return _jumped(base, int(n_blocks), JUMP)


def n_blocks(n_paths: int, block: int) -> int:
    return -(-int(n_paths) // int(block))


# --- whole arrays (tests, and callers that want numbers rather than a kernel) ------------------------------------
# --- whole arrays (tests, and callers that want numbers rather than a kernel) ------------------------------------
@njit(parallel=True)
def _by_path(states, block, n_paths, per_path, kind, alpha):
    """Numbers in the order a path-by-path kernel consumes them: block b's stream serves its paths one after
    the other, per_path numbers each. kind 0: normals, 1: uniforms, 2: 64-bit words (as int64 bits), 3: stable,
    4: exponentials."""
    out = np.empty((n_paths, per_path))
    raw = out.view(np.int64)
    for b in prange(states.shape[0]):
        s = (states[b, 0], states[b, 1], states[b, 2], states[b, 3])
        for p in range(b * block, min(n_paths, (b + 1) * block)):
            if kind == 0:
                for k in range(per_path):
                    out[p, k], s = normal(s)
            elif kind == 1:
                for k in range(per_path):
                    out[p, k], s = uniform(s)
            elif kind == 2:
                for k in range(per_path):
                    r, s = next_u64(s)
                    raw[p, k] = np.int64(r)
            elif kind == 3:
                for k in range(per_path):
                    out[p, k], s = stable(s, alpha)
            else:
                for k in range(per_path):
                    out[p, k], s = exponential(s)
    return out


_KINDS = {"normal": 0, "uniform": 1, "bits": 2, "stable": 3, "exponential": 4}


def numbers_by_path(states: np.ndarray, block: int, n_paths: int, per_path: int, kind: str = "normal",
                    alpha: float = 2.0) -> np.ndarray:
    """(n_paths, per_path) numbers from the block streams, path p taking the next per_path numbers of
    its block's stream. kind: normal, uniform, bits (uint64), stable (standard symmetric alpha-stable) or
    exponential."""
    out = _by_path(np.ascontiguousarray(states, dtype=np.uint64), int(block), int(n_paths), int(per_path),
                   _KINDS[kind], float(alpha))
    return out.view(np.uint64) if kind == "bits" else out


def block_sequence(state: np.ndarray, count: int, kind: str = "normal", alpha: float = 2.0) -> np.ndarray:
    """The first ``count`` numbers of one block's stream, in order."""
    return numbers_by_path(np.asarray(state, dtype=np.uint64)[None, :], 1, 1, count, kind, alpha)[0]


def standard_normals(seed, n: int, block: int = 1 << 16) -> np.ndarray:
    """n standard normals, drawn in parallel blocks; the same for any number of threads."""
    if not jit.enabled():
        jit.fallback("rng.standard_normals")
        return np.random.default_rng(as_seed_sequence(seed)).standard_normal(n)
    nb = n_blocks(n, block)
    return numbers_by_path(block_states(seed, nb), 1, nb, block).ravel()[:n]


def symmetric_stable(alpha: float, sigma: float, n: int, seed, block: int = 1 << 16) -> np.ndarray:
    """n draws of S(alpha, sigma): E exp(itX) = exp(-|sigma t|^alpha), 0 < alpha <= 2."""
    if not (0 < alpha <= 2) or not sigma > 0:
        raise ValueError(f"symmetric_stable: need 0 < alpha <= 2 and sigma > 0, got alpha={alpha}, sigma={sigma}")
    if not jit.enabled():
        jit.fallback("rng.symmetric_stable")
        from .compiled.escape import stable_numpy
        return sigma * stable_numpy(alpha, n, np.random.default_rng(as_seed_sequence(seed)))
    nb = n_blocks(n, block)
    return sigma * numbers_by_path(block_states(seed, nb), 1, nb, block, "stable", alpha).ravel()[:n]


class ReplayNumbers:
    """Stands in for a numpy Generator: standard_normal / random / standard_exponential return the next
    numbers of a fixed array, in order (so a plain-numpy kernel can be fed a compiled kernel's draws)."""

    def __init__(self, values):
        self.values = np.ascontiguousarray(values, dtype=float).ravel()
        self.used = 0

    def _take(self, size=None, out=None):
        shape = out.shape if out is not None else (() if size is None else np.atleast_1d(size))
        k = int(np.prod(shape))
        if self.used + k > self.values.size:
            raise IndexError(f"replay exhausted: {k} numbers asked, {self.values.size - self.used} left")
        chunk = self.values[self.used:self.used + k].reshape(tuple(shape))
        self.used += k
        if out is not None:
            out[...] = chunk
            return out
        return chunk if chunk.ndim else float(chunk)

    def standard_normal(self, size=None, dtype=float, out=None):
        return self._take(size, out)

    random = standard_exponential = standard_normal
