"""The user's cache folder: what JourneyQL keeps between runs that no workspace may provide.

``$JOURNEYQL_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/journeyql``, else ``~/.cache/journeyql``.
Things that run as code (compiled templates) must never come from a folder a pull request can
fill, such as the workspace's ``.journeyql-cache/``; they live here.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Overrides where JourneyQL keeps its per-user cache.
CACHE_VARIABLE = "JOURNEYQL_CACHE_DIR"


def user_cache_dir() -> Path:
    """JourneyQL's per-user cache directory (it may not exist yet)."""
    chosen = os.environ.get(CACHE_VARIABLE)
    if chosen:
        return Path(chosen).expanduser()
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base).expanduser() if base else Path.home() / ".cache") / "journeyql"
