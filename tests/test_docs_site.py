"""The docs site as a reader meets it, built the way CI builds it: `verify --json`, then `docs build --from`.

The run holds claims of the package and a claim file with one claim per form of evidence (equality, limit,
order, z-test, density, fraction, exact, bound, not checkable, error), a refuted claim with its corrected
form, a statement read two ways, a printed form, and a plot-ready table. Every page is opened in headless
Chromium: no console error, no request outside the site, no raw TeX, every link and plot resolves; search,
filters and the phone layout work; screenshots are taken and checked (not blank, the formula visible).
Without Chromium or playwright the browser tests are skipped, unless THEORYCHECK_REQUIRE_BROWSER=1 (as
`.ci/run` sets). THEORYCHECK_SCREENSHOTS=DIR keeps the screenshots.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import textwrap
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from theorycheck.cli import main

REQUIRE_BROWSER = os.environ.get("THEORYCHECK_REQUIRE_BROWSER") == "1"
CHROMIUM = os.environ.get("THEORYCHECK_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
# TeX commands, display/inline math delimiters and braced sub/superscripts (m_{t-1}, C^{-1/2})
TEX = re.compile(r"\\[a-zA-Z]+|\$\$|\\\(|\^\{|_\{")
BUILTIN = ["adai.eq11", "adai.eq19"]

FORMS = textwrap.dedent('''
"""Toy claims, one per form of evidence the site renders; each runs in well under a second."""
import math
import os

import numpy as np
import sympy as sp
from theorycheck import (AsymptoticOrder, BigO, BoundCheck, Claim, Curve, ExactComparison, ExactOrder,
                         MonteCarloDensity, MonteCarloFraction, MonteCarloMean, NotCheckable, Param, Regime, Sample,
                         SymbolicEquality, claim)

a = sp.Symbol("a", positive=True)
t = sp.Symbol("t", positive=True)
x = sp.Symbol("x", real=True)
R = Regime((Param(a, 0.5, 1.5, doc="a rate"), Param(t, 0.5, 2.0, doc="time")), (), "a toy model")
p = sp.Function("p")


def normal_mean(point, n, rng):
    return Sample(rng.normal(point["a"], 1.0, (n, 1)), ["x"])


def curve(point, rng):
    if os.environ.get("CURVE_LOG"):
        open(os.environ["CURVE_LOG"], "a").write("computed\\n")
    ts = [0.5, 1.0, 1.5, 2.0]
    f = [point["a"] * math.exp(-s) for s in ts]
    return ({"t": ts, "formula": f, "simulated": [y * (1 + 0.02 * rng.standard_normal()) for y in f],
             "simulated_se": [0.02 * y for y in f]}, {"formula": "formula", "simulated": "simulated"})


@claim("forms.eq1", "Eq. (1)", "geometric decay, printed with a logarithm", about="algebra")
def eq1():
    return Claim(statement=sp.Eq(sp.Symbol("E[w^2]_t"), sp.exp(t * sp.log((2 - a) ** 2 / 2))), regime=R,
                 printed=r"E[w^2]_t = e^{t \\ln\\frac{(2-a)^2}{2}}",
                 checks=[SymbolicEquality("the recursion's solution", (2 - a) ** (2 * t) / 2 ** t,
                                          lambda c: c.formula)])


@claim("forms.eq2", "Eq. (2)", "the mean of the simulated variable", uses=["forms.eq1"])
def eq2():
    return Claim(statement=sp.Eq(sp.Symbol("m"), a), regime=R, dynamics="x ~ N(a, 1)", observable="mean of x",
                 checks=[MonteCarloMean("sample mean", normal_mean, lambda pt, f: [f(**pt)], n_paths=20_000)],
                 curves=[Curve("a exp(-t) along t", "t", {"a": 1.0}, curve, ylabel="value", log=False)])


@claim("forms.eq3", "Eq. (3)", "a Gaussian density", uses=["forms.eq2"])
def eq3():
    return Claim(statement=sp.Eq(p(x), sp.exp(-(x - a) ** 2 / 2) / sp.sqrt(2 * sp.pi)), regime=R,
                 checks=[MonteCarloDensity("histogram", normal_mean, x=x, n_paths=20_000)])


@claim("forms.eq4", "Eq. (4)", "a probability")
def eq4():
    def below(point, n, rng):
        return Sample((rng.normal(point["a"], 1.0, (n, 1)) < point["a"]).astype(float), ["x < a"])
    return Claim(statement=sp.Eq(sp.Symbol("P"), sp.Rational(1, 2) + 0 * a), regime=R,
                 checks=[MonteCarloFraction("x below its mean", below, lambda pt, f: [f(**pt)], n_paths=4000)])


@claim("forms.eq5", "Eq. (5)", "a geometric series against its exact sum")
def eq5():
    def exact(point):
        return [sum(point["a"] * math.exp(-k * point["t"]) for k in range(400))]
    return Claim(statement=sp.Eq(sp.Symbol("S"), a / (1 - sp.exp(-t))), regime=R,
                 checks=[ExactComparison("the series summed", exact, lambda pt, f: [f(**pt)])])


@claim("forms.eq6", "Eq. (6)", "first-order expansion", about="algebra")
def eq6():
    return Claim(statement=sp.Eq(sp.Symbol("E"), 1 + t + BigO(t ** 2)), regime=R,
                 checks=[AsymptoticOrder("Taylor remainder", sp.exp(t), lambda c: c.formula,
                                         lambda c: c.remainder_bound, t),
                         ExactOrder("relative error against exp", lambda pt: math.exp(pt["t"]), small=t, order=2.0)])


@claim("forms.eq7", "Eq. (7)", "a bound on a t exp(-a t)")
def eq7():
    return Claim(statement=sp.Le(a * t * sp.exp(-a * t), sp.Rational(2, 5)), regime=R,
                 checks=[BoundCheck("worst case over the regime", maxiter=8, popsize=6, hypothesis_examples=20)])


@claim("forms.eq8", "Eq. (8)", "the mean, printed twice too large")
def eq8():
    return Claim(statement=sp.Eq(sp.Symbol("m"), 2 * a), regime=R,
                 checks=[MonteCarloMean("sample mean", normal_mean, lambda pt, f: [f(**pt)], n_paths=20_000)])


@claim("forms.eq8.corrected", "Eq. (8), corrected", "the mean", corrects="forms.eq8")
def eq8_corrected():
    return Claim(statement=sp.Eq(sp.Symbol("m"), a), regime=R,
                 checks=[MonteCarloMean("sample mean", normal_mean, lambda pt, f: [f(**pt)], n_paths=20_000)])


@claim("forms.eq9", "Eq. (9)", "'about a' (vague words)")
def eq9():
    return Claim(statement=sp.Eq(sp.Symbol("m"), a), regime=R, checks=[NotCheckable("words", "read two ways")])


@claim("forms.eq9.tight", "Eq. (9), reading 1", "read as 'equal to a'", reading_of="forms.eq9",
       reading="equal to a", proof_reading=True)
def eq9_tight():
    return Claim(statement=sp.Eq(sp.Symbol("m"), a), regime=R,
                 checks=[MonteCarloMean("sample mean", normal_mean, lambda pt, f: [f(**pt)], n_paths=20_000)])


@claim("forms.eq9.double", "Eq. (9), reading 2", "read as 'twice a'", reading_of="forms.eq9", reading="twice a")
def eq9_double():
    return Claim(statement=sp.Eq(sp.Symbol("m"), 2 * a), regime=R,
                 checks=[MonteCarloMean("sample mean", normal_mean, lambda pt, f: [f(**pt)], n_paths=20_000)])


@claim("forms.eq10", "Eq. (10)", "a simulator that breaks")
def eq10():
    def broken(point, n, rng):
        v = np.ones((n, 1))
        v[0] = np.nan
        return Sample(v, ["x"])
    return Claim(statement=sp.Eq(sp.Symbol("m"), a), regime=R,
                 checks=[MonteCarloMean("broken simulator", broken, lambda pt, f: [f(**pt)], n_paths=100)])


@claim("forms.def1", "Definition 1", "a definition")
def def1():
    return Claim(statement=sp.Eq(sp.Symbol("L"), a * t), regime=R, symbols={a: "keyed by the Symbol itself"},
                 checks=[NotCheckable("definition", "a definition")])
''')


def _need(what: str, ok: bool):
    if not ok:
        if REQUIRE_BROWSER:
            pytest.fail(f"{what} is required (THEORYCHECK_REQUIRE_BROWSER=1) but missing")
        pytest.skip(f"{what} not available")


def _cli(*argv) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(argv))
    return code, out.getvalue()


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A user's project: the claim file, a ledger flagging one statement as not checked, a saved run."""
    for module in ("latex2mathml", "matplotlib"):
        try:
            __import__(module)
        except ImportError:
            _need(f"the docs extra ({module})", False)
    root = tmp_path_factory.mktemp("project")
    (root / "forms.py").write_text(FORMS)
    (root / "theorycheck.lock").write_text(json.dumps({"claims": {"forms.eq5": {
        "status": "verified", "checks": {}, "mutants": {"tried": 3, "killed": 0, "statement_checked": False}}}}))
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        mp.setenv("CURVE_LOG", str(root / "curves.log"))
        code, out = _cli("verify", "forms.py", *BUILTIN, "--json")
        assert code == 0
        (root / "run.json").write_text(out)
        code, _ = _cli("docs", "build", "--from", "run.json", "forms.py", "--out", "site", "-q")
        assert code == 0
    return root


