"""A workspace whose response cache cannot be written (a read-only checkout in CI) still builds.

Root ignores permission bits, so the read-only directory is faked where writes start: every
``os.open`` below the workspace's ``.journeyql-cache`` fails with EROFS, as on a read-only mount.
DuckDB writes natively, past this fake, so "nothing new in the workspace cache" shows the run
really moved its cache rather than only surviving the probe.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from journeyql.cli import main

SPECS = Path(__file__).resolve().parents[1] / "specs"


def _files(directory: Path) -> dict[str, int]:
    return {p.relative_to(directory).as_posix(): p.stat().st_mtime_ns for p in directory.rglob("*") if p.is_file()}


@pytest.fixture
def built(tmp_path):
    """A workspace with response data, built once so its cache directory exists and is warm."""
    root = tmp_path / "ws"
    shutil.copytree(SPECS / "insurer-claim", root)
    assert main(["build", str(root), "--out", str(tmp_path / "first")]) == 0
    assert (root / ".journeyql-cache" / "responses").is_dir()
    return root


def _read_only(monkeypatch, *directories: Path) -> None:
    real_open = os.open

    def refusing_open(path, flags, *args, **kwargs):
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and any(
                Path(os.fsdecode(path)).resolve().is_relative_to(d.resolve()) for d in directories):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fsdecode(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing_open)


def _change_the_responses(root: Path) -> None:
    """A new row, so the cached conversion no longer matches and the run must write a new one."""
    data = next((root / "responses").glob("*.csv"))
    lines = data.read_text(encoding="utf-8").splitlines()
    data.write_text("\n".join(lines + [lines[-1].replace(lines[-1].split(",")[0], "extra-respondent", 1)]) + "\n",
                    encoding="utf-8")


def test_an_unwritable_workspace_cache_moves_to_the_user_cache(built, tmp_path, monkeypatch, capsys):
    cache = built / ".journeyql-cache"
    before = _files(cache)
    _change_the_responses(built)
    monkeypatch.setenv("JOURNEYQL_CACHE_DIR", str(tmp_path / "user-cache"))
    _read_only(monkeypatch, cache)
    capsys.readouterr()
    assert main(["build", str(built), "--out", str(tmp_path / "second")]) == 0
    said = capsys.readouterr()
    text = said.out + said.err
    assert "internal error" not in text
    assert "rows read" in text and "rendering without measured results" not in text
    assert f"the cache {cache} cannot be written (Read-only file system); using {tmp_path / 'user-cache'}" in text
    assert _files(cache) == before  # nothing written into the read-only workspace
    assert list((tmp_path / "user-cache" / "responses").glob("*/responses/*.parquet"))
    assert (tmp_path / "second" / "index.html").is_file()


def test_with_no_writable_cache_anywhere_nothing_is_cached(built, tmp_path, monkeypatch, capsys):
    cache = built / ".journeyql-cache"
    user = tmp_path / "user-cache"
    before = _files(cache)
    _change_the_responses(built)
    monkeypatch.setenv("JOURNEYQL_CACHE_DIR", str(user))
    _read_only(monkeypatch, cache, user)
    capsys.readouterr()
    assert main(["analyze", str(built)]) == 0
    said = capsys.readouterr()
    assert "nothing is cached in this run" in said.err
    assert "internal error" not in said.out + said.err
    assert _files(cache) == before
    assert not [p for p in user.rglob("*") if p.is_file()]


class _Payload:
    """Unpickling this runs code: what a crafted cache file in a pull request would do."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_kept_results_planted_in_the_workspace_are_never_unpickled(built, tmp_path, capsys):
    import pickle

    from journeyql.host.plugins import PluginHost
    from journeyql.measure import cache as kept
    from journeyql.measure.responses import data_files
    from journeyql.workspace import analyse, discover

    sources = discover([str(built)])[0]
    workspace = analyse(sources).workspace
    files = [p for p in data_files(workspace, built) if p.is_file()]
    key = kept.results_key(workspace, built, files, PluginHost().readers, sources.config.analysis)
    marker = tmp_path / "pwned"
    (built / ".journeyql-cache" / f"results-{key}.pickle").write_bytes(pickle.dumps(_Payload(str(marker))))
    assert main(["build", str(built), "--out", str(tmp_path / "second"), "--force"]) == 0
    assert not marker.exists()
    assert not kept.folder().resolve().is_relative_to(built.resolve())
