"""`diagrams`, the author rebuttal (shared/papers/003_86b859acfc50889a.txt): the statements not already encoded
with the paper's sections (remark.small-c: cor34.py; remark.all-time: experiments.py; remark.two-stories and
remark.gengap: cor2.py; appc6: appendix_c.py; fig3a: experiments.py).
"""
from __future__ import annotations

import itertools
from functools import cache

import mpmath
import numpy as np
import sympy as sp

from checks import NotCheckable, SymbolicEquality
from theory import Claim, Param, Regime, claim
from theory.series import expected_after, expected_after_epochs, landscape, stationary_expectation

from . import cor1
from . import models as m
from .appendix_c import LOSS2, a2, b2, expect_xy, x1, y1
from .intro import EX1, L_S, sj_rvalue
from .kinds import RelationHolds, RelationHoldsMC, RemainderOrder, series_check
from .notation import IN_WORDS, Bs, Hf, Jf, LittleO, N, Sf, T, TensorSum, eta, in_eigenbasis, lam, mu, nu
from .simulate import stationary_average

# --- "C-flat minima" --------------------------------------------------------------------------------------------
D_CJ = sp.Symbol(r"\Delta\cdot(C\nabla H)")


def one_d_values(c):
    lead = sp.expand(m.gen_stationary(2, "displacement")).coeff(eta, 1)
    pts = [{m.H: h, m.J: j, m.sig: s_, m.kap: k, m.Q: q} for h, j, s_, k, q in
           itertools.product((0.5, 2.0), (-1.0, 0.7), (0.5, 1.3), (-0.5, 0.5), (-1.0, 1.0))]
    return {D_CJ: max(float((lead * m.sig ** 2 * m.J).subs(p)) for p in pts)}


ONE_D = RelationHolds("exact stationary expansion on the generic 1-D model (32 models, worst case)", one_d_values)
C_FLAT_DYNAMICS = "E = B = 1 SGD near a non-degenerate minimum, T >> 1/(eta H)"
D_SJ = sp.Symbol(r"\Delta\cdot(\Sigma\nabla H)")

# 2-D quadratic-plus-cubic minima in their eigenbasis, H = diag(h1, h2), J_111 = EPS, J_122 = -k EPS, x = +-1 noise
# on each coordinate (C = I). EPS keeps the barrier ~18 temperatures high at eta = 0.1, so no path escapes.
u2, v2, xa, xb = sp.symbols("u v x_u x_v")
EPS = sp.Rational(3, 10)


def c_flat_loss(h1, h2, k):
    return h1 * u2 ** 2 / 2 + h2 * v2 ** 2 / 2 + EPS * (u2 ** 3 / 6 - k * u2 * v2 ** 2 / 2) + xa * u2 + xb * v2


C_FLAT_MODELS = {"isotropic": [(1, 1, 3), (2, 2, -1), (sp.Rational(1, 2), sp.Rational(1, 2), 3)],
                 "anisotropic": [(sp.Rational(1, 2), 2, 3), (2, sp.Rational(1, 2), 3), (sp.Rational(1, 2), 2, -1)]}
C_FLAT_MC = (sp.Rational(1, 2), 2, 3)      # the anisotropic model where the leading displacement is along +C grad H


@cache
def c_flat_terms(model):
    """(leading eta-coefficient of the stationary displacement, C grad H, Sigma grad H) on one 2-D model, with
    Sigma solving H Sigma + Sigma H = C (SGD's stationary covariance over eta at leading order)."""
    if model == "full":
        loss, data, params = cor1.LOSS2, cor1.DATA2, [cor1.a2, cor1.b2]
    else:
        loss, data, params = c_flat_loss(*model), {xa: m.PM1, xb: m.PM1}, [u2, v2]
    st = landscape(loss, data, params, {p: 0 for p in params})
    disp = stationary_expectation(loss, data, 1, params=params, minimum=[0, 0], observable="displacement")
    lead = [sp.expand(d).coeff(eta, 1) for d in disp]
    H, C, J = st["H"], st["C"], st["J"]
    S = sp.Matrix(2, 2, sp.symbols("s0:4"))
    Sig = S.subs(sp.solve(list(H * S + S * H - C), list(S), dict=True)[0])
    cj = [sum(C[i, j] * J[i, j, k] for i in range(2) for j in range(2)) for k in range(2)]
    sj = [sum(Sig[i, j] * J[i, j, k] for i in range(2) for j in range(2)) for k in range(2)]
    return lead, cj, sj


