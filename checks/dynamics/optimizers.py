"""The optimizers of the `adai` paper, exactly as its algorithms print them, vectorized over runs.

Every optimizer takes gradients of shape (..., n): the last axis holds the n parameters of one
model and every leading axis indexes independent runs (paths). Reductions "over all parameters"
(Adai's mean of v-hat) run over the last axis only, so runs never mix.

    opt = Adai(lr=0.1)
    delta = opt.update(grad)             # the update theta_{t+1} - theta_t
    theta = opt.step(theta, grad)        # theta + update

State (moments, step count) is created on the first call with the gradient's shape; ``reset()``
starts over. Hyperparameters outside their range raise OptimizerError naming the optimizer, the
parameter and the assumption it breaks.

Conventions. The defaults follow the papers' printed algorithms; the libraries users train with differ in
details that matter at small gradients. Options select the library's form (each tested step by step in
tests/test_conventions.py):

    Adam(eps_inside=False)          eps outside the root: Kingma & Ba, torch.optim.Adam
    AMSGrad(torch=True)             torch.optim.Adam(amsgrad=True): max of the raw v, then bias correction
    RMSprop(bias_correction=False,  torch.optim.RMSprop (alpha = beta2): no bias correction, eps outside
            eps_inside=False)
    Adai(weight_decay, decoupled)   the official Adai code (zeke-xie/adaptive-inertia-adai): coupled L2
                                    decay added to the gradient (decoupled=False, its default), or
                                    decoupled decay theta *= 1 - lr weight_decay (AdaiW, Algorithm 3)

``for_convention(name, lr, convention=None, **kw)`` builds one optimizer in the convention a run asks for
(``"paper"`` or ``"torch"``; by default the one set by the run, see ``CONVENTION``).
"""
from __future__ import annotations

import contextvars

import numpy as np


class OptimizerError(ValueError):
    """Hyperparameters or gradients an optimizer cannot take; the message names optimizer, parameter and
    the assumption broken."""


def _require(name: str, param: str, value: float, ok: bool, assumption: str) -> float:
    if not (np.isfinite(value) and ok):
        raise OptimizerError(f"{name}: {param}={value!r} breaks the assumption {assumption}")
    return float(value)


def _unit_interval(name: str, param: str, value: float, closed_right: bool = False) -> float:
    ok = 0 <= value <= 1 if closed_right else 0 <= value < 1
    return _require(name, param, value, ok, f"0 <= {param} {'<=' if closed_right else '<'} 1")


class Optimizer:
    """Shared bookkeeping: the step counter t (1 at the first update) and the gradient check."""

    name = "optimizer"

    def __init__(self, lr: float):
        self.lr = _require(self.name, "lr", lr, lr > 0, "lr > 0")
        self.reset()

    def reset(self) -> None:
        self.t = 0
        self._shape: tuple[int, ...] | None = None

    def _begin(self, grad) -> np.ndarray:
        g = np.asarray(grad, dtype=float)
        if g.ndim == 0:
            raise OptimizerError(f"{self.name}: the gradient must be an array (..., n_parameters), got a scalar")
        if self._shape is None:
            self._shape = g.shape
            self._init_state(g)
        elif g.shape != self._shape:
            raise OptimizerError(f"{self.name}: gradient shape {g.shape} differs from the first step's {self._shape}")
        self.t += 1
        return g

    def _init_state(self, g: np.ndarray) -> None:
        pass

    state_names: tuple[str, ...] = ()

    def keep(self, mask) -> None:
        """Keep only the runs selected by ``mask`` (over the leading axis): paths that have left a valley
        stop costing time. State arrays are indexed; the step counter is shared by all runs."""
        if self._shape is None:
            return
        for name in self.state_names:
            setattr(self, name, getattr(self, name)[mask])
        first = getattr(self, self.state_names[0]) if self.state_names else np.empty(self._shape)[mask]
        self._shape = first.shape

    def update(self, grad, params=None) -> np.ndarray:
        raise NotImplementedError

    def step(self, params, grad) -> np.ndarray:
        return np.asarray(params, dtype=float) + self.update(grad, params)


