"""Symmetric alpha-stable (SaS) noise and the big jumps of the Levy motion it drives.

Parametrisation (the one of `zhou` Sec. 3.2 and its rebuttal)
-------------------------------------------------------------
X ~ SaS(sigma), 0 < alpha <= 2, sigma > 0, iff  E exp(i w X) = exp(-|sigma w|^alpha).

* alpha = 2 is the Gaussian N(0, 2 sigma^2): the variance is 2 sigma^2, not sigma^2.
* alpha = 1 is the Cauchy law with scale sigma.
* scipy.stats.levy_stable(alpha, 0, scale=sigma) is the same law (its S0 and S1 forms agree when beta = 0).

The Levy motion L_t with L_1 ~ SaS(1) (coordinates independent in R^d, as `zhou` defines L_t) has
L_t ~ SaS(t^(1/alpha)), so an Euler step of length h adds h^(1/alpha) SaS(1). In one dimension its Levy
measure is

    nu(dy) = c_alpha |y|^(-1-alpha) dy,    c_alpha = Gamma(1 + alpha) sin(pi alpha / 2) / pi.

Derivation: for a symmetric Levy measure c |y|^(-1-alpha) dy the characteristic exponent is
-int (1 - cos(w y)) c |y|^(-1-alpha) dy = -2 c |w|^alpha I_alpha with I_alpha = int_0^inf (1 - cos u)
u^(-1-alpha) du = Gamma(1 - alpha) cos(pi alpha / 2) / alpha (pi/2 at alpha = 1, by continuity).
Setting 2 c I_alpha = 1 gives c_alpha = alpha / (2 Gamma(1 - alpha) cos(pi alpha/2)), and the reflection
formula Gamma(1 - alpha) Gamma(alpha) = pi / sin(pi alpha) turns it into the form above (c_1 = 1/pi, the
Cauchy tail; c_alpha -> 0 as alpha -> 2, where no jumps are left). Consequences, for SaS(sigma):

* density tail      x^(1+alpha) f(x)  -> c_alpha sigma^alpha,
* survival tail     x^alpha P(X > x)  -> c_alpha sigma^alpha / alpha   (`tail_constant`),
* big jumps         jumps of size |y| >= r arrive at rate nu{|y| >= r} = 2 c_alpha sigma^alpha r^(-alpha) / alpha
                    (`jump_intensity`), with |y| Pareto on [r, inf): P(|y| > x) = (r/x)^alpha, signs +-1.

The unit-constant measure |y|^(-1-alpha) dy (tail mass (2/alpha) r^(-alpha), the convention of Pavlyukevich
and of `zhou`'s intensity formula in Sec. 4.2) is the Levy measure of SaS(c_alpha^(-1/alpha)), not of SaS(1).

Rotationally invariant SaS in R^d (`sas_isotropic`): E exp(i <w, X>) = exp(-|sigma w|^alpha), built as
sqrt(A) G with A positive (alpha/2)-stable (E e^(-sA) = e^(-s^(alpha/2))) and G ~ N(0, 2 sigma^2 I). Its
Levy measure has density c |y|^(-d-alpha) and tail mass 2^alpha Gamma((d+alpha)/2) / (Gamma(d/2)
Gamma(1-alpha/2)) sigma^alpha r^(-alpha), with directions uniform on the sphere.

The sampler is Chambers-Mallows-Stuck (CMS). The three angular factors are evaluated as sines of
arguments in (0, pi/2] that are computed in float64 (so cos V near +-pi/2 keeps full relative accuracy);
by default (alpha >= 1/2) those sines, one logarithm and one exponential run in single precision, which
bounds the relative error of each variate by about 1e-6 (checked against the all-float64 path,
``precise=True``, on the same draws) and more than doubles the rate. With numba (checks.dynamics.jit) the
arithmetic around the vectorized sines, logarithm and exponential is fused into three compiled loops (same draws,
same values to float32 rounding), which brings the rate to about 0.55-0.6 of numpy's normal rate
(benchmarks/stable_sampler.py). Imports numpy, scipy and checks.dynamics.jit only.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special

from .jit import enabled as _compiled
from .jit import njit

BLOCK = 1 << 14                  # variates per block: the scratch arrays stay in cache
_HALF_PI = math.pi / 2


class StableError(ValueError):
    """A parameter outside the SaS family's domain; the message names the parameter and the assumption."""


def check_alpha(alpha: float) -> float:
    alpha = float(alpha)
    if not (np.isfinite(alpha) and 0 < alpha <= 2):
        raise StableError(f"SaS: alpha={alpha!r} breaks the assumption 0 < alpha <= 2")
    return alpha


