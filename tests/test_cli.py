"""The command line as a user meets it: reading commands, verify (streaming, progress, errors, Ctrl-C), the
ledger and the project's configuration, claim files in every subcommand, the package as a module."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from theorycheck.cli import main

ROOT = Path(__file__).resolve().parents[1]

USER_FILE = textwrap.dedent('''
    """Two claims about the Ornstein-Uhlenbeck process dx = -k x dt + sqrt(2 D) dW, x(0) = 0."""
    import sympy as sp
    from theory import Claim, Param, Regime, Source
    from checks import MonteCarloMean, SymbolicEquality
    from checks.dynamics.linear import saddle_sde_second_moments

    k, D, t = sp.symbols("k D t", positive=True)
    regime = Regime((Param(k, 0.2, 2.0), Param(D, 0.05, 1.0), Param(t, 0.1, 1.5)), (), "OU from 0")
    src = Source("mine", "A. Student, My notes (2026)", "Eq. (1)")

    def simulate(point, n_paths, rng):
        return saddle_sde_second_moments([point["k"]], [point["D"]], point["t"], n_paths, rng)

    def predict(point, f):
        return [f(**point)]

    def make(cid, rhs):
        return Claim(id=cid, source=src, title="OU variance", statement=sp.Eq(sp.Symbol("V"), rhs),
                     regime=regime, checks=[
                         SymbolicEquality("solves V' = 2D - 2kV, V(0) = 0",
                                          lambda c: sp.diff(c.formula, t) - (2 * D - 2 * k * c.formula)
                                          + c.formula.subs(t, 0), 0),
                         MonteCarloMean("Euler-Maruyama", simulate, predict)])

    CLAIMS = [make("mine.eq1", D / k * (1 - sp.exp(-2 * k * t))),
              make("mine.eq2", D / k * (1 - sp.exp(-k * t)))]
''')

BROKEN_SIMULATORS = textwrap.dedent('''
    import numpy as np
    import sympy as sp
    from theorycheck import claim, Claim, Param, Regime, MonteCarloMean, SymbolicEquality, Sample

    a = sp.Symbol("a", positive=True)
    R = Regime((Param(a, 1, 2),))

    def nan_sim(point, n, rng):
        v = np.ones((n, 1)); v[3] = np.nan
        return Sample(v, ["x"])

    def raising_sim(point, n, rng):
        raise ZeroDivisionError("my simulator broke")

    @claim("mine.nan", "Eq. (1)", "a simulator returning NaN")
    def nan_claim():
        return Claim(statement=sp.Eq(sp.Symbol("y"), a), regime=R,
                     checks=[MonteCarloMean("nan", nan_sim, lambda p, f: [f(**p)], n_paths=100)])

    @claim("mine.raises", "Eq. (2)", "a simulator that raises")
    def raising_claim():
        return Claim(statement=sp.Eq(sp.Symbol("y"), a), regime=R,
                     checks=[MonteCarloMean("raises", raising_sim, lambda p, f: [f(**p)], n_paths=100)])

    @claim("mine.array", "Eq. (3)", "a simulator returning an array")
    def array_claim():
        return Claim(statement=sp.Eq(sp.Symbol("y"), a), regime=R,
                     checks=[MonteCarloMean("array", lambda p, n, rng: np.ones((n, 1)), lambda p, f: [f(**p)])])

    @claim("mine.fine", "Eq. (4)", "an identity that holds")
    def fine():
        return Claim(statement=sp.Eq(sp.Symbol("y"), 2 * a), regime=R, about="algebra",
                     checks=[SymbolicEquality("a + a", a + a, lambda c: c.formula)])
''')

PRINTED_FILE = textwrap.dedent('''
    """Claims printed with names that are TeX (\\bar{v}) and not TeX (E[w^2]_t), with a plot-ready table."""
    import os
    import sympy as sp
    from theorycheck import claim, Claim, Curve, Param, Regime, SymbolicEquality

    vbar = sp.Symbol(r"\\bar{v}", positive=True)
    t = sp.Symbol("t", positive=True)
    R = Regime((Param(vbar, 0.1, 1.0, doc="mean of v"), Param(t, 1.0, 3.0)))

    def curve(point, rng):
        if os.environ.get("CURVE_LOG"):                       # lets a test see every time this is computed
            open(os.environ["CURVE_LOG"], "a").write("computed\\n")
        ts = [1.0, 1.5, 2.0, 3.0]
        f = [9 * point[r"\\bar{v}"] ** 2 / x ** 2 for x in ts]
        sim = [y * (1 + 0.01 * rng.standard_normal()) for y in f]
        return {"t": ts, "formula": f, "simulated": sim, "simulated_se": [0.01 * y for y in f]}, \\
            {"formula": "formula", "simulated": "simulated"}

    def make(printed):
        return Claim(statement=sp.Eq(sp.Symbol("E[w^2]_t"), vbar ** 2 * (3 / t) ** 2), regime=R, about="algebra",
                     printed=printed, checks=[SymbolicEquality("9 vbar^2 / t^2", 9 * vbar ** 2 / t ** 2,
                                                               lambda c: c.formula)],
                     curves=[Curve("E[w^2] along t", "t", {r"\\bar{v}": 0.5}, curve, ylabel="E[w^2]")])

    @claim("mine.vbar", "Eq. (5)", "second moment, printed as the paper typesets it")
    def vbar_claim():
        return make(r"E[w^2]_t = \\frac{9\\bar{v}^2}{t^2}")

    @claim("mine.vbar.typo", "Eq. (5')", "the same, with a printed form that does not match the statement")
    def vbar_typo():
        return make(r"E[w^2]_t = \\frac{3\\bar{v}^2}{t^2}")
''')


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


# --- reading commands ---------------------------------------------------------------------------------------
def test_list_shows_every_claim_with_location_and_status(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    lines = out.strip().splitlines()
    assert any(line.startswith("adai.thm1 ") and "Theorem 1" in line and "verified" in line for line in lines)
    assert any(line.startswith("adai.eq11 ") and "refuted" in line for line in lines)


def test_list_never_imports_sympy():
    code = ("import sys; from theorycheck.cli import main; main(['list']); "
            "assert 'sympy' not in sys.modules and 'numpy' not in sys.modules, 'list imported the math stack'")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, cwd=ROOT)


def test_list_pattern(capsys):
    _, out, _ = run(capsys, "list", "adai.eq1*")
    ids = [line.split()[0] for line in out.strip().splitlines()]
    assert "adai.eq11" in ids and "adai.thm1" not in ids


def test_show_names_regime_and_checks(capsys):
    code, out, _ = run(capsys, "show", "adai.thm1.sgd")
    assert code == 0
    assert "|H_i| eta T << 1" in out and "[montecarlo/model]" in out and "recorded verdict: verified" in out
    assert "Eq(" not in out and "σ" in out and "\\sigma_{i}__" not in out   # sympy.pretty with readable names
    assert "https://arxiv.org/abs/2006.15815" in out                       # the paper, not a text file


def test_latex_prints_printed_and_corrected_forms(capsys):
    code, out, _ = run(capsys, "latex", "adai.eq11")
    assert code == 0
    assert r"\Sigma(t) (\theta - c)" in out and r"\Sigma(t)^{-1}" in out
    assert out.count("{") == out.count("}")


def test_claim_files_in_list_show_latex_table(tmp_path, capsys):
    path = tmp_path / "printed.py"
    path.write_text(PRINTED_FILE)
    code, out, _ = run(capsys, "list", str(path))
    assert code == 0 and [line.split()[0] for line in out.splitlines()] == ["mine.vbar", "mine.vbar.typo"]
    code, out, _ = run(capsys, "show", str(path), "mine.vbar")
    assert code == 0 and "as printed: agrees with the SymPy statement" in out and "v̄" in out
    assert "vbar (\\bar{v}): positive" in out
    code, out, _ = run(capsys, "show", str(path), "mine.vbar.typo")
    assert "as printed: disagrees" in out
    code, out, _ = run(capsys, "latex", str(path), "mine.vbar")
    printed, sympy_form = out.splitlines()[1], out.splitlines()[3]
    assert printed == r"E[w^2]_t = \frac{9\bar{v}^2}{t^2}"
    assert sympy_form.startswith("E[w^{2}]_{t} = ") and sympy_form.count("{") == sympy_form.count("}")
    code, out, _ = run(capsys, "table", str(path), "mine.vbar", "--csv")
    assert code == 0 and out.splitlines()[0] == "t,formula,simulated,simulated_se" and len(out.splitlines()) == 5


def test_show_evidence_is_a_summary_and_json_on_request(tmp_path, capsys):
    path = tmp_path / "printed.py"
    path.write_text(PRINTED_FILE)
    code, out, _ = run(capsys, "show", str(path), "mine.vbar", "--evidence")
    assert code == 0 and "verdict now: verified" in out and "proved by" in out and len(out.splitlines()) < 40
    code, out, _ = run(capsys, "show", str(path), "mine.vbar", "--evidence", "--json")
    report = json.loads(out)
    assert report["id"] == "mine.vbar" and report["printed_agreement"]["status"] == "agrees" and report["tables"]


def test_project_config_ledger_claims_and_fail_on(tmp_path, capsys, monkeypatch):
    """[tool.theorycheck] in the user's pyproject: their claim files, their ledger, their CI policy."""
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "ou.py").write_text(USER_FILE)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "mine"\n\n[tool.theorycheck]\n'
                                             'claims = ["claims/"]\nledger = "verdicts.lock"\nfail-on = ["refuted"]\n')
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")                       # found from a subfolder, like pyproject tools
    code, out, _ = run(capsys, "list")
    assert code == 0 and [line.split()[0] for line in out.splitlines()] == ["mine.eq1", "mine.eq2"]
    code, _, err = run(capsys, "verify", "--record", "-q")
    assert code == 1                                           # fail-on = refuted, from the config
    recorded = json.loads((tmp_path / "verdicts.lock").read_text())["claims"]
    assert recorded["mine.eq2"]["status"] == "refuted" and not (tmp_path / "sub" / "theorycheck.lock").exists()
    code, out, _ = run(capsys, "list")
    assert "mine.eq2" in out and "refuted" in out
    assert run(capsys, "verify", "--fail-on", "", "-q")[0] == 0


