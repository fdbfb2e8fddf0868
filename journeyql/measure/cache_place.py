"""Where the response cache lives: the workspace's own cache, or a place that can be written.

A CI job may check out a workspace read-only (a mounted volume, a locked directory) with a
``.journeyql-cache/`` already in it. DuckDB writes the converted and validated Parquet files and
spills there, so an unwritable cache used to stop `analyze` and `build` with an internal error and
nothing rendered. The cache only saves time, so a run that cannot write it uses the per-user cache
instead (``$JOURNEYQL_CACHE_DIR``, else ``$XDG_CACHE_HOME/journeyql``, else ``~/.cache/journeyql``:
the same place as the compiled graphviz, one directory per workspace), and when that cannot be
written either, a temporary directory removed when the process ends (no cache kept).
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from ..host.user_cache import user_cache_dir

_SUBDIRECTORIES = ("responses", "tmp")




def unwritable(directory: Path) -> str | None:
    """Why the cache ``directory`` cannot be used (its subdirectories made and a file written), or None.

    Probed with a real write, not with the permission bits: root ignores them, and a read-only
    file system or an immutable directory refuses writes whatever they say.
    """
    try:
        for name in _SUBDIRECTORIES:
            sub = Path(directory) / name
            sub.mkdir(parents=True, exist_ok=True)
            probe = sub / f".probe-{os.getpid()}"
            os.close(os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            os.unlink(probe)
    except OSError as error:
        return error.strerror or type(error).__name__
    return None


def usable_cache(cache: Path, root: Path) -> tuple[Path, str | None]:
    """The cache directory to use and, when it is not ``cache``, a note saying where and why."""
    problem = unwritable(cache)
    if problem is None:
        return cache, None
    workspace_key = hashlib.sha256(str(Path(root).resolve()).encode()).hexdigest()[:16]
    elsewhere = user_cache_dir() / "responses" / workspace_key
    if unwritable(elsewhere) is None:
        return elsewhere, f"the cache {cache} cannot be written ({problem}); using {elsewhere}"
    temporary = Path(tempfile.mkdtemp(prefix="journeyql-cache-"))
    atexit.register(shutil.rmtree, temporary, ignore_errors=True)
    for name in _SUBDIRECTORIES:
        (temporary / name).mkdir()
    return temporary, f"the cache {cache} cannot be written ({problem}); nothing is cached in this run"
