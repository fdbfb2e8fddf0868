"""A workspace as the editor sees it: the files on disk, with each open buffer's unsaved text over its file."""

from __future__ import annotations

from pathlib import Path

from ..workspace import SPEC_SUFFIX, Source, WorkspaceSources, discover, display_path
from ..workspace.config import load_config


def workspace_with_buffers(root: Path, buffers: dict[Path, str]) -> WorkspaceSources:
    """The sources of the workspace at ``root`` (journeyql.toml honoured); ``buffers`` maps resolved paths to text."""
    found = [ws for ws in discover([root]) if ws.root == root and ws.sources]
    if found:
        sources = found[0]
    else:  # a new workspace whose only file is not saved yet
        config, problems = load_config(root)
        sources = WorkspaceSources(root, [], config, problems)
    seen = set()
    for index, source in enumerate(sources.sources):
        path = Path(source.path).resolve()
        seen.add(path)
        if path in buffers:
            sources.sources[index] = Source(source.path, buffers[path])
    for path, text in sorted(buffers.items()):
        if path not in seen and path.suffix == SPEC_SUFFIX and _inside(path, root) and _belongs(path, root):
            sources.sources.append(Source(display_path(path), text))
    sources.sources.sort(key=lambda s: s.path)
    return sources


def _inside(path: Path, root: Path) -> bool:
    return root == path.parent or root in path.parents


def _belongs(path: Path, root: Path) -> bool:
    from ..workspace import workspace_root

    return workspace_root(path) == root