def test_unknown_id_suggests_closest(capsys):
    code, _, err = run(capsys, "show", "adai.thm11")
    assert code == 2
    assert "unknown claim id 'adai.thm11'" in err and "adai.thm1" in err


def test_eval_refuses_what_the_paper_does_not_assume(capsys):
    code, _, err = run(capsys, "eval", "adai.eq21", "H=0.5", "eta=-0.1", "B=32", "T=10")
    assert code == 2
    assert "adai.eq21" in err and "eta" in err and "eta > 0" in err


def test_eval_does_not_enforce_sampling_ranges(capsys):
    """Theorem 1 holds for any H: the box checks sample from is not an assumption of the paper."""
    code, out, _ = run(capsys, "eval", "adai.thm1", "H=50", "D=0.1", "t=1")
    value = float(out.split(":")[1].split()[0])
    assert code == 0 and value == pytest.approx(0.1 / 50 * (1 - 2.718281828459045 ** -100))


def test_eval_takes_ascii_names_and_shows_the_tex_name(tmp_path, capsys):
    path = tmp_path / "vbar.py"
    path.write_text(PRINTED_FILE)
    code, out, _ = run(capsys, "eval", str(path), "mine.vbar", "vbar=0.5", "t=2")
    assert code == 0 and float(out.split(":")[1].split()[0]) == pytest.approx(0.25 * 2 ** -2 * 3 ** 2)
    assert "vbar=0.5 (\\bar{v})" in out
    code, _, err = run(capsys, "eval", str(path), "mine.vbar", "vbar=0.5", "tt=2")
    assert code == 2 and "unknown parameter 'tt'" in err and "vbar (\\bar{v})" in err


