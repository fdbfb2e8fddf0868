"""The two versions a diff compares: paths or git revisions, read from git's object database
into a temporary copy, loaded and diffed workspace by workspace."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .changes import WORKING_TREE, DiffError, WorkspaceDiff
from .compare import combine, diff_workspaces


@dataclass(frozen=True)
class Version:
    """One side of a comparison: a path as it is on disk, or a path at a git revision."""

    path: Path
    revision: str | None = None
    label: str | None = None  # how the version is named in the output

    @property
    def name(self) -> str:
        return self.label or (self.revision if self.revision is not None else str(self.path))


def plan(arguments: list[str]) -> tuple[Version, Version, str]:
    """The two versions the arguments name, and the compared path as shown (see the module docs)."""
    is_path = [Path(a).exists() for a in arguments]
    if any(a.startswith("-") for a in arguments):
        raise DiffError(f"`{next(a for a in arguments if a.startswith('-'))}` is neither a path nor a git revision")
    if len(arguments) == 1:
        if is_path[0]:
            raise DiffError(f"`{arguments[0]}` is a path: compare two paths (OLD NEW) or give a git revision "
                            "(REV [PATH])")
        return Version(Path("."), arguments[0]), Version(Path("."), label=WORKING_TREE), "."
    if len(arguments) == 2:
        first, second = arguments
        if is_path[0] and is_path[1]:
            return Version(Path(first)), Version(Path(second)), ""
        if is_path[1]:
            return Version(Path(second), first), Version(Path(second), label=WORKING_TREE), second
        if is_path[0]:
            raise DiffError(f"`{second}` is no such file or directory; to compare git revisions give REV1 REV2 [PATH]")
        return Version(Path("."), first), Version(Path("."), second), "."
    if len(arguments) == 3:
        first, second, path = arguments
        return Version(Path(path), first), Version(Path(path), second), path
    raise DiffError("give OLD NEW (two paths), REV [PATH] or REV1 REV2 [PATH]")


def _git(args: list[str], cwd: Path, data: bytes | None = None) -> bytes:
    import subprocess

    try:
        result = subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True, timeout=120)
    except FileNotFoundError:
        raise DiffError("git is not installed") from None
    except subprocess.TimeoutExpired:
        raise DiffError(f"git {args[0]} took too long") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DiffError(message[-1] if message else f"git {args[0]} failed")
    return result.stdout


def _existing_dir(path: Path) -> Path:
    candidate = path.absolute()
    while not candidate.is_dir():
        candidate = candidate.parent
    return candidate


def materialise(revision: str, path: Path, into: Path) -> Path | None:
    """The specs of ``path`` as they were at git ``revision``, copied under ``into``.

    Returns where ``path`` is in the copy, or None when the revision has no specs there. Only
    git's object database is read: no checkout, nothing written in the repository.
    """
    import os

    where = _existing_dir(path)
    try:
        top = Path(_git(["rev-parse", "--show-toplevel"], where).decode("utf-8").strip())
    except DiffError:
        raise DiffError(f"`{revision}` is not an existing path, and {path} is not inside a git repository") from None
    try:
        commit = _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], top).decode().strip()
    except DiffError:
        raise DiffError(f"unknown git revision `{revision}` (and no such file or directory)") from None
    try:
        relative = Path(os.path.realpath(path.absolute())).relative_to(os.path.realpath(top)).as_posix()
    except ValueError:
        raise DiffError(f"{path} is outside the git repository at {top}") from None
    relative = "" if relative == "." else relative
    # the journeyql.toml files above the path still decide where its workspaces start
    above = [(p / "journeyql.toml").as_posix() for p in Path(relative).parents if p.as_posix() != "."]
    above.append("journeyql.toml")
    pathspecs = ([relative] if relative else []) + [a for a in above if a != f"{relative}/journeyql.toml"]
    # literal pathspecs: a folder named `specs[1]` is not a glob
    listing = _git(["--literal-pathspecs", "ls-tree", "-r", "-z", "--full-tree", commit, "--", *pathspecs], top) \
        if relative else _git(["ls-tree", "-r", "-z", "--full-tree", commit], top)
    wanted: list[tuple[str, str]] = []
    has_specs = False
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, name_bytes = entry.partition(b"\t")
        mode, kind, oid = meta.decode().split()
        name = name_bytes.decode("utf-8", "surrogateescape")
        if kind != "blob" or mode == "120000":  # symbolic links and submodules hold no specs
            continue
        inside = not relative or name == relative or name.startswith(relative + "/")
        if name.endswith(".jql") and inside:
            has_specs = True
            wanted.append((oid, name))
        elif name.rsplit("/", 1)[-1] == "journeyql.toml" and (inside or name in above):
            wanted.append((oid, name))
    if not has_specs:
        return None
    blobs = _git(["cat-file", "--batch"], top, "".join(f"{oid}\n" for oid, _ in wanted).encode())
    position = 0
    for oid, name in wanted:
        header_end = blobs.index(b"\n", position)
        header = blobs[position:header_end].decode().split()
        size = int(header[2])
        data = blobs[header_end + 1: header_end + 1 + size]
        position = header_end + 1 + size + 1
        target = into.joinpath(*name.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return into.joinpath(*relative.split("/")) if relative else into


def _relabel(diagnostics, copy: Path, revision: str) -> list:
    """Diagnostics of a materialised revision, with paths as git writes them: ``REV:path``."""
    import os
    from dataclasses import replace

    base = os.path.realpath(copy)

    def shown(path: str) -> str:
        full = os.path.realpath(path)
        if full == base or full.startswith(base + os.sep):
            return f"{revision}:{Path(os.path.relpath(full, base)).as_posix()}"
        return path

    out = []
    for d in diagnostics:
        related = tuple((m, s._replace(path=shown(s.path))) for m, s in d.related)
        out.append(replace(d, span=d.span._replace(path=shown(d.span.path)), related=related))
    return out


def _load_workspaces(path: Path) -> dict[str, object]:
    """The workspaces under ``path``, keyed by their directory relative to it; SpecError on errors."""
    import os

    from ...diagnostics import SpecError
    from ...workspace import UsageError, analyse, discover

    if not path.exists():
        return {}
    try:
        found = [ws for ws in discover([str(path)]) if ws.sources]
    except UsageError:
        return {}
    base = os.path.realpath(path if path.is_dir() else path.parent)
    result: dict[str, object] = {}
    problems = []
    for ws in found:
        analysis = analyse(ws)
        if analysis.errors or analysis.workspace is None:
            problems.extend(analysis.errors or analysis.diagnostics)
            continue
        root = os.path.realpath(ws.root)
        key = Path(os.path.relpath(root, base)).as_posix() if root.startswith(base + os.sep) else "."
        result[key] = analysis.workspace
    if problems:
        raise SpecError(problems)
    return result


def _load_side(version: Version, temp: Path) -> dict[str, object]:
    from ...diagnostics import SpecError

    if version.revision is None:
        return _load_workspaces(version.path)
    copy = temp / ("rev-" + str(len(list(temp.iterdir()))))
    copy.mkdir()
    where = materialise(version.revision, version.path, copy)
    if where is None:
        return {}
    try:
        return _load_workspaces(where)
    except SpecError as error:
        raise SpecError(_relabel(error.diagnostics, copy, version.revision)) from None


def load_version(spec: str, path: str | Path = ".") -> object:
    """The workspace ``spec`` names: a path (file or workspace directory), else ``path`` at git revision ``spec``.

    Raises :class:`journeyql.SpecError` when that version has errors and :class:`DiffError` when
    it cannot be read or holds no single workspace.
    """
    import tempfile

    version = Version(Path(spec)) if Path(spec).exists() else Version(Path(path), spec)
    with tempfile.TemporaryDirectory(prefix="journeyql-diff-") as temp:
        found = _load_side(version, Path(temp))
    if len(found) != 1:
        where = version.name if version.revision is None else f"{path} at {spec}"
        raise DiffError(f"{where} holds {'no' if not found else len(found)} workspaces; name one directory")
    return next(iter(found.values()))


def compare(old: Version, new: Version, shown: str = "") -> WorkspaceDiff:
    """Load both versions and diff every workspace they hold, paired by directory."""
    import tempfile

    from ...diagnostics import SpecError
    from ...language.model import Workspace

    sides = []
    problems = []
    with tempfile.TemporaryDirectory(prefix="journeyql-diff-") as temp:
        for label, version in (("old", old), ("new", new)):
            try:
                sides.append(_load_side(version, Path(temp)))
            except SpecError as error:
                problems.append((label, version, error))
                sides.append({})
    if problems:
        raise VersionErrors(problems)
    before, after = sides
    old_name, new_name = old.name, new.name
    if not before and not after:
        raise DiffError(f"no specs in {shown or old.path} in either version")
    notes = []
    if not before:
        notes.append(f"{old_name} has no specs here: everything is new")
    if not after:
        notes.append(f"{new_name} has no specs here: everything was removed")
    diffs = []
    for key in sorted(before.keys() | after.keys()):
        a, b = before.get(key), after.get(key)
        # a workspace that is new (or gone) has no settings of its own to compare
        a = a if a is not None else Workspace(locale=b.locale)
        b = b if b is not None else Workspace(locale=a.locale)
        diffs.append(diff_workspaces(a, b, workspace=key))
    return combine(diffs, old_name, new_name, notes, shown)


class VersionErrors(Exception):
    """One or both versions have spec errors: [(old|new, Version, SpecError)]."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(f"the {label} version ({v.name}) has errors" for label, v, _ in problems))
