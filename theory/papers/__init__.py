"""One module per paper; each defines CLAIMS. Paper keys are those of shared/papers/README.md."""
