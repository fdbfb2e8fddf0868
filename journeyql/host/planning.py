"""The build planner: what a build must redo, decided from its inputs.

Two levels, cheapest first:

1. **Before anything is analysed** (:class:`BuildPlan`): one key of everything a
   workspace's outputs are made from — the specs' tokens without comments, the
   configuration, the renderers chosen with their plugins' versions and options,
   every template, and the identity (path, size, mtime) of the response files the
   last build read. When it equals the key the last complete build recorded in
   ``manifest.json`` and the files listed there are intact, the build is done:
   no parsing, no response data, no renderer.
2. **After analysis** (:func:`model_keys`): a key of the model without its journeys
   and one per journey, so that a renderer whose files are made per journey
   (``RenderContext.each_journey``) redoes only the journeys whose key changed.

Spans (line, column) are not part of either key: a comment that moves lines
changes no output except those of renderers registered with ``positions=True``
(they write source positions, like ``json`` with its spans), whose keys add where
every token stands.
"""

from __future__ import annotations

# only the standard library here: the command stamp is checked before anything heavy is imported
import hashlib
import json
import os
import re
import sys
from pathlib import Path

MANIFEST = "manifest.json"  # output.MANIFEST
SPEC_SUFFIX = ".jql"  # the rules of workspace.sources (a test keeps them the same)
CONFIG_NAME = "journeyql.toml"
SKIPPED_DIRS = {"templates", "node_modules", "__pycache__", "_build", "build", "site", "out"}

# the token definitions of the language (language/scanner.py): strings are kept whole,
# comments and white space between tokens become one separator
_STRING = r'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
_GAP = re.compile(rf'({_STRING})|(?:[ \t\f\r\n\ufeff]|#[^\n]*)+')
_COMMENT = re.compile(rf'({_STRING})|#[^\n]*')
_LINE_ENDS = re.compile(r"[ \t\f\r\ufeff]+$", re.MULTILINE)


def _keep_string_or(separator: str):
    return lambda m: m.group(1) or separator


def tokens_key(text: str) -> str:
    """A hash of the tokens of ``text``: the same for two texts that differ only in comments and layout."""
    return hashlib.sha256(_GAP.sub(_keep_string_or(" "), text or "").strip().encode("utf-8")).hexdigest()


def positions_key(text: str) -> str:
    """A hash that changes when a token moves (another line or column), not when a comment's words change.

    A comment runs to the end of its line, so dropping it, white space at line ends and blank lines
    at the end moves no token (what strings hold is in :func:`tokens_key`).
    """
    bare = _LINE_ENDS.sub("", _COMMENT.sub(_keep_string_or(""), text or "")).rstrip()
    return hashlib.sha256(bare.encode("utf-8")).hexdigest()


def sources_key(sources, root: Path, *, positions: bool = False) -> str:
    """The specs of a workspace: their paths relative to the root and their tokens (and positions)."""
    return texts_key([(s.path, s.text) for s in sources], root, positions=positions)


def texts_key(texts, root: Path, *, positions: bool = False, digests: dict | None = None) -> str:
    """:func:`sources_key` of (path, text) pairs; ``digests``: where one command keeps the keys of the
    texts it has hashed already (the command stamp and the build plan read the same specs)."""
    digest = hashlib.sha256()
    for relative, text in sorted((os.path.relpath(path, root), text) for path, text in texts):
        digest.update(relative.replace(os.sep, "/").encode("utf-8") + b"\0")
        digest.update(_memo(digests, "tokens", text or "", tokens_key).encode("ascii"))
        if positions:
            digest.update(_memo(digests, "positions", text or "", positions_key).encode("ascii"))
    return digest.hexdigest()


def _memo(digests: dict | None, kind: str, text: str, make) -> str:
    if digests is None:
        return make(text)
    found = digests.get((kind, text))
    if found is None:
        found = digests[(kind, text)] = make(text)
    return found


def template_digest(templates: list[Path]) -> str:
    """One hash of every template file in ``templates`` (the same for all renderers of a run)."""
    digest = hashlib.sha256()
    for directory in dict.fromkeys(templates):  # a folder registered by several plugins counts once
        if directory.is_dir():
            for path in sorted(directory.rglob("*")):
                # byte-code caches and hidden files are not templates (and differ between machines)
                parts = path.relative_to(directory).parts
                if any(p == "__pycache__" or p.startswith(".") for p in parts) or path.suffix in (".pyc", ".pyo"):
                    continue
                if path.is_file() and _readable_template(path, directory):  # never a link out, a FIFO
                    digest.update(str(path.relative_to(directory)).encode("utf-8"))
                    digest.update(path.read_bytes())
    return digest.hexdigest()