@pytest.fixture(scope="module")
def site(project):
    run = json.loads((project / "run.json").read_text())
    return project / "site", run["claims"]


# --- the build ----------------------------------------------------------------------------------------------
def test_from_a_saved_run_nothing_is_recomputed_and_nothing_dropped(project, site):
    out, reports = site
    assert (project / "curves.log").read_text().count("computed") == 1          # by verify, not by the build
    ids = {r["id"] for r in reports}
    assert {"forms.eq1", "forms.eq10", *BUILTIN} <= ids                        # the user's claims are kept
    assert all((out / "claims" / f"{i}.html").exists() for i in ids)
    assert (out / "plots" / "forms.eq2-curve0.svg").exists()                   # the stored table, drawn


def test_titles_and_counts_say_what_is_verified_and_refuted(site):
    out, reports = site
    index = (out / "index.html").read_text()
    n_ok, n_bad = (sum(r["status"] == s for r in reports) for s in ("verified", "refuted"))
    assert f"<title>theorycheck: {n_ok} verified, {n_bad} refuted of {len(reports)} claims</title>" in index
    assert f"{n_ok} verified, {n_bad} refuted" in index and "Verified claims" not in index
    errata = (out / "errata.html").read_text()
    assert f"Errata: {n_bad} refuted statements" in errata
    assert all(f"claims/{r['id']}.html" in errata for r in reports if r["status"] == "refuted")
    assert "Corrected form (" in errata and "forms.eq8.corrected" in errata


