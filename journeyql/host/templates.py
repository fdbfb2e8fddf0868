"""The jinja2 environment renderers share: one per run, its compiled templates kept across runs.

Compiling a template is most of what rendering one costs, so a build makes one
environment for all its renderers (and reuses it for the next workspace with the
same template folders) instead of one per render context, and jinja2's bytecode
cache keeps the compiled templates in the user's cache folder for the next process
(never in the workspace: see :func:`bytecode_folder`). Without a writable cache folder
the templates are compiled in memory, once per process.
"""

from __future__ import annotations

import os
from pathlib import Path


# template folders -> environment; an environment checks its templates' mtimes
# (jinja2's auto_reload), so one kept across runs in a process still sees edited templates
_ENVIRONMENTS: dict[tuple, object] = {}


#: Bumped whenever what a compiled template contains changes (template_limits' guards): bytecode of
#: another version is never loaded, so no template runs without the guards.
BYTECODE_VERSION = "bounded-1"


def bytecode_folder(workspace_root: Path) -> Path | None:
    """Where compiled templates are kept, or None when it cannot be written.

    In the user's cache folder, never in the workspace (``workspace_root`` is not used for it): jinja2
    runs a compiled template as Python, so a pull request that commits one under the workspace's
    ``.journeyql-cache/`` would run code on the CI runner, past the sandbox. Templates of every
    workspace share the folder: jinja2 keys each by its template's name and path.
    """
    from .user_cache import user_cache_dir

    folder = user_cache_dir() / "templates" / BYTECODE_VERSION
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    # mkdir succeeds on an existing folder of a read-only tree: ask the file system itself
    return folder if os.access(folder, os.W_OK | os.X_OK) else None


def _bytecode_cache(folder: Path):
    from jinja2 import FileSystemBytecodeCache

    class TolerantCache(FileSystemBytecodeCache):
        """A cache that cannot be written (disk full, folder made read-only mid-run) costs a compile, never a build."""

        def dump_bytecode(self, bucket) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:
                pass

        def load_bytecode(self, bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except (OSError, EOFError, ValueError):  # a truncated or foreign file: compile again
                bucket.reset()

    return TolerantCache(str(folder), "jinja2-%s.cache")


def template_environment(search_path: list[Path], cache_folder: Path | None = None):
    """A sandboxed jinja2 environment: autoescape for HTML/XML/SVG, strict undefined, no host access,
    bounded loops and sizes (template_limits).

    Templates may come from the workspace or a third-party plugin, so they run
    in jinja2's sandbox; spec text is user input, so markup is escaped.
    ``cache_folder`` keeps compiled templates across processes (see :func:`bytecode_folder`).
    """
    from jinja2 import ChoiceLoader, StrictUndefined, select_autoescape

    from .template_limits import BoundedSandboxedEnvironment  # loops, sizes and call depth bounded
    from .template_loader import ConfinedLoader  # links out of a template folder, FIFOs: refused

    loader = ChoiceLoader([ConfinedLoader(str(p)) for p in search_path if p.is_dir()])
    return BoundedSandboxedEnvironment(
        loader=loader,
        autoescape=select_autoescape(["html", "htm", "xml", "svg", "html.j2", "svg.j2", "xml.j2"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_bytecode_cache(cache_folder) if cache_folder is not None else None,
        # templates compiled once are kept for the whole run (jinja2's default keeps 400)
        cache_size=-1,
    )


def shared_environment(search_path: list[Path], workspace_root: Path):
    """The environment of a run: one for every renderer and every workspace with the same template folders.

    Its compiled templates are kept in the cache folder of the first workspace that needed it
    (building several workspaces at once compiles each template once, not once per workspace).
    """
    folders = tuple(str(p.resolve()) for p in search_path if p.is_dir())
    env = _ENVIRONMENTS.get(folders)
    if env is None:
        env = _ENVIRONMENTS[folders] = template_environment([Path(f) for f in folders], bytecode_folder(workspace_root))
    return env
