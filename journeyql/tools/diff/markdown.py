"""The Markdown view of a diff, for a pull-request comment; spec text is made inert."""

from __future__ import annotations

import re

from .changes import DEFINITIONS, KINDS, WHATS, WORKING_TREE, Change, FieldChange, WorkspaceDiff
from .values import _g, _is_number

_MD_SPECIAL = "\\`*_[]<>|#~"
_LONG = 160
# bidirectional controls reorder what a reviewer sees ("Trojan Source"): a comment would read
# differently from the spec it describes, so each is shown by its code point instead
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _visible(text: str) -> str:
    return _INVISIBLE.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def _md(text) -> str:
    """Spec text made inert in Markdown: no markup, no HTML, no table breaks, one line, no bidi controls."""
    out = _visible(" ".join(str(text).split()))
    if len(out) > _LONG:
        out = out[: _LONG - 1] + "…"
    out = out.replace("&", "&amp;")
    for ch in _MD_SPECIAL:
        out = out.replace(ch, "\\" + ch)
    return out


def _code(key: str) -> str:
    # keys are identifiers (letters, digits, `_`, `.`); anything else is escaped as text
    return f"`{key}`" if key and all(c.isalnum() or c in "_.-> /" for c in key) else _md(key)


#: Fields whose values are names of other definitions: shown as code.
_REFERENCES = {"stage", "step", "channel", "owner", "organisation", "journey", "operator", "personas", "channels",
               "touchpoint", "changes", "initiatives", "audience", "imitates", "at", "persona", "source", "target"}


def _show_as(name: str, value) -> str:
    if name.split(" ")[0].split(".")[-1] in _REFERENCES:
        if isinstance(value, str) and _is_name(value):
            return f"`{value}`"
        if isinstance(value, list) and value and all(isinstance(v, str) and _is_name(v) for v in value):
            return ", ".join(f"`{v}`" for v in value)
    return _show(value)


def _is_name(text: str) -> bool:
    return bool(text) and all(c.isalnum() or c in "_." for c in text)


def _literal(name: str) -> str:
    """A path or git revision, as code; the working tree as words."""
    if name == WORKING_TREE:
        return name
    return f"`{name}`" if name and "`" not in name and not _INVISIBLE.search(name) else _md(name)