def test_listing_rows_have_title_and_formula(site):
    out, reports = site
    index = (out / "index.html").read_text()
    for r in reports:
        row = index.split(f'claims/{r["id"]}.html">{r["id"]}</a>', 1)[1].split("</tr>", 1)[0]
        assert r["title"].replace("'", "&#x27;") in row and "<math" in row, r["id"]


def test_paper_pages_link_the_paper_and_follow_its_order(site):
    out, _ = site
    adai = (out / "papers" / "adai.html").read_text()
    assert 'href="https://arxiv.org/abs/2006.15815"' in adai and "<svg" in adai
    assert "shared/papers" not in adai
    page = (out / "claims" / "adai.eq19.html").read_text()
    side = page.split('class="sidebar"', 1)[1].split("</details>", 1)[0]
    assert side.index("adai.eq11") < side.index("adai.eq19")                  # the paper's order
    assert "Eq. (19), App. A.1 of <a href=\"https://arxiv.org/abs/2006.15815\"" in page


def test_evidence_fits_every_form_and_never_shows_none(site):
    out, _ = site
    pages = {i: (out / "claims" / f"forms.{i}.html").read_text() for i in
             ("eq1", "eq2", "eq3", "eq4", "eq5", "eq6", "eq7", "eq9", "eq10", "def1")}
    for name, words in {"eq1": ["left", "right", "points"], "eq2": ["simulated mean", "standard error", "detects"],
                        "eq3": ["χ²", "p-value", "claimed total mass"], "eq4": ["exact binomial", "observed fraction"],
                        "eq5": ["exact model", "relative difference", "Tolerance"],
                        "eq6": ["lim (exact − approximation) / bound", "fitted order"],
                        "eq7": ["theoretical (the bound)", "computed (the quantity)", "worst ratio", "Search budget"],
                        "eq10": ["SimulationError: simulate returned NaN"],
                        "def1": ["not checkable: a definition"]}.items():
        for w in words:
            assert w in pages[name], (name, w)
    for name, text in pages.items():
        visible = re.sub(r"<details class='raw'>.*?</details>", "", text, flags=re.S)
        assert not re.search(r">\s*None\s*<|: None\b", visible), name


