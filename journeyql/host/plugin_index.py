"""What the installed plugins implement, remembered between runs, so ``journeyql check`` imports only
the plugins that register rules.

Finding the entry points means importing ``importlib.metadata`` and reading every installed
distribution's metadata, and learning which hooks a plugin implements means importing it: together
a tenth of a cold ``check``, for plugins of which none registers a rule. After a run that loaded
every plugin cleanly, the index records each entry point (name, module, distribution, version), the
hooks it implements and the size and mtime of every ``.py`` file of its package; it lives in the
user's cache folder (``host/user_cache.py``) under a key of everything that decides which entry
points exist: the interpreter, JourneyQL's version, ``JOURNEYQL_LOAD_PLUGINS`` and
``JOURNEYQL_DISABLE_PLUGINS``, every folder on ``sys.path`` with the distributions in it (their
``.dist-info`` names: installing, upgrading or removing one changes them) and the size and mtime
of each ``entry_points.txt``. A plugin whose files changed, or any change to the key, means loading
every plugin again, as without the index. The newest few indexes are kept, the others removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

_VERSION = 1
_KEEP = 8  # indexes kept: a few interpreters or environments, not one per change ever made


def _entry_point_files(folder: str) -> list:
    try:
        names = sorted(os.listdir(folder or "."))
    except OSError:
        return []
    found = []
    for name in names:
        if name.endswith((".dist-info", ".egg-info")):
            try:
                stat = os.stat(os.path.join(folder or ".", name, "entry_points.txt"))
                found.append([name, stat.st_mtime_ns, stat.st_size])
            except OSError:
                found.append([name, None, None])
    return found


def index_key() -> str:
    """Everything that decides which entry points exist and which of them load."""
    from .. import __version__

    parts: list = [_VERSION, sys.version, __version__, os.environ.get("JOURNEYQL_LOAD_PLUGINS"),
                   os.environ.get("JOURNEYQL_DISABLE_PLUGINS")]
    for entry in sys.path:
        # the distributions on it, not the folder's mtime: `python -m` puts the working folder on
        # sys.path, and saving any file there would change that
        parts.append([entry, _entry_point_files(entry)])
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()


def _path(key: str) -> Path:
    from .user_cache import user_cache_dir

    return user_cache_dir() / "plugins" / f"index-{key}.json"


def package_files(module_name: str) -> dict[str, list]:
    """{path: [mtime_ns, size]} of every ``.py`` file of the package ``module_name`` was loaded from."""
    module = sys.modules.get(module_name.partition(":")[0].split(".")[0])
    if module is None:
        return {}
    paths = []
    for folder in getattr(module, "__path__", None) or ():
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            paths += [os.path.join(root, f) for f in sorted(files) if f.endswith(".py")]
    if not paths and getattr(module, "__file__", None):
        paths = [module.__file__]
    found = {}
    for path in paths:
        try:
            stat = os.stat(path)
        except OSError:
            continue
        found[path] = [stat.st_mtime_ns, stat.st_size]
    return found


def _unchanged(files: dict) -> bool:
    for path, (mtime, size) in files.items():
        try:
            stat = os.stat(path)
        except OSError:
            return False
        if stat.st_mtime_ns != mtime or stat.st_size != size:
            return False
    return bool(files)


def read(key: str) -> list[dict] | None:
    """The recorded entry points, or None when there is no index for this key or a plugin changed."""
    try:
        with open(_path(key), encoding="utf-8") as handle:
            recorded = json.load(handle)
    except (OSError, ValueError):
        return None
    entries = recorded.get("plugins") if isinstance(recorded, dict) else None
    if not isinstance(entries, list):
        return None
    for entry in entries:
        if not (isinstance(entry, dict) and isinstance(entry.get("files"), dict) and _unchanged(entry["files"])):
            return None
    return entries


def indexed_hooks() -> set[str] | None:
    """Every hook the installed plugins implement, as the index knows them; None without a valid index.

    ``check`` asks this first: when no plugin registers a rule, it needs neither pluggy nor the
    plugin host (nor the pydantic model the rules of plugins receive)."""
    entries = read(index_key())
    if entries is None:
        return None
    return {hook for entry in entries for hook in entry.get("hooks", ())}


def write(key: str, entries: list[dict]) -> None:
    """Record ``entries``; a cache folder that cannot be written only means no index."""
    from .output import write_atomic

    path = _path(key)
    try:
        if read(key) is not None:  # there and still true (one whose plugin was edited since is replaced)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps({"plugins": entries}, sort_keys=True).encode("utf-8"))
        older = sorted(path.parent.glob("index-*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for stale in older[_KEEP:]:
            stale.unlink(missing_ok=True)
    except OSError:
        pass