def test_eval_prints_formula_value(capsys):
    code, out, _ = run(capsys, "eval", "adai.thm1", "H=-0.5", "D=0.1", "t=1")
    assert code == 0
    assert float(out.split(":")[1].split()[0]) == pytest.approx(0.1 / -0.5 * (1 - 2.718281828459045 ** 1))


def test_version_and_module_entry_point(tmp_path):
    import theorycheck
    from theory.version import __version__

    out = subprocess.run([sys.executable, "-m", "theorycheck", "--version"], capture_output=True, text=True,
                         check=True, cwd=tmp_path).stdout
    assert out.strip() == f"theorycheck {__version__}" == f"theorycheck {theorycheck.__version__}"
    listed = subprocess.run([sys.executable, "-m", "theorycheck", "list", "adai.thm1"], capture_output=True,
                            text=True, check=True, cwd=tmp_path).stdout
    assert listed.startswith("adai.thm1 ")
    assert callable(theorycheck.claim) and theorycheck.Claim.__name__ == "Claim"
    assert "MIT" in (ROOT / "LICENSE").read_text() and "Permission is hereby granted" in (ROOT / "LICENSE").read_text()


# --- verify --------------------------------------------------------------------------------------------------
def test_verify_json_fields(capsys):
    code, out, _ = run(capsys, "verify", "adai.eq1[19]", "--json")
    assert code == 0
    claims = json.loads(out)["claims"]
    assert [c["id"] for c in claims] == ["adai.eq11", "adai.eq19"]
    for c in claims:
        assert {"id", "paper", "location", "status", "statement_latex", "checks", "about"} <= set(c)
        for chk in c["checks"]:
            assert {"kind", "status", "method", "details", "form", "evidence"} <= set(chk)
    assert claims[0]["status"] == "refuted" and claims[0]["counterexample"]["params"]