def test_readings_printed_forms_and_flags(site):
    out, _ = site
    eq9 = (out / "claims" / "forms.eq9.html").read_text()
    assert "depends on the reading" in eq9 and "(the reading the proof uses)" in eq9
    eq1 = (out / "claims" / "forms.eq1.html").read_text()
    assert "agrees (equal at" in eq1 and "E[w^2]_t = e^{t \\ln" in eq1
    assert "Statement not checked" in (out / "claims" / "forms.eq5.html").read_text()
    assert "statement not checked" in (out / "index.html").read_text()


def test_search_index_and_graph(site):
    out, reports = site
    index = json.loads((out / "assets" / "search-index.js").read_text().split("=", 1)[1].rstrip(";\n"))
    assert {e["id"] for e in index} == {r["id"] for r in reports}
    assert any("log" in e["text"] for e in index if e["id"] == "forms.eq1")
    graph = (out / "graph.html").read_text()
    assert graph.count("<svg") >= 2 and "arrow-corrects" in graph and "stroke-dasharray" in graph


def test_site_fetches_nothing_from_outside(site):
    out, _ = site
    for p in out.rglob("*.html"):
        assert not re.search(r"""(src|href)\s*=\s*["'](https?:)?//[^"']*\.(js|css)""", p.read_text()), p.name
        assert not re.search(r"""<(script|link|img)[^>]+(src|href)\s*=\s*["']https?:""", p.read_text()), p.name


# --- the output folder: nothing the build did not write is ever deleted -------------------------------------
def test_a_rebuild_keeps_the_users_files(project, tmp_path):
    out = tmp_path / "site"
    run = str(project / "run.json")
    assert _cli("docs", "build", "--from", run, "--only", "adai.*", "--out", str(out), "-q")[0] == 0
    (out / "notes.txt").write_text("mine")
    (out / "claims" / "mine.html").write_text("mine too")
    assert _cli("docs", "build", "--from", run, "--only", "adai.eq19", "--out", str(out), "-q")[0] == 0
    assert (out / "notes.txt").read_text() == "mine" and (out / "claims" / "mine.html").read_text() == "mine too"
    assert not (out / "claims" / "adai.eq11.html").exists()                   # what the build wrote was replaced


def test_a_folder_that_is_not_a_site_is_refused(project, tmp_path, capsys):
    out = tmp_path / "docs"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work")
    assert main(["docs", "build", "--from", str(project / "run.json"), "--out", str(out)]) == 2
    assert "is not empty and is not a theorycheck site" in capsys.readouterr().err
    assert (out / "thesis.tex").read_text() == "years of work" and len(list(out.iterdir())) == 1