class SGD(Optimizer):
    name = "SGD"

    def update(self, grad, params=None):
        return -self.lr * self._begin(grad)


class HeavyBall(Optimizer):
    """Eq. (4): m_t = beta1 m_{t-1} + beta3 g_t, theta_{t+1} = theta_t - eta m_t, m_0 = 0.

    beta3 = 1 is SGD-style Momentum, beta3 = 1 - beta1 Adam-style (an exponential moving average).
    """

    name = "Momentum"

    def __init__(self, lr: float, beta1: float = 0.9, beta3: float | None = None):
        self.beta1 = _unit_interval(self.name, "beta1", beta1)
        beta3 = 1 - self.beta1 if beta3 is None else beta3
        self.beta3 = _require(self.name, "beta3", beta3, beta3 > 0, "beta3 > 0")
        super().__init__(lr)

    state_names = ("m",)

    def _init_state(self, g):
        self.m = np.zeros_like(g)

    def update(self, grad, params=None):
        g = self._begin(grad)
        self.m *= self.beta1
        self.m += self.beta3 * g
        return -self.lr * self.m


def sgd_style_momentum(lr: float, beta1: float = 0.9) -> HeavyBall:
    return HeavyBall(lr, beta1, beta3=1.0)


def adam_style_momentum(lr: float, beta1: float = 0.9) -> HeavyBall:
    return HeavyBall(lr, beta1, beta3=1.0 - beta1)


class Adam(Optimizer):
    """Algorithm 1 of `adai` as printed: bias-corrected m and v, theta -= eta m-hat / sqrt(v-hat + eps).

    ``eps_inside=True`` (the default) is the printed placement of eps inside the square root;
    ``eps_inside=False`` is m-hat / (sqrt(v-hat) + eps), as `zhou` Eq. (3), Kingma & Ba and torch.optim.Adam.
    """

    name = "Adam"

    def __init__(self, lr: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
                 eps_inside: bool = True):
        self.beta1 = _unit_interval(self.name, "beta1", beta1)
        self.beta2 = _unit_interval(self.name, "beta2", beta2)
        self.eps = _require(self.name, "eps", eps, eps >= 0, "eps >= 0")
        self.eps_inside = bool(eps_inside)
        super().__init__(lr)

    state_names = ("m", "v")

    def _init_state(self, g):
        self.m = np.zeros_like(g)
        self.v = np.zeros_like(g)

    def update(self, grad, params=None):
        g = self._begin(grad)
        self.m *= self.beta1
        self.m += (1 - self.beta1) * g
        self.v *= self.beta2
        self.v += (1 - self.beta2) * g * g
        m_hat = self.m / (1 - self.beta1 ** self.t)
        v_hat = self.v / (1 - self.beta2 ** self.t)
        denom = np.sqrt(v_hat + self.eps) if self.eps_inside else np.sqrt(v_hat) + self.eps
        with np.errstate(divide="ignore", invalid="ignore"):
            out = -self.lr * m_hat / denom
        return np.where(m_hat == 0, 0.0, out)      # 0/0 (a zero gradient with eps = 0) is no move


def rmsprop(lr: float, beta2: float = 0.999, eps: float = 1e-8) -> Adam:
    """RMSprop as the paper compares it: Adam with beta1 = 0 (m-hat = g)."""
    opt = Adam(lr, 0.0, beta2, eps)
    opt.name = "RMSprop"
    return opt