def worst_dot(models, which):
    def values(c):
        out = []
        for mdl in models:
            lead, cj, sj = c_flat_terms(mdl)
            out.append(float(sum(a * b for a, b in zip(lead, cj if which == "C" else sj))))
        return {D_CJ if which == "C" else D_SJ: max(out)}
    return values


def c_flat_sim(which, eta0=0.1, steps=4000, burn=400):
    """Per path: the time-averaged displacement of SGD on C_FLAT_MC, dotted with C grad H (or Sigma grad H)."""
    h1, h2, k = (float(v) for v in C_FLAT_MC)
    e = float(EPS)

    def grad(th, xx):
        a, b = th[..., 0], th[..., 1]
        return np.stack([h1 * a + e * (a * a - k * b * b) / 2 + xx[..., 0], h2 * b - e * k * a * b + xx[..., 1]],
                        axis=-1)

    def simulate(n_paths, rng):
        sample = lambda r, shape: r.choice(np.array([1.0, -1.0]), size=shape + (2,))    # noqa: E731
        avg = stationary_average(grad, sample, 2, (eta0,), n_paths, rng, steps, burn, lambda t: t)[0]
        _, cj, sj = c_flat_terms(C_FLAT_MC)
        w = np.array([float(t) for t in (cj if which == "C" else sj)])
        return {D_CJ if which == "C" else D_SJ: avg @ w}
    return simulate


@claim("diagrams.remark.c-flat", "Rebuttal ('C-flat minima'); Sec. 2.2 ('the displacement is proportional to "
       "-C grad H')", "SGD moves toward minima that are flat with respect to C: its displacement is along -C grad H",
       uses=["diagrams.cor1.corrected"])
def c_flat():
    return Claim(statement=sp.StrictLessThan(D_CJ, 0), regime=Regime(()),
                 symbols={"Delta . (C grad H)": "leading eta-coefficient of SGD's stationary displacement dotted "
                                                "with C J, worst case over the models"},
                 dynamics=C_FLAT_DYNAMICS,
                 notes=["Two readings: in 1-D or with isotropic H (diagrams.remark.c-flat.isotropic) and at any "
                        "non-degenerate minimum in n dimensions (diagrams.remark.c-flat.general), the setting of "
                        "Cor. 1 it is drawn from. The check shared by both is the 1-D one."],
                 checks=[ONE_D])


@claim("diagrams.remark.c-flat.isotropic", "Rebuttal ('C-flat minima'), reading: 1-D or isotropic H",
       "In 1-D or with isotropic H the displacement is along -C grad H", reading_of="diagrams.remark.c-flat",
       uses=["diagrams.cor1.corrected"], reading="H = h I (or n = 1): Delta . (C grad H) < 0")
def c_flat_isotropic():
    return Claim(statement=sp.StrictLessThan(D_CJ, 0), regime=Regime(()),
                 symbols={"Delta . (C grad H)": "leading eta-coefficient of SGD's stationary displacement dotted "
                                                "with C J, worst case over the models"},
                 dynamics=C_FLAT_DYNAMICS,
                 notes=["1-D (or isotropic): -eta C J/(4 H^2), anti-aligned with C grad H at every model. The printed "
                        "Cor. 1 has the right direction but the wrong order (diagrams.cor1)."],
                 checks=[ONE_D, RelationHolds("exact stationary expansion on 2-D models with H = h I",
                                              worst_dot(C_FLAT_MODELS["isotropic"], "C"))])


@claim("diagrams.remark.c-flat.general", "Rebuttal ('C-flat minima'), reading: any non-degenerate minimum",
       "At any non-degenerate minimum the displacement is along -C grad H", reading_of="diagrams.remark.c-flat",
       proof_reading=True, uses=["diagrams.cor1.corrected"],
       reading="n dimensions, any H > 0 (Sec. 2.2 draws it from Cor. 1, stated in n dimensions)")
