"""Claims of `zhou`: Zhou, Feng, Ma, Xiong, Hoi, E, "Towards Theoretically Understanding Why SGD Generalizes Better
Than ADAM in Deep Learning" (NeurIPS 2020) (shared/papers/002_f22fc4c1a78d3ca3.txt). One module per section of
the paper, in its order; models.py and checks.tails hold what the sections share.

This file holds literals only: the registry reads them without importing anything.
"""
PAPER = {
    "key": "zhou", "order": 2,
    "title": "Towards Theoretically Understanding Why SGD Generalizes Better Than ADAM in Deep Learning",
    "authors": "Pan Zhou, Jiashi Feng, Chao Ma, Caiming Xiong, Steven Hoi, Weinan E",
    "venue": "NeurIPS 2020",
    "url": "https://arxiv.org/abs/2010.05627",
    "file": "shared/papers/002_f22fc4c1a78d3ca3.txt",
    "citation": "P. Zhou, J. Feng, C. Ma, C. Xiong, S. Hoi, W. E. Towards Theoretically Understanding Why SGD "
                "Generalizes Better Than ADAM in Deep Learning. NeurIPS 2020. arXiv:2010.05627.",
}
SECTIONS = ("sec31", "sec32", "sec32_adam", "sec4", "thm1", "sec41", "sec42_noise", "sec42_sets", "sec42_thm2",
            "sec42_adam", "sec5")
