"""`adai`, Secs. 4-5 and App. A.4-A.5: Adam escapes minima (Proposition 2, (67)-(70)) and Adai escapes minima
(Proposition 4, (71)-(73)).

The exact models are the overdamped limits (gamma M = 1 for both, 4|H_be|/(gamma^2 M) -> 0) on the valleys of
escape_models: idealized Adam, dX = -v^(-1/2) L' dt + eta^(1/2) dW with v = [H]^+/B (Sec. 4), whose times are
counted in an adaptive clock, and Adai, which is SGD's (1) there. Discrete idealized Adam (beta1 = 0) and discrete
SGD (Adai with beta0 = 1 in 1-D) are solved exactly too (Nystrom).
"""
from __future__ import annotations

import math

import sympy as sp

from checks import SymbolicEquality
from theory import Claim, Param, Regime, claim

from .escape_checks import PathParameterBand, ladder
from .escape_models import (
    BETA1_BELOW_1,
    ESYMBOLS,
    P_B,
    PROP2_RADICAND,
    S_IN,
    TAU_EQ70,
    TAU_PROP2,
    TAU_PROP4,
    TAU_THM3,
    X_INERTIA,
    B,
    H_ae,
    H_be,
    M,
    P_beta1,
    P_dL,
    P_eta,
    P_Hae,
    P_Hbe,
    P_s,
    adam_chain_exact,
    adam_exact,
    adam_T,
    beta0,
    beta1,
    dL,
    eta,
    gamma,
    n_dim,
    s,
    sgd_chain_exact,
    sgd_exact,
    sgd_T,
    small_inertia_start,
    tau,
    trace_b,
)

Hpos = sp.Symbol("H", positive=True)
ETA_HAT = sp.Symbol(r"\hat{\eta}", positive=True)
ADAM_MAPPED = {gamma: (1 - beta1) / ETA_HAT, M: ETA_HAT / (1 - beta1)}        # Sec. 4: Adam's gamma and M
ETA_HAT_B = eta * (sp.Abs(H_be) / B) ** sp.Rational(-1, 2)                   # eta v_b^(-1/2), v = [H]^+/B
ADAM_INERTIA = X_INERTIA.subs(ADAM_MAPPED).subs(ETA_HAT, ETA_HAT_B)          # Theorem 3's term for Adam at b


# --- Eq. (67) --------------------------------------------------------------------------------------------------------
@claim("adai.eq67", "Eq. (67), App. A.4", "Adam's diffusion D_adam = D v^(-1/2) = eta sqrt([H]^+/B)/2", about="algebra")
def eq67():
    return Claim(
        statement=sp.Eq(sp.Symbol("D_{adam}"), eta * sp.sqrt(Hpos / B) / 2),
        regime=Regime((Param(Hpos, 0.05, 2.0), P_eta, P_B), (), "1-D, v = E g^2 = [H]^+/B"), symbols=ESYMBOLS,
        dynamics="idealized Adam, eta-hat = eta v^(-1/2)", observable="D_adam",
        checks=[SymbolicEquality("D v^(-1/2) with D = eta H/(2B) (Eq. (3)) and v = H/B",
                                 eta * Hpos / (2 * B) / sp.sqrt(Hpos / B), lambda c: c.formula)])


# --- Proposition 2 and (69)-(70) --------------------------------------------------------------------------------------
ADAM_REGIME = Regime((P_Hae, P_Hbe, P_dL, P_s, P_eta, P_B, P_beta1), (S_IN, BETA1_BELOW_1),
                     "idealized Adam near a valley (gamma M = 1, v = [H]^+/B), along the escape direction")
ADAM_SYMBOLS = {**ESYMBOLS, "tau": "mean escape time in an adaptive clock (see the readings)"}


def eq69_1d() -> sp.Expr:
    """(69) in 1-D as printed, with the paper's D = eta [H]^+/(2B) (Eq. (3)) and V = [H]^+/B: the determinant ratio,
    gamma M = 1 in the exponent, Adam's gamma and M (eta-hat_b = eta v_b^(-1/2)) in the inertia term."""
    D_, V_ = (lambda h: eta * h / (2 * B)), (lambda h: h / B)
    ratio = sp.sqrt(sp.Abs(V_(sp.Abs(H_be)) ** sp.Rational(1, 2) * H_be / D_(sp.Abs(H_be)))
                    / sp.Abs(V_(H_ae) ** sp.Rational(1, 2) * H_ae / D_(H_ae)))
    exponent = 2 * B * dL / eta * (s / (V_(H_ae) ** sp.Rational(-1, 2) * H_ae)
                                   + (1 - s) / (V_(sp.Abs(H_be)) ** sp.Rational(-1, 2) * sp.Abs(H_be)))
    return ratio * sp.pi * (sp.sqrt(1 + ADAM_INERTIA) + 1) / sp.Abs(H_be) * sp.exp(exponent)


