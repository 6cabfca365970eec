"""`diagrams`, App. B (Mathematics of the theory): the Key Lemma (`lem:dyson`, read two ways), Theorem 3
(`thm:pathint`), Remark 3 (`rmk:leibniz`), Proposition 1 (`prop:vanilla`, read two ways), Proposition 2
(`prop:ordtwo`, read two ways), and the proofs' own steps (App. B.5, B.7) where they are incomplete or wrong.
"""
from __future__ import annotations

import itertools
import math
from functools import cache

import sympy as sp

from checks import NotCheckable, SymbolicEquality
from checks.dynamics.sgd_data import run_sgd
from theory import Claim, Param, Regime, claim
from theory.series import expected_after_epochs

from . import enumerator as en
from . import models as m
from .kinds import RelationHolds, series_check
from .notation import CH, DCG, GG, GHG, IN_WORDS, Bs, LittleO, M, N, T, contract, eta, taylor
from .simulate import series_mc
from .theory import CASES, EL, REGIME, _land, exact_series

# --- the Key Lemma ------------------------------------------------------------------------------------------
KEY = sp.Function("KEYSUM")
XS = sp.symbols("x_0:3", real=True)
th = m.th


def key_loss(xv):
    return th ** 2 / 2 + xv * th ** 3 / 3 + xv ** 2 * th


S_OBS = th ** 3 + th
THETA0, K_ORDER = sp.Rational(1, 2), 4


@cache
def key_sum(first_outermost: bool):
    """sum over (d_t) of (-eta)^(sum d) (prod_t (g_t grad)^(d_t)/d_t!) s at theta0, to eta^4, composing the operators
    with t = 0 outermost (applied last) or innermost."""
    total = 0
    for ds in itertools.product(range(K_ORDER + 1), repeat=3):
        if sum(ds) > K_ORDER:
            continue
        f = S_OBS
        for t in (reversed(range(3)) if first_outermost else range(3)):
            g = sp.diff(key_loss(XS[t]), th)
            f = g ** ds[t] * (sp.diff(f, th, ds[t]) if ds[t] else f) / math.factorial(ds[t])
        total += (-eta) ** sum(ds) * f
    return sp.expand(total.subs(th, THETA0))


@cache
def sgd_iterate():
    gens = (eta, *XS)
    R, e_, *xs = sp.ring(gens, sp.QQ)

    def cut(p):                    # keep eta^0..eta^K_ORDER: a step multiplies what is dropped by eta
        return R({mon: c for mon, c in p.items() if mon[0] <= K_ORDER})

    w = R(THETA0)
    for t in range(3):
        g = sp.Poly(sp.diff(key_loss(XS[t]), th), th)          # the gradient as a polynomial in theta
        val = R(0)
        for (k,), coef in g.terms():
            val += R(sp.Poly(coef, *gens).as_dict()) * w ** k
        w = cut(w - e_ * cut(val))
    s_val = sum((R(sp.Poly(coef, *gens).as_dict()) * w ** k for (k,), coef in sp.Poly(S_OBS, th).terms()), R(0))
    return cut(s_val).as_expr(*gens)


def key_claim(first):
    return Claim(statement=sp.Eq(sp.Function("s")(sp.Symbol(r"\theta_T")), KEY(eta), evaluate=False),
                 printed=r"s(\theta_T) = \sum_{(d_t)}(-\eta)^{\sum_t d_t}\Big(\prod_{0\le t<T}"
                         r"\frac{(g\nabla)^{d_t}}{d_t!}\Big|_{g=\sum_{n\in\mathcal{B}_t}\nabla l_n(\theta)/B}"
                         r"\Big)(s)(\theta_0)",
                 regime=Regime((Param(eta, 0.01, 0.2, log=True),)), symbols={"x_t": "the data point of step t"},
                 dynamics="one SGD path, T = 3, l_x = th^2/2 + x th^3/3 + x^2 th, s = th^3 + th, theta0 = 1/2",
                 observable="s(theta_T) along the path, to eta^4",
                 checks=[SymbolicEquality("the sum against the SGD iterate itself, symbolic data, through eta^4",
                                          lambda c: taylor(c.formula.replace(KEY, lambda *a: key_sum(first)), K_ORDER),
                                          lambda c: taylor(sgd_iterate(), K_ORDER),
                                          extra=[Param(x, -2, 2) for x in XS], evidence="model")])


