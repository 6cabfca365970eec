"""Claims of `ziyin`: L. Ziyin, B. Li, M. Ueda, "SGD May Never Escape Saddle Points" (2021)
(shared/papers/004_67796aff26107bba.txt). One module per part of the paper, in its order.

This file holds literals only: the registry reads them without importing anything.
"""
PAPER = {
    "key": "ziyin", "order": 4,
    "title": "SGD May Never Escape Saddle Points",
    "authors": "Liu Ziyin, Botao Li, Masahito Ueda",
    "url": "https://arxiv.org/abs/2107.11774",
    "file": "shared/papers/004_67796aff26107bba.txt",
    "citation": "L. Ziyin, B. Li, M. Ueda. SGD May Never Escape Saddle Points (2021). arXiv:2107.11774.",
}
SECTIONS = ("warmup", "lemma1", "escape_rate", "sharpness", "amsgrad", "fokker_planck", "experiments_escape",
            "prop8", "gaussian_noise", "stationary", "rows_main", "rows_experiments", "rows_appendix",
            "rows_appendix_d5")
