"""Measured results kept across builds, so a build after a change of wording reads no response.

Computing the results costs a DuckDB start, a pass over the validated answers and the
key drivers; a build after a label change needs the same numbers. They are kept in the
workspace's cache folder under a key of everything they are computed from: the response
files' identity (path, size, mtime), the readers that read them, JourneyQL's version
and the model's structure without its texts (:func:`journeyql.host.planning.structure_key`).
The cache folder is the workspace's own (like the validated Parquet files beside it);
a file that cannot be read back is ignored and computed again.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from pathlib import Path

_PREFIX = "results-"


def results_key(workspace, root: Path, files, readers, settings=None) -> str:
    """``settings``: journeyql.toml's [analysis] (minimum group sizes), which the results depend on too."""
    from .. import __version__
    from ..host.planning import file_identity, structure_key

    parts = [__version__, structure_key(workspace),
             [file_identity(Path(f).resolve(), Path(root)) for f in files],
             sorted([r.name, r.plugin, r.version, list(r.suffixes)] for r in dict(readers or {}).values()),
             settings.model_dump(mode="json") if hasattr(settings, "model_dump") else settings]
    return hashlib.sha256(json.dumps(parts, default=str).encode("utf-8")).hexdigest()


def load(cache_dir: Path, key: str):
    """(results, summary line) kept under ``key``, or None."""
    try:
        with open(Path(cache_dir) / f"{_PREFIX}{key}.pickle", "rb") as handle:
            kept = pickle.load(handle)  # noqa: S301 - our own cache file in the workspace's cache folder
        results, summary = kept
        return results, str(summary)
    except Exception:  # noqa: BLE001 - missing, truncated or from another version: compute again
        return None


def store(cache_dir: Path, key: str, results, summary: str) -> None:
    """Keep the results under ``key`` (the older ones of the workspace go); a read-only folder keeps nothing."""
    from ..host.output import write_atomic

    folder = Path(cache_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(f"{_PREFIX}*.pickle"):
            os.unlink(old)
        write_atomic(folder / f"{_PREFIX}{key}.pickle", pickle.dumps((results, summary)))
    except (OSError, pickle.PicklingError):
        pass