def c_flat_general():
    return Claim(statement=sp.StrictLessThan(D_CJ, 0), regime=Regime(()),
                 symbols={"Delta . (C grad H)": "SGD's stationary displacement dotted with C J: its leading "
                                                "eta-coefficient (exact) or its value at eta = 0.1 (Monte Carlo)"},
                 dynamics=C_FLAT_DYNAMICS,
                 notes=["With H = diag(1/2, 2), J_111 = 0.3, J_122 = -0.9 and C = I the displacement is -0.075 eta "
                        "e_1 while C grad H = -0.6 e_1: SGD moves along +C grad H. Cor. 1 weights C_mn J_mnl by "
                        "1/(H_mm + H_nn), so the direction is -Sigma grad H with H Sigma + Sigma H = C "
                        "(diagrams.remark.c-flat.general.corrected), which is -C grad H only when H is isotropic."],
                 checks=[ONE_D, RelationHolds("exact stationary expansion on 2-D models, H isotropic or not",
                                              worst_dot(C_FLAT_MODELS["isotropic"] + C_FLAT_MODELS["anisotropic"],
                                                        "C")),
                         RelationHoldsMC("SGD on the 2-D model H = diag(1/2, 2) (eta = 0.1, per-path time averages "
                                         "of steps 400-4000)", c_flat_sim("C"), n_paths=2000)])


@claim("diagrams.remark.c-flat.general.corrected", "Rebuttal ('C-flat minima'), corrected",
       "At any non-degenerate minimum the displacement is along -Sigma grad H, H Sigma + Sigma H = C",
       corrects="diagrams.remark.c-flat.general", uses=["diagrams.cor1.corrected"])
def c_flat_general_corrected():
    return Claim(statement=sp.StrictLessThan(D_SJ, 0), regime=Regime(()),
                 symbols={"Delta . (Sigma grad H)": "SGD's stationary displacement dotted with Sigma J, Sigma the "
                                                    "solution of H Sigma + Sigma H = C: its leading eta-coefficient "
                                                    "(exact) or its value at eta = 0.1 (Monte Carlo)"},
                 dynamics=C_FLAT_DYNAMICS,
                 notes=["By Cor. 1 (corrected) the displacement is -(eta/2) H^-1 (Sigma : J), so its dot product "
                        "with Sigma : J is -(eta/2) w^T H^-1 w < 0: SGD moves toward minima flat with respect to its "
                        "own stationary covariance, which is C only up to the factor 1/(H_mm + H_nn)."],
                 checks=[RelationHolds("exact stationary expansion on 2-D models (diagonal H, and a full model "
                                       "with correlated noise)",
                                       worst_dot(C_FLAT_MODELS["isotropic"] + C_FLAT_MODELS["anisotropic"] + ["full"],
                                                 "S")),
                         RelationHoldsMC("SGD on the 2-D model H = diag(1/2, 2) (eta = 0.1, per-path time averages "
                                         "of steps 400-4000)", c_flat_sim("S"), n_paths=3000)])


# --- R1 Ln 51: the eigenbasis of (eta H)^mu_nu -----------------------------------------------------------------
P_MAT = sp.Matrix([[2, sp.Rational(1, 2)], [sp.Rational(1, 2), 1]])
LOSS_P = (2 * a2 ** 2 + a2 * b2 + 3 * b2 ** 2) / 2 + a2 ** 2 * b2 / 2 + a2 * b2 ** 2 / 3 - a2 ** 3 / 5 + b2 ** 3 / 7 \
    + x1 * (a2 + b2 / 2) + y1 * (b2 - a2 / 3)