def templates_key(template_dirs, digests: dict | None = None) -> str:
    """One key of the templates in ``template_dirs`` (a workspace's and the plugins'): each folder's
    :func:`template_digest`, so that one command hashes a folder once however many workspaces share it."""
    parts = [_plugin_templates([Path(d)], digests) for d in template_dirs]
    return hashlib.sha256("\0".join(parts).encode("ascii")).hexdigest()


def _readable_template(path: Path, directory: Path) -> bool:
    """``host.template_loader.readable_template`` without importing the workspace package: inside
    its folder with every link followed, and a regular file (a test keeps the two the same)."""
    import stat

    real = os.path.realpath(directory)
    try:
        if os.path.commonpath([real, os.path.realpath(path)]) != real:
            return False
        return stat.S_ISREG(os.stat(path).st_mode)
    except (ValueError, OSError):
        return False


def _plugin_templates(template_dirs, digests: dict | None) -> str:
    key = tuple(str(d) for d in template_dirs)
    if digests is None or key not in (digests or {}):
        digest = template_digest([Path(d) for d in template_dirs])
        if digests is None:
            return digest
        digests[key] = digest
    return digests[key]


def _read(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return "\0unreadable"


def workspace_key(root: Path, spec_texts, settings, names, responses, template_dirs, *, positions: bool,
                  digests: dict | None = None) -> str:
    """Everything a workspace's outputs are made from that can be read without loading a plugin.

    ``spec_texts``: (path, text) of its specs; ``names``: the renderers asked for (None: the
    configuration decides); ``template_dirs``: the plugins' template folders; ``digests``: where
    one command keeps the plugins' template digest, the same for all its workspaces.
    """
    from .. import __version__

    root = Path(root)
    digest = hashlib.sha256()
    for part in (__version__, json.dumps(names), json.dumps(settings, sort_keys=True, default=str),
                 _read(root / CONFIG_NAME) if (root / CONFIG_NAME).is_file() else "",
                 json.dumps([str(f) for f in responses] if responses else None),
                 texts_key(spec_texts, root, positions=positions, digests=digests),
                 _plugin_templates([root / "templates"], digests), _plugin_templates(template_dirs, digests)):
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def outputs_intact(out_dir: Path, files) -> bool:
    """Whether every file a manifest lists is there with the bytes it recorded."""
    for entry in files:
        try:
            path = entry["path"]
            if not isinstance(path, str) or path.startswith(("/", "\\")) or ".." in path.split("/"):
                return False
            if _sha256((Path(out_dir) / path).read_bytes()) != entry.get("sha256"):
                return False
        except (OSError, KeyError, TypeError):
            return False
    return True


def read_manifest(out_dir: Path) -> dict:
    try:
        data = json.loads((Path(out_dir) / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def responses_unchanged(root: Path, recorded) -> bool:
    try:
        return all(file_identity(Path(root) / path, root) == [path, size, mtime] for path, size, mtime in recorded)
    except (TypeError, ValueError):
        return False


# --- keys of the model ------------------------------------------------------------------------

def _without_spans(data):
    if isinstance(data, dict):
        return {k: _without_spans(v) for k, v in data.items() if k != "span"}
    if isinstance(data, list):
        return [_without_spans(v) for v in data]
    return data


def _key(data) -> str:
    text = json.dumps(_without_spans(data), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def model_keys(workspace) -> tuple[str, dict[str, str]]:
    """(key of the model without its journeys, {journey id: key of that journey}); spans left out.

    The first key covers everything a journey's files may also read (personas, organisations,
    measurement plans, improvements) and which journeys exist, in their order.
    """
    journeys = getattr(workspace, "journeys", None) or []
    data = model_data(workspace)
    keys = {j.id: _key(dumped) for j, dumped in zip(journeys, data.get("journeys") or [], strict=True)}
    rest = {k: v for k, v in data.items() if k != "journeys"}  # a new dict: the dump is shared
    rest["journey_ids"] = [j.id for j in journeys]
    return _key(rest), keys


_last_dump: list = [None, None]  # (workspace, its dump): the results key and the model keys of one build


def model_data(workspace) -> dict:
    """``workspace`` dumped as JSON data (without ``root`` and ``files``), once per workspace model.

    The measured results' key (:func:`structure_key`) and the keys of the renderers
    (:func:`model_keys`) are made from the same dump; the model is frozen, so it cannot go stale.
    Callers must not change what it returns.
    """
    if _last_dump[0] is not workspace:
        _last_dump[:] = [workspace, workspace.model_dump(mode="json", exclude={"root", "files"})]
    return _last_dump[1]


_TEXTS = {"span", "label", "description", "translations"}


def _without_texts(data):
    if isinstance(data, dict):
        return {k: _without_texts(v) for k, v in data.items() if k not in _TEXTS}
    if isinstance(data, list):
        return [_without_texts(v) for v in data]
    return data


def structure_key(workspace) -> str:
    """A key of the model without its spans and texts (labels, descriptions, translations).

    What the measured results are computed from: ids, scales, expectations, moments, plans,
    KPIs. A new label changes no number, so it leaves the results' cache valid.
    """
    data = _without_texts(model_data(workspace))
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def data_files(workspace, root: Path) -> list[Path]:
    """The response files the measurement plans name, relative to the workspace root, in plan order."""
    from ..workspace.confine import data_path_problem

    found: list[Path] = []
    for measurement in getattr(workspace, "measurements", None) or ():
        for name in getattr(measurement, "all_data", measurement.data):
            if data_path_problem(name, Path(root)) is not None:  # `check` reports it (JQL010); never read
                continue
            path = Path(root) / name
            if path not in found:
                found.append(path)
    return found


def file_identity(path: Path, root: Path) -> list:
    """[path, size, mtime in ns] of a file ([path, None, None] when it is missing): cheap, no read."""
    try:
        shown = os.path.relpath(path, root).replace(os.sep, "/")
    except ValueError:
        shown = str(path)
    try:
        info = os.stat(path)
    except OSError:
        return [shown, None, None]
    return [shown, info.st_size, info.st_mtime_ns]


# --- the plan of one workspace's build --------------------------------------------------------

class BuildPlan:
    """What one workspace's build is made from, and whether the last build already made it."""

    def __init__(self, root: Path, out_dir: Path, key: str, workspace_key: str, responses=None,
                 renderers=(), positions: bool = False, digests: dict | None = None):
        self.root, self.out_dir, self.key, self.workspace_key = Path(root), Path(out_dir), key, workspace_key
        self.responses = responses  # --responses as given; None: the plans' `data` files
        self.renderers = list(renderers)  # names in the order they run
        self.positions = positions
        self.previous: dict = {}
        self.digests = {} if digests is None else digests  # what this command has hashed already


    @classmethod
    def of(cls, ws_sources, renderers, settings: dict, template_dirs, out_dir: Path, *, responses=None,
           plugins=(), names=None, digests: dict | None = None):
        """The input key of ``ws_sources`` built by ``renderers``: read from files, nothing parsed.

        ``plugins``: (name, version) of every loaded plugin (a rule plugin's new version may
        find an error that stops the build); ``names``: the renderers the command asked for;
        ``digests``: the hashes this command made already (:attr:`CommandStamp.digests`).
        """
        digests = {} if digests is None else digests
        root = Path(ws_sources.root)
        positions = any(getattr(r, "positions", False) for r in renderers)
        files = [Path(f) for f in responses] if responses else None
        wkey = workspace_key(root, [(s.path, s.text) for s in ws_sources.sources], settings, names, files,
                             template_dirs, positions=positions, digests=digests)
        chosen = sorted([r.name, r.plugin, r.version] for r in renderers)
        key = _sha256(json.dumps([wkey, chosen, sorted([str(n), str(v)] for n, v in plugins)]).encode("utf-8"))
        ordered = [r.name for r in renderers if not r.collects] + sorted(r.name for r in renderers if r.collects)
        return cls(root, out_dir, key, wkey, files, ordered, positions, digests)

    def up_to_date(self) -> bool:
        """Whether the last complete build had these inputs and its files are all there, unchanged."""
        manifest = read_manifest(self.out_dir)
        inputs = manifest.get("inputs")
        if not isinstance(inputs, dict) or inputs.get("key") != self.key:
            return False
        if not responses_unchanged(self.root, inputs.get("responses") or []):
            return False
        files = manifest.get("files", [])
        # the command stamp's replay may have hashed these very files a moment ago
        if self.digests.get(("intact", str(self.out_dir.resolve()))) != files and not outputs_intact(self.out_dir, files):
            return False
        self.previous = manifest
        return True

    def outcomes(self, renderers) -> list:
        """The outcome of each of ``renderers`` for an up-to-date plan: unchanged, with the files it wrote."""
        from .rendering import RenderOutcome

        files = files_by_renderer(self.previous)
        by_name = {r.name: r for r in renderers}
        return [RenderOutcome(name, "unchanged", files.get(name, []), plugin=by_name[name].plugin,
                              version=by_name[name].version) for name in self.renderers if name in by_name]

    def recorded(self) -> bool:
        """Whether the build just run recorded these inputs (complete) with every response file found."""
        inputs = read_manifest(self.out_dir).get("inputs") or {}
        return inputs.get("key") == self.key and all(size is not None for _p, size, _m in inputs.get("responses", []))

    def missing_responses(self) -> list[str]:
        """The response files the last build looked for and did not find (still missing: the key holds)."""
        return [path for path, size, _mtime in self.previous.get("inputs", {}).get("responses", []) if size is None]

    @property
    def summary(self) -> dict:
        """What the last build recorded about the workspace (journeys, personas) for the index of workspaces."""
        return dict(self.previous.get("inputs", {}).get("summary", {}))

    def record(self, workspace, results=None) -> dict:
        """The manifest's ``inputs``: the keys, the response files as they are now, and a summary."""
        from .workspace_index import journey_summaries

        files = self.responses if self.responses is not None else data_files(workspace, self.root)
        return {"key": self.key, "workspace_key": self.workspace_key, "renderers": self.renderers,
                "responses": [file_identity(Path(f), self.root) for f in files],
                "summary": {"journeys": len(getattr(workspace, "journeys", ()) or ()),
                            "personas": len(getattr(workspace, "personas", ()) or ()),
                            # the index of workspaces shows these again when a later build has nothing to do
                            "details": journey_summaries(workspace, results)}}


def files_by_renderer(manifest: dict) -> dict[str, list[str]]:
    files: dict[str, list[str]] = {}
    for entry in manifest.get("files", []):
        files.setdefault(entry.get("renderer", ""), []).append(entry["path"])
    return {name: sorted(paths) for name, paths in files.items()}


# --- the stamp of a whole command -------------------------------------------------------------

def spec_files(directory: Path) -> list[Path]:
    """The spec files under ``directory`` as ``workspace.sources.spec_files`` finds them."""
    found = []
    for dirpath, dirnames, filenames in os.walk(directory):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIPPED_DIRS)
        for name in sorted(filenames):
            if name.endswith(SPEC_SUFFIX) or name == CONFIG_NAME:
                found.append(str(Path(dirpath) / name))
    return found


def _ancestors(path: Path) -> list[bool]:
    """Which directories at and above ``path`` hold a journeyql.toml (they decide the workspaces)."""
    start = path if path.is_dir() else path.parent
    return [(candidate / CONFIG_NAME).is_file() for candidate in (start, *start.parents)]


def _installed() -> dict[str, int | None]:
    """The mtime of every folder on sys.path: installing, upgrading or removing a plugin changes one."""
    found = {}
    for entry in sys.path:
        try:
            found[entry] = os.stat(entry or ".").st_mtime_ns
        except OSError:
            found[entry] = None
    return found


def stamp_folder() -> Path:
    """The user's cache folder for command stamps (``$XDG_CACHE_HOME/journeyql``, else ``~/.cache/journeyql``):
    a command may name a folder of workspaces, which is no workspace and gets no cache folder of its own."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "journeyql" / "builds"


class CommandStamp:
    """A whole ``build``/``render`` command that changed nothing last time, checked before any import.

    Kept in the user's cache folder (:func:`stamp_folder`) under a hash of the command (its
    working folder, paths, options and ``JOURNEYQL_*`` settings); it lists
    what the command found (spec files, journeyql.toml files, the plugins' template folders,
    the installed packages' folders) and where each workspace's output and manifest are.
    When all of it is as it was and each manifest's ``inputs`` still holds, the command only
    says so: no plugin is loaded, no spec parsed, no response read.
    """

    def __init__(self, paths, names, output, settings, responses, force: bool):
        self.paths = [str(p) for p in (paths or ["."])]
        env = {k: v for k, v in os.environ.items() if k.startswith("JOURNEYQL_")}
        self.command = {"cwd": os.getcwd(), "paths": self.paths, "names": names, "output": output,
                        "set": list(settings or []), "responses": [str(r) for r in responses] if responses else None,
                        "env": dict(sorted(env.items())), "python": sys.executable}
        self.force = force
        self.settings: dict = {}  # --set as parsed (rendering.parse_settings), set by the command
        self.workspaces: list[dict] = []
        self.indexes: list[dict] = []
        self.complete = True
        # the specs' tokens and the template folders hashed by replay(), used again by the build plans
        self.digests: dict = {}
        name = _sha256(json.dumps(self.command, sort_keys=True).encode("utf-8"))[:24]
        self.file = stamp_folder() / f"build-{name}.json"

    # --- after a build ---------------------------------------------------------------

    def add(self, root: Path, target: Path, spec_paths, template_dirs, positions: bool, complete: bool) -> None:
        """A workspace the command built; ``complete``: every renderer done, no warning."""
        self.complete = self.complete and complete
        self.workspaces.append({"root": str(Path(root).resolve()), "name": Path(root).name,
                                "target": str(Path(target).resolve()), "shown": str(target),
                                "specs": [str(Path(p).resolve()) for p in spec_paths],
                                "template_dirs": [str(Path(d).resolve()) for d in template_dirs],
                                "positions": bool(positions)})

    def add_index(self, path: Path, shown: str, count: int) -> None:
        try:
            self.indexes.append({"path": str(Path(path).resolve()), "shown": str(shown),
                                 "sha256": _sha256(Path(path).read_bytes()), "count": count})
        except OSError:
            self.complete = False

    def save(self) -> None:
        """Record the command (a build that failed or warned is not recorded: it runs again)."""
        if not self.complete or not self.workspaces:
            self.forget()
            return
        data = {"command": self.command, "installed": _installed(),
                "found": {p: spec_files(Path(p)) if Path(p).is_dir() else [str(Path(p).resolve())]
                          for p in self.paths},
                "ancestors": {p: _ancestors(Path(p).resolve()) for p in self.paths},
                "workspaces": self.workspaces, "indexes": self.indexes,
                "settings": self.settings}
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            from .output import write_atomic

            write_atomic(self.file, json.dumps(data, indent=1).encode("utf-8"))
        except OSError:
            pass  # a read-only tree: the next build checks each workspace instead

    def forget(self) -> None:
        try:
            self.file.unlink()
        except OSError:
            pass

    # --- before a build -------------------------------------------------------------

    def replay(self, say) -> bool:
        """When nothing changed since the recorded command: tell what is up to date (``say``) and return True."""
        if self.force:
            return False
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            if data.get("command") != self.command or data.get("installed") != _installed():
                return False
            for p in self.paths:
                found = spec_files(Path(p)) if Path(p).is_dir() else [str(Path(p).resolve())]
                if data["found"].get(p) != found or data["ancestors"].get(p) != _ancestors(Path(p).resolve()):
                    return False
            lines = []
            digests = self.digests  # the plugins' templates are hashed once for all the workspaces
            several = len(data["workspaces"]) > 1
            for ws in data["workspaces"]:
                root, target = Path(ws["root"]), Path(ws["target"])
                manifest = read_manifest(target)
                inputs = manifest.get("inputs") or {}
                key = workspace_key(root, [(p, _read(Path(p))) for p in ws["specs"]], data["settings"],
                                    self.command["names"], self._responses(), ws["template_dirs"],
                                    positions=ws["positions"], digests=digests)
                if (inputs.get("workspace_key") != key or not responses_unchanged(root, inputs.get("responses") or [])
                        or not outputs_intact(target, manifest.get("files", []))):
                    return False
                digests[("intact", str(target))] = manifest.get("files", [])  # the build plans need not hash them again
                where = f"{ws['name']}: " if several else ""
                files = files_by_renderer(manifest)
                for name in inputs.get("renderers", []):
                    n = len(files.get(name, []))
                    lines.append(f"{where}{name}: up to date ({n} file{'s' if n != 1 else ''})")
                lines.append(f"output in {ws['shown']}")
            for index in data["indexes"]:
                if _sha256(Path(index["path"]).read_bytes()) != index["sha256"]:
                    return False
                lines.append(f"index of {index['count']} workspaces: {index['shown']}")
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return False
        for line in lines:
            say(line)
        return True

    def _responses(self):
        return [Path(r) for r in self.command["responses"]] if self.command["responses"] else None