class RMSprop(Adam):
    """RMSprop with its conventions as options: v_t = beta2 v_(t-1) + (1 - beta2) g^2,
    theta -= lr g / sqrt(v-hat + eps) with v-hat = v / (1 - beta2^t).

    The defaults are ``rmsprop`` (Adam with beta1 = 0, as the `adai` paper compares it).
    ``bias_correction=False, eps_inside=False`` is torch.optim.RMSprop with alpha = beta2 (no momentum, not
    centered): theta -= lr g / (sqrt(v) + eps).
    """

    name = "RMSprop"

    def __init__(self, lr: float, beta2: float = 0.999, eps: float = 1e-8, bias_correction: bool = True,
                 eps_inside: bool = True):
        self.bias_correction = bool(bias_correction)
        super().__init__(lr, 0.0, beta2, eps, eps_inside)

    def update(self, grad, params=None):
        g = self._begin(grad)
        self.m = g.copy()                          # beta1 = 0: the momentum is the gradient
        self.v *= self.beta2
        self.v += (1 - self.beta2) * g * g
        v_hat = self.v / (1 - self.beta2 ** self.t) if self.bias_correction else self.v
        denom = np.sqrt(v_hat + self.eps) if self.eps_inside else np.sqrt(v_hat) + self.eps
        with np.errstate(divide="ignore", invalid="ignore"):
            out = -self.lr * g / denom
        return np.where(g == 0, 0.0, out)          # 0/0 (a zero gradient with eps = 0) is no move


class IdealizedAdam(Optimizer):
    """The "idealized" Adam the paper analyses (after Staib et al.): the full-matrix preconditioner
    C^{-1/2} with C = E[g g^T] fixed, so theta -= eta C^{-1/2} m-hat.

    ``bias_correction=True`` divides m by (1 - beta1^t) as Algorithm 1 does; False gives the update
    rule (121) of App. H, m_t = beta1 m_{t-1} + (1 - beta1) g_t, theta_{t+1} = theta_t - eta-hat m_t.
    """

    name = "idealized Adam"

    def __init__(self, lr: float, C, beta1: float = 0.9, bias_correction: bool = True):
        self.beta1 = _unit_interval(self.name, "beta1", beta1)
        C = np.atleast_2d(np.asarray(C, dtype=float))
        if C.shape[0] != C.shape[1] or not np.allclose(C, C.T):
            raise OptimizerError(f"{self.name}: C must be a symmetric matrix, got shape {C.shape}")
        w, U = np.linalg.eigh(C)
        if w.min() <= 0:
            raise OptimizerError(f"{self.name}: C must be positive definite (smallest eigenvalue {w.min():.3g})")
        self.P = (U / np.sqrt(w)) @ U.T          # C^{-1/2}, symmetric
        self.bias_correction = bool(bias_correction)
        super().__init__(lr)

    def _init_state(self, g):
        if g.shape[-1] != self.P.shape[0]:
            raise OptimizerError(f"{self.name}: gradients have {g.shape[-1]} parameters but C is "
                                 f"{self.P.shape[0]} x {self.P.shape[0]}")
        self.m = np.zeros_like(g)

    state_names = ("m",)

    def update(self, grad, params=None):
        g = self._begin(grad)
        self.m *= self.beta1
        self.m += (1 - self.beta1) * g
        m = self.m / (1 - self.beta1 ** self.t) if self.bias_correction else self.m
        return -self.lr * (m @ self.P)