@cache
def preconditioned():
    """Exact S-part (skewed minus symmetric x) of preconditioned SGD (eta^{mu nu} = eta P), and the tensors in
    an eigenbasis of (P H)^mu_nu: V with V V^T = P and V^T H V = diag(lambda)."""
    out = {}
    for key, law in (("skew", m.SKEWED), ("sym", m.PM1)):
        out[key] = expected_after(LOSS_P, {x1: law, y1: m.PM1}, T, 3, params=[a2, b2], theta0=[0, 0],
                                  preconditioner=P_MAT)
    st = landscape(LOSS_P, {x1: m.SKEWED, y1: m.PM1}, [a2, b2], {a2: 0, b2: 0})
    with mpmath.workdps(60):                     # the eigenbasis to 60 digits (it holds square roots)
        to_mp = lambda M_: mpmath.matrix([[mpmath.mpf(sp.Rational(v).p) / sp.Rational(v).q for v in row]
                                          for row in M_.tolist()])
        ev, Q = mpmath.eigsy(to_mp(P_MAT))
        R = Q * mpmath.diag([mpmath.sqrt(e) for e in ev]) * Q.T
        lam_mp, U = mpmath.eigsy(R * to_mp(st["H"]) * R)
        V = R * U
        fl = lambda v: sp.Float(mpmath.nstr(v, 60), 60)
        lam_ = np.array([[fl(lam_mp[i]) if i == j else 0 for j in range(2)] for i in range(2)], dtype=object)

        def covariant(t):
            out_ = np.zeros((2, 2, 2), dtype=object)
            for i, j, k in itertools.product(range(2), repeat=3):
                out_[i, j, k] = fl(sum(mpmath.mpf(sp.Rational(t[a, b, c]).p) / sp.Rational(t[a, b, c]).q
                                       * V[a, i] * V[b, j] * V[c, k]
                                       for a, b, c in itertools.product(range(2), repeat=3)))
            return out_

        S3, J3 = covariant(st["S"]), covariant(st["J"])
    return sp.expand(out["skew"] - out["sym"]), lam_, S3, J3


def on_eigenbasis(c):
    _, lam_, S3, J3 = preconditioned()
    return in_eigenbasis(c.formula, {Hf: lam_, Sf: S3, Jf: J3}, 2)


@claim("diagrams.remark.eigbasis", "Rebuttal, R1 Ln 51", "eta(H_mm + H_nn + ...) is the sum of eigenvalues of "
       "(eta H)^mu_nu: Example 1 holds in an eigenbasis of eta H for a non-scalar learning rate eta^{mu nu}",
       uses=["diagrams.example1.fixed-t"])
def eigbasis():
    return Claim(statement=sp.Eq(L_S(T), EX1 + LittleO(eta ** 3), evaluate=False),
                 regime=Regime((Param(eta, 0.01, 0.2, log=True), Param(T, 1, 50))),
                 symbols={"H(mu, mu)": "eigenvalues of (P H)^mu_nu", "S, J": "covariant tensors in that eigenbasis"},
                 dynamics="SGD with learning rate eta^{mu nu} = eta P, P = [[2, 1/2], [1/2, 1]]",
                 observable="S-part of the expected test loss after T steps",
                 notes=["V with V V^T = P and V^T H V diagonal makes (P H) diagonal; S and J transform as covariant "
                        "3-tensors. Example 1's eta^3 T term is then -(T/6) S_{abc} J_{def} P^{ad} P^{be} P^{cf}, "
                        "coordinate-free, as the exact series gives."],
                 checks=[series_check("preconditioned SGD, exact S-part through eta^3 (T symbolic)", on_eigenbasis,
                                      lambda: preconditioned()[0]),
                         EigenRvalue()])


class EigenRvalue(RemainderOrder):
    """Example 1 in the eigenbasis against the S-J diagram's exact sum there (eta T = 1)."""

    def __init__(self):
        super().__init__("the S-J diagram's exact sum over embeddings in the eigenbasis of (P H), eta T = 1",
                         lambda etas: sj_rvalue(etas, np.diag(preconditioned()[1]).astype(float),
                                                *preconditioned()[2:]),
                         lambda c: on_eigenbasis(c).subs(T, 1 / eta), eta0=0.2, evidence="derivation",
                         order=(3, False))


EIG_PLAIN, EIG_MOVED = sp.symbols(r"\lambda_{max}(H) \lambda_{max}(A^THA)")