def test_out_dot_in_a_repository_is_refused(project, tmp_path, capsys, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (tmp_path / ".theorycheck-site").write_text("a marker cannot make a repository a site\n")
    monkeypatch.chdir(tmp_path)
    assert main(["docs", "build", "--from", str(project / "run.json"), "--out", "."]) == 2
    assert "holds a repository" in capsys.readouterr().err and (tmp_path / ".git" / "HEAD").exists()


def test_an_earlier_sites_folder_and_a_file_in_the_way(project, tmp_path):
    from theorycheck.site import MARKER, SiteError, prepare_output, render_site

    old = tmp_path / "old"                                  # written by the earlier builder: a plain-text marker
    (old / "claims").mkdir(parents=True)
    (old / MARKER).write_text("written by theorycheck docs build\n")
    (old / "index.html").write_text("old")
    (old / "claims" / "adai.eq2.html").write_text("old")
    (old / "claims" / "my-notes.md").write_text("mine")
    prepare_output(old)
    assert not (old / "index.html").exists() and (old / "claims" / "my-notes.md").read_text() == "mine"
    run = json.loads((project / "run.json").read_text())
    (old / "claims" / "adai.eq19.html").write_text("a file of the user's where the build would write")
    with pytest.raises(SiteError, match="was not written by theorycheck"):
        render_site(old, [r for r in run["claims"] if r["id"] == "adai.eq19"], run["run"])
    assert (old / "claims" / "adai.eq19.html").read_text().startswith("a file of the user's")


def test_docs_build_takes_a_claim_file(tmp_path, capsys):
    (tmp_path / "one.py").write_text(FORMS.split("@claim(\"forms.eq2\"")[0])      # forms.eq1 alone
    code = main(["docs", "build", str(tmp_path / "one.py"), "--out", str(tmp_path / "site")])
    out = capsys.readouterr().out
    assert code == 0 and "verified           forms.eq1" in out and "wrote 5 pages" in out
    assert (tmp_path / "site" / "claims" / "forms.eq1.html").exists()


# --- in a browser ---------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    _need("Chromium", CHROMIUM is not None)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need("playwright (pip install -e '.[test]')", False)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


INSPECT = """() => {
  const bad = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const n = walker.currentNode, el = n.parentElement;
    if (!el || el.closest('details:not([open]), .tex-source, script, style, svg')) continue;
    if (n.textContent.trim()) bad.push(n.textContent);
  }
  const imgs = Array.from(document.images).map(i => [i.getAttribute('src'), i.complete && i.naturalWidth > 0]);
  const maths = Array.from(document.querySelectorAll('math')).filter(m => !m.closest('details:not([open])'))
                     .map(m => m.getBoundingClientRect().height);
  const links = Array.from(document.querySelectorAll('a[href]')).map(a => a.href);
  return {text: bad, imgs: imgs, maths: maths, links: links};
}"""


def test_every_page_in_chromium(site, browser):
    out, reports = site
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.route(re.compile(r"^(?!file:).*"), lambda route: (problems.append(f"outside request: {route.request.url}"),
                                                           route.abort()))
    numeric = {r["id"] for r in reports if any(c["kind"] in ("montecarlo", "exact") and c["status"] != "error"
                                               for c in r["checks"])}
    pages = sorted(out.rglob("*.html"))
    for path in pages:
        page.goto(path.as_uri())
        info = page.evaluate(INSPECT)
        where = path.relative_to(out).as_posix()
        problems += [f"{where}: raw TeX visible: {t[:80]!r}" for t in info["text"] if TEX.search(t)]
        problems += [f"{where}: image did not load: {src}" for src, ok in info["imgs"] if not ok]
        if any(h <= 0 for h in info["maths"]):
            problems.append(f"{where}: a formula did not render")
        for href in info["links"]:
            if urlparse(href).scheme == "file" and not Path(unquote(urlparse(href).path)).exists():
                problems.append(f"{where}: broken link {href}")
        if path.parent.name == "claims" and not info["maths"]:
            problems.append(f"{where}: no rendered statement")
        if path.parent.name == "claims" and path.stem in numeric and not info["imgs"]:
            problems.append(f"{where}: numeric checks but no plot")
    assert not problems, "\n".join(problems[:40])


def test_filters_and_search(site, browser):
    out, reports = site
    page = browser.new_page()
    page.goto((out / "index.html").as_uri())
    visible = ("() => Array.from(document.querySelectorAll('table.claims tbody tr'))"
               ".filter(r => r.style.display !== 'none').length")
    assert page.evaluate(visible) == len(reports)
    page.select_option("#filter-verdict", "refuted")
    assert page.evaluate(visible) == sum(r["status"] == "refuted" for r in reports)
    page.select_option("#filter-verdict", "")
    page.select_option("#filter-paper", "adai")
    assert page.evaluate(visible) == sum(r["paper"] == "adai" for r in reports)
    page.fill("#search", "printed twice")                                    # a title
    assert page.locator("#search-results a").first.get_attribute("href").endswith("claims/forms.eq8.html")
    page.fill("#search", "Sigma")                                            # a formula
    assert "adai.eq11" in page.locator("#search-results").inner_text()
    page.fill("#search", "eq19")
    page.press("#search", "Enter")
    page.wait_for_url("**/claims/adai.eq19.html")


def _not_blank(png: Path, box=None) -> bool:
    from PIL import Image, ImageStat

    img = Image.open(png).convert("L")
    if box:
        img = img.crop(box)
    return ImageStat.Stat(img).stddev[0] > 8 and len(img.getcolors(1 << 16) or []) > 20


DESK, PHONE = (1280, 900), (390, 844)
SHOTS = [("index.html", "td.formula math", DESK), ("errata.html", ".statement math", DESK),
         ("claims/forms.eq7.html", ".statement math", DESK), ("claims/adai.eq11.html", ".statement math", DESK),
         ("index.html", "td.formula math", PHONE), ("claims/adai.eq11.html", ".statement math", PHONE)]


@pytest.mark.parametrize("name, formula, size", SHOTS, ids=[f"{n}-{s[0]}" for n, _, s in SHOTS])
def test_screenshots_show_the_formula_and_fit_a_phone(site, browser, tmp_path, name, formula, size):
    out, _ = site
    page = browser.new_page(viewport={"width": size[0], "height": size[1]}, device_scale_factor=1)
    page.goto((out / name).as_uri())
    keep = Path(os.environ.get("THEORYCHECK_SCREENSHOTS") or tmp_path)
    keep.mkdir(parents=True, exist_ok=True)
    png = keep / f"{name.replace('/', '_').removesuffix('.html')}-{size[0]}.png"
    page.screenshot(path=str(png), full_page=True)
    assert _not_blank(png)
    box = page.locator(formula).first.bounding_box()                     # page coordinates (not scrolled)
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert box and box["width"] > 20 and box["height"] > 8 and box["y"] + box["height"] <= height, box
    assert 0 <= box["x"] < size[0]
    assert _not_blank(png, (int(box["x"]), int(box["y"]), int(box["x"] + min(box["width"], size[0] - box["x"])),
                            int(box["y"] + box["height"])))
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{name} is {overflow}px wider than a {size[0]}px screen"


def test_printed_values_take_the_colour_of_their_simulated_series(tmp_path):
    """In a table with several simulated series and their printed values, 'printed P_A' is drawn dashed in P_A's
    colour, and two unmatched formula lines differ by line style: no two lines of a plot look alike."""
    pytest.importorskip("matplotlib")
    from theorycheck.site import plots

    sim = {"P_A": "#111", "P_B": "#222"}
    seen: dict[str, int] = {}
    assert plots._line_style("printed P_B", "formula", sim, seen) == {**plots.KIND_STYLE["formula"], "color": "#222",
                                                                       "ls": "--"}
    first = plots._line_style("Theorem 1", "formula", sim, seen)
    second = plots._line_style("Sec. 4.2 (printed)", "formula", sim, seen)
    assert first.get("ls", "-") != second.get("ls", "-")
    table = {"title": "t " * 80, "x": "s", "log": False, "kinds": {"P_A": "simulated", "printed P_A": "formula"},
             "columns": {"s": [1, 2], "P_A": [0.1, 0.2], "P_A_se": [0.01, 0.01], "printed P_A": [0.15, 0.15]}}
    assert plots.plot_table(table, tmp_path / "t.svg")
    assert (tmp_path / "t.svg").read_text().count("<svg") == 1


def test_a_small_curve_shows_its_values_beside_the_figure():
    """Printed and exact coefficients per power of eta are readable as numbers; a long curve is left to the figure."""
    from theorycheck.site.evidence import curve_table_html

    tab = {"x": "power of eta", "kinds": {"printed": "formula", "exact": "exact"},
           "columns": {"power of eta": [0, 1, 2], "printed": [0, 0, -0.25], "exact": [0, -0.25, -0.1146]}}
    out = curve_table_html(tab)
    assert "the values plotted" in out and "-0.1146" in out and out.count("<tr>") == 4
    long = {**tab, "columns": {k: list(range(40)) for k in tab["columns"]}}
    assert curve_table_html(long) == ""
