"""Claims of `adai`: Xie et al., "Adaptive Inertia: Disentangling the Effects of Adaptive Learning Rate
and Momentum" (shared/papers/001_37ca20cd32812da7.txt). One module per part of the paper, in its order.

This file holds literals only: the registry reads them without importing anything.
"""
PAPER = {
    "key": "adai", "order": 1,
    "title": "Adaptive Inertia: Disentangling the Effects of Adaptive Learning Rate and Momentum",
    "authors": "Zeke Xie, Xinrui Wang, Huishuai Zhang, Issei Sato, Masashi Sugiyama",
    "venue": "ICML 2022 (text: the version under double-blind review)",
    "url": "https://arxiv.org/abs/2006.15815",
    "file": "shared/papers/001_37ca20cd32812da7.txt",
    "citation": "Z. Xie, X. Wang, H. Zhang, I. Sato, M. Sugiyama. Adaptive Inertia: Disentangling the Effects of "
                "Adaptive Learning Rate and Momentum. arXiv:2006.15815.",
}
SECTIONS = ("sgd", "mapping", "theorem2_proof", "theorem2", "notation", "kramers", "kramers_ndim", "algorithms",
            "adam", "adaptive_escape", "inertia", "discussion", "convergence", "convergence_algorithm2",
            "convergence_lemma1", "convergence_lemma2", "convergence_lemma3", "convergence_lemma4", "convergence_proof",
            "appendix_rows", "appendix_e", "escape_rows")