@claim("diagrams.remark.eigbasis.tensor", "Rebuttal, R1 Ln 51", "H (rank (0, 2)) has no eigenvalues without further "
       "structure: the eigenvalues of its matrix change with the coordinates", about="algebra")
def eigbasis_tensor():
    A = sp.Matrix([[1, 1], [0, 2]])
    H = sp.Matrix([[2, sp.Rational(1, 2)], [sp.Rational(1, 2), 3]])
    P = sp.Matrix([[2, sp.Rational(1, 2)], [sp.Rational(1, 2), 1]])

    def values(c):
        top = lambda M_: max(float(v) for v in M_.eigenvals())
        return {EIG_PLAIN: top(H), EIG_MOVED: top(A.T * H * A)}

    return Claim(statement=sp.Ne(EIG_MOVED, EIG_PLAIN), regime=Regime(()),
                 notes=["Under theta = A phi, H becomes A^T H A (covariant) while the learning rate becomes "
                        "A^-1 P A^-T, so (P H) becomes A^-1 (P H) A with the same eigenvalues: that is why the "
                        "rebuttal "
                        f"uses (eta H)^mu_nu. Checked: eig(P H) = eig(A^-1 P A^-T A^T H A) = "
                        f"{sorted(float(v) for v in (P * H).eigenvals())}."],
                 checks=[RelationHolds("largest eigenvalue of H's matrix in two coordinate systems", values,
                                       evidence="derivation", kind="symbolic")])


# --- "Some but not all of our corrections ... are functions of eta/B" -------------------------------------------
N_R, N_ETA = sp.symbols(r"n_{\eta/B} n_{\eta}")
tau, r = sp.symbols("tau r", positive=True)


@cache
def eta_b_counts():
    s = expected_after(m.GEN, m.GEN_LAW, T, 3, params=[m.th], theta0=[0], B=Bs)
    e = sp.expand(s.subs(T, tau / eta).subs(Bs, eta / r))
    terms = [t for t in sp.Add.make_args(e) if t.has(r) or t.has(eta)]
    return sum(1 for t in terms if not t.has(eta) and t.has(r)), sum(1 for t in terms if t.has(eta))


@claim("diagrams.remark.eta-over-b", "Rebuttal (answer to R2 Sect 2.5, R4 Sect 3.2)", "Some but not all of the "
       "corrections obey SDE noise-scaling: some terms are functions of eta/B (at fixed eta T), some are not")
def eta_over_b():
    return Claim(statement=sp.StrictGreaterThan(sp.Min(N_R, N_ETA), 0), regime=Regime(()),
                 symbols={"n_eta/B": "terms of SGD's series (batch B, fixed tau = eta T) that depend on eta only "
                                     "through r = eta/B", "n_eta": "terms with an explicit eta left"},
                 dynamics="SGD with fresh batches of B on the generic 1-D model, through eta^3",
                 notes=["Examples: H r sigma^2 tau / 2 and -J r^2 S tau / 6 are functions of (tau, r); "
                        "-A^2 H eta tau / 2 "
                        "and H^2 eta r sigma^2 tau / 2 are not. The SDE with covariance C/B has no explicit eta."],
                 checks=[RelationHolds("terms of the exact series with T = tau/eta, B = eta/r", lambda c: dict(
                     zip((N_R, N_ETA), eta_b_counts())))])


# --- "the third order contributions ... are all present in generic loss landscapes" -----------------------------
C_SJ, C_CJ = sp.symbols(r"c_{SJ} c_{CJ}")


def third_order_values(c):
    loss_coef = sp.expand(m.gen_sgd(3)).coeff(eta, 3)
    disp_coef = sp.expand(m.gen_sgd(3, "displacement")[0]).coeff(eta, 3)
    point = {T: 5, m.A: sp.Rational(3, 10), m.H: sp.Rational(7, 10), m.J: sp.Rational(9, 10),
             m.sig: sp.Rational(11, 10),
             m.kap: sp.Rational(2, 5), m.Q: sp.Rational(1, 3), m.s3: 1}
    sj = sp.expand(loss_coef).coeff(m.s3, 1).subs(point)                   # the S.J term (isolated by Gauss)
    cj = sp.expand(disp_coef.subs(m.A, 0)).coeff(m.J, 1).subs(point)      # the C.J displacement (Archimedes)
    return {C_SJ: abs(sj), C_CJ: abs(cj)}