def _positive(name: str, value: float) -> float:
    value = float(value)
    if not (np.isfinite(value) and value > 0):
        raise StableError(f"SaS: {name}={value!r} breaks the assumption {name} > 0")
    return value


def _dim(dim: int) -> int:
    if int(dim) != dim or dim < 1:
        raise StableError(f"SaS: dim={dim!r} breaks the assumption dim >= 1 (an integer)")
    return int(dim)


# --- constants ----------------------------------------------------------------------------------------------
def levy_constant(alpha: float) -> float:
    """c_alpha of nu(dy) = c_alpha |y|^(-1-alpha) dy, the Levy measure of the motion with L_1 ~ SaS(1)."""
    alpha = check_alpha(alpha)
    if alpha == 2:
        return 0.0
    return float(special.gamma(1 + alpha) * math.sin(math.pi * alpha / 2) / math.pi)


def tail_constant(alpha: float, sigma: float = 1.0) -> float:
    """lim x^alpha P(X > x) for X ~ SaS(sigma): c_alpha sigma^alpha / alpha (0 at alpha = 2)."""
    return levy_constant(alpha) * _positive("sigma", sigma) ** alpha / alpha


def isotropic_tail_mass(alpha: float, dim: int) -> float:
    """nu{|y| >= 1} of the rotationally invariant SaS(1) law in R^dim (scales as sigma^alpha r^-alpha)."""
    alpha, dim = check_alpha(alpha), _dim(dim)
    if alpha == 2:
        return 0.0
    log_mass = (alpha * math.log(2) + special.gammaln((dim + alpha) / 2) - special.gammaln(dim / 2)
                - special.gammaln(1 - alpha / 2))
    return float(math.exp(log_mass))


def jump_intensity(alpha: float, r: float, sigma: float = 1.0, dim: int = 1, isotropic: bool = False) -> float:
    """nu{|y| >= r}: the rate of jumps of Euclidean size >= r of the Levy motion whose time-1 law is SaS(sigma)
    per coordinate. Independent coordinates jump one at a time, so their rate is dim times the 1-D rate."""
    alpha, dim = check_alpha(alpha), _dim(dim)
    r, sigma = _positive("r", r), _positive("sigma", sigma)
    scale = sigma ** alpha * r ** -alpha
    if isotropic:
        return isotropic_tail_mass(alpha, dim) * scale
    return dim * 2 * levy_constant(alpha) / alpha * scale


# --- the sampler ----------------------------------------------------------------------------------------------
def sas(alpha: float, size, rng: np.random.Generator, sigma: float = 1.0, *, out: np.ndarray | None = None,
        precise: bool = False) -> np.ndarray:
    """Independent SaS(sigma) variates of the given shape (Chambers-Mallows-Stuck).

    ``out`` (float64, C-contiguous) is filled in place when given. ``precise=True`` evaluates every factor in
    float64; the default (alpha >= 1/2) evaluates the angular sines, a logarithm and an exponential in float32
    (relative error of each variate about 1e-6)."""
    alpha, sigma = check_alpha(alpha), _positive("sigma", sigma)
    if out is None:
        out = np.empty(size, dtype=float)
    elif out.dtype != np.float64 or not out.flags.c_contiguous:
        raise StableError("SaS: out must be a C-contiguous float64 array")
    flat = out.reshape(-1)
    if alpha == 2:                                    # exactly N(0, 2 sigma^2)
        rng.standard_normal(out=flat)
        flat *= math.sqrt(2.0) * sigma
        return out
    n = flat.size
    scratch = _Scratch(min(n, BLOCK), precise)
    block = _cms_block_fused if (_compiled() and not precise and alpha >= 0.5 and alpha != 1) else _cms_block
    for start in range(0, n, BLOCK):
        block(alpha, flat[start:start + BLOCK], rng, scratch)
    if sigma != 1.0:
        flat *= sigma
    return out


class _Scratch:
    def __init__(self, n: int, precise: bool):
        self.u, self.t, self.a, self.b = np.empty(n), np.empty(n), np.empty(n), np.empty(n)
        self.w64 = np.empty(n)
        dtype = np.float64 if precise else np.float32
        self.ang, self.f = np.empty((3, n), dtype=dtype), np.empty((2, n), dtype=dtype)
        self.precise = precise