def test_verify_streams_one_line_per_claim(capsys):
    code, out, err = run(capsys, "verify", "adai.eq1[234]")
    lines = out.splitlines()
    assert code == 0 and sum(line.startswith("verified") for line in lines) == 3
    assert "claims in" in lines[-2] and err == ""                       # piped: no progress bar


def test_quiet_and_verbose(capsys):
    code, out, err = run(capsys, "verify", "adai.eq1[23]", "-q")
    assert code == 0 and out == "" and err == ""
    code, out, _ = run(capsys, "verify", "adai.eq12", "-v")
    assert "- pass" in out and "the statement is dP/dt" in out


def test_progress_bar_with_eta_on_a_terminal(capsys, monkeypatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    code, out, err = run(capsys, "verify", "adai.eq1[234]")
    assert code == 0 and sum(line.startswith("verified") for line in out.splitlines()) == 3
    assert "/3 claims [" in err and "<" in err                             # tqdm: count, elapsed<remaining


def test_verify_user_file_gives_verified_and_refuted(tmp_path, capsys):
    path = tmp_path / "my_claims.py"
    path.write_text(USER_FILE)
    code, out, _ = run(capsys, "verify", str(path), "--json")
    assert code == 0
    status = {c["id"]: c["status"] for c in json.loads(out)["claims"]}
    assert status == {"mine.eq1": "verified", "mine.eq2": "refuted"}


def test_fail_on_for_ci(tmp_path, capsys):
    path = tmp_path / "my_claims.py"
    path.write_text(USER_FILE)
    code, _, _ = run(capsys, "verify", str(path), "--fail-on", "refuted", "-q")
    assert code == 1
    code, _, err = run(capsys, "verify", str(path), "--fail-on", "wrong")
    assert code == 2 and "unknown verdict" in err


def test_broken_simulators_print_one_line_each_naming_claim_check_and_cause(tmp_path, capsys):
    """Regression: a simulator returning NaN used to make the claim `refuted` with "z = Infinity"."""
    path = tmp_path / "broken.py"
    path.write_text(BROKEN_SIMULATORS)
    code, out, err = run(capsys, "verify", str(path))
    assert code == 0 and "Traceback" not in out + err
    causes = [line.strip() for line in out.splitlines() if line.startswith(" " * 19)]
    assert "mine.nan: check 'nan': SimulationError: simulate returned NaN or inf in 1 of 100 paths" in causes[0]
    assert causes[1].startswith("mine.raises: check 'raises': ZeroDivisionError: my simulator broke")
    assert causes[2].startswith("mine.array: check 'array': SimulationError: simulate returned ndarray")
    assert "refuted" not in out.split("claims in")[0] and "error: 3" in out
    assert run(capsys, "verify", str(path), "--fail-on", "error", "-q")[0] == 1


def test_a_claim_that_cannot_be_built_is_an_error_and_the_run_goes_on(tmp_path, capsys):
    path = tmp_path / "bad_body.py"
    path.write_text(textwrap.dedent('''
        import sympy as sp
        from theorycheck import claim, Claim, Param, Regime, SymbolicEquality
        a = sp.Symbol("a", positive=True)

        @claim("mine.good", "Eq. (1)", "fine", about="algebra")
        def good():
            return Claim(statement=sp.Eq(sp.Symbol("y"), 2 * a), regime=Regime((Param(a, 1, 2),)),
                         checks=[SymbolicEquality("a + a", a + a, lambda c: c.formula)])

        @claim("mine.badparam", "Eq. (2)", "a Param with low > high")
        def bad():
            return Claim(statement=sp.Eq(sp.Symbol("y"), a), regime=Regime((Param(a, 2, 1),)))
    '''))
    code, out, _ = run(capsys, "verify", str(path), "--json")
    claims = {c["id"]: c for c in json.loads(out)["claims"]}
    assert code == 0 and claims["mine.good"]["status"] == "verified"
    assert claims["mine.badparam"]["status"] == "error" and "Param a" in claims["mine.badparam"]["reason"]


def test_a_symbol_without_a_range_is_an_error_naming_claim_and_check(tmp_path, capsys):
    path = tmp_path / "norange.py"
    path.write_text(textwrap.dedent('''
        import numpy as np
        import sympy as sp
        from theorycheck import claim, Claim, Param, Regime, MonteCarloMean, Sample
        a, b = sp.symbols("a b", positive=True)

        @claim("mine.norange", "Eq. (1)", "b has no Param")
        def c():
            return Claim(statement=sp.Eq(sp.Symbol("y"), a * b), regime=Regime((Param(a, 1, 2),)),
                         checks=[MonteCarloMean("mean", lambda p, n, rng: Sample(np.ones((n, 1)), ["y"]),
                                                lambda p, f: [f(**p)], n_paths=100)])
    '''))
    code, out, _ = run(capsys, "verify", str(path))
    assert code == 0 and out.startswith("theorycheck") and "error" in out
    assert "mine.norange: check 'mean':" in out and "symbol(s) b have no Param" in out


def test_broken_simulators_are_errors_and_the_run_goes_on(tmp_path, capsys):
    """NaN, an exception, a wrong return type: each an `error` naming the claim and the check, never a verdict
    about the claim; the other claims of the run still get theirs."""
    path = tmp_path / "broken.py"
    path.write_text(BROKEN_SIMULATORS)
    code, out, _ = run(capsys, "verify", str(path), "--json")
    claims = {c["id"]: c for c in json.loads(out)["claims"]}
    assert claims["mine.fine"]["status"] == "verified"
    for cid, words in (("mine.nan", "NaN"), ("mine.raises", "my simulator broke"), ("mine.array", "expected a Sample")):
        assert claims[cid]["status"] == "error", cid
        assert cid in claims[cid]["reason"] and words in claims[cid]["reason"]
    assert code == 0                                        # the user's faults, not the tool's


def test_verify_strict_fails_when_a_verdict_changes(tmp_path, capsys):
    path = tmp_path / "my_claims.py"
    path.write_text(USER_FILE)
    ledger = tmp_path / "mine.lock"
    ledger.write_text(json.dumps({"claims": {"mine.eq1": {"status": "refuted", "checks": {}}}}))
    code, _, err = run(capsys, "verify", str(path), "--strict", "--ledger", str(ledger), "-q")
    assert code == 3 and "mine.eq1 was recorded refuted, now verified" in err


def test_record_goes_to_the_users_ledger_not_the_package(tmp_path, capsys, monkeypatch):
    path = tmp_path / "my_claims.py"
    path.write_text(USER_FILE)
    monkeypatch.chdir(tmp_path)
    before = (ROOT / "theory/papers/adai/ledger.json").read_text()
    code, _, _ = run(capsys, "verify", str(path), "--record", "-q")
    assert code == 0
    recorded = json.loads((tmp_path / "theorycheck.lock").read_text())["claims"]
    assert set(recorded) == {"mine.eq1", "mine.eq2"}
    assert (ROOT / "theory/papers/adai/ledger.json").read_text() == before


def test_record_refuses_a_single_point_run(capsys):
    code, _, err = run(capsys, "verify", "adai.thm1", "--at", "H=0.5,D=0.1,t=1", "--record")
    assert code == 2 and "--record refuses" in err


def test_record_on_a_read_only_ledger_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "my_claims.py"
    path.write_text(USER_FILE.replace("make(\"mine.eq2\", D / k * (1 - sp.exp(-k * t)))", ""))
    blocker = tmp_path / "a-file"
    blocker.write_text("")                     # a ledger path below a file cannot be written, even by root
    code, _, err = run(capsys, "verify", str(path), "--record", "--ledger", str(blocker / "x.lock"), "-q")
    assert code == 2 and "cannot write the ledger" in err


def test_concurrent_ledger_writers_lose_nothing(tmp_path):
    """Four processes recording 20 entries each into one ledger: all 80 survive, and readers never see half a file."""
    script = textwrap.dedent('''
        import sys
        from pathlib import Path
        from checks.ledger import update
        path, w = Path(sys.argv[1]), int(sys.argv[2])
        for i in range(20):
            update(path, {f"w{w}.e{i}": {"status": "verified", "checks": {}}}, {"writer": w})
    ''')
    ledger = tmp_path / "ledger.json"
    procs = [subprocess.Popen([sys.executable, "-c", script, str(ledger), str(w)], cwd=ROOT) for w in range(4)]
    for p in procs:
        assert p.wait(timeout=120) == 0
    assert len(json.loads(ledger.read_text())["claims"]) == 80


def test_at_rejects_names_no_claim_has(capsys):
    code, _, err = run(capsys, "verify", "adai.thm1", "--at", "H=0.5,D=0.1,zeta=1")
    assert code == 2 and "zeta" in err


def test_at_accepts_ascii_names_for_tex_symbols():
    import sympy as sp

    from theory.model import Param, Regime

    vbar = sp.Symbol(r"\bar{v}", positive=True)
    assert Regime((Param(vbar, 0.1, 1),)).validate({"vbar": "0.5"}, "x.eq1") == {r"\bar{v}": 0.5}


def test_bad_user_file_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "broken.py"
    path.write_text("import sympy as sp\nCLAIMS = [1/0]\n")
    code, _, err = run(capsys, "verify", str(path))
    assert code == 2 and "could not load claims" in err and "ZeroDivisionError" in err


def test_bad_param_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "bad_param.py"
    path.write_text("import sympy as sp\nfrom theorycheck import Param\nx = sp.Symbol('x')\nP = Param(x, 2, 1)\n")
    code, _, err = run(capsys, "verify", str(path))
    assert code == 2 and "Param x" in err and "low <= high" in err


def test_claim_file_imports_a_helper_module_beside_it(tmp_path, capsys):
    (tmp_path / "my_models.py").write_text("import sympy as sp\nRATE = sp.Rational(1, 2)\n")
    (tmp_path / "claims.py").write_text(textwrap.dedent('''
        import sympy as sp
        from theorycheck import claim, Claim, Param, Regime, SymbolicEquality
        a = sp.Symbol("a", positive=True)

        @claim("mine.eq9", "Eq. (9)", "half of a")
        def eq9():
            from my_models import RATE as HALF                 # imported when the claim is built, later
            return Claim(statement=sp.Eq(sp.Symbol("y"), HALF * a), regime=Regime((Param(a, 1, 2),)), about="algebra",
                         checks=[SymbolicEquality("a/2", a / 2, lambda c: c.formula)])
    '''))
    code, out, _ = run(capsys, "verify", str(tmp_path / "claims.py"), "--json")
    assert code == 0 and json.loads(out)["claims"][0]["status"] == "verified"


def test_verify_at_point_outside_regime(capsys):
    code, _, err = run(capsys, "verify", "adai.thm1", "--at", "H=0.5,D=0.1,t=-1")
    assert code == 2 and "t > 0" in err


def test_ctrl_c_prints_what_finished_and_exits_130(monkeypatch, capsys):
    import checks.engine as engine

    real = engine.run_claim
    calls = []

    def interrupt_second(claim, ctx):
        calls.append(claim.id)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(claim, ctx)

    monkeypatch.setattr(engine, "run_claim", interrupt_second)
    code, out, err = run(capsys, "verify", "adai.eq1[234]")
    assert code == 130 and "1 of 3 claims finished" in err and "1 claims in" in err
    assert out.splitlines()[1].startswith("verified") and "adai.eq12" in out      # what finished was printed
    calls.clear()
    code, out, _ = run(capsys, "verify", "adai.eq1[234]", "--json")
    data = json.loads(out)
    assert code == 130 and data["run"]["interrupted"] and [c["id"] for c in data["claims"]] == ["adai.eq12"]


def test_mutants_are_reported_per_claim(capsys):
    code, out, _ = run(capsys, "verify", "adai.eq19", "--mutants", "--json")
    m = json.loads(out)["claims"][0]["mutants"]
    assert code == 0 and m["tried"] >= 4 and m["killed"] == m["tried"] and m["statement_checked"] is True


def test_readme_quick_start_is_two_lines():
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## Quick start", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    lines = [line for line in block.splitlines() if line.strip()]
    assert len(lines) == 2 and "theorycheck verify" in lines[0] and "pytest" in lines[1]


def test_readme_example_verifies(tmp_path, capsys):
    readme = (ROOT / "README.md").read_text()
    code = readme.split("```python\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "readme_claims.py"
    path.write_text(code)
    rc, out, _ = run(capsys, "verify", str(path), "--json")
    assert rc == 0
    assert [c["status"] for c in json.loads(out)["claims"]] == ["verified"]