@claim("diagrams.keylemma", "Key Lemma (lem:dyson), App. B.2", "s(theta_T) is the sum over (d_t) of (-eta)^(sum d_t) "
       "(prod_t (g grad)^(d_t)/d_t!) s at theta0")
def keylemma():
    c = key_claim(True)
    c.checks = [SymbolicEquality("the sum against the SGD iterate through eta^1 (where the order of composition "
                                 "does not matter)",
                                 lambda c: taylor(c.formula.replace(KEY, lambda *a: key_sum(True)), 1),
                                 lambda c: taylor(sgd_iterate(), 1), extra=[Param(x, -2, 2) for x in XS],
                                 evidence="model")]
    c.notes = ["'The above product then indicates composition' does not say which step acts first: read with the "
               "t = 0 operator outermost (as the product is written left to right) and innermost.",
               "The expectation over training sets commutes with the sum for polynomial losses (finite sums at "
               "each order): not checked separately."]
    return c


@claim("diagrams.keylemma.first-outermost", "Key Lemma, reading: the t = 0 operator outermost",
       "Key Lemma with the product composed left to right (t = 0 applied last)", reading_of="diagrams.keylemma",
       proof_reading=True, reading="the product as written, prod_{0 <= t < T} from the left: t = 0 outermost")
def keylemma_first():
    return key_claim(True)


@claim("diagrams.keylemma.last-outermost", "Key Lemma, reading: the last operator outermost",
       "Key Lemma with the t = T-1 operator outermost (t = 0 applied first)", reading_of="diagrams.keylemma",
       reading="composition in the time order of the updates: t = 0 innermost")
def keylemma_last():
    return key_claim(False)


# --- Theorem 3 and Remark 3 ---------------------------------------------------------------------------------
PSUM = sp.Function("PSUM")


@cache
def path_sum(case, steps):
    return en.path_integral(_land(case), steps, 3)


@claim("diagrams.thm3", "Theorem 3 (thm:pathint), App. B.3", "SGD's expected test loss is the sum over diagrams and "
       "embeddings of uvalue(D)/(|Aut_f(D)| (-B)^|edges|) (checked at B = 1)")
def thm3():
    keys = [(c, s) for c in CASES for s in CASES[c][4]]
    return Claim(statement=sp.Eq(EL(T), PSUM(eta, T), evaluate=False),
                 printed=r"\mathbb{E}\,l(\theta_T)=\sum_D\sum_{f}\frac{1}{|\mathrm{Aut}_f(D)|}"
                         r"\frac{\mathrm{uvalue}(D)}{(-B)^{|\mathrm{edges}(D)|}}",
                 regime=REGIME, dynamics="E = B = 1 SGD for T steps", observable="expected test loss",
                 notes=["uvalue(D): moments of the parts, eta per edge; embeddings injective on parts; 1/|Aut_f| by "
                        "summing labeled diagrams with weight 1/n!. B > 1 and several epochs are not enumerated here; "
                        "their consequences Prop. 2 and Cor. 2 are checked (diagrams.prop2.updates, "
                        "diagrams.cor2.gap)."],
                 checks=[SymbolicEquality("through eta^3 against the exact series on the four models of Theorem 1",
                                          lambda c: sp.Matrix([taylor(c.formula.replace(
                                              PSUM, lambda *a, k=k: path_sum(*k)), 3) for k in keys]),
                                          lambda c: sp.Matrix([taylor(exact_series(*k), 3) for k in keys]),
                                          evidence="model")])


@claim("diagrams.thm3.gengap", "Theorem 3, last sentence", "Replacing D by -sum_p (D_rp - D)/N gives the expected "
       "generalization gap")
def thm3_gengap():
    return Claim(statement=sp.Eq(IN_WORDS, 0, evaluate=False), regime=Regime(()),
                 checks=[NotCheckable("the gen. gap modification", "D_rp (a diagram with the root joined to part p) is "
                                      "not defined in the text; its consequence, Cor. 2's gap, is diagrams.cor2.gap")])


P_FUN = [sp.Function(f"p_{k}") for k in (1, 2)]
LEIB = sp.Function("LEIBNIZ")


