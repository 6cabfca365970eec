"""The command line as a user meets it."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from checks.cli import main

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
                                          sp.diff(rhs, t) - (2 * D - 2 * k * rhs) + rhs.subs(t, 0), 0),
                         MonteCarloMean("Euler-Maruyama", simulate, predict)])

    CLAIMS = [make("mine.eq1", D / k * (1 - sp.exp(-2 * k * t))),
              make("mine.eq2", D / k * (1 - sp.exp(-k * t)))]
''')


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_list_shows_every_claim_with_location_and_status(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    lines = out.strip().splitlines()
    assert any(line.startswith("adai.thm1 ") and "Theorem 1" in line and "verified" in line for line in lines)
    assert any(line.startswith("adai.eq11 ") and "refuted" in line for line in lines)


def test_list_pattern(capsys):
    _, out, _ = run(capsys, "list", "adai.eq1*")
    ids = [line.split()[0] for line in out.strip().splitlines()]
    assert "adai.eq11" in ids and "adai.thm1" not in ids


def test_show_names_regime_and_checks(capsys):
    code, out, _ = run(capsys, "show", "adai.thm1.sgd")
    assert code == 0
    assert "|H_i| eta T << 1" in out and "[montecarlo]" in out and "recorded verdict: verified" in out


def test_latex_prints_printed_and_corrected_forms(capsys):
    code, out, _ = run(capsys, "latex", "adai.eq11")
    assert code == 0
    assert r"\Sigma(t) (\theta - c)" in out and r"\Sigma(t)^{-1}" in out
    assert out.count("{") == out.count("}")


def test_unknown_id_suggests_closest(capsys):
    code, _, err = run(capsys, "show", "adai.thm11")
    assert code == 2
    assert "unknown claim id 'adai.thm11'" in err and "adai.thm1" in err


def test_eval_refuses_parameters_outside_the_regime(capsys):
    code, _, err = run(capsys, "eval", "adai.eq21", "H=0.5", "eta=-0.1", "B=32", "T=10")
    assert code == 2
    assert "adai.eq21" in err and "eta" in err and "eta > 0" in err


def test_eval_prints_formula_value(capsys):
    code, out, _ = run(capsys, "eval", "adai.thm1", "H=-0.5", "D=0.1", "t=1")
    assert code == 0
    assert float(out.split(":")[1]) == pytest.approx(0.1 / -0.5 * (1 - 2.718281828459045 ** 1))


def test_verify_json_fields(capsys):
    code, out, _ = run(capsys, "verify", "adai.eq1[19]", "--json")
    assert code == 0
    claims = json.loads(out)["claims"]
    assert [c["id"] for c in claims] == ["adai.eq11", "adai.eq19"]
    for c in claims:
        assert {"id", "paper", "location", "status", "statement_latex", "checks", "corrected"} <= set(c)
        for chk in c["checks"]:
            assert {"kind", "status", "method", "details"} <= set(chk)
    eq11 = claims[0]
    assert eq11["status"] == "refuted" and eq11["corrected"]["id"] == "adai.eq11.corrected"
    assert eq11["counterexample"]["params"]


def test_verify_user_file_gives_verified_and_refuted(tmp_path, capsys):
    path = tmp_path / "my_claims.py"
    path.write_text(USER_FILE)
    code, out, _ = run(capsys, "verify", str(path), "--json")
    assert code == 0
    status = {c["id"]: c["status"] for c in json.loads(out)["claims"]}
    assert status == {"mine.eq1": "verified", "mine.eq2": "refuted"}


def test_verify_strict_fails_when_a_verdict_changes(tmp_path, capsys, monkeypatch):
    import checks.cli as cli

    ledger = {"adai.eq19": {"status": "refuted", "checks": ["fail"]}}
    monkeypatch.setattr(cli, "load_ledger", lambda: ledger)
    code, _, err = run(capsys, "verify", "adai.eq19", "--strict")
    assert code == 3 and "adai.eq19 was recorded refuted, now verified" in err
    code, _, _ = run(capsys, "verify", "adai.eq19")
    assert code == 0


def test_bad_user_file_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "broken.py"
    path.write_text("import sympy as sp\nCLAIMS = [1/0]\n")
    code, _, err = run(capsys, "verify", str(path))
    assert code == 2 and "could not load claims" in err and "ZeroDivisionError" in err


def test_verify_at_point_outside_regime(capsys):
    code, _, err = run(capsys, "verify", "adai.thm1", "--at", "H=0.5,D=0.1,t=-1")
    assert code == 2 and "t > 0" in err


def test_readme_example_verifies(tmp_path, capsys):
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text()
    code = readme.split("```python\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "readme_claims.py"
    path.write_text(code)
    rc, out, _ = run(capsys, "verify", str(path), "--json")
    assert rc == 0
    assert [c["status"] for c in json.loads(out)["claims"]] == ["verified"]


def test_readme_quick_start_is_two_lines():
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text()
    block = readme.split("## Quick start", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    lines = [line for line in block.splitlines() if line.strip()]
    assert len(lines) == 2 and "theorycheck verify" in lines[0] and "pytest" in lines[1]


def test_table_csv_has_equal_columns():
    out = subprocess.run([sys.executable, "-m", "checks.cli", "table", "adai.eq31", "--csv"], capture_output=True,
                         text=True, check=True).stdout.splitlines()
    header = out[0].split(",")
    assert header[0] == "T" and "exact recursion" in header
    assert all(len(line.split(",")) == len(header) for line in out[1:]) and len(out) > 10


def test_table_for_a_claim_without_one_is_a_clear_error():
    r = subprocess.run([sys.executable, "-m", "checks.cli", "table", "adai.eq2"], capture_output=True, text=True)
    assert r.returncode == 2 and "has no plot-ready table" in r.stderr