@claim("diagrams.remark.third-order", "Rebuttal (answer to R2 Sect 2.5, R4 Sect 3.2)", "The third-order terms the "
       "artificial examples isolate (S J on Gauss, C J on Archimedes) are present in generic landscapes",
       uses=["diagrams.cor5.skew", "diagrams.sec32.velocity"])
def third_order():
    return Claim(statement=sp.StrictGreaterThan(sp.Min(C_SJ, C_CJ), 0), regime=Regime(()),
                 symbols={"c_SJ": "|S-part of the eta^3 coefficient of the test loss|", "c_CJ": "|C J part of the "
                          "eta^3 coefficient of the displacement|, generic 1-D model at a generic point, T = 5"},
                 checks=[RelationHolds("exact series of the generic 1-D model", third_order_values)])


@claim("diagrams.remark.third-order.real", "Rebuttal (same answer)", "Experiments on real data (Fig. 3 green lines) "
       "suggest the third-order terms are sometimes substantial")
def third_order_real():
    return Claim(statement=sp.Eq(IN_WORDS, 0, evaluate=False), regime=Regime(()),
                 checks=[NotCheckable("image-classifier runs", "the claim rests on Fig. 3's convnet experiments, "
                                      "whose data and runs are not available")])


# --- "2 l_x(theta) . grad(l_x(theta) - l_y(theta)) is an unbiased estimate of grad C" ---------------------------
LX, DLX, DLY = sp.symbols(r"l_x \partial_{\mu}l_x \partial_{\mu}l_y")
GXf, HXf, HYf = sp.Function(r"(\nabla l_x)"), sp.Function(r"(\nabla\nabla l_x)"), sp.Function(r"(\nabla\nabla l_y)")
DTRC = sp.Function(r"\nabla_{\mu}C^{\nu}_{\nu}")
DC3 = sp.Function(r"\nabla_{\mu}C_{\nu\lambda}")
P2 = (a2, b2)
REG2 = Regime((Param(a2, -1, 1), Param(b2, -1, 1)))


def model_tensors():
    gx = [sp.diff(LOSS2, p) for p in P2]
    hx = [[sp.diff(gx[n_], P2[k]) for n_ in range(2)] for k in range(2)]
    G = [expect_xy(g) for g in gx]
    C = [[expect_xy(gx[i] * gx[j]) - G[i] * G[j] for j in range(2)] for i in range(2)]
    dC = [[[sp.diff(C[j][k], P2[i]) for k in range(2)] for j in range(2)] for i in range(2)]
    return gx, hx, dC


def with_gradients(e, gx, hx):
    """The tensor functions replaced by the model's gradient and Hessians at samples x (and y)."""
    e = e.replace(GXf, lambda n_: gx[int(n_) - 1])
    e = e.replace(HXf, lambda a, b: hx[int(a) - 1][int(b) - 1])
    return e.replace(HYf, lambda a, b: hx[int(a) - 1][int(b) - 1].subs(x1, y1))


def reading_a_lhs(c):
    gx, _, _ = model_tensors()
    return sp.Matrix([expect_xy(c.formula.subs({LX: LOSS2, DLX: gx[k], DLY: gx[k].subs(x1, y1)})) for k in range(2)])


def trace_grad_c(c):
    _, _, dC = model_tensors()
    return sp.Matrix([dC[k][0][0] + dC[k][1][1] for k in range(2)])


def reading_b_lhs(c):
    gx, hx, _ = model_tensors()
    out = []
    for k in range(2):
        e = in_eigenbasis(c.formula.subs(mu, k + 1), {}, 2)
        e = with_gradients(e, gx, hx)
        out.append(expect_xy(e))
    return sp.Matrix(out)