def leibniz_sum():
    """sum over nu: M -> K (|M| = 3, |K| = 2) of prod_k d^|nu^-1(k)| p_k."""
    total = 0
    for nu in itertools.product(range(2), repeat=3):
        total += sp.Mul(*[sp.diff(P_FUN[k](th), th, nu.count(k)) if nu.count(k) else P_FUN[k](th) for k in range(2)])
    return total


@claim("diagrams.rmk3", "Remark 3 (rmk:leibniz), App. B.3", "Leibniz: grad^|M| prod_k p_k = sum over nu: M -> K of "
       "prod_k grad^|nu^-1(k)| p_k (|K|^|M| terms)", about="algebra")
def rmk3():
    return Claim(statement=sp.Eq(sp.diff(P_FUN[0](th) * P_FUN[1](th), th, 3), LEIB(3), evaluate=False),
                 regime=Regime((Param(th, -1, 1),)), notes=["Checked with |M| = 3, |K| = 2 (8 terms)."],
                 checks=[SymbolicEquality("the sum over the 2^3 maps against the third derivative",
                                          lambda c: c.lhs.doit(), lambda c: c.formula.replace(LEIB, lambda *a:
                                                                                             leibniz_sum()))])


# --- Proposition 1 ------------------------------------------------------------------------------------------
VSUM = sp.Function("VSUM")
d_sym = sp.Symbol("d", integer=True, positive=True)
PROP1_MODEL = "polynomial, G = 1/2"


@cache
def prop1_exact(n_):
    return exact_series(PROP1_MODEL, n_) if n_ in CASES[PROP1_MODEL][4] else \
        m.expected_after(CASES[PROP1_MODEL][0], CASES[PROP1_MODEL][2], n_, 3, params=[th], theta0=[0])


def vsum_at(formula, n_, d, up_to_aut):
    """The statement at N = n_, d: VSUM(d, N) evaluated with the arguments the statement gives it."""
    e = formula.subs({d_sym: d, N: n_})
    return e.replace(VSUM, lambda a, b: en.prop1_sum(_land(PROP1_MODEL), int(a), int(b), up_to_aut))


def prop1_check(up_to_aut: bool):
    keys = [(n_, d) for n_ in (3, 4) for d in (1, 2, 3)]

    def lhs(c):
        return sp.Matrix([vsum_at(c.formula, n_, d, up_to_aut) for n_, d in keys])

    return SymbolicEquality("eta^d coefficients, d = 1, 2, 3, at N = T = 3, 4 (polynomial model, G = 1/2)", lhs,
                            lambda c: sp.Matrix([sp.expand(prop1_exact(n_)).coeff(eta, d) for n_, d in keys]),
                            evidence="model")


def prop1_claim(up_to_aut):
    return Claim(statement=sp.Eq(sp.Function(r"L_{d}")(N), (-1) ** d_sym / sp.factorial(d_sym) * VSUM(d_sym, N),
                                 evaluate=False),
                 printed=r"\frac{(-1)^d}{d!}\sum_D|\mathrm{ords}(D)|\binom{N}{P-1}\binom{d}{d_0,\cdots,d_{P-1}}"
                         r"\mathrm{uvalue}(D)",
                 regime=Regime(()), dynamics="one-epoch SGD with singleton batches (T = N)",
                 observable="coefficient of eta^d of the expected test loss",
                 notes=["P counts the parts including the root's; the multinomial takes the sizes of the P - 1 other "
                        "parts (the printed index range 0 <= p <= P lists P + 1 sizes: diagrams.prop1.indices)."],
                 checks=[prop1_check(up_to_aut)])


@claim("diagrams.prop1", "Proposition 1 (prop:vanilla), App. B.4", "Order-eta^d test loss of one-epoch SGD as a sum "
       "over d-edged diagrams with |ords(D)| binom(N, P-1) multinomial uvalue(D)")
def prop1():
    c = prop1_claim(True)
    c.checks = [SymbolicEquality("eta^1 coefficient at N = T = 3, 4 (every diagram has one ordering there)",
                                 lambda c: sp.Matrix([vsum_at(c.formula, n_, 1, False) for n_ in (3, 4)]),
                                 lambda c: sp.Matrix([sp.expand(prop1_exact(n_)).coeff(eta, 1) for n_ in (3, 4)]),
                                 evidence="model")]
    return c