def _cms_block(alpha: float, x: np.ndarray, rng: np.random.Generator, s: _Scratch) -> None:
    """x <- SaS(1) by CMS: with V uniform on (-pi/2, pi/2) and W ~ Exp(1),
    X = sin(alpha V) / cos V * (cos((1 - alpha) V) / (W cos V))^((1 - alpha)/alpha)."""
    n = x.size
    u, t, a, b, ang = s.u[:n], s.t[:n], s.a[:n], s.b[:n], s.ang[:, :n]
    single = not s.precise and alpha >= 0.5      # the power (1-alpha)/alpha <= 1: float32 holds the factor
    rng.random(out=u)
    u -= 0.5 - 2.0 ** -54                            # V / pi, exactly, in (-1/2, 1/2): never +-pi/2
    np.abs(u, out=t)                                  # |V| / pi in (0, 1/2)
    # Arguments formed in float64: alpha V (reflected to sign(V)(pi - alpha|V|) beyond pi/2, so its sine keeps
    # full relative accuracy and carries the sign of X), cos|V| = sin(pi/2 - |V|), cos((1-alpha)V) =
    # sin(pi/2 - |1-alpha||V|), all in (0, pi/2].
    np.multiply(t, alpha * math.pi, out=a)
    if alpha > 1:
        np.subtract(math.pi, a, out=b)
        np.minimum(a, b, out=a)
    np.copysign(a, u, out=a)
    ang[0] = a
    np.subtract(0.5, t, out=a)
    a *= math.pi
    ang[1] = a
    np.multiply(t, -abs(1.0 - alpha) * math.pi, out=a)
    a += _HALF_PI
    ang[2] = a
    np.sin(ang, out=ang)
    sin_a, cos_v, cos_b = ang
    w = s.w64[:n]
    rng.standard_exponential(out=w)              # drawn at alpha = 1 too: neighbouring alphas share the draws
    if alpha == 1:
        np.divide(sin_a, cos_v, out=x, dtype=np.float64)
        return
    if single:
        ratio, factor = s.f[0, :n], s.f[1, :n]
        factor[:] = w
    else:
        ratio, factor = s.t[:n], w
    np.divide(sin_a, cos_v, out=ratio, casting="same_kind")          # sin(alpha V) / cos V
    np.multiply(factor, cos_v, out=factor, casting="same_kind")
    np.divide(cos_b, factor, out=factor, casting="same_kind")          # cos((1-alpha)V) / (W cos V) > 0
    np.log(factor, out=factor)
    factor *= (1 - alpha) / alpha
    np.exp(factor, out=factor)
    np.multiply(ratio, factor, out=x, dtype=np.float64)                 # may exceed float32's range


# --- the same block with its arithmetic fused (compiled with numba when available) ---------------------------------
# The transcendental functions stay numpy's vectorized float32 sin/log/exp; the compiled loops only fuse the
# arithmetic around them (about fifteen array passes become three). Same draws, same order, same float32 factors as
# _cms_block, so the two paths agree to float32 rounding (tests/test_stable.py).
@njit
def _fused_angles(u, alpha, ang):       # pragma: no cover - compiled
    c0, c2, shift = alpha * math.pi, -abs(1.0 - alpha) * math.pi, 0.5 - 2.0 ** -54
    for i in range(u.size):
        v = u[i] - shift                  # V / pi, exactly, in (-1/2, 1/2)
        t = abs(v)
        a = t * c0                        # alpha |V|, reflected beyond pi/2 (sin(pi - y) = sin y)
        if alpha > 1.0 and a > math.pi - a:
            a = math.pi - a
        ang[0, i] = a
        ang[1, i] = (0.5 - t) * math.pi   # pi/2 - |V|, the difference formed in float64
        ang[2, i] = t * c2 + 0.5 * math.pi
        u[i] = v


@njit
def _fused_base(ang, w, f):             # pragma: no cover - compiled
    for i in range(w.size):
        f[0, i] = ang[0, i] / ang[1, i]                  # sin(alpha |V|) / cos V
        f[1, i] = ang[2, i] / (w[i] * ang[1, i])         # cos((1 - alpha) V) / (W cos V)


@njit
def _fused_finish(f, u, x):             # pragma: no cover - compiled
    for i in range(x.size):
        r = np.float64(f[0, i]) * np.float64(f[1, i])
        x[i] = r if u[i] >= 0 else -r


def _cms_block_fused(alpha: float, x: np.ndarray, rng: np.random.Generator, s: _Scratch) -> None:
    n = x.size
    u, ang, f, w = s.u[:n], s.ang[:, :n], s.f[:, :n], s.w64[:n]
    rng.random(out=u)
    _fused_angles(u, alpha, ang)
    np.sin(ang, out=ang)
    rng.standard_exponential(out=w)
    _fused_base(ang, w, f)
    factor = f[1]
    np.log(factor, out=factor)
    factor *= (1 - alpha) / alpha
    np.exp(factor, out=factor)
    _fused_finish(f, u, x)