class Adai(Optimizer):
    """Algorithm 2 as printed.

    v-hat is bias-corrected; beta1_t = clip(1 - beta0 v-hat / mean(v-hat), 0, 1 - eps) per parameter,
    the mean taken over the parameters of one run; m-hat = m / (1 - prod_z beta1_z).

    ``weight_decay`` (default 0, as printed) follows the official code (zeke-xie/adaptive-inertia-adai,
    adai_optim/adai.py), which the paper's experiments use: with ``decoupled=False`` (its default) the
    L2 term is added to the gradient before both moments, g <- g + weight_decay theta; with
    ``decoupled=True`` theta is shrunk, theta <- theta (1 - lr weight_decay), before the update (AdaiW,
    Algorithm 3). Either needs the parameters: ``update(grad, params)`` or ``step(params, grad)``.
    """

    name = "Adai"

    def __init__(self, lr: float, beta0: float = 0.1, beta2: float = 0.99, eps: float = 1e-3,
                 weight_decay: float = 0.0, decoupled: bool = False):
        self.beta0 = _require(self.name, "beta0", beta0, beta0 > 0, "beta0 > 0")
        self.beta2 = _unit_interval(self.name, "beta2", beta2)
        self.eps = _require(self.name, "eps", eps, 0 < eps <= 1, "0 < eps <= 1")
        self.weight_decay = _require(self.name, "weight_decay", weight_decay, weight_decay >= 0, "weight_decay >= 0")
        self.decoupled = bool(decoupled)
        super().__init__(lr)

    state_names = ("m", "v", "beta1_prod", "beta1")

    def _init_state(self, g):
        self.m = np.zeros_like(g)
        self.v = np.zeros_like(g)
        self.beta1_prod = np.ones_like(g)
        self.beta1 = np.zeros_like(g)

    def _momentum(self, g: np.ndarray) -> np.ndarray:
        self.v *= self.beta2
        self.v += (1 - self.beta2) * g * g
        v_hat = self.v / (1 - self.beta2 ** self.t)
        v_bar = v_hat.mean(axis=-1, keepdims=True)
        # Where every gradient of a run is 0, v-hat / v-bar is 0/0: treat the run as isotropic (ratio 1).
        ratio = np.divide(v_hat, v_bar, out=np.ones_like(v_hat), where=v_bar > 0)
        self.beta1 = np.clip(1 - self.beta0 * ratio, 0.0, 1 - self.eps)
        self.m *= self.beta1
        self.m += (1 - self.beta1) * g
        self.beta1_prod *= self.beta1
        return self.m / (1 - self.beta1_prod)

    def _params(self, params) -> np.ndarray:
        if params is None:
            raise OptimizerError(f"{self.name}: weight_decay={self.weight_decay} needs the parameters: "
                                 "call update(grad, params) or step(params, grad)")
        return np.asarray(params, dtype=float)

    def update(self, grad, params=None):
        g = self._begin(grad)
        if self.weight_decay and not self.decoupled:         # coupled L2: the official code's default
            g = g + self.weight_decay * self._params(params)
        delta = -self.lr * self._momentum(g)
        if self.weight_decay and self.decoupled:             # theta (1 - lr wd) - lr m-hat
            delta -= self.lr * self.weight_decay * self._params(params)
        return delta


class AdaiW(Adai):
    """Algorithm 3 (AdaiS/AdaiW): Adai with decoupled weight decay,
    theta_t = theta_{t-1} - eta m-hat_t - lambda eta theta_{t-1}, where g_t is taken at theta_{t-1}."""

    name = "AdaiW"

    def __init__(self, lr: float, beta0: float = 0.1, beta2: float = 0.99, eps: float = 1e-3,
                 weight_decay: float = 0.0):
        super().__init__(lr, beta0, beta2, eps, weight_decay=weight_decay, decoupled=True)

    def update(self, grad, params=None):
        g = self._begin(grad)
        delta = -self.lr * self._momentum(g)
        if self.weight_decay:
            if params is None:
                raise OptimizerError(f"{self.name}: weight_decay={self.weight_decay} needs the parameters: "
                                     "call update(grad, params) or step(params, grad)")
            delta -= self.weight_decay * self.lr * np.asarray(params, dtype=float)
        return delta


AdaiS = AdaiW