def _show(value) -> str:
    """A field value in Markdown."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if _is_number(value):
        return _g(value)
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{_md(k)}: {_show(v)}" for k, v in value.items()) or "none"
    text = str(value)
    return f'"{_md(text)}"' if (not text or any(c.isspace() for c in text)) else _md(text)


def _show_change(change: FieldChange) -> str:
    old, new = change.old, change.new
    if isinstance(old, list) and isinstance(new, list):
        added = [v for v in new if v not in old]
        removed = [v for v in old if v not in new]
        show = lambda value: _show_as(change.field, value)  # noqa: E731
        if not added and not removed:
            return ("" if change.field.endswith("order") else "reordered: ") + f"{show(old)} -> {show(new)}"
        if len(added) == len(removed):  # items that were edited: pair them in order
            return "; ".join(f"{show(a)} -> {show(b)}" for a, b in zip(removed, added))
        parts = ([f"added {show(added)}"] if added else []) + ([f"removed {show(removed)}"] if removed else [])
        return "; ".join(parts)
    text = f"{_show_as(change.field, old)} -> {_show_as(change.field, new)}"
    if change.delta is not None:
        text += f" ({change.delta:+g})"
    return text


def _emotion_cell(score: FieldChange | None, names: FieldChange | None) -> str:
    """`-2 -> 0 (+2)`; with the named emotions when they changed: `none -> 1 (joy)`."""
    if score is None and names is None:
        return "unchanged"
    if names is None:
        return _show_change(score)
    def side(value, emotions):
        shown = "none" if value is None else _g(value)
        return shown + (f" ({_md(', '.join(emotions))})" if emotions else "")
    old_score = score.old if score else None
    new_score = score.new if score else None
    if score is None:  # only the names changed
        return f"{_md(', '.join(names.old)) or 'none'} -> {_md(', '.join(names.new)) or 'none'}"
    text = f"{side(old_score, names.old)} -> {side(new_score, names.new)}"
    return text + (f" ({score.delta:+g})" if score.delta is not None else "")


def _field_line(change: FieldChange) -> str:
    name = "renamed" if change.field == "label" else _md(change.field)
    return f"{name}: {_show_change(change)}"


def _item(change: Change) -> list[str]:
    if change.kind == "changed" and [f.field for f in change.fields] == ["label"]:
        return [f"- renamed {_code(change.key)}: {_show_change(change.fields[0])}"]
    head = f"- {change.kind} {_code(change.key)}"
    label = change.label
    if change.kind == "changed" and change.field("label") is not None:
        label = ""  # the rename shows both labels
    if label:
        head += f" {_md(label)}"
    fields = change.fields
    if change.kind != "changed":
        values = [f"{_md(f.field)} {_show_as(f.field, f.new if change.kind == 'added' else f.old)}" for f in fields
                  if (f.new if change.kind == "added" else f.old) is not None]
        return [head + (f" ({', '.join(values)})" if values else "")]
    if len(fields) == 1:
        return [f"{head}: {_field_line(fields[0])}"]
    return [head] + [f"  - {_field_line(f)}" for f in fields]


def _section(title: str, lines: list[str], level: int) -> list[str]:
    return [f"{'#' * level} {title}", "", *lines, ""] if lines else []


_PLURAL = {"workspace": "workspace settings", "journey": "journeys", "stage": "stages", "step": "steps",
           "touchpoint": "touchpoints", "moment": "moments of truth", "emotion": "emotion scores",
           "persona_view": "persona views", "organisation": "organisations", "stakeholder": "stakeholders",
           "relation": "relations", "channel": "channels", "persona": "personas", "measurement": "measurement plans",
           "model": "CX models", "teaser": "teasers", "improvement": "improvements", "initiative": "initiatives"}


def summary_line(diff: WorkspaceDiff) -> str:
    """One line: what changed, counted by kind of thing, e.g. `steps: 2 added; touchpoints: 1 changed.`"""
    if diff.empty:
        return "No semantic changes."
    parts = []
    for what in WHATS:
        counts = [(kind, sum(1 for c in diff.changes if c.what == what and c.kind == kind)) for kind in KINDS]
        counts = [(kind, n) for kind, n in counts if n]
        if not counts:
            continue
        verbs = ", ".join(f"{n} {'moved' if what == 'emotion' and kind == 'changed' else kind}" for kind, n in counts)
        parts.append(f"{_PLURAL[what]}: {verbs}")
    return "; ".join(parts) + "."


def as_markdown(diff: WorkspaceDiff, old_name: str | None = None, new_name: str | None = None,
                max_length: int | None = None) -> str:
    """The diff as Markdown for a pull-request comment: a summary line, then sections.

    ``max_length`` cuts the text at a line boundary to at most that many characters, with a last
    line saying how much was left out (GitHub takes comments up to 65,536 characters).
    """
    text = _markdown(diff, old_name, new_name)
    if max_length is None or len(text) <= max_length:
        return text
    lines = text.splitlines()
    kept: list[str] = []
    size = 0
    room = max(max_length - 120, 0)  # for the closing note
    for line in lines:
        if size + len(line) + 1 > room:
            break
        kept.append(line)
        size += len(line) + 1
    left = len(lines) - len(kept)
    return "\n".join(kept) + f"\n\n_{left} more lines not shown; `journeyql diff` prints them all._\n"


def _markdown(diff: WorkspaceDiff, old_name: str | None, new_name: str | None) -> str:
    old_name, new_name = old_name or diff.old, new_name or diff.new
    subject = f" in {_literal(diff.subject)}" if diff.subject and diff.subject != "." else ""
    lines = [f"## Journey changes{subject}: {_literal(old_name)} -> {_literal(new_name)}", ""]
    lines += [f"_{_md(note)}_" for note in diff.notes] + ([""] if diff.notes else [])
    lines += ["No semantic changes." if diff.empty else f"**Summary:** {summary_line(diff)}", ""]
    several = len(diff.workspaces) > 1
    for workspace in diff.workspaces:
        changes = [c for c in diff.changes if c.workspace == workspace]
        if not changes:
            continue
        level = 3
        if several or workspace != ".":
            lines += [f"### Workspace {_code(workspace)}", ""]
            level = 4
        lines += _workspace_markdown(changes, level)
    return "\n".join(lines).rstrip("\n") + "\n"


def _workspace_markdown(changes: list[Change], level: int) -> list[str]:
    lines: list[str] = []
    settings = [f"- {_field_line(f)}" for c in changes if c.what == "workspace" for f in c.fields]
    lines += _section("Workspace settings", settings, level)
    journeys = [c for c in changes if c.what == "journey"]
    lines += _section("Journeys", [f"- {c.kind} {_code(c.key)} {_md(c.label)}" + _size(c) for c in journeys], level)
    for journey in journeys:
        if journey.kind == "changed":
            lines += _journey_markdown(journey, [c for c in changes if c.journey == journey.key], level)
    for _group, what, title in DEFINITIONS:
        lines += _section(title, [line for c in changes if c.what == what for line in _item(c)], level)
    return lines


def _size(journey: Change) -> str:
    if journey.kind == "changed":
        return ""
    counts = [(f.new if journey.kind == "added" else f.old, f.field) for f in journey.fields]
    sizes = [f"{n} {name if n != 1 else name[:-1]}" for n, name in counts]
    return f" ({', '.join(sizes)})" if sizes else ""


def _journey_markdown(own: Change, changes: list[Change], level: int) -> list[str]:
    lines: list[str] = [f"{'#' * level} Journey {_code(own.key)}: {_md(own.label)}", ""]
    if own.fields:
        lines += [f"- {_field_line(f)}" for f in own.fields] + [""]
    sub = level + 1
    for what, heading in (("stage", "Stages"), ("step", "Steps"), ("touchpoint", "Touchpoints")):
        items = []
        for c in changes:
            if c.what != what:
                continue
            items += _item(c)
        lines += _section(heading, items, sub)
    owners = [c for c in changes if c.what == "touchpoint" and c.kind == "changed" and c.field("owner")]
    lines += _section("Owners", [f"- {_code(c.key)} {_md(c.label)}: {_show_change(c.field('owner'))}"
                                 for c in owners], sub)
    moments = []
    for c in changes:
        if c.what != "moment":
            continue
        if c.kind == "changed":
            moments.append(f"- changed {_code(c.key)} {_md(c.label)}: "
                           + "; ".join(_field_line(f) for f in c.fields))
        else:
            polarity, text = c.field("polarity"), c.field("text")
            value = (lambda f: f.new if c.kind == "added" else f.old)
            moments.append(f"- {c.kind} {_code(c.key)} {_md(c.label)}: {_md(value(polarity))}"
                           + (f" {_show(value(text))}" if value(text) else ""))
    lines += _section("Moments of truth", moments, sub)
    emotions = [c for c in changes if c.what == "emotion"]
    if emotions:
        rows = ["| Step | Expected | Target |", "|---|---|---|"]
        for c in emotions:
            cells = [_emotion_cell(c.field(name), c.field(f"{name} emotions")) for name in ("expected", "target")]
            step = f"{_code(c.key)} {_md(c.label)}" + {"added": " (new step)", "removed": " (step removed)"}.get(c.kind, "")
            rows.append(f"| {step} | {cells[0]} | {cells[1]} |")
        lines += _section("Emotions", rows, sub)
    views = []
    for c in changes:
        if c.what != "persona_view":
            continue
        head = f"- {c.kind} view of {_code(c.persona or '')} on {_code(c.key)} {_md(c.label)}"
        if c.kind == "changed":
            views.append(head + ": " + "; ".join(_field_line(f) for f in c.fields))
        else:
            shown = [f"{_md(f.field)} {_show_as(f.field, f.new if c.kind == 'added' else f.old)}" for f in c.fields
                     if (f.new if c.kind == "added" else f.old) not in (None, [], False)]
            views.append(head + (f" ({', '.join(shown)})" if shown else ""))
    lines += _section("Persona views", views, sub)
    return lines