@claim("diagrams.prop1.labeled", "Proposition 1, reading: |ords(D)| of a labeled diagram", "Prop. 1 with |ords(D)| "
       "the orderings of a labeled representative", reading_of="diagrams.prop1",
       reading="'|ords(D)| counts the total orderings of D' on D's nodes as labeled")
def prop1_labeled():
    return prop1_claim(False)


@claim("diagrams.prop1.up-to-aut", "Proposition 1, reading: orderings up to automorphism", "Prop. 1 with |ords(D)| "
       "the orderings counted up to automorphisms of D", reading_of="diagrams.prop1", proof_reading=True,
       reading="orderings counted up to automorphism (|ords| / |Aut(D)|), as embeddings are counted up to "
               "automorphism in the proofs")
def prop1_up_to_aut():
    return prop1_claim(True)


SIZES, MULTI = sp.Symbol(r"n_{sizes}"), sp.Symbol(r"n_{multinomial}")


@claim("diagrams.prop1.indices", "Proposition 1, index ranges", "'D's parts have sizes d_p: 0 <= p <= P' lists as many "
       "sizes as the multinomial binom(d; d_0, ..., d_{P-1}) takes", about="text")
def prop1_indices():
    return Claim(statement=sp.Eq(SIZES, MULTI, evaluate=False), regime=Regime(()),
                 symbols={"n_sizes": "number of sizes d_p with 0 <= p <= P", "n_multinomial": "entries of the "
                          "multinomial d_0, ..., d_{P-1}"},
                 notes=["Corrected: sizes d_p for 0 <= p < P (or P - 1 non-root parts, as binom(N, P-1) suggests)."],
                 checks=[RelationHolds("the two index ranges counted at P = 3", lambda c: {
                     SIZES: len(range(0, 3 + 1)), MULTI: len(range(0, 3))}, evidence="derivation", kind="symbolic")])


# --- Proposition 2 ------------------------------------------------------------------------------------------
LOSS0 = sp.Symbol("l")
PROP2 = (LOSS0 - M * N * GG + M * N * (M * N - sp.Rational(1, 2)) * GHG + M * N * (M / 2) * CH
         + M * N * ((M - 1 / Bs) / 2) * DCG / 2)
CONFIGS = ((2, 1, 1, "cyclic"), (3, 1, 1, "cyclic"), (2, 2, 1, "cyclic"), (2, 2, 1, "reshuffle"), (3, 2, 1, "cyclic"),
           (2, 1, 2, "cyclic"), (4, 1, 2, "cyclic"), (4, 2, 2, "cyclic"), (2, 2, 2, "cyclic"), (3, 3, 3, "cyclic"))
PROP2_STATS = {GG: m.A ** 2, GHG: m.A ** 2 * m.H, CH: m.sig ** 2 * m.H, DCG: 2 * m.kap * m.sig * m.A}


@cache
def prop2_exact(n_, e_, b_, sched):
    # the loss shifted by 1, so that l(theta_0) = 1 and the statement's l is read
    return expected_after_epochs(m.GEN.subs(m.Q, 0) + 1, {m.x: m.PM1}, n_, 2, params=[th], theta0=[0], epochs=e_,
                                 B=b_, schedule=sched)


def prop2_inst(c, n_, e_, b_, sched, reading):
    t_ = e_ * n_ // b_
    mm = sp.Rational(t_, n_) if reading == "updates" else sp.Integer(e_)
    return contract(c.formula, PROP2_STATS).subs({LOSS0: 1, M: mm, N: n_, Bs: b_})


MC_N, MC_B, MC_E = 4, 2, 2


def prop2_sim(etas, n_paths, rng):
    t_ = MC_E * MC_N // MC_B
    run = run_sgd(lambda t, xx: 1.0 + xx, lambda r, s: r.standard_normal(s), [0.0], list(etas), t_, n_paths, rng,
                  N=MC_N, B=MC_B)
    return run.records[t_][..., 0].T                    # l(theta) = G theta with G = 1: E l(theta_T) - l(theta_0)