def positive_stable(a: float, size, rng: np.random.Generator) -> np.ndarray:
    """Totally skewed positive a-stable variates, 0 < a < 1, with E exp(-s A) = exp(-s^a) (Kanter):
    A = sin(a pi U) / sin(pi U)^(1/a) * (sin((1 - a) pi U) / W)^((1 - a)/a), U ~ U(0, 1), W ~ Exp(1)."""
    a = float(a)
    if not 0 < a < 1:
        raise StableError(f"positive stable: a={a!r} breaks the assumption 0 < a < 1")
    u = rng.random(size) + 2.0 ** -54                  # in (0, 1): sin(pi U) > 0
    w = rng.standard_exponential(size)
    pu = math.pi * u
    return np.sin(a * pu) / np.sin(pu) ** (1 / a) * (np.sin((1 - a) * pu) / w) ** ((1 - a) / a)


def sas_isotropic(alpha: float, n: int, dim: int, rng: np.random.Generator, sigma: float = 1.0) -> np.ndarray:
    """n rotationally invariant SaS(sigma) vectors in R^dim, shape (n, dim): sqrt(A) G (sub-Gaussian form).
    Every coordinate is SaS(sigma), but coordinates are dependent (unlike ``sas(alpha, (n, dim), rng)``)."""
    alpha, dim, sigma = check_alpha(alpha), _dim(dim), _positive("sigma", sigma)
    g = rng.standard_normal((n, dim)) * (math.sqrt(2.0) * sigma)
    if alpha == 2:
        return g
    return g * np.sqrt(positive_stable(alpha / 2, n, rng))[:, None]


# --- big jumps: the compound Poisson part of L_t -----------------------------------------------------------
@dataclass
class BigJumps:
    """The jumps of size >= r of n_paths independent Levy motions on [0, t], sorted by path, then time."""

    counts: np.ndarray           # (n_paths,) number of big jumps per path
    path: np.ndarray             # (J,) path of each jump
    times: np.ndarray            # (J,) in [0, t)
    sizes: np.ndarray            # (J, dim) jump vectors
    rate: float                  # the intensity nu{|y| >= r}
    r: float
    t: float

    @property
    def n_paths(self) -> int:
        return int(self.counts.size)

    def first_time(self) -> np.ndarray:
        """Time of each path's first big jump (inf where there is none before t)."""
        first = np.full(self.n_paths, np.inf)
        starts = np.concatenate([[0], np.cumsum(self.counts)[:-1]])
        has = self.counts > 0
        first[has] = self.times[starts[has]]
        return first

    def gaps(self) -> np.ndarray:
        """Waiting times sigma_k = t_k - t_(k-1) (t_0 = 0) between successive jumps of the same path."""
        starts = np.concatenate([[0], np.cumsum(self.counts)[:-1]])
        prev = np.concatenate([[0.0], self.times[:-1]])
        prev[starts[self.counts > 0]] = 0.0
        return self.times - prev

    def total(self) -> np.ndarray:
        """Sum of each path's big jumps, shape (n_paths, dim)."""
        out = np.zeros((self.n_paths, self.sizes.shape[1]))
        np.add.at(out, self.path, self.sizes)
        return out


def big_jumps(alpha: float, r: float, t: float, n_paths: int, rng: np.random.Generator, sigma: float = 1.0,
              dim: int = 1, isotropic: bool = False) -> BigJumps:
    """Exact sample of the compound Poisson process of jumps with |y| >= r on [0, t]: Poisson(rate t) jumps per
    path at uniform times, sizes r U^(-1/alpha) (Pareto(alpha) on [r, inf)); a random sign in 1-D, a random
    axis and sign for independent coordinates, a uniform direction on the sphere when ``isotropic``."""
    dim = _dim(dim)
    t = float(t)
    if not (np.isfinite(t) and t >= 0):
        raise StableError(f"big jumps: t={t!r} breaks the assumption t >= 0")
    rate = jump_intensity(alpha, r, sigma, dim, isotropic)
    counts = rng.poisson(rate * t, int(n_paths))
    path = np.repeat(np.arange(int(n_paths)), counts)
    times = rng.random(path.size) * t
    order = np.lexsort((times, path))
    times = times[order]
    radius = r * (1.0 - rng.random(path.size)) ** (-1.0 / alpha)
    if isotropic:
        direction = rng.standard_normal((path.size, dim))
        direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    else:
        direction = np.zeros((path.size, dim))
        axis = rng.integers(0, dim, path.size)
        direction[np.arange(path.size), axis] = np.where(rng.random(path.size) < 0.5, -1.0, 1.0)
    return BigJumps(counts, path, times, radius[:, None] * direction, rate, float(r), t)
