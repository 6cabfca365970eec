"""Claims of `diagrams`: S. C. Tenka, "A Perturbative Analysis of Stochastic Descent" (NeurIPS 2020 submission,
LaTeX source shared/papers/003b_diagrams_paper_perturb-neurips-submit.tex) and its author rebuttal
(shared/papers/003_86b859acfc50889a.txt). One module per section of the paper, in its order, and one for the
rebuttal; notation.py, models.py, kinds.py, simulate.py and enumerator.py hold what the sections share.

This file holds literals only: the registry reads them without importing anything.
"""
PAPER = {
    "key": "diagrams", "order": 5,
    "title": "A Perturbative Analysis of Stochastic Descent",
    "authors": "Samuel C. Tenka",
    "venue": "NeurIPS 2020 submission (and its author rebuttal)",
    "url": "https://github.com/bohrium/perturb",
    "file": "shared/papers/003b_diagrams_paper_perturb-neurips-submit.tex",
    "citation": "S. C. Tenka. A Perturbative Analysis of Stochastic Descent. NeurIPS 2020 submission, with its "
                "author rebuttal (shared/papers/003_86b859acfc50889a.txt). https://github.com/bohrium/perturb",
}
SECTIONS = ("intro", "background", "theory", "cor1", "cor2", "cor34", "cor5", "experiments", "appendix_b",
            "appendix_c", "rebuttal")