def reading_c_lhs(c):
    gx, hx, _ = model_tensors()
    out = []
    for i, j, k in itertools.product(range(2), repeat=3):
        e = c.formula.subs({mu: i + 1, nu: j + 1, lam: k + 1})
        e = with_gradients(e, gx, hx)
        out.append(expect_xy(e))
    return sp.Matrix(out)


def grad_c3(c):
    _, _, dC = model_tensors()
    return sp.Matrix([dC[i][j][k] for i, j, k in itertools.product(range(2), repeat=3)])


RB_FORMULA = 2 * TensorSum(GXf(nu) * (HXf(mu, nu) - HYf(mu, nu)), (nu, 1, sp.Symbol("n", integer=True, positive=True)))
MODEL_NOTE = ("2-D model l_x = (a^2 + b^2)/2 + x a^2 b/2 + x a + x^2 b^2 a/3 (theta-dependent, anisotropic noise), "
              "x, y "
              "i.i.d. on {-1, 0, 2} w.p. (1/2, 1/3, 1/6); expectations exact")


@claim("diagrams.remark.unbiased-gradc", "Rebuttal (answer to R4 Cor 3)", "'2 l_x(theta) . grad(l_x(theta) - "
       "l_y(theta)) is for any fixed theta an unbiased estimate of grad C, for x, y ~ D'", about="algebra")
def unbiased_gradc():
    return Claim(statement=sp.Eq(DTRC(mu), RB_FORMULA, evaluate=False), regime=REG2, notes=[
        "Read three ways: l_x the loss value (diagrams.remark.unbiased-gradc.loss-value), l_x standing for the "
        "gradient with '.' a contraction (.contracted), or an outer product against the 3-tensor grad C (.outer). "
        "Own check: the contracted form, the one Cor. 3 needs."],
        checks=[SymbolicEquality("E over x, y (" + MODEL_NOTE + ")", reading_b_lhs, trace_grad_c)])


@claim("diagrams.remark.unbiased-gradc.loss-value", "Rebuttal, reading: l_x the loss value", "E[2 l_x grad(l_x - l_y)] "
       "= grad tr C", reading_of="diagrams.remark.unbiased-gradc", about="algebra",
       reading="l_x(theta) the scalar loss, '.' a product: the estimate is a vector, compared with grad_mu C^nu_nu")
def unbiased_a():
    return Claim(statement=sp.Eq(DTRC(mu), 2 * LX * (DLX - DLY), evaluate=False), regime=REG2,
                 notes=["E[2 l_x grad(l_x - l_y)] = 2 Cov(l_x, grad l_x) = grad Var_x[l_x(theta)], not grad C. "
                        "Mean Estimation (H = S = 1, x on {-1, 0, 2}): 41 theta/18, while grad C = 0."],
                 checks=[SymbolicEquality("E over x, y (" + MODEL_NOTE + ")", reading_a_lhs, trace_grad_c)])


@claim("diagrams.remark.unbiased-gradc.contracted", "Rebuttal, reading: gradients contracted", "E[2 (grad l_x)^nu "
       "grad_mu (grad l_x - grad l_y)_nu] = grad_mu C^nu_nu", reading_of="diagrams.remark.unbiased-gradc",
       about="algebra", proof_reading=True,
       reading="l_x for the gradient (App. C.4's notation (l_x)_mu), '.' the contraction: the quantity Cor. 3 needs")
def unbiased_b():
    return Claim(statement=sp.Eq(DTRC(mu), RB_FORMULA, evaluate=False), regime=REG2,
                 checks=[SymbolicEquality("E over x, y (" + MODEL_NOTE + ")", reading_b_lhs, trace_grad_c)])


@claim("diagrams.remark.unbiased-gradc.outer", "Rebuttal, reading: outer product", "E[2 (grad l_x)_lambda grad_mu "
       "(grad l_x - grad l_y)_nu] = grad_mu C_{nu lambda}", reading_of="diagrams.remark.unbiased-gradc",
       about="algebra", reading="no contraction: a 3-tensor estimate of the 3-tensor grad C")