def adam_x_per_eta(q: dict) -> float:
    return 4 * math.sqrt(q["B"] * abs(q["H_be"])) / (1 - q["beta_1"])


def adam_ladder(label: str, kind: str, clock: str):
    where = "the cosine valley (v_a = v_b: every clock agrees)" if kind == "cosine" else \
        "the double well whose noise switches from H_a/B to |H_b|/B at s"
    return ladder(f"{label}against idealized Adam's exact escape time (overdamped) on {where}, {clock} clock",
                  adam_exact(kind, clock), kind, adam_T, start=small_inertia_start(kind, adam_T, adam_x_per_eta))


def adam_chain():
    start = small_inertia_start("cosine", adam_T, adam_x_per_eta, x0=0.4)
    return ladder("against discrete idealized Adam's (beta1 = 0) exact mean exit steps on the cosine valley (Nystrom), "
                  "adaptive clock, step eta (B H)^(1/2) = 0.1 / 2^k", adam_chain_exact, "cosine", adam_T,
                  start=lambda p: start({**p, "beta_1": 0.0}), rungs=4, n_points=1)


def inertia_dependence(symbol, at, mapped_inertia) -> SymbolicEquality:
    """The statement's dependence on ``symbol``, which enters only Theorem 3's inertia term, against Theorem 3's factor
    sqrt(1 + x) + 1 with x at the optimizer's gamma and M: formula / formula(symbol = at)."""
    factor = sp.sqrt(1 + mapped_inertia) + 1
    return SymbolicEquality(f"the statement's dependence on {symbol.name} is Theorem 3's (sqrt(1 + x) + 1) at the "
                            "optimizer's gamma and M", lambda c: c.formula / c.formula.subs(symbol, at),
                            factor / factor.subs(symbol, at))


def adam_claim(statement_rhs, checks, notes=()) -> Claim:
    return Claim(statement=sp.Eq(tau, statement_rhs), regime=ADAM_REGIME, symbols=ADAM_SYMBOLS,
                 dynamics="idealized Adam (Sec. 4) near a valley, v = [H]^+/B (Eq. (3)) at a and b",
                 observable="mean escape time", notes=list(notes), checks=list(checks))


def against_69() -> SymbolicEquality:
    return SymbolicEquality("(69) in 1-D with D = eta H/(2B) (Eq. (3)), V = H/B, gamma M = 1, and Adam's gamma, M at "
                            "b in the inertia term", lambda c: eq69_1d(), lambda c: c.formula)


@claim("adai.prop2", "Proposition 2", "Adam escapes minima: the exponent depends on sqrt(H_ae)",
       uses=["adai.eq67", "adai.thm3", "adai.prop2.radicand"])
def prop2():
    return adam_claim(TAU_PROP2, [against_69(), adam_ladder("", "cosine", "saddle"), adam_chain()],
                      ["sqrt(|B| H_be) is read as sqrt(B |H_be|) (adai.prop2.radicand). On the cosine valley "
                       "(H_a = |H_b|) the clocks agree and s drops out; the readings differ in the clock that times "
                       "tau (adai.prop2.saddle-clock, adai.prop2.path-clock). The paper's own D = eta H/(2B) in (69) "
                       "gives the printed power 1/4; D read as Adam's D v^(-1/2) applies v^(1/2) twice (power 1/2)."])


@claim("adai.prop2.saddle-clock", "Proposition 2, adaptive time at the saddle", "Adam's escape time counted in "
       "eta-hat_b = eta v_be^(-1/2) per iteration", reading_of="adai.prop2", proof_reading=True,
       reading="tau in the adaptive time at the saddle, eta v_be^(-1/2) per iteration: the proof's only time scale "
               "enters through the flux at b ((52)-(56) with eta -> eta-hat), where Theorem 3's 1/|H_be| comes from")
def prop2_saddle():
    return adam_claim(TAU_PROP2, [inertia_dependence(beta1, 0, ADAM_INERTIA), adam_ladder("", "double-well", "saddle")])


@claim("adai.prop2.path-clock", "Proposition 2, adaptive time of Sec. 4", "Adam's escape time counted as the sum of "
       "eta-hat = eta v^(-1/2) over the iterations", reading_of="adai.prop2",
       reading="tau in the adaptive time Sec. 4 defines: 't-hat of T iterations is the sum of eta-hat of each "
               "iteration', eta-hat = eta v(theta)^(-1/2) at the iterate (so mostly v_a: the path stays near a)")
def prop2_path():
    return adam_claim(TAU_PROP2, [inertia_dependence(beta1, 0, ADAM_INERTIA), adam_ladder("", "double-well", "path")])


