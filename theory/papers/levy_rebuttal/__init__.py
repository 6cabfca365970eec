"""Claims of `levy-rebuttal`: the authors' rebuttal for `zhou` (shared/papers/000_5cac19362b53e75f.txt): the escape
experiment on f = min(x^2, a(x-1)^2), SGD with momentum's SDE (9) and escaping set, and the remarks on the
assumptions and on Theorem 2. Locations are the rebuttal's own line numbers (l. N). One module per reviewer's
answer, in the rebuttal's order.

This file holds literals only: the registry reads them without importing anything.
"""
PAPER = {
    "key": "levy-rebuttal", "order": 3,
    "title": "Author rebuttal for \"Towards Theoretically Understanding Why SGD Generalizes Better Than ADAM in "
             "Deep Learning\"",
    "authors": "Pan Zhou, Jiashi Feng, Chao Ma, Caiming Xiong, Steven Hoi, Weinan E",
    "venue": "NeurIPS 2020 author response",
    "url": "",
    "file": "shared/papers/000_5cac19362b53e75f.txt",
    "citation": "Author response to the NeurIPS 2020 reviews of P. Zhou et al., Towards Theoretically Understanding "
                "Why SGD Generalizes Better Than ADAM in Deep Learning.",
}
SECTIONS = ("reviewer2", "reviewer3", "reviewer4")
