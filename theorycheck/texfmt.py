"""LaTeX of claims as printed: the printer lives in ``theory.texfmt`` (``Claim.latex`` uses it); re-exported here
for the application's modules."""
from theory.texfmt import (  # noqa: F401
    Agreement,
    latex,
    printed_agreement,
    readable,
    readable_name,
    statement_tex,
    tex_name,
)
