"""JourneyQL: customer journeys as text, rendered into surveys, maps and plans.

The public API is imported lazily so that ``journeyql check`` starts fast.
"""

from __future__ import annotations

__version__ = "0.1.0"

_API = {
    "parse": ".api",
    "load": ".api",
    "check": ".api",
    "SpecError": ".diagnostics",
    "Diagnostic": ".diagnostics",
    "Severity": ".diagnostics",
    "Span": ".span",
    "format_source": ".formatter",
    "hookimpl": ".hookspecs",
    "RenderContext": ".rendering",
    "RenderError": ".rendering",
}

__all__ = sorted(_API)


def __getattr__(name: str):
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'journeyql' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value
