"""`journeyql diff`: what changed between two versions of a workspace, in the method's terms.

It compares resolved models, not text: reformatting, reordering files or moving
a definition to another file changes nothing; a touchpoint that got another
owner, a step that was added or an expected emotion that moved shows up.

Versions are paths or git revisions:

    journeyql diff OLD_PATH NEW_PATH          two directories or files
    journeyql diff REV [PATH]                 PATH (default .) at git revision REV vs the working tree
    journeyql diff REV1 REV2 [PATH]           PATH at two revisions

An argument that exists as a file or directory is a path; anything else is a git revision.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

TOP_LEVEL = ("organisations", "stakeholders", "channels", "personas", "journeys", "measurements", "models",
             "teasers", "improvements", "initiatives")


class DiffError(Exception):
    """A version that cannot be loaded: unknown revision, not a git repository, ..."""


@dataclass
class Change:
    kind: str  # added | removed | changed
    what: str  # journey, step, touchpoint, persona, ...
    key: str
    label: str
    details: list[str] = field(default_factory=list)

    def as_record(self) -> dict:
        return {"kind": self.kind, "what": self.what, "key": self.key, "label": self.label, "details": self.details}


@dataclass
class WorkspaceDiff:
    changes: list[Change] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.changes


# --- comparing --------------------------------------------------------------------------------

def _content(item) -> dict:
    from .model import _strip_spans

    return _strip_spans(item.model_dump(mode="json"))


def _label(item) -> str:
    return getattr(item, "label", None) or getattr(item, "id", "")


def _score(emotion) -> str:
    if emotion is None:
        return "none"
    names = f" ({', '.join(emotion.emotions)})" if emotion.emotions else ""
    return f"{emotion.score:g}{names}"


def _moved(name: str, old, new) -> str | None:
    if (old is None) != (new is None) or (old is not None and (old.score, old.emotions) != (new.score, new.emotions)):
        delta = ""
        if old is not None and new is not None and old.score != new.score:
            delta = f" ({new.score - old.score:+g})"
        return f"{name} {_score(old)} → {_score(new)}{delta}"
    return None


def _field_changes(old, new, fields: tuple[str, ...]) -> list[str]:
    out = []
    for name in fields:
        a, b = getattr(old, name, None), getattr(new, name, None)
        if hasattr(a, "model_dump") or hasattr(b, "model_dump"):
            a = _content(a) if a is not None else None
            b = _content(b) if b is not None else None
        if a != b:
            out.append(f"{name} {_short(a)} → {_short(b)}")
    return out


def _short(value) -> str:
    if value is None:
        return "none"
    if isinstance(value, dict) and "polarity" in value:
        return value["polarity"] + (f" ({value['text']})" if value.get("text") else "")
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "none"
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _by_key(items, key="id") -> dict:
    return {getattr(i, key): i for i in items}


def diff_workspaces(old, new) -> WorkspaceDiff:
    result = WorkspaceDiff()
    for group in TOP_LEVEL:
        what = group[:-1] if group != "personas" else "persona"
        before, after = _by_key(getattr(old, group)), _by_key(getattr(new, group))
        for key in sorted(after.keys() - before.keys()):
            result.changes.append(Change("added", what, key, _label(after[key])))
        for key in sorted(before.keys() - after.keys()):
            result.changes.append(Change("removed", what, key, _label(before[key])))
        for key in sorted(before.keys() & after.keys()):
            a, b = before[key], after[key]
            if group == "journeys":
                result.changes.extend(_journey_changes(a, b))
                continue
            if _content(a) != _content(b):
                fields = [f for f in type(a).model_fields if f not in ("span", "id")]
                result.changes.append(Change("changed", what, key, _label(b), _field_changes(a, b, tuple(fields))))
    old_relations = {(r.source, r.target, r.label): r for r in old.relations}
    new_relations = {(r.source, r.target, r.label): r for r in new.relations}
    for key in sorted(new_relations.keys() - old_relations.keys(), key=str):
        result.changes.append(Change("added", "relation", f"{key[0]} → {key[1]}", key[2] or ""))
    for key in sorted(old_relations.keys() - new_relations.keys(), key=str):
        result.changes.append(Change("removed", "relation", f"{key[0]} → {key[1]}", key[2] or ""))
    return result


def _journey_changes(old, new) -> list[Change]:
    changes = []
    own = _field_changes(old, new, ("label", "organisation", "personas", "goal", "scale", "volume"))
    if own:
        changes.append(Change("changed", "journey", new.id, _label(new), own))
    for what, getter, fields in (
        ("stage", lambda j: j.stages, ("label",)),
        ("step", lambda j: j.steps, ("label", "action", "needs", "expectations", "moment", "evidence")),
        ("touchpoint", lambda j: j.touchpoints, ("label", "channel", "owner", "moment", "reach")),
    ):
        before, after = _by_key(getter(old), "key"), _by_key(getter(new), "key")
        for key in sorted(after.keys() - before.keys()):
            extra = []
            if what == "touchpoint":
                extra = [f"channel {after[key].channel}, owner {after[key].owner or 'none'}"]
            changes.append(Change("added", what, key, _label(after[key]), extra))
        for key in sorted(before.keys() - after.keys()):
            changes.append(Change("removed", what, key, _label(before[key])))
        for key in sorted(before.keys() & after.keys()):
            a, b = before[key], after[key]
            details = _field_changes(a, b, fields)
            if what == "step":
                details += [m for m in (_moved("expected", a.expected, b.expected),
                                        _moved("target", a.target, b.target)) if m]
                views_a, views_b = _by_key(a.personas, "persona"), _by_key(b.personas, "persona")
                for persona in sorted(views_a.keys() | views_b.keys()):
                    va, vb = views_a.get(persona), views_b.get(persona)
                    if va is None or vb is None:
                        details.append(f"view of persona {persona} {'added' if va is None else 'removed'}")
                        continue
                    for m in (_moved(f"expected for {persona}", va.expected, vb.expected),
                              _moved(f"target for {persona}", va.target, vb.target)):
                        if m:
                            details.append(m)
                    if va.skips != vb.skips:
                        details.append(f"{persona} {'now skips' if vb.skips else 'no longer skips'} this step")
                for name in ("frontstage", "backstage", "support", "fail_points", "wait_points"):
                    if [_content(x) for x in getattr(a, name)] != [_content(x) for x in getattr(b, name)]:
                        details.append(f"{name.replace('_', ' ')} changed")
            if details:
                changes.append(Change("changed", what, key, _label(b), details))
    return changes


# --- output ---------------------------------------------------------------------------------------

def _md(text: str) -> str:
    out = str(text).replace("&", "&amp;")
    for ch in "\\`*_[]<>|#":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


def as_markdown(diff: WorkspaceDiff, old_name: str = "old", new_name: str = "new") -> str:
    if diff.empty:
        return f"### Journey changes ({_md(old_name)} → {_md(new_name)})\n\nNo semantic changes.\n"
    counts = {kind: sum(c.kind == kind for c in diff.changes) for kind in ("added", "removed", "changed")}
    lines = [f"### Journey changes ({_md(old_name)} → {_md(new_name)})", "",
             f"{counts['added']} added, {counts['removed']} removed, {counts['changed']} changed.", ""]
    owners = [c for c in diff.changes if c.what == "touchpoint" and any(d.startswith("owner ") for d in c.details)]
    if owners:
        lines += ["**Owners that changed**", ""]
        for c in owners:
            detail = next(d for d in c.details if d.startswith("owner "))
            lines.append(f"- `{c.key}` {_md(c.label)}: {_md(detail[6:])}")
        lines.append("")
    moved = [(c, d) for c in diff.changes if c.what == "step" for d in c.details
             if d.startswith(("expected", "target"))]
    if moved:
        lines += ["**Emotions that moved**", "", "| step | change |", "|---|---|"]
        for c, d in moved:
            lines.append(f"| `{c.key}` {_md(c.label)} | {_md(d)} |")
        lines.append("")
    symbol = {"added": "➕", "removed": "➖", "changed": "✏️"}
    lines += ["**All changes**", ""]
    for c in diff.changes:
        line = f"- {symbol[c.kind]} {c.kind} {c.what} `{c.key}`"
        if c.label:
            line += f" {_md(c.label)}"
        lines.append(line)
        for detail in c.details:
            lines.append(f"  - {_md(detail)}")
    return "\n".join(lines) + "\n"


def as_json(diff: WorkspaceDiff, old_name: str = "old", new_name: str = "new") -> str:
    document = {"version": 1, "old": old_name, "new": new_name,
                "summary": {k: sum(c.kind == k for c in diff.changes) for k in ("added", "removed", "changed")},
                "changes": [c.as_record() for c in diff.changes]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# --- versions -------------------------------------------------------------------------------------

def _git(args: list[str], cwd: Path) -> str:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        raise DiffError("git is not installed") from None
    if result.returncode != 0:
        raise DiffError(result.stderr.strip().splitlines()[-1] if result.stderr.strip() else f"git {args[0]} failed")
    return result.stdout


def materialise(revision: str, path: Path, into: Path) -> Path:
    """The specs of ``path`` as they were at git ``revision``, copied under ``into``; returns the new path."""
    base = path if path.is_dir() else path.parent
    try:
        top = Path(_git(["rev-parse", "--show-toplevel"], base).strip())
    except DiffError:
        raise DiffError(f"{path} is not inside a git repository") from None
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], top)
    except DiffError:
        raise DiffError(f"unknown git revision {revision!r}") from None
    relative = path.resolve().relative_to(top.resolve()).as_posix()
    listing = _git(["ls-tree", "-r", "--name-only", revision, "--", relative or "."], top).splitlines()
    wanted = [name for name in listing if name.endswith(".jql") or name.endswith("journeyql.toml")]
    for name in wanted:
        data = subprocess.run(["git", "show", f"{revision}:{name}"], cwd=top, capture_output=True, timeout=60).stdout
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    # journeyql.toml above the path still decides the workspace root
    for parent in Path(relative).parents:
        config = (parent / "journeyql.toml").as_posix().lstrip("./") or "journeyql.toml"
        if config not in wanted:
            shown = subprocess.run(["git", "show", f"{revision}:{config}"], cwd=top, capture_output=True, timeout=60)
            if shown.returncode == 0:
                (into / config).parent.mkdir(parents=True, exist_ok=True)
                (into / config).write_bytes(shown.stdout)
    if not wanted:
        raise DiffError(f"no specs under {relative or '.'} at revision {revision}")
    return into / relative if relative else into


def _load(path: Path):
    import journeyql

    return journeyql.load(path)


def _plan(versions: list[str]) -> tuple[str, str, Path]:
    exists = [Path(v).exists() for v in versions]
    if len(versions) == 1:
        return versions[0], "", Path(".")
    if len(versions) == 2:
        if all(exists):
            return versions[0], versions[1], Path()
        if exists[1] and not exists[0]:
            return versions[0], "", Path(versions[1])
        return versions[0], versions[1], Path(".")
    if len(versions) == 3:
        return versions[0], versions[1], Path(versions[2])
    raise DiffError("give OLD NEW, REV [PATH] or REV1 REV2 [PATH]")


def run(args) -> int:
    import journeyql

    try:
        old_name, new_name, path = _plan(args.versions)
        with tempfile.TemporaryDirectory(prefix="journeyql-diff-") as temp:
            temp_path = Path(temp)

            def version(name: str, slot: str):
                if name == "":
                    return _load(path), f"working tree ({path})" if str(path) != "." else "working tree"
                if Path(name).exists() and path == Path():
                    return _load(Path(name)), name
                return _load(materialise(name, path, temp_path / slot)), name

            old, old_label = version(old_name, "old")
            new, new_label = version(new_name, "new")
    except DiffError as error:
        print(f"journeyql: error: {error}", file=sys.stderr)
        return 2
    except journeyql.SpecError as error:
        from .report import as_concise

        errors = [d for d in error.diagnostics if d.severity.value == "error"]
        for diagnostic in errors or error.diagnostics:
            print(as_concise(diagnostic), file=sys.stderr)
        print("journeyql: error: a version has errors; fix them to compare", file=sys.stderr)
        return 1
    diff = diff_workspaces(old, new)
    output = as_json(diff, old_label, new_label) if args.format == "json" else as_markdown(diff, old_label, new_label)
    sys.stdout.write(output)
    return 0