@claim("adai.prop2.path-clock.corrected", "Proposition 2 (adaptive time of Sec. 4), corrected",
       "Adam's escape time in the summed adaptive time: |det(H_a^-1 H_b)|^(3/4) instead of ^(1/4)",
       corrects="adai.prop2.path-clock")
def prop2_path_corrected():
    corrected = TAU_PROP2 / sp.Abs(H_be / H_ae) ** sp.Rational(1, 4) * sp.Abs(H_be / H_ae) ** sp.Rational(3, 4)
    return adam_claim(corrected, [inertia_dependence(beta1, 0, ADAM_INERTIA), adam_ladder("", "double-well", "path"),
                                  adam_ladder("", "cosine", "path")],
                      ["Derived: the time change dt-hat = v^(-1/2) dt turns the Adam diffusion into dX = -L' dt-hat + "
                       "(2 D_adam)^(1/2) dW with D_adam (67) at a and b (Ito), whose Kramers time has "
                       "2 pi sqrt(D_b/D_a)/sqrt(H_a |H_b|) in front."])


ADAM_X = sp.Symbol(r"4|H_{be}|/(\gamma^{2} M)", positive=True)
RADICAND_REGIME = Regime((P_Hbe, P_eta, P_B, P_beta1), (BETA1_BELOW_1,), "Adam at the saddle b")


def radicand_check() -> SymbolicEquality:
    return SymbolicEquality("Theorem 3's 4|H_be|/(gamma^2 M) at Adam's gamma = (1-beta1)/eta-hat, "
                            "M = eta-hat/(1-beta1) "
                            "(Sec. 4), eta-hat = eta v_b^(-1/2), v_b = |H_be|/B", ADAM_INERTIA, lambda c: c.formula)


@claim("adai.prop2.radicand", "Proposition 2, inertia term", "The inertia term 4 eta sqrt(|B| H_be)/(1-beta1) of "
       "Proposition 2", about="algebra", uses=["adai.thm3"])
def prop2_radicand():
    return Claim(statement=sp.Eq(ADAM_X, 4 * eta * sp.sqrt(sp.Abs(B) * H_be) / (1 - beta1), evaluate=False),
                 regime=RADICAND_REGIME,
                 symbols=ESYMBOLS, dynamics="Theorem 3 for Adam", observable="the inertia term at b",
                 notes=["As printed, H_be < 0 sits under the root (the bars are on B), so the term is imaginary."],
                 checks=[radicand_check()])


@claim("adai.prop2.radicand.corrected", "Proposition 2, inertia term, corrected", "4 eta sqrt(B |H_be|)/(1-beta1)",
       about="algebra", corrects="adai.prop2.radicand")
def prop2_radicand_corrected():
    return Claim(statement=sp.Eq(ADAM_X, 4 * eta * PROP2_RADICAND / (1 - beta1)), regime=RADICAND_REGIME,
                 symbols=ESYMBOLS, dynamics="Theorem 3 for Adam", observable="the inertia term at b",
                 checks=[radicand_check()])


@claim("adai.eq70", "Eqs. (68)-(70), App. A.4", "Adam's escape time as the proof prints it (70)", about="algebra",
       uses=["adai.eq67"])
def eq70():
    return adam_claim(TAU_EQ70, [against_69()], ["(70) prints 4 eta sqrt(B) |H_be|; (69) gives 4 eta sqrt(B |H_be|)."])


@claim("adai.eq70.corrected", "Eq. (70), corrected", "(70) with the inertia term 4 eta sqrt(B |H_be|)/(1-beta1)",
       about="algebra", corrects="adai.eq70")
def eq70_corrected():
    return adam_claim(TAU_PROP2, [against_69(), adam_ladder("", "double-well", "saddle")],
                      ["Checked against the exact Adam model in the proof's clock (adaptive time at the saddle)."])


# --- Proposition 4 ---------------------------------------------------------------------------------------------------
ADAI_REGIME = Regime((P_Hae, P_Hbe, P_dL, P_s, P_eta, P_B, Param(beta0, 0.05, 1.0, doc="Adai's beta0"),
                      Param(trace_b, 0.2, 20.0, log=True, doc="trace norm of H_b"),
                      Param(n_dim, 1, 20, doc="parameters")),
                     (S_IN,), "Adai near a valley, gamma M = 1 per direction, v-hat = [H]^+/B at b")
VBAR_B = trace_b / (n_dim * B)                                       # mean of v-hat over the parameters at b
BETA1_E = 1 - beta0 * (sp.Abs(H_be) / B) / VBAR_B                    # Adai's ideal beta1 along e at b (Sec. 5)
ADAI_INERTIA = X_INERTIA.subs({gamma: (1 - BETA1_E) / eta, M: eta / (1 - BETA1_E)})
TAU_PROP4_CORRECTED = sp.Abs(H_be) / H_ae * TAU_PROP4


