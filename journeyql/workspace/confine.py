"""Reads stay inside the workspace.

On a pull request from a fork the specs, ``journeyql.toml``, templates and response paths are
untrusted: a symlink or a ``../`` must not make JourneyQL read (and quote in a diagnostic, or copy
into the output) a file of the CI machine, and a device or FIFO named like a spec must not hang
it or fill its memory. Every file JourneyQL reads because the workspace names it passes here.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

#: Characters that make a file name a pattern for DuckDB and glob(): response paths are file names.
GLOB_CHARACTERS = frozenset("*?[]{}")


def is_inside(path, root) -> bool:
    """Whether ``path``, with every symlink followed, lies in ``root`` (also with links followed)."""
    real_root = os.path.realpath(root)
    try:
        return os.path.commonpath([real_root, os.path.realpath(path)]) == real_root
    except ValueError:  # another drive on Windows
        return False


def not_regular(path) -> str | None:
    """Why ``path`` is no regular file JourneyQL may open (a device, FIFO, socket), or None."""
    try:
        mode = os.stat(path).st_mode  # stat never opens: a FIFO does not block here
    except OSError:
        return None  # missing or unreadable: the read itself says so
    if stat.S_ISREG(mode):
        return None
    kind = ("a directory" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else
            "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "not a regular file")
    return f"{kind}, not a regular file"


def refusal(path, root) -> str | None:
    """Why ``path`` (named by the workspace at ``root``) is not read, or None when it may be."""
    if not is_inside(path, root):
        return "it is a symbolic link to a file outside the workspace" if os.path.islink(path) \
            else "it lies outside the workspace"
    return not_regular(path)


def data_path_problem(name: str, root: Path) -> str | None:
    """Why the response-file name ``name`` of a measurement plan is refused, or None."""
    if any(c in GLOB_CHARACTERS for c in name):
        return "it has a pattern character (* ? [ ] { }); response paths are file names, never patterns"
    if os.path.isabs(name) or name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "it is an absolute path; response paths are relative to the workspace"
    path = Path(root) / name
    if not is_inside(path, root):
        return "it leads outside the workspace"
    return not_regular(path)
