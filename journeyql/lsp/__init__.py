"""Editor support: the language server ``journeyql lsp`` and the Pygments lexer.

Everything an editor shows comes from the analysis ``check`` runs (``journeyql.workspace``), the
schema (``language.schema``) and the reference text (``language.reference``), so an editor and
``check`` never disagree. The modules below ``server`` know nothing of the protocol library:
``names`` (definitions and references), ``cursor`` (what surrounds a position), ``completion``,
``hover``, ``outline`` (symbols, folding), ``fixes`` (code actions), ``buffers`` (unsaved text
over the files on disk). Only ``server`` imports pygls, the optional extra ``lsp``.
"""

from __future__ import annotations


def main() -> int:
    """Run the language server on stdin/stdout until the editor ends it."""
    from ..extras import require

    require("lsp", "the language server (journeyql lsp)")
    from .server import serve

    serve()
    return 0
