"""JourneyQL: customer journeys as text, rendered into surveys, maps and plans.

The public API is imported lazily so that ``journeyql check`` starts fast.

The package reads like the pipeline (docs/architecture.md draws it):
``diagnostics`` (the record and its views) <- ``language`` (scanner, parser, binder, resolver,
schema, model, formatter) <- ``workspace`` (files, ``journeyql.toml``, the analysis pipeline, the
method's rules) <- ``host`` (hooks, plugin loading, render context, output sink) <- ``graphviz``,
``measure`` (responses, analysis, results: the heavy extras), ``tools`` (diff, init) <- ``cli``.
"""

from __future__ import annotations

import importlib
import sys
import warnings

__version__ = "0.1.0"

_API = {
    "parse": ".api",
    "load": ".api",
    "check": ".api",
    "to_be": ".api",
    "organisation_views": ".api",
    "OrganisationView": ".api",
    "SpecError": ".diagnostics",
    "Diagnostic": ".diagnostics",
    "Severity": ".diagnostics",
    "Span": ".diagnostics",
    "format_source": ".language.formatter",
    "hookimpl": ".host.hookspecs",
    "RenderContext": ".host.rendering",
    "RenderError": ".host.rendering",
}

#: Modules that lived at the top of the package before it was regrouped into subpackages
#: (0.1): the old name still imports the very same module, with a DeprecationWarning.
#: docs/plugins.md lists them; remove them in 1.0.
MOVED = {
    "span": "diagnostics.span",
    "report": "diagnostics.views",
    "syntax_nodes": "language.syntax_nodes",
    "scanner": "language.scanner",
    "syntax": "language.syntax",
    "binder": "language.binder",
    "resolver": "language.resolver",
    "schema": "language.schema",
    "model": "language.model",
    "construct": "language.construct",
    "formatter": "language.formatter",
    "reference": "language.reference",
    "config": "workspace.config",
    "rules": "workspace.rules",
    "hookspecs": "host.hookspecs",
    "plugins": "host.plugins",
    "rendering": "host.rendering",
    "output": "host.output",
    "testing": "host.testing",
    "workspace_index": "host.workspace_index",
    "items": "measure.items",
    "results": "measure.results",
    "responses": "measure.responses",
    "analysis": "measure.analysis",
    "analysis_report": "measure.report",
    "simulate": "measure.simulate",
    "diffing": "tools.diff",
    "starter": "tools.starter",
}

__all__ = sorted(_API)


def __getattr__(name: str):
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'journeyql' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


class _MovedModules:
    """Makes ``import journeyql.results`` give ``journeyql.measure.results`` itself (one module
    object, so ``isinstance`` and monkeypatching behave), instead of a copy or a star-import shim.

    A finder and loader by protocol, not by subclassing ``importlib.abc``: importing that module
    pulls in ``importlib.resources``, ``pathlib`` and ``tempfile``, a tenth of ``journeyql check``'s
    start-up, for a hook only old imports ever use."""

    def find_spec(self, fullname, path=None, target=None):
        prefix, _, old = fullname.partition(".")
        if prefix == __name__ and old in MOVED:
            import importlib.util

            return importlib.util.spec_from_loader(fullname, self)
        return None

    def create_module(self, spec):
        new = f"{__name__}.{MOVED[spec.name.partition('.')[2]]}"
        warnings.warn(f"{spec.name} is now {new}; the old name goes away in JourneyQL 1.0",
                      DeprecationWarning, stacklevel=3)
        return importlib.import_module(new)

    def exec_module(self, module) -> None:
        """The module was executed under its new name already."""


if not any(isinstance(finder, _MovedModules) for finder in sys.meta_path):
    sys.meta_path.append(_MovedModules())