def prop2_checks(reading):
    t_ = MC_E * MC_N // MC_B
    inst = lambda c: contract(c.formula, {GG: 1, GHG: 0, CH: 0, DCG: 0}).subs(
        {LOSS0: 0, M: sp.Rational(t_, MC_N) if reading == "updates" else MC_E, N: MC_N, Bs: MC_B})
    return [series_check("exact series on the generic model (Q = 0, x = +-1) in ten (N, E, B, shuffling) settings, "
                         "GD included", lambda c: [prop2_inst(c, *cfg, reading) for cfg in CONFIGS],
                         lambda: [prop2_exact(*cfg) for cfg in CONFIGS],
                         extra=[p for p in m.GEN_PARAMS if p.name in ("A", "H", "J", "sigma", "kappa")]),
            series_mc(f"SGD on l_x = (1 + x) theta, N = {MC_N}, B = {MC_B}, {MC_E} epochs (T = {t_})", prop2_sim,
                      (0.02, 0.01), inst, lambda etas: [-t_ * e for e in etas], lambda: -t_ * eta, n_paths=20_000)]


def prop2_claim(reading):
    return Claim(statement=sp.Eq(EL(T), PROP2 + LittleO(eta ** 2), evaluate=False),
                 regime=Regime((Param(eta, 0.005, 0.2, log=True),)),
                 symbols={"l": "l(theta_0)", "M": "T/N (Sec. 1.2) or the number of epochs", "B": "batch size",
                          "N": "training points"},
                 dynamics="SGD on N points, batches of B without replacement, any shuffling",
                 observable="expected test loss after T = E N / B steps", checks=prop2_checks(reading))


@claim("diagrams.prop2", "Proposition 2 (prop:ordtwo), App. B.7", "Order-eta^2 test loss of SGD on N samples for M "
       "epochs with batch size B and any shuffling")
def prop2():
    c = prop2_claim("updates")
    c.checks = [series_check("exact series with B = 1, where M = T/N is the number of epochs",
                             lambda c: [prop2_inst(c, *cfg, "updates") for cfg in CONFIGS if cfg[2] == 1],
                             lambda: [prop2_exact(*cfg) for cfg in CONFIGS if cfg[2] == 1],
                             extra=[p for p in m.GEN_PARAMS if p.name in ("A", "H", "J", "sigma", "kappa")])]
    c.notes = ["The text says 'for M epochs'; Sec. 1.2 defines M = T/N. They differ when B > 1; the proof's count "
               "M N B of one-edge embeddings is T B, i.e. M = T/N."]
    return c


@claim("diagrams.prop2.updates", "Proposition 2, reading: M = T/N (Sec. 1.2, the proof's counts)", "Prop. 2 with "
       "M = T/N", reading_of="diagrams.prop2", proof_reading=True, reading="M = T/N as defined in Sec. 1.2")
def prop2_updates():
    return prop2_claim("updates")


@claim("diagrams.prop2.epochs", "Proposition 2, reading: M epochs", "Prop. 2 with M the number of epochs",
       reading_of="diagrams.prop2", reading="M the number of epochs, as the proposition's words say")
def prop2_epochs():
    return prop2_claim("epochs")


# --- the proofs' own steps ----------------------------------------------------------------------------------
MISSING = sp.Symbol(r"n_{missing}")
EXCERPTS = {
    "thm1": ("App. B.5, proof of Theorem 1", "We apply Mobius inversion to Theorem 3. The result is that chains of "
             "embeddings {\\color{red} FILL IN}"),
    "cor3-gdc": ("App. B.7, proof of Corollary 3's second part", "\\begin{proof}[Proof of Corollary 3's second part] "
                 "{\\color{red} FILL IN} \\end{proof}"),
    "cor5-ode": ("App. B.7, Corollary 5's first part", "follows immediately from {\\color{red} Remark \\ref{rmk:vsode} "
                 "in the case that d=2, P=2, ...}"),
}
LABELS_IN_PAPER = ("rmk:integrate", "rmk:leibniz")     # the paper's remark labels (no rmk:vsode)


def missing_count(key):
    text = EXCERPTS[key][1]
    if key == "cor5-ode":
        return sum(label not in LABELS_IN_PAPER for label in ("rmk:vsode",) if label in text)
    return text.count("FILL IN")


