"""Optimizers as the compiled kernels take them: a kind code and hyperparameters, with the update rule of each
(``update``) written once for the kernels, step by step as the plain-numpy optimizers in
``checks.dynamics.optimizers`` compute it (same operations in the same order, so equal numbers in give equal
numbers out).

``spec_of(opt)`` reads an optimizer object of that module (SGD, HeavyBall, Adam, rmsprop, IdealizedAdam,
Adai, AMSGrad); the constructors below build one directly, including Adam with eps outside the root.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..jit import njit
from ._common import one_minus_powers

SGD, HEAVY_BALL, ADAM, IDEALIZED_ADAM, ADAI, AMSGRAD = range(6)
NAMES = {SGD: "SGD", HEAVY_BALL: "Momentum", ADAM: "Adam", IDEALIZED_ADAM: "idealized Adam", ADAI: "Adai",
         AMSGRAD: "AMSGrad"}


@dataclass(frozen=True)
class OptimizerSpec:
    kind: int
    lr: float
    beta1: float = 0.0
    beta2: float = 0.0
    beta3: float = 1.0
    eps: float = 0.0
    beta0: float = 0.0
    eps_outside: bool = False          # Adam: lr m / (sqrt(v) + eps) instead of lr m / sqrt(v + eps)
    bias_correction: bool = True       # idealized Adam
    printed_m: bool = False            # AMSGrad: the printed Eq. (13), m_t = beta1 v_(t-1) + (1 - beta1) g_t
    amsgrad: bool = True               # AMSGrad: False drops the running max
    P: np.ndarray | None = field(default=None, compare=False)    # idealized Adam: C^(-1/2)

    @property
    def name(self) -> str:
        return NAMES[self.kind] + (" (eps outside the root)" if self.eps_outside else "")

    def arrays(self, d: int, T: int):
        """(hp, flags, c1, c2, P) for the kernels; c1[t] = 1 - beta1^t and c2[t] = 1 - beta2^t."""
        hp = np.array([self.lr, self.beta1, self.beta2, self.beta3, self.eps, self.beta0])
        flags = np.array([self.eps_outside, self.bias_correction, self.printed_m, self.amsgrad], dtype=np.int64)
        P = np.zeros((d, d)) if self.P is None else np.ascontiguousarray(self.P, dtype=float)
        if P.shape != (d, d):
            raise ValueError(f"{self.name}: C is {P.shape[0]} x {P.shape[1]} but the model has {d} parameters")
        return hp, flags, one_minus_powers(self.beta1, T), one_minus_powers(self.beta2, T), P


def _check(name, param, value, ok, assumption):
    if not (np.isfinite(value) and ok):
        raise ValueError(f"{name}: {param}={value!r} breaks the assumption {assumption}")
    return float(value)


def sgd(lr):
    return OptimizerSpec(SGD, _check("SGD", "lr", lr, lr > 0, "lr > 0"))


def heavy_ball(lr, beta1=0.9, beta3=None):
    beta3 = 1 - beta1 if beta3 is None else beta3
    _check("Momentum", "beta1", beta1, 0 <= beta1 < 1, "0 <= beta1 < 1")
    _check("Momentum", "beta3", beta3, beta3 > 0, "beta3 > 0")
    return OptimizerSpec(HEAVY_BALL, _check("Momentum", "lr", lr, lr > 0, "lr > 0"), beta1, beta3=beta3)


def adam(lr, beta1=0.9, beta2=0.999, eps=1e-8, eps_outside=False):
    for p, v in (("beta1", beta1), ("beta2", beta2)):
        _check("Adam", p, v, 0 <= v < 1, f"0 <= {p} < 1")
    _check("Adam", "eps", eps, eps >= 0, "eps >= 0")
    return OptimizerSpec(ADAM, _check("Adam", "lr", lr, lr > 0, "lr > 0"), beta1, beta2, eps=eps,
                         eps_outside=bool(eps_outside))


def idealized_adam(lr, C, beta1=0.9, bias_correction=True):
    C = np.atleast_2d(np.asarray(C, dtype=float))
    w, U = np.linalg.eigh(C)
    if C.shape[0] != C.shape[1] or not np.allclose(C, C.T) or w.min() <= 0:
        raise ValueError("idealized Adam: C must be a symmetric positive definite matrix")
    _check("idealized Adam", "beta1", beta1, 0 <= beta1 < 1, "0 <= beta1 < 1")
    return OptimizerSpec(IDEALIZED_ADAM, _check("idealized Adam", "lr", lr, lr > 0, "lr > 0"), beta1,
                         bias_correction=bool(bias_correction), P=(U / np.sqrt(w)) @ U.T)


def adai(lr, beta0=0.1, beta2=0.99, eps=1e-3):
    _check("Adai", "beta0", beta0, beta0 > 0, "beta0 > 0")
    _check("Adai", "beta2", beta2, 0 <= beta2 < 1, "0 <= beta2 < 1")
    _check("Adai", "eps", eps, 0 < eps <= 1, "0 < eps <= 1")
    return OptimizerSpec(ADAI, _check("Adai", "lr", lr, lr > 0, "lr > 0"), beta2=beta2, eps=eps, beta0=beta0)


def amsgrad(lr, beta1=0.0, beta2=0.999, eps=0.0, printed_m=False, amsgrad=True):
    for p, v in (("beta1", beta1), ("beta2", beta2)):
        _check("AMSGrad", p, v, 0 <= v < 1, f"0 <= {p} < 1")
    _check("AMSGrad", "eps", eps, eps >= 0, "eps >= 0")
    return OptimizerSpec(AMSGRAD, _check("AMSGrad", "lr", lr, lr > 0, "lr > 0"), beta1, beta2, eps=eps,
                         printed_m=bool(printed_m), amsgrad=bool(amsgrad))


def spec_of(opt) -> OptimizerSpec | None:
    """The spec of an optimizer object of checks.dynamics.optimizers (None when the kernels do not have it)."""
    if isinstance(opt, OptimizerSpec):
        return opt
    kind = type(opt).__name__
    if kind == "SGD":
        return sgd(opt.lr)
    if kind == "HeavyBall":
        return heavy_ball(opt.lr, opt.beta1, opt.beta3)
    if kind == "Adam":
        return adam(opt.lr, opt.beta1, opt.beta2, opt.eps)
    if kind == "IdealizedAdam":
        return OptimizerSpec(IDEALIZED_ADAM, opt.lr, opt.beta1, bias_correction=opt.bias_correction, P=opt.P)
    if kind == "Adai" or (kind == "AdaiW" and not opt.weight_decay):
        return adai(opt.lr, opt.beta0, opt.beta2, opt.eps)
    if kind == "AMSGrad":
        return amsgrad(opt.lr, opt.beta1, opt.beta2, opt.eps, opt.printed_m, opt.amsgrad)
    return None


def to_reference(spec: OptimizerSpec):
    """The plain-numpy optimizer object with the same update (for the fallback without numba)."""
    from .. import optimizers as o

    if spec.kind == SGD:
        return o.SGD(spec.lr)
    if spec.kind == HEAVY_BALL:
        return o.HeavyBall(spec.lr, spec.beta1, spec.beta3)
    if spec.kind == ADAM and not spec.eps_outside:
        return o.Adam(spec.lr, spec.beta1, spec.beta2, spec.eps)
    if spec.kind == ADAM:
        return _adam_eps_outside(o, spec)
    if spec.kind == IDEALIZED_ADAM:
        P = np.asarray(spec.P, dtype=float)
        return o.IdealizedAdam(spec.lr, np.linalg.inv(P @ P), spec.beta1, spec.bias_correction)
    if spec.kind == ADAI:
        return o.Adai(spec.lr, spec.beta0, spec.beta2, spec.eps)
    return o.AMSGrad(spec.lr, spec.beta1, spec.beta2, spec.eps, spec.printed_m, spec.amsgrad)


def _adam_eps_outside(o, spec):
    class AdamEpsOutside(o.Adam):
        def update(self, grad, params=None):
            g = self._begin(grad)
            self.m *= self.beta1
            self.m += (1 - self.beta1) * g
            self.v *= self.beta2
            self.v += (1 - self.beta2) * g * g
            m_hat = self.m / (1 - self.beta1 ** self.t)
            v_hat = self.v / (1 - self.beta2 ** self.t)
            with np.errstate(divide="ignore", invalid="ignore"):
                out = -self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
            return np.where(m_hat == 0, 0.0, out)
    return AdamEpsOutside(spec.lr, spec.beta1, spec.beta2, spec.eps)


# --- the update rules, for a block of paths in lockstep ---------------------------------------------------------
# Arrays are (d, nb): coordinate i of path q of the block at [i, q]. Loops run over q innermost, so they
# vectorize; each path's arithmetic is exactly the reference's (same operations, same order).
@njit
def initial_state(kind, M, V, W):
    """Zero moments; W is Adai's running product of beta1 (starts at 1) or AMSGrad's running max of v."""
    for i in range(M.shape[0]):
        for q in range(M.shape[1]):
            M[i, q] = 0.0
            V[i, q] = 0.0
            W[i, q] = 1.0 if kind == ADAI else 0.0


@njit
def _table(c, t):
    return c[t] if t < c.size else 1.0


@njit
def update(kind, hp, flags, c1, c2, P, t, G, M, V, W, D, VB, nq):
    """D[:, :nq] = the update theta_{t+1} - theta_t at step t (1 at the first update) for gradients G.
    VB is scratch of length >= nq."""
    d = G.shape[0]
    lr, b1, b2, b3, eps, b0 = hp[0], hp[1], hp[2], hp[3], hp[4], hp[5]
    o1, o2 = 1 - b1, 1 - b2
    if kind == SGD:
        for i in range(d):
            for q in range(nq):
                D[i, q] = -lr * G[i, q]
    elif kind == HEAVY_BALL:
        for i in range(d):
            for q in range(nq):
                M[i, q] = M[i, q] * b1 + b3 * G[i, q]
                D[i, q] = -lr * M[i, q]
    elif kind == ADAM:
        k1, k2 = _table(c1, t), _table(c2, t)
        for i in range(d):
            for q in range(nq):
                M[i, q] = M[i, q] * b1 + o1 * G[i, q]
                V[i, q] = V[i, q] * b2 + o2 * G[i, q] * G[i, q]
            if flags[0]:
                for q in range(nq):
                    mh = M[i, q] / k1
                    D[i, q] = 0.0 if mh == 0 else -lr * mh / (math.sqrt(V[i, q] / k2) + eps)
            else:
                for q in range(nq):
                    mh = M[i, q] / k1
                    D[i, q] = 0.0 if mh == 0 else -lr * mh / math.sqrt(V[i, q] / k2 + eps)
    elif kind == IDEALIZED_ADAM:
        k1 = _table(c1, t) if flags[1] else 1.0
        for i in range(d):
            for q in range(nq):
                M[i, q] = M[i, q] * b1 + o1 * G[i, q]
                W[i, q] = M[i, q] / k1 if flags[1] else M[i, q]
        for i in range(d):
            for q in range(nq):
                D[i, q] = 0.0
            for j in range(d):
                pji = P[j, i]
                for q in range(nq):
                    D[i, q] += W[j, q] * pji
            for q in range(nq):
                D[i, q] = -lr * D[i, q]
    elif kind == ADAI:
        k2 = _table(c2, t)
        for q in range(nq):
            VB[q] = 0.0
        for i in range(d):
            for q in range(nq):
                V[i, q] = V[i, q] * b2 + o2 * G[i, q] * G[i, q]
                VB[q] += V[i, q] / k2
        for q in range(nq):
            VB[q] = VB[q] / d
        for i in range(d):
            for q in range(nq):
                ratio = (V[i, q] / k2) / VB[q] if VB[q] > 0 else 1.0
                beta1 = min(max(1 - b0 * ratio, 0.0), 1 - eps)
                M[i, q] = M[i, q] * beta1 + (1 - beta1) * G[i, q]
                W[i, q] *= beta1
                D[i, q] = -lr * (M[i, q] / (1 - W[i, q]))
    else:                                                   # AMSGrad, ziyin Eqs. (13)-(16)
        for i in range(d):
            if flags[2]:                                    # the printed (13): m_t = beta1 v_(t-1) + ...
                for q in range(nq):
                    M[i, q] = b1 * V[i, q] + o1 * G[i, q]
            else:
                for q in range(nq):
                    M[i, q] = b1 * M[i, q] + o1 * G[i, q]
            for q in range(nq):
                V[i, q] = b2 * V[i, q] + o2 * G[i, q] * G[i, q]
            if flags[3]:
                for q in range(nq):
                    W[i, q] = max(W[i, q], V[i, q])
            else:
                for q in range(nq):
                    W[i, q] = V[i, q]
            for q in range(nq):
                den = math.sqrt(W[i, q] + eps)
                D[i, q] = -lr * M[i, q] / den if den > 0 else 0.0
