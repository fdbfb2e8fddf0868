"""A build of one output directory is atomic as a whole, and one build runs at a time.

Each renderer's files were already staged and moved into place one by one, but a build killed
between two renderers (or two files) left old and new files mixed under an old manifest, and two
builds of one directory at once ended mixed, both exiting 0. Now:

- a build takes a lock beside the output directory (``.NAME.journeyql-lock``); a second build of
  the same directory waits for it (``JOURNEYQL_BUILD_WAIT`` seconds, default 600), saying so, and
  then fails clearly instead of mixing;
- the build writes into a copy of the output directory (``.NAME.journeyql-new``, its files hard
  links to the old ones, so copying costs no data and a replaced file never changes the old one)
  and, when it has finished, swaps the copy in: the old directory is renamed aside
  (``.NAME.journeyql-old``), the new one into its place, and the old one removed;
- a build that stops at any point leaves the old directory as it was, or the new one complete; the
  one moment with neither (between the two renames) is recovered by the next build, which renames
  the old directory back before it starts. Stale copies of killed builds are removed.

An output directory that is a symbolic link is staged beside the directory it points to, so the
link stays a link.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

#: Seconds a build waits for another build of the same output directory.
WAIT_VARIABLE = "JOURNEYQL_BUILD_WAIT"
_DEFAULT_WAIT = 600.0


class BuildLocked(Exception):
    """Another build of the same output directory is running and did not finish in time."""


def _beside(target: Path, what: str) -> Path:
    return target.parent / f".{target.name}.journeyql-{what}"


def _wait_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get(WAIT_VARIABLE, _DEFAULT_WAIT)))
    except ValueError:
        return _DEFAULT_WAIT


@contextlib.contextmanager
def build_lock(target: Path, say=None) -> Iterator[None]:
    """Hold the lock of ``target``'s builds; wait for another holder, then fail clearly."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory locks here; builds still stage and swap
        yield
        return
    lock_path = _beside(target, "lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+", encoding="utf-8") as handle:
        deadline = time.monotonic() + _wait_seconds()
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                if time.monotonic() >= deadline:
                    raise BuildLocked(f"another build of {target} is running ({holder}); it did not finish "
                                      f"within {WAIT_VARIABLE}={_wait_seconds():g} seconds") from None
                if not told and say is not None:
                    say(f"waiting for another build of {target} ({holder}) to finish")
                    told = True
                time.sleep(0.1)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}\n")
            handle.flush()
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def recover(target: Path) -> None:
    """Undo what a killed build left beside ``target`` (call with the lock held)."""
    old, new = _beside(target, "old"), _beside(target, "new")
    if old.exists() and not os.path.lexists(target):
        os.rename(old, target)  # killed between the two renames of a swap: the old state is complete
    for leftover in (old, new):
        if os.path.lexists(leftover):
            shutil.rmtree(leftover, ignore_errors=True)


def _copy_tree(source: Path, destination: Path) -> None:
    """``source`` as hard links (a plain copy where links are not possible); links copied as links."""
    def link_or_copy(src: str, dst: str) -> None:
        try:
            os.link(src, dst, follow_symlinks=False)
        except OSError:
            shutil.copy2(src, dst, follow_symlinks=False)

    shutil.copytree(source, destination, symlinks=True, copy_function=link_or_copy)


@contextlib.contextmanager
def staged_output(target: Path, say=None) -> Iterator[Path]:
    """A directory to build ``target`` in; swapped into place when the block ends without an exception."""
    target = Path(target)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    with build_lock(target, say):
        recover(target)
        new = _beside(target, "new")
        if target.is_dir():
            _copy_tree(target, new)
        else:
            new.mkdir(parents=True)
        try:
            yield new
        except BaseException:
            shutil.rmtree(new, ignore_errors=True)
            raise
        old = _beside(target, "old")
        if target.is_dir():
            os.rename(target, old)
        os.rename(new, target)
        shutil.rmtree(old, ignore_errors=True)
