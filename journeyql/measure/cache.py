"""Measured results kept across builds, so a build after a change of wording reads no response.

Computing the results costs a DuckDB start, a pass over the validated answers and the
key drivers; a build after a label change needs the same numbers. They are kept in the
user's cache folder (:func:`folder`) under a key of everything they are computed from: the
response files' identity (path, size, mtime), the readers that read them, JourneyQL's version
and the model's structure without its texts (:func:`journeyql.host.planning.structure_key`).
Never in the workspace's own cache folder: unpickling runs code, and a pull request can commit
files there. A file that cannot be read back is ignored and computed again.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from pathlib import Path

_PREFIX = "results-"
_KEEP = 32


def folder() -> Path:
    """Where kept results live: the user's cache folder, which no workspace can fill."""
    from ..host.user_cache import user_cache_dir

    return user_cache_dir() / "results"


def results_key(workspace, root: Path, files, readers, settings=None) -> str:
    """``settings``: journeyql.toml's [analysis] (minimum group sizes), which the results depend on too."""
    from .. import __version__
    from ..host.planning import file_identity, structure_key

    # the workspace's own place too: the folder is the user's, shared by every workspace (a copy of a
    # workspace with the same file times would otherwise find the original's results)
    from .results import Results

    # and the shape of what is kept: results pickled before a field was added would lack it
    parts = [__version__, sorted(Results.__dataclass_fields__), str(Path(root).resolve()), structure_key(workspace),
             [file_identity(Path(f).resolve(), Path(root)) for f in files],
             sorted([r.name, r.plugin, r.version, list(r.suffixes)] for r in dict(readers or {}).values()),
             settings.model_dump(mode="json") if hasattr(settings, "model_dump") else settings]
    return hashlib.sha256(json.dumps(parts, default=str).encode("utf-8")).hexdigest()


def load(cache_dir: Path, key: str):
    """(results, summary line) kept under ``key``, or None."""
    try:
        with open(Path(cache_dir) / f"{_PREFIX}{key}.pickle", "rb") as handle:
            kept = pickle.load(handle)  # noqa: S301 - our own file in the user's cache
        results, summary = kept
        return results, str(summary)
    except Exception:  # noqa: BLE001 - missing, truncated or from another version: compute again
        return None


def store(cache_dir: Path, key: str, results, summary: str) -> None:
    """Keep the results under ``key``; a read-only folder keeps nothing."""
    from ..host.output import write_atomic

    where = Path(cache_dir)
    try:
        where.mkdir(parents=True, exist_ok=True)
        # the folder is shared by every workspace: keep the most recent few, not only this one
        kept = sorted(where.glob(f"{_PREFIX}*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in kept[_KEEP - 1:]:
            os.unlink(old)
        write_atomic(where / f"{_PREFIX}{key}.pickle", pickle.dumps((results, summary)))
    except (OSError, pickle.PicklingError):
        pass