def adai_x_per_eta(q: dict) -> float:
    return 4 * q[trace_b.name] / (q["beta_0"] * q["n"])


def adai_ladders(label: str, kinds) -> list:
    out = []
    for kind in kinds:
        start = small_inertia_start(kind, sgd_T, adai_x_per_eta)
        out.append(ladder(f"{label}against the exact escape time of Adai's overdamped limit (SGD's (1)) on the "
                          + ("cosine valley (s drops out)" if kind == "cosine" else "double well, noise switching "
                             "at s"),
                          sgd_exact(kind), kind, sgd_T, start=start))
    return out


def adai_chain():
    """Adai with beta0 = 1 in 1-D (n = 1, trace = |H_be|) has beta1 = 0: it is discrete SGD, solved exactly."""
    start = small_inertia_start("cosine", sgd_T, lambda q: 4 * abs(q["H_be"]), x0=0.4)
    return ladder("against discrete Adai's exact mean exit steps (beta0 = 1, n = 1: beta1 = 0) on the cosine valley, "
                  "eta H = 0.1 / 2^k", sgd_chain_exact, "cosine", sgd_T, rungs=4, n_points=1,
                  start=lambda p: (lambda q: {**q, "beta_0": 1.0, "n": 1.0, trace_b.name: abs(q["H_be"])})(start(p)))


def adai_claim(rhs, checks, notes=()) -> Claim:
    return Claim(statement=sp.Eq(tau, rhs), regime=ADAI_REGIME,
                 symbols={**ESYMBOLS, r"\sum_i |H_{bi}|": "trace norm of H_b"},
                 dynamics="Adai near a valley (Sec. 5), Eq. (3) at a and b", observable="mean escape time (t = eta T)",
                 notes=list(notes), checks=list(checks))


@claim("adai.prop4", "Proposition 4, Eqs. (71)-(73)", "Adai escapes minima: the exponent depends on H_ae",
       uses=["adai.thm3"])
def prop4():
    return adai_claim(TAU_PROP4, [
        SymbolicEquality("(72) with gamma = (1-beta1_e)/eta, M = eta/(1-beta1_e), Adai's 1-beta1_e = beta0 v_e/vbar, "
                         "v_e = |H_be|/B, vbar = sum|H_bi|/(nB)",
                         TAU_THM3.subs({gamma: (1 - BETA1_E) / eta, M: eta / (1 - BETA1_E)}), lambda c: c.formula),
        *adai_ladders("", ("cosine",)), adai_chain()],
        ["On the cosine valley every reading of s agrees; the readings are adai.prop4.switch and adai.prop4.some-s "
         "(as for adai.thm3.sgd)."])


@claim("adai.prop4.switch", "Proposition 4, s as in the proof", "Adai's escape time with s at the point where the "
       "temperature switches", reading_of="adai.prop4", proof_reading=True,
       reading="s as the proof of Theorem 3 defines it: where the temperature changes from T_a to T_b")
def prop4_switch():
    return adai_claim(TAU_PROP4, adai_ladders("", ("double-well",)))


@claim("adai.prop4.some-s", "Proposition 4, s free", "Adai's escape time for some s in (0, 1)", reading_of="adai.prop4",
       reading="s as 'a path-dependent parameter in (0, 1)': the statement holds for some s in (0, 1)",
       quantified="'low temperature' read as DeltaL/T_a >= 8 on the band's ladder (DeltaL/T_a = 4 ... 32)")
def prop4_some_s():
    band = PathParameterBand("exact log tau of Adai's overdamped limit between the statement's s -> 0 and s -> 1 "
                             "values "
                             "(double well, noise switching at s)", sgd_exact("double-well"), sgd_T,
                             prepare=lambda p: {**p, "beta_0": 1e6})
    return adai_claim(TAU_PROP4, [inertia_dependence(beta0, 1, ADAI_INERTIA), *adai_ladders("", ("cosine",)), band],
                      ["The band is evaluated where the inertia term 4 eta sum|H_bi|/(beta0 n) vanishes (beta0 = 1e6), "
                       "the limit the exact model is."])


@claim("adai.prop4.corrected", "Proposition 4, corrected", "Adai: tau with 1/H_ae in front instead of 1/|H_be|",
       corrects="adai.prop4", uses=["adai.thm3.corrected"])
def prop4_corrected():
    return adai_claim(TAU_PROP4_CORRECTED, [inertia_dependence(beta0, 1, ADAI_INERTIA),
                                            *adai_ladders("", ("cosine", "double-well")), adai_chain()])