def proof_claim(key):
    return Claim(statement=sp.Eq(MISSING, 0, evaluate=False), regime=Regime(()),
                 symbols={"n_missing": "steps of the proof left as 'FILL IN' or citing a result the paper lacks"},
                 printed=r"n_{missing} = 0", notes=[f"{EXCERPTS[key][0]}, as printed: '{EXCERPTS[key][1]}'."],
                 checks=[RelationHolds("missing steps in the printed proof", lambda c: {MISSING: missing_count(key)},
                                       evidence="derivation", kind="symbolic")])


@claim("diagrams.proof.thm1", "App. B.5, proof of Theorem 1", "The proof of Theorem 1 is complete", about="text")
def proof_thm1():
    return proof_claim("thm1")


@claim("diagrams.proof.cor3-gdc", "App. B.7, proof of Corollary 3's second part", "The proof of GDC (Cor. 3, second "
       "part) is complete", about="text")
def proof_cor3():
    return proof_claim("cor3-gdc")


@claim("diagrams.proof.cor5-ode", "App. B.7, Corollary 5's first part", "The first part of Cor. 5 follows from the "
       "cited Remark rmk:vsode", about="text")
def proof_cor5_ode():
    return proof_claim("cor5-ode")


J3, SGRAD = sp.Symbol(r"\mathbb{E}[\nabla^3 l]"), sp.Symbol(r"\mathbb{E}[\nabla l\nabla l\nabla l]")


@claim("diagrams.proof.cor5-skew", "App. B.7, proof of Corollary 5's second part", "The S-J diagram contributes "
       "+(T eta^3/6) E[grad^3 l] E[grad l grad l grad l]", about="algebra", uses=["diagrams.cor5.skew"])
def proof_cor5_skew():
    return Claim(statement=sp.Eq(sp.Function(r"\Delta l_{S}")(T), T * eta ** 3 / 6 * J3 * SGRAD + LittleO(eta ** 3),
                                 evaluate=False), regime=Regime((Param(eta, 0.01, 0.2, log=True), Param(T, 1, 30))),
                 notes=["The statement (Cor. 5) has -(T/6) S J, and so has the exact series: the proof drops the "
                        "(-1)^edges of Theorem 1. The three gradients must be at one data point (a cumulant S); with "
                        "indices n_{t_a}, n_{t_b}, n_{t_c} of three steps their expectation would be G^3 = 0 at a "
                        "minimum."],
                 checks=[series_check("S-part of SGD's exact series (generic 1-D model, any start)",
                                      lambda c: c.formula.subs({J3: m.J, SGRAD: m.s3 * m.sig ** 3}),
                                      lambda: m.s_part(m.gen_sgd(3)), extra=m.GEN_PARAMS, evidence="derivation")])


t_, tt = sp.symbols("t tilde_t", nonnegative=True)
Hp, Cp, Jp = sp.symbols("H C J", positive=True)


@claim("diagrams.proof.cor1", "App. B.7, proof of Corollary 1", "'Standard calculus then gives the desired result': "
       "the proof's integral (T -> infinity, 1-D) equals the printed Cor. 1", about="algebra",
       uses=["diagrams.cor1"])
def proof_cor1():
    integral = -sp.Rational(1, 2) * Cp * Jp * eta ** 3 * sp.Integral(
        sp.exp(-2 * t_ * eta * Hp) * sp.exp(-tt * eta * Hp), (t_, 0, sp.oo), (tt, 0, sp.oo))
    printed = -eta ** 3 / 2 * Cp / (eta * 2 * Hp) * Jp / Hp
    return Claim(statement=sp.Eq(integral, printed, evaluate=False), regime=Regime((
        Param(eta, 0.01, 0.2, log=True), Param(Hp, 0.2, 3), Param(Cp, 0.1, 2), Param(Jp, 0.1, 2))),
        notes=["The integral has the proof's factors: (-1)^3 from three edges, 1/2 from |Aut| = 2, and one factor "
               "eta per edge. It gives -eta C J/(4 H^2): the last factor is 1/(eta H), as in diagrams.cor1.corrected."],
        checks=[SymbolicEquality("the integral done", lambda c: c.lhs.doit(), lambda c: c.rhs)])