def unbiased_c():
    return Claim(statement=sp.Eq(DC3(mu, nu, lam), 2 * GXf(lam) * (HXf(mu, nu) - HYf(mu, nu)), evaluate=False),
                 regime=REG2, notes=["The two sides differ by a part antisymmetric in (nu, lambda); they agree after "
                                     "symmetrizing in (nu, lambda), and in 1-D."],
                 checks=[SymbolicEquality("E over x, y (" + MODEL_NOTE + ")", reading_c_lhs, grad_c3)])


# --- "This local estimate may thus be computed at each step as theta_t evolves" (GDC) -------------------------
LHAT = sp.Symbol(r"\hat{l}_c")
GN, GM = sp.symbols("g_n g_m")
PAIRS = sp.Function(r"\mathrm{Avg}_{n\ne m}")
GDC_N = 3


@claim("diagrams.remark.gdc", "Rebuttal (answer to R4 Cor 3); Cor. 3 second part", "GD on l + l-hat_c, with l-hat_c "
       "estimated from the training set at every step, has SGD's test loss to order eta^2",
       uses=["diagrams.cor3.gdc"])
def gdc_local():
    def gap(c):
        loss = m.linear_noise(1)

        def batch_loss(batch, pts):
            g = [sp.diff(loss.subs(m.x, p[m.x]), m.th) for p in pts]
            pairs = [(i, j) for i in range(GDC_N) for j in range(GDC_N) if i != j]
            est = c.formula.replace(PAIRS, lambda e: sum(e.subs({GN: g[i], GM: g[j]}) for i, j in pairs) / len(pairs))
            return sum(loss.subs(m.x, p[m.x]) for p in batch) / len(batch) + est.subs(N, GDC_N)

        test = m.th + m.th ** 2 / 2
        gdc = expected_after_epochs(loss, {m.x: m.PM1}, GDC_N, 2, params=[m.th], theta0=[0], epochs=GDC_N, B=GDC_N,
                                    batch_loss=batch_loss, observable=test)
        sgd = expected_after_epochs(loss, {m.x: m.PM1}, GDC_N, 2, params=[m.th], theta0=[0], observable=test)
        return sp.expand(gdc - sgd)

    return Claim(statement=sp.Eq(LHAT, (N - 1) / (4 * N) * eta * PAIRS((GN - GM) * GN), evaluate=False),
                 regime=Regime((Param(eta, 0.01, 0.2, log=True),)),
                 symbols={"l-hat_c": "the regularizer, recomputed at the current theta from the training set",
                          "g_n": "gradient of training point n at theta"},
                 dynamics=f"GD (T = B = N = {GDC_N}) on l + l-hat_c and one-epoch SGD, LINEAR_NOISE (G = 1)",
                 observable="expected test loss", notes=[
                     "The average over ordered pairs n != m of (g_n - g_m) g_n is unbiased for C (1-D); App. C.4's "
                     "printed estimator has half of it (diagrams.appc4.estimator)."],
                 checks=[series_check("GDC minus SGD, exact series through eta^2", gap, lambda: 0, order=2)])


@claim("diagrams.remark.retraction", "Rebuttal (answer to R1 on sharp vs flat minima); Sec. 1.3 ('At least for small "
       "eta, our theory reconciles these clashing claims')", "The work does not reconcile conflicting proved results; "
       "it explains why two intuitions may co-exist (different noise models)", about="text")
def retraction():
    return Claim(statement=sp.Eq(sp.Symbol("reconciles"), 0, evaluate=False), regime=Regime(()),
                 notes=["The body's sentence in Sec. 1.3 is what the rebuttal retracts; the quantitative content "
                        "(both flat and sharp minima overfit less) is diagrams.remark.two-stories."],
                 checks=[NotCheckable("an interpretation", "a statement about how to read the paper's contribution")])


@claim("diagrams.remark.scope", "Rebuttal (answers to R3 and R2)", "'We study SGD as an approximate method for ERM'; "
       "the contribution is theoretical", about="text")
def scope():
    return Claim(statement=sp.Eq(IN_WORDS, 0, evaluate=False), regime=Regime(()),
                 checks=[NotCheckable("a scope statement", "describes the paper's aims; nothing to compute")])

