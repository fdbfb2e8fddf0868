"""Writing files so that nothing is ever left half-written.

Every write goes to a temporary file in the target's directory and is then
renamed over the target (atomic on POSIX and Windows), so an interrupted
``fmt`` or render leaves either the old file or the new one, never a mix.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


_UMASK: int | None = None


def _default_mode() -> int:
    """What a plain open() would give a new file (mkstemp makes it 0600)."""
    global _UMASK
    if _UMASK is None:
        _UMASK = os.umask(0o022)
        os.umask(_UMASK)
    return 0o666 & ~_UMASK


def write_atomic(path, data: bytes) -> None:
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = _default_mode()
    else:
        # replacing is allowed where writing is not: refuse a file its owner made read-only, as
        # open() would (even for root, who may write anything: `fmt` must not rewrite a locked file)
        if target.is_file() and not mode & 0o222:
            import errno

            raise PermissionError(errno.EACCES, "the file is read-only", str(target))
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise


# --- the output sink -----------------------------------------------------------------

import hashlib  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402

MANIFEST = "manifest.json"
STAGING = ".journeyql-staging"
# controls (C0, DEL, C1 with NEL), what Windows cannot store, line and paragraph separators, and the
# bidirectional controls that make a name read differently from what it is ("report\u202efdp.exe")
_BAD_PART = re.compile('[\x00-\x1f\x7f-\x9f<>:"|?*\\\\\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]')
# names Windows gives to devices, with any extension: `nul.html` cannot be created there
_DEVICE = re.compile(r"con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3]", re.I)
_RESERVED = {MANIFEST, STAGING}


class OutputError(Exception):
    """A write that is not allowed (outside the output directory) or failed."""


def safe_relative_path(name: str) -> str:
    """``name`` as a clean relative path inside the output directory, or OutputError.

    Whatever a spec or a plugin names, nothing is written outside the output
    directory: absolute paths, drive letters, ``..``, control characters,
    characters and device names Windows cannot store, line separators and
    bidirectional controls are refused, not silently rewritten.
    """
    if not isinstance(name, str) or not name or len(name) > 1000:
        raise OutputError(f"invalid output path {name!r}")
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        raise OutputError(f"output path {name!r} is absolute; renderers write relative paths")
    parts = name.split("/")
    for part in parts:
        if part in ("", ".", ".."):
            raise OutputError(f"output path {name!r} leaves or skips a directory ({part!r})")
        if _BAD_PART.search(part) or part.endswith((" ", ".")) or len(part) > 255:
            raise OutputError(f"output path {name!r} has a character or name files cannot have")
        stem = part.split(".", 1)[0].rstrip(" ")
        if _DEVICE.fullmatch(stem):
            raise OutputError(f"output path {name!r} uses {stem!r}, a device name on Windows")
    if parts[0] in _RESERVED:
        raise OutputError(f"output path {name!r} is reserved for JourneyQL")
    return "/".join(parts)


def _folded(path: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFC", path).casefold()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class OutputSink:
    """All renderers write through one sink: confined, atomic, deterministic, recorded.

    Each renderer's files are staged first and moved into place only when the
    renderer finished without error (``commit``); a renderer that fails leaves
    nothing behind (``discard``) and the files of its previous run untouched.
    ``manifest.json`` lists every file with its content hash, the renderer that
    wrote it, and the fingerprint of the inputs it was made from.
    """

    def __init__(self, root):
        self.root = Path(root)
        self.previous = self._read_manifest()
        self.entries: dict[str, dict] = {}
        self.fingerprints: dict[str, str] = {}
        # per renderer, what its fingerprint is made of when its files are made per journey:
        # {"shared": key without the journeys, "journeys": {journey: key}} (see RenderContext.each_journey)
        self.records: dict[str, dict] = {}
        self._staged: dict[str, bytes] = {}
        self._journeys: dict[str, str] = {}  # staged path -> the journey it was written for
        self._kept: set[str] = set()
        self._renderer: str | None = None
        self._ran: set[str] = set()  # renderers begun in this run
        self._previous_paths: dict | None = None  # the previous manifest's files by path, made on first use

    def _read_manifest(self) -> dict:
        try:
            data = json.loads((self.root / MANIFEST).read_text(encoding="utf-8"))
            if isinstance(data, dict) and isinstance(data.get("files"), list):
                return data
        except (OSError, ValueError):
            pass
        return {"files": [], "renderers": {}}

    # --- per renderer ---------------------------------------------------------------

    def begin(self, renderer: str) -> None:
        self._renderer = renderer
        self._staged = {}
        self._journeys = {}
        self._kept = set()
        self._ran.add(renderer)

    def write(self, name: str, data: bytes, journey: str | None = None) -> str:
        if self._renderer is None:
            raise OutputError("nothing is being rendered")
        path = safe_relative_path(name)
        if path in self._staged:
            raise OutputError(f"{path} is written twice by {self._renderer}")
        owner = self.entries.get(path)
        if owner is not None and owner["renderer"] != self._renderer:
            raise OutputError(f"{path} is already written by renderer {owner['renderer']}")
        self._staged[path] = bytes(data)
        if journey is not None:
            self._journeys[path] = journey
        return path

    def keep_journey(self, journey: str) -> list[str]:
        """Carry over the files the current renderer wrote for ``journey`` last time (it is up to date)."""
        kept = []
        for old in self.previous.get("files", []):
            if old.get("renderer") == self._renderer and old.get("journey") == journey:
                self.entries[old["path"]] = old
                self._kept.add(old["path"])
                kept.append(old["path"])
        return kept

    def previous_bytes(self, renderer: str, name: str) -> bytes | None:
        """The bytes ``renderer`` wrote at ``name`` in the last build, if the file is still there as recorded."""
        if self._previous_paths is None:
            self._previous_paths = {old.get("path"): old for old in self.previous.get("files", [])
                                    if isinstance(old, dict)}
        try:
            path = safe_relative_path(name)
        except OutputError:
            return None
        old = self._previous_paths.get(path)
        if old is None or old.get("renderer") != renderer:
            return None
        try:
            data = (self.root / path).read_bytes()
        except OSError:
            return None
        return data if sha256(data) == old.get("sha256") else None

    def intact(self, renderer: str) -> bool:
        """Whether every file ``renderer`` wrote last time is still there, unchanged."""
        for old in self.previous.get("files", []):
            if old.get("renderer") != renderer:
                continue
            try:
                data = (self.root / safe_relative_path(old["path"])).read_bytes()
            except (OSError, OutputError, KeyError, TypeError):
                return False
            if sha256(data) != old.get("sha256"):
                return False
        return True

    def commit(self, fingerprint: str | None = None) -> list[str]:
        """Move the staged files into place; remove files this renderer made last time but not now."""
        renderer = self._renderer
        self._refuse_case_twins()
        root_real = os.path.realpath(self.root)
        self.root.mkdir(parents=True, exist_ok=True)
        for path, data in sorted(self._staged.items()):
            target = self.root / path
            # a symlink in the output tree must not lead a write outside it: checked before any directory
            # is made, so none is ever created through such a link either
            if os.path.commonpath([root_real, os.path.realpath(target.parent)]) != root_real:
                raise OutputError(f"{path} would be written outside the output directory (through a link)")
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.is_symlink():
                target.unlink()
            # a file already there with these bytes is left alone (its mtime too): a partial
            # rebuild rewrites the pages that list every journey, most of them unchanged
            if not holds(target, data):
                write_atomic(target, data)
            entry = {"path": path, "sha256": sha256(data), "bytes": len(data), "renderer": renderer}
            if path in self._journeys:
                entry["journey"] = self._journeys[path]
            self.entries[path] = entry
        produced = set(self._staged) | self._kept
        for old in self.previous.get("files", []):
            if old.get("renderer") == renderer and old.get("path") not in produced:
                try:
                    stale = self.root / safe_relative_path(old["path"])
                    if os.path.commonpath([root_real, os.path.realpath(stale)]) == root_real:
                        stale.unlink()
                except (OutputError, OSError, KeyError, TypeError):
                    pass
        if fingerprint is not None:
            self.fingerprints[renderer] = fingerprint
        written = sorted(produced)
        self._staged = {}
        self._journeys = {}
        self._kept = set()
        self._renderer = None
        return written

    def _refuse_case_twins(self) -> None:
        """Two names that differ only in case (or Unicode form) are one file on macOS and Windows."""
        seen = {_folded(path): (path, entry.get("renderer")) for path, entry in self.entries.items()}
        for path in sorted(self._staged):
            other, by = seen.setdefault(_folded(path), (path, self._renderer))
            if other != path:
                raise OutputError(f"{path} and {other} (renderer {by}) differ only in case or Unicode form: "
                                  "one file on macOS and Windows")

    def discard(self) -> None:
        for path in self._kept:  # the kept files are the previous run's, which stays as it was
            self.entries.pop(path, None)
        self._staged = {}
        self._journeys = {}
        self._kept = set()
        self._renderer = None

    def keep(self, renderer: str) -> list[str]:
        """An up-to-date renderer: carry its files over from the previous manifest."""
        kept = []
        for old in self.previous.get("files", []):
            if old.get("renderer") == renderer:
                self.entries[old["path"]] = old
                kept.append(old["path"])
        record = self.previous_record(renderer)
        if record.get("fingerprint"):
            self.fingerprints[renderer] = record["fingerprint"]
        if "shared" in record and "journeys" in record:
            self.records[renderer] = {"shared": record["shared"], "journeys": record["journeys"]}
        return kept

    def up_to_date(self, renderer: str, fingerprint: str) -> bool:
        """Whether the last run of ``renderer`` had the same inputs and its files are unchanged."""
        record = self.previous.get("renderers", {}).get(renderer)
        if not record or record.get("fingerprint") != fingerprint:
            return False
        return self.intact(renderer)

    def previous_record(self, renderer: str) -> dict:
        record = self.previous.get("renderers", {}).get(renderer)
        return record if isinstance(record, dict) else {}

    def write_manifest(self, keep_renderers=(), inputs: dict | None = None) -> None:
        """Write manifest.json: the files of this run, and of renderers that failed (``keep_renderers``) or
        did not run (``render --to json`` into a built directory), whose files are still there as they were.

        ``inputs`` is what the build planner needs to skip the next build when nothing changed.
        """
        previous = {old.get("renderer") for old in self.previous.get("files", [])} | set(self.previous.get("renderers", {}))
        keep_renderers = set(keep_renderers) | (previous - self._ran)
        entries = dict(self.entries)
        renderers = {name: {"fingerprint": fp, **self.records.get(name, {})} for name, fp in self.fingerprints.items()}
        for old in self.previous.get("files", []):
            if old.get("renderer") in keep_renderers and old.get("path") not in entries:
                entries[old["path"]] = old
        for name, record in self.previous.get("renderers", {}).items():
            if name in keep_renderers and name not in renderers:
                renderers[name] = record
        manifest = {"version": 1, "generator": "journeyql",
                    "renderers": dict(sorted(renderers.items())),
                    "files": [entries[p] for p in sorted(entries)]}
        if inputs is not None:
            manifest["inputs"] = inputs
        self.root.mkdir(parents=True, exist_ok=True)
        write_atomic(self.root / MANIFEST, (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def holds(target: Path, data: bytes) -> bool:
    """Whether the regular file ``target`` already holds exactly ``data``."""
    try:
        if target.is_symlink() or target.stat().st_size != len(data):
            return False
        return target.read_bytes() == data
    except OSError:
        return False
