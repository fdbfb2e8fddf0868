"""Finding a workspace's spec files and reading them (never parsing them).

A directory is a workspace. A directory holding a ``journeyql.toml`` is the
root of its own workspace, so ``journeyql check specs`` checks each example
workspace under ``specs/`` on its own, with its own namespace and settings.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .settings import CONFIG_NAME, Settings, read_settings
from ..diagnostics import (
    NO_SPECS,
    OUTSIDE_WORKSPACE,
    UNREADABLE_FILE,
    Diagnostic,
)
from ..diagnostics.span import Span

SPEC_SUFFIX = ".jql"
#: Folders that never hold specs: rendered output, templates, caches, VCS data.
SKIPPED_DIRS = {"templates", "node_modules", "__pycache__", "_build", "build", "site", "out"}


class UsageError(Exception):
    """A problem with how JourneyQL was called (a missing path): exit code 2."""


@dataclass
class Source:
    path: str  # as shown in diagnostics: relative to the current directory when possible
    text: str | None
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass
class WorkspaceSources:
    root: Path
    sources: list[Source]
    #: journeyql.toml as read: a pydantic-free Settings for a plain file (what `check` reads), or a Config
    settings: object
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def config(self):
        """The settings as the pydantic :class:`~journeyql.workspace.config.Config` renderers and plugins
        receive; built on first use from a plain file's Settings."""
        return self.settings.as_config() if isinstance(self.settings, Settings) else self.settings


def display_path(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def read_source(path: Path, root: Path | None = None) -> Source:
    """A spec file's text; with ``root``, a file outside it (through a link) or no regular file is refused."""
    from .confine import not_regular, refusal

    shown = display_path(path)
    problem = refusal(path, root) if root is not None else not_regular(path)
    if problem is not None:
        return Source(shown, None, [Diagnostic.of(OUTSIDE_WORKSPACE, f"not read: {problem}", Span(shown, 1, 1, 1, 1),
                                                  "spec files are regular files inside the workspace")])
    try:
        data = path.read_bytes()
    except OSError as error:
        return Source(shown, None, [Diagnostic.of(UNREADABLE_FILE, f"cannot read the file: {error.strerror}",
                                                  Span(shown, 1, 1, 1, 1))])
    return decode_source(data, shown)


def decode_source(data: bytes, shown: str) -> Source:
    if b"\x00" in data[:8192]:
        return Source(shown, None, [Diagnostic.of(UNREADABLE_FILE, "this is a binary file, not a JourneyQL spec",
                                                  Span(shown, 1, 1, 1, 1), "spec files are UTF-8 text")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        return Source(shown, None, [Diagnostic.of(
            UNREADABLE_FILE, f"the file is not UTF-8 text (byte 0x{data[error.start]:02x})",
            Span(shown, line, column, line, column + 1), "save the file as UTF-8")])
    return Source(shown, text)


def spec_files(directory: Path) -> list[Path]:
    found = []
    for dirpath, dirnames, filenames in os.walk(directory):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIPPED_DIRS)
        for name in sorted(filenames):
            if name.endswith(SPEC_SUFFIX):
                found.append(Path(dirpath) / name)
    return found


def _root_of(path: Path) -> Path:
    """The nearest directory at or above ``path`` holding a journeyql.toml, else the path's own directory."""
    start = path if path.is_dir() else path.parent
    for candidate in (start, *start.parents):
        if (candidate / CONFIG_NAME).is_file():
            return candidate
    return start


def workspace_root(path: Path) -> Path:
    """The root of the workspace a file or directory belongs to (where its journeyql.toml is)."""
    return _root_of(path).resolve()


def discover(paths) -> list[WorkspaceSources]:
    """The workspaces the given files and directories hold, each with its sources read."""
    if not paths:
        paths = ["."]
    groups: dict[Path, list[Path]] = {}
    empty: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise UsageError(f"{raw}: no such file or directory")
        if path.is_dir():
            files = spec_files(path)
            if not files:
                empty.append(path)
            for file in files:
                groups.setdefault(_root_of(file).resolve(), []).append(file)
        else:
            groups.setdefault(_root_of(path).resolve(), []).append(path)
    result = []
    for root in sorted(groups):
        files = sorted(set(groups[root]), key=lambda p: str(p))
        config, config_diagnostics = read_settings(root)
        # every spec file, and every link among them, stays inside its workspace
        result.append(WorkspaceSources(root, [read_source(f, root) for f in files],
                                       config, config_diagnostics))
    for path in empty:
        shown = display_path(path)
        result.append(WorkspaceSources(path.resolve(), [], Settings(), [Diagnostic.of(
            NO_SPECS, f"no {SPEC_SUFFIX} spec files in `{shown}`", Span(shown, 1, 1, 1, 1),
            f"spec files end in {SPEC_SUFFIX}; `journeyql init` makes a starter workspace")]))
    return result