class AMSGrad(Optimizer):
    """AMSGrad as `ziyin` Eqs. (13)-(16) write it: v_t = beta2 v_(t-1) + (1-beta2) g^2, v-hat_t = max(v-hat_(t-1), v_t),
    theta -= lr m_t / sqrt(v-hat_t), no bias correction, no eps (eps > 0 adds it under the root).

    m_t = beta1 m_(t-1) + (1-beta1) g_t (Reddi et al.); ``printed_m=True`` uses Eq. (13) literally,
    m_t = beta1 v_(t-1) + (1-beta1) g_t. With beta1 = 0 (the paper's theory) both agree. ``amsgrad=False``
    drops the running max (Adam without bias correction, as Sec. 6.4 compares).

    ``torch=True`` is torch.optim.Adam(amsgrad=True): v-max_t = max(v-max_(t-1), v_t) of the raw v, then
    theta -= lr (m_t / (1 - beta1^t)) / (sqrt(v-max_t / (1 - beta2^t)) + eps), eps outside the root
    (default 1e-8 there; ``amsgrad=False`` then gives torch's plain Adam)."""

    name = "AMSGrad"
    state_names = ("m", "v", "v_hat")

    def __init__(self, lr: float, beta1: float = 0.0, beta2: float = 0.999, eps: float | None = None,
                 printed_m: bool = False, amsgrad: bool = True, torch: bool = False):
        self.beta1 = _unit_interval(self.name, "beta1", beta1)
        self.beta2 = _unit_interval(self.name, "beta2", beta2)
        eps = (1e-8 if torch else 0.0) if eps is None else eps
        self.eps = _require(self.name, "eps", eps, eps >= 0, "eps >= 0")
        self.printed_m, self.amsgrad, self.torch = bool(printed_m), bool(amsgrad), bool(torch)
        if self.torch and self.printed_m:
            raise OptimizerError(f"{self.name}: printed_m=True is the `ziyin` Eq. (13) typo and has no torch form")
        super().__init__(lr)

    def _init_state(self, g):
        self.m = np.zeros_like(g)
        self.v = np.zeros_like(g)
        self.v_hat = np.zeros_like(g)

    def update(self, grad, params=None):
        g = self._begin(grad)
        prev = self.v if self.printed_m else self.m
        self.m = self.beta1 * prev + (1 - self.beta1) * g
        self.v = self.beta2 * self.v + (1 - self.beta2) * g * g
        self.v_hat = np.maximum(self.v_hat, self.v) if self.amsgrad else self.v
        if self.torch:
            m = self.m / (1 - self.beta1 ** self.t)
            denom = np.sqrt(self.v_hat / (1 - self.beta2 ** self.t)) + self.eps
        else:
            m, denom = self.m, np.sqrt(self.v_hat + self.eps)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = -self.lr * m / denom
        return np.where(denom > 0, out, 0.0)


# --- conventions: the optimizer a run asks for ---------------------------------------------------------
CONVENTIONS = ("paper", "torch")
# The convention of the running check (set by the run from RunContext.convention): kernels and claims
# that build optimizers through ``for_convention`` follow it.
CONVENTION: contextvars.ContextVar[str] = contextvars.ContextVar("theorycheck_optimizer_convention", default="paper")


def current_convention() -> str:
    return CONVENTION.get()


def for_convention(name: str, lr: float, convention: str | None = None, **kw) -> Optimizer:
    """``name`` in adam, amsgrad, rmsprop, adai, adaiw, sgd, momentum, built as the paper prints it
    (``convention="paper"``) or as torch.optim / the official Adai code runs it (``"torch"``); keyword
    arguments are the optimizer's own (beta1, beta2, eps, weight_decay, ...)."""
    convention = convention or CONVENTION.get()
    if convention not in CONVENTIONS:
        raise OptimizerError(f"optimizer convention {convention!r}: expected one of {', '.join(CONVENTIONS)}")
    torch = convention == "torch"
    key = name.lower()
    if key == "adam":
        return Adam(lr, eps_inside=not torch, **kw)
    if key == "amsgrad":
        return AMSGrad(lr, torch=torch, **kw)
    if key == "rmsprop":
        return RMSprop(lr, bias_correction=not torch, eps_inside=not torch, **kw)
    if key == "adai":                       # the official code's default is coupled L2 decay
        return Adai(lr, **kw)
    if key in ("adaiw", "adais"):
        return AdaiW(lr, **kw)
    if key == "sgd":
        return SGD(lr)
    if key in ("momentum", "heavyball"):
        return HeavyBall(lr, **kw)
    raise OptimizerError(f"no optimizer named {name!r}: adam, amsgrad, rmsprop, adai, adaiw, sgd, momentum")
