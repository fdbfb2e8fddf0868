"""`journeyql lsp`: the language server on stdin/stdout, for editors (docs/editors.md)."""

from __future__ import annotations

HELP = "run the language server on stdin/stdout (editors start it)"
DESCRIPTION = "The JourneyQL language server (LSP over stdio); docs/editors.md."


def add_arguments(parser) -> None:
    """No options: the editor talks to it over stdio."""


def run(args) -> int:
    from ..lsp import main as serve_lsp

    return serve_lsp()
