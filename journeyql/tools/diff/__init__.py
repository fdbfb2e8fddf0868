"""`journeyql diff`: what changed between two versions of a workspace, in the method's terms.

It compares resolved models, not text: reformatting, comments, splitting specs over other files
or moving a definition to another file change nothing. A step that was added or renamed, a
touchpoint that got another owner, a moment of truth that appeared, an expected emotion that
moved shows up.

Versions are paths or git revisions::

    journeyql diff OLD NEW                two files or directories
    journeyql diff REV [PATH]             PATH (default .) at git revision REV vs the working tree
    journeyql diff REV1 REV2 [PATH]       PATH at two git revisions

How an argument is read:

1. In the one- and two-argument forms, an argument that names an existing file or directory is a
   path; anything else must be a git revision (``git rev-parse --verify REV^{commit}`` in the
   repository holding PATH). A file that happens to be named like a branch wins; write
   ``main~0`` or ``refs/heads/main`` to mean the revision.
2. In the three-argument form the first two are always revisions and the third the path.
3. A revision is read straight from git's object database (``git ls-tree`` + ``git cat-file``):
   the ``.jql`` files and ``journeyql.toml`` files of PATH (and the ``journeyql.toml`` files above
   it) are copied to a temporary directory. Nothing is checked out and nothing is written in the
   repository. The working tree side includes files git does not track yet.

A path may hold several workspaces (``specs/``): they are paired by their directory. A workspace
that exists in one version only shows up as everything added (or removed).

Exit codes: 0 when both versions load (with or without changes), 1 when a version has spec
errors (printed in the concise format), 2 for a usage problem (not a git repository, unknown
revision, no specs in either version).

The JSON document (``--format json``), version 1::

    {"version": 1, "old": "HEAD~1", "new": "working tree",
     "summary": {"added": 3, "removed": 1, "changed": 5},
     "workspaces": ["."],
     "changes": [{"kind": "changed", "what": "touchpoint", "key": "moving.meter_form",
                  "label": "Meter form", "journey": "moving", "persona": null, "workspace": ".",
                  "fields": [{"field": "owner", "old": "web", "new": "service", "delta": null}]}]}

``kind`` is ``added``, ``removed`` or ``changed``; ``what`` one of :data:`WHATS`; ``key`` the id of
a definition or the ``journey.name`` key of a stage, step or touchpoint (for ``moment``,
``emotion`` and ``persona_view`` records: the step or touchpoint they belong to; ``relation``
records use ``source -> target``); ``journey`` the journey a record belongs to (null for other
definitions); ``persona`` the persona of a ``persona_view``; ``workspace`` the workspace's
directory relative to the compared path. ``fields`` lists what changed, ``old`` and ``new`` as
JSON values (``null`` when absent; nested objects as one-line text); ``delta`` is ``new - old``
when both are numbers. Translations are fields of their own (``label.nl``), and so are the
members of a model or plan (``impacts.call_cost.amount``, ``instruments.nps.question``). For an added or removed record, ``fields`` hold its identifying
attributes (a touchpoint's channel and owner, a step's stage, a journey's size). Records are in
a fixed order: workspace, then journeys (each in journey order: the journey, stages, steps,
touchpoints, moments, emotions, persona views), then the other definitions by kind (added, removed,
changed, each by id).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: Every value of ``Change.what``, in the order the records are listed.
WHATS = ("workspace", "journey", "stage", "step", "touchpoint", "moment", "emotion", "persona_view",
         "organisation", "stakeholder", "relation", "channel", "persona", "measurement", "model",
         "teaser", "improvement", "initiative")

#: Top-level groups of the model other than journeys: (attribute, what, section title).
DEFINITIONS = (
    ("organisations", "organisation", "Organisations"),
    ("stakeholders", "stakeholder", "Stakeholders"),
    ("relations", "relation", "Stakeholder relations"),
    ("channels", "channel", "Channels"),
    ("personas", "persona", "Personas"),
    ("measurements", "measurement", "Measurement plans"),
    ("models", "model", "Customer experience models"),
    ("teasers", "teaser", "Teasers"),
    ("improvements", "improvement", "Improvements"),
    ("initiatives", "initiative", "Initiatives"),
)

KINDS = ("added", "removed", "changed")
WORKING_TREE = "working tree"

_TEXT_FIELDS = ("label", "description", "translations")
_JOURNEY_FIELDS = (*_TEXT_FIELDS, "organisation", "personas", "goal", "scale", "volume")
_STAGE_FIELDS = _TEXT_FIELDS
_STEP_FIELDS = (*_TEXT_FIELDS, "action", "needs", "expectations", "frontstage", "backstage", "support",
                "evidence", "fail_points", "wait_points")
_TOUCHPOINT_FIELDS = (*_TEXT_FIELDS, "channel", "owner", "reach")
#: Attributes shown with an added or removed definition.
_IDENTITY = {"stakeholder": ("kind",), "channel": ("kind",), "improvement": ("horizon", "owner"),
             "measurement": ("journey",)}


class DiffError(Exception):
    """A version that cannot be read: not a git repository, unknown revision, no specs, ..."""


@dataclass(frozen=True)
class FieldChange:
    """One attribute that differs; ``old``/``new`` are JSON values, None when absent."""

    field: str
    old: object = None
    new: object = None

    @property
    def delta(self) -> float | None:
        """``new - old`` when both are numbers."""
        if _is_number(self.old) and _is_number(self.new):
            return self.new - self.old  # type: ignore[operator]
        return None

    def as_record(self) -> dict:
        delta = self.delta
        return {"field": self.field, "old": self.old, "new": self.new,
                "delta": _number(delta) if delta is not None else None}


@dataclass(frozen=True)
class Change:
    """Something added, removed or changed; see the module documentation for the fields."""

    kind: str
    what: str
    key: str
    label: str = ""
    journey: str | None = None
    persona: str | None = None
    fields: tuple[FieldChange, ...] = ()
    workspace: str = "."

    def field(self, name: str) -> FieldChange | None:
        return next((f for f in self.fields if f.field == name), None)

    def as_record(self) -> dict:
        return {"kind": self.kind, "what": self.what, "key": self.key, "label": self.label,
                "journey": self.journey, "persona": self.persona, "workspace": self.workspace,
                "fields": [f.as_record() for f in self.fields]}


@dataclass(frozen=True)
class WorkspaceDiff:
    """The changes between two versions of one or more workspaces."""

    changes: tuple[Change, ...] = ()
    old: str = "old"
    new: str = "new"
    workspaces: tuple[str, ...] = (".",)
    notes: tuple[str, ...] = field(default=())
    subject: str = ""  # the compared path, for the title

    @property
    def empty(self) -> bool:
        return not self.changes

    def summary(self) -> dict[str, int]:
        return {kind: sum(c.kind == kind for c in self.changes) for kind in KINDS}

    def as_record(self) -> dict:
        return {"version": 1, "old": self.old, "new": self.new, "summary": self.summary(),
                "workspaces": list(self.workspaces), "changes": [c.as_record() for c in self.changes]}


# --- values -----------------------------------------------------------------------------------

def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number(value: float):
    """Numbers as written: 3 rather than 3.0."""
    return int(value) if float(value).is_integer() else value


def _g(value: float) -> str:
    return f"{value:g}"


def _describe(obj) -> str:
    """A nested model object as one line of text, complete enough that two differ when the objects do."""
    text = _describe_own(obj)
    translations = getattr(obj, "translations", None)
    if translations and type(obj).__name__ in _DESCRIBED:
        text += " [" + "; ".join(f"{key}.{locale} {translations[locale][key]}"
                                 for locale in sorted(translations) for key in sorted(translations[locale])) + "]"
    return text


_DESCRIBED = {"Action", "FailPoint", "WaitPoint", "KPI", "Sample", "CausalLink", "Flow", "MomentOfTruth", "Emotion",
              "Scale", "Money", "Duration"}


def _describe_own(obj) -> str:
    name = type(obj).__name__
    if name == "Action":
        extra = ([f"owner {obj.owner}"] if obj.owner else []) + ([f"systems {', '.join(obj.systems)}"] if obj.systems else [])
        return obj.text + (f" [{'; '.join(extra)}]" if extra else "")
    if name == "FailPoint":
        return obj.text + (f" [at {obj.touchpoint}]" if obj.touchpoint else "")
    if name == "WaitPoint":
        return obj.duration.text + (f": {obj.text}" if obj.text else "")
    if name == "KPI":
        subject = f"{obj.subject}." if obj.subject else ""
        return f"{subject}{obj.metric} {obj.op} {_g(obj.value)}{'%' if obj.unit == 'percent' else ''}"
    if name == "Sample":
        parts = ([f"after {', '.join(obj.after)}"] if obj.after else []) + (["end"] if obj.end else [])
        return " and ".join(parts) or "never"
    if name == "CausalLink":
        extra = ([f"rate {_g(obj.rate)}%"] if obj.rate is not None else []) + \
                ([f"strength {_g(obj.strength)}"] if obj.strength is not None else []) + \
                ([f"note {obj.note}"] if obj.note else [])
        return " -> ".join(obj.path) + (f" ({'; '.join(extra)})" if extra else "")
    if name == "Flow":
        return obj.kind + (f": {obj.text}" if obj.text else "")
    if name == "MomentOfTruth":
        return obj.polarity + (f": {obj.text}" if obj.text else "")
    if name == "Emotion":
        return _g(obj.score) + (f" ({', '.join(obj.emotions)})" if obj.emotions else "")
    if name == "Scale":
        return f"{_g(obj.low)}..{_g(obj.high)}"
    if name == "Money":
        return f"{_g(obj.amount)} {obj.currency}"
    if name == "Duration":
        return obj.text
    return _describe_generic(obj)


def _describe_generic(obj) -> str:
    head = getattr(obj, "id", None) or getattr(obj, "kind", None) or type(obj).__name__.lower()
    parts = []
    for name, info in type(obj).model_fields.items():
        if name in ("span", "id") or (name == "kind" and head == obj.kind):
            continue
        value = getattr(obj, name)
        if value in (None, (), {}) or value == info.default:
            continue
        if name == "translations":
            for locale in sorted(value):
                for key in sorted(value[locale]):
                    parts.append(f"{key}.{locale} {value[locale][key]}")
            continue
        parts.append(f"{name} {_text(_value(value))}")
    return head + (f" ({'; '.join(parts)})" if parts else "")


def _value(value):
    """A model value as JSON data: nested objects become one line of text each."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if _is_number(value):
        return _number(value)
    if isinstance(value, (tuple, list)):
        return [_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _value(v) for k, v in sorted(value.items())}
    if hasattr(type(value), "model_fields"):
        return _describe(value)
    return str(value)


def _text(value) -> str:
    """A JSON value as plain text (inside descriptions)."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if _is_number(value):
        return _g(value)
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value) or "none"
    return str(value)


# --- comparing --------------------------------------------------------------------------------

def _field_changes(old, new, fields, prefix: str = "") -> list[FieldChange]:
    out: list[FieldChange] = []
    for name in fields:
        if name == "translations":
            out.extend(_translation_changes(old.translations, new.translations, prefix))
            continue
        raw_a, raw_b = getattr(old, name, None), getattr(new, name, None)
        if _named_members(raw_a) and _named_members(raw_b):
            out.extend(_member_changes(raw_a, raw_b, f"{prefix}{name}"))
            continue
        a, b = _value(raw_a), _value(raw_b)
        if a != b:
            out.append(FieldChange(prefix + name, a, b))
    return out


def _named_members(value) -> bool:
    """A tuple of objects with ids (a model's elements, a plan's instruments): compared by id."""
    return isinstance(value, tuple) and all("id" in getattr(type(v), "model_fields", {}) for v in value)


def _member_changes(old, new, name: str) -> list[FieldChange]:
    """``elements.wait_time.at: a -> a, b``; a member added or removed as one line of text."""
    before, after = {m.id: m for m in old}, {m.id: m for m in new}
    out: list[FieldChange] = []
    for key in _in_order(before, after):
        a, b = before.get(key), after.get(key)
        if a is None or b is None:
            out.append(FieldChange(f"{name}.{key}", _describe(a) if a else None, _describe(b) if b else None))
            continue
        fields = [f for f in type(b).model_fields if f not in ("span", "id")]
        out.extend(_field_changes(a, b, fields, f"{name}.{key}."))
    if [k for k in before if k in after] != [k for k in after if k in before]:
        out.append(FieldChange(f"{name} order", [k for k in before if k in after], [k for k in after if k in before]))
    return out


def _translation_changes(old: dict, new: dict, prefix: str = "") -> list[FieldChange]:
    flat_old = {(locale, key): text for locale, texts in old.items() for key, text in texts.items()}
    flat_new = {(locale, key): text for locale, texts in new.items() for key, text in texts.items()}
    return [FieldChange(f"{prefix}{key}.{locale}", flat_old.get((locale, key)), flat_new.get((locale, key)))
            for locale, key in sorted(flat_old.keys() | flat_new.keys())
            if flat_old.get((locale, key)) != flat_new.get((locale, key))]


def _identity(obj, names) -> tuple[FieldChange, ...]:
    return tuple(FieldChange(n, None, _value(getattr(obj, n))) for n in names if getattr(obj, n, None) is not None)


def _gone(fields: tuple[FieldChange, ...]) -> tuple[FieldChange, ...]:
    return tuple(FieldChange(f.field, f.new, None) for f in fields)


def _in_order(old_items: dict, new_items: dict) -> list[str]:
    """Keys in the new version's order, then those only in the old version, in its order."""
    return [*new_items, *(k for k in old_items if k not in new_items)]


def _order_change(name: str, old_keys, new_keys) -> list[FieldChange]:
    common = set(old_keys) & set(new_keys)
    before, after = [k for k in old_keys if k in common], [k for k in new_keys if k in common]
    return [FieldChange(name, before, after)] if before != after else []


def diff_workspaces(old, new, *, old_name: str = "old", new_name: str = "new", workspace: str = ".") -> WorkspaceDiff:
    """The semantic changes from ``old`` to ``new`` (two :class:`journeyql.language.model.Workspace`)."""
    return WorkspaceDiff(tuple(_changes(old, new, workspace)), old_name, new_name, (workspace,))


def combine(diffs, old_name: str = "old", new_name: str = "new", notes=(), subject: str = "") -> WorkspaceDiff:
    """One diff of several workspaces' diffs (in the given order)."""
    return WorkspaceDiff(tuple(c for d in diffs for c in d.changes), old_name, new_name,
                         tuple(w for d in diffs for w in d.workspaces) or (".",), tuple(notes), subject)


def _changes(old, new, workspace: str) -> list[Change]:
    changes: list[Change] = []
    if old.locale != new.locale:
        changes.append(Change("changed", "workspace", ".", "", fields=(FieldChange("locale", old.locale, new.locale),)))
    before, after = {j.id: j for j in old.journeys}, {j.id: j for j in new.journeys}
    for key in sorted(before.keys() | after.keys()):
        a, b = before.get(key), after.get(key)
        if a is None or b is None:
            journey = b or a
            size = (FieldChange("stages", None, len(journey.stages)), FieldChange("steps", None, len(journey.steps)),
                    FieldChange("touchpoints", None, len(journey.touchpoints)))
            changes.append(Change("added" if a is None else "removed", "journey", key, journey.label, key,
                                  fields=size if a is None else _gone(size)))
        else:
            changes.extend(_journey_changes(a, b))
    for group, what, _title in DEFINITIONS:
        if group == "relations":
            changes.extend(_relation_changes(old.relations, new.relations))
            continue
        before, after = {i.id: i for i in getattr(old, group)}, {i.id: i for i in getattr(new, group)}
        names = _IDENTITY.get(what, ())
        for key in sorted(after.keys() - before.keys()):
            changes.append(Change("added", what, key, after[key].label, fields=_identity(after[key], names)))
        for key in sorted(before.keys() - after.keys()):
            changes.append(Change("removed", what, key, before[key].label,
                                  fields=_gone(_identity(before[key], names))))
        for key in sorted(before.keys() & after.keys()):
            fields = [n for n in type(after[key]).model_fields if n not in ("span", "id")]
            found = _field_changes(before[key], after[key], fields)
            if found:
                changes.append(Change("changed", what, key, after[key].label, fields=tuple(found)))
    return [_in_workspace(c, workspace) for c in changes]


def _in_workspace(change: Change, workspace: str) -> Change:
    if workspace == ".":
        return change
    from dataclasses import replace

    return replace(change, workspace=workspace)


def _translatable(obj) -> tuple[str, ...]:
    return ("translations",) if "translations" in type(obj).model_fields else ()


def _relation_changes(old, new) -> list[Change]:
    """Relations have no name: they are paired by source and target, then by label."""
    pairs: dict[tuple[str, str], tuple[list, list]] = {}
    for side, relations in ((0, old), (1, new)):
        for relation in relations:
            pairs.setdefault((relation.source, relation.target), ([], []))[side].append(relation)
    changes = []
    for (source, target), (before, after) in sorted(pairs.items()):
        key = f"{source} -> {target}"
        before, after = list(before), list(after)
        for relation in list(after):  # the same label on both sides: the same relation
            match = next((r for r in before if r.label == relation.label), None)
            if match is not None:
                before.remove(match)
                after.remove(relation)
                found = _field_changes(match, relation, ("flows", *_translatable(relation)))
                if found:
                    changes.append(Change("changed", "relation", key, relation.label or "", fields=tuple(found)))
        if len(before) == 1 and len(after) == 1:  # relabelled
            found = _field_changes(before[0], after[0], ("label", "flows", *_translatable(after[0])))
            changes.append(Change("changed", "relation", key, after[0].label or "", fields=tuple(found)))
            continue
        for relation in after:
            changes.append(Change("added", "relation", key, relation.label or "",
                                  fields=(FieldChange("flows", None, _value(relation.flows)),)))
        for relation in before:
            changes.append(Change("removed", "relation", key, relation.label or "",
                                  fields=(FieldChange("flows", _value(relation.flows), None),)))
    return changes


def _journey_changes(old, new) -> list[Change]:
    jid = new.id
    changes: list[Change] = []
    own = _field_changes(old, new, _JOURNEY_FIELDS)
    own += _order_change("stage order", [s.key for s in old.stages], [s.key for s in new.stages])
    own += _order_change("step order", [s.key for s in old.steps], [s.key for s in new.steps])

    stages_a, stages_b = {s.key: s for s in old.stages}, {s.key: s for s in new.stages}
    for key in _in_order(stages_a, stages_b):
        a, b = stages_a.get(key), stages_b.get(key)
        if a is None or b is None:
            changes.append(Change("added" if a is None else "removed", "stage", key, (b or a).label, jid))
            continue
        found = _field_changes(a, b, _STAGE_FIELDS)
        if found:
            changes.append(Change("changed", "stage", key, b.label, jid, fields=tuple(found)))

    stage_of_a = {step.key: stage.key for stage in old.stages for step in stage.steps}
    stage_of_b = {step.key: stage.key for stage in new.stages for step in stage.steps}
    steps_a, steps_b = {s.key: s for s in old.steps}, {s.key: s for s in new.steps}
    step_order = _in_order(steps_a, steps_b)
    for key in step_order:
        a, b = steps_a.get(key), steps_b.get(key)
        if a is None or b is None:
            stage = FieldChange("stage", None, stage_of_b[key]) if a is None else FieldChange("stage", stage_of_a[key], None)
            changes.append(Change("added" if a is None else "removed", "step", key, (b or a).label, jid,
                                  fields=(stage,)))
            continue
        found = _field_changes(a, b, _STEP_FIELDS)
        if stage_of_a[key] != stage_of_b[key]:
            found.append(FieldChange("stage", stage_of_a[key], stage_of_b[key]))
        if found:
            changes.append(Change("changed", "step", key, b.label, jid, fields=tuple(found)))

    step_of_a = {tp.key: step.key for step in old.steps for tp in step.touchpoints}
    step_of_b = {tp.key: step.key for step in new.steps for tp in step.touchpoints}
    tps_a, tps_b = {t.key: t for t in old.touchpoints}, {t.key: t for t in new.touchpoints}
    tp_order = _in_order(tps_a, tps_b)
    for key in tp_order:
        a, b = tps_a.get(key), tps_b.get(key)
        if a is None or b is None:
            item = b or a
            fields = (FieldChange("step", None, step_of_b.get(key) or step_of_a.get(key)),
                      *_identity(item, ("channel", "owner")))
            changes.append(Change("added" if a is None else "removed", "touchpoint", key, item.label, jid,
                                  fields=fields if a is None else _gone(fields)))
            continue
        found = _field_changes(a, b, _TOUCHPOINT_FIELDS)
        if step_of_a[key] != step_of_b[key]:
            found.append(FieldChange("step", step_of_a[key], step_of_b[key]))
        if found:
            changes.append(Change("changed", "touchpoint", key, b.label, jid, fields=tuple(found)))

    # moments of truth: on steps and on touchpoints; kept even when their step or touchpoint went
    for key, items_a, items_b in [(k, steps_a, steps_b) for k in step_order] + [(k, tps_a, tps_b) for k in tp_order]:
        a, b = items_a.get(key), items_b.get(key)
        ma, mb = (a.moment if a else None), (b.moment if b else None)
        if ma == mb or (ma is not None and mb is not None and (ma.polarity, ma.text) == (mb.polarity, mb.text)):
            continue
        label = (b or a).label
        if ma is None or mb is None:
            moment = mb or ma
            fields = (FieldChange("polarity", None, moment.polarity), FieldChange("text", None, moment.text))
            changes.append(Change("added" if ma is None else "removed", "moment", key, label, jid,
                                  fields=fields if ma is None else _gone(fields)))
        else:
            changes.append(Change("changed", "moment", key, label, jid,
                                  fields=tuple(_field_changes(ma, mb, ("polarity", "text")))))

    # the emotional journey: expected and target per step, then per persona
    for key in step_order:
        a, b = steps_a.get(key), steps_b.get(key)
        found = _emotion_changes(a.expected if a else None, b.expected if b else None, "expected") + \
            _emotion_changes(a.target if a else None, b.target if b else None, "target")
        if found:
            kind = "added" if a is None else "removed" if b is None else "changed"
            changes.append(Change(kind, "emotion", key, (b or a).label, jid, fields=tuple(found)))
    for key in step_order:
        a, b = steps_a.get(key), steps_b.get(key)
        views_a = {v.persona: v for v in (a.personas if a else ())}
        views_b = {v.persona: v for v in (b.personas if b else ())}
        for persona in _in_order(views_a, views_b):
            va, vb = views_a.get(persona), views_b.get(persona)
            empty = _EMPTY_VIEW
            found = _emotion_changes((va or empty).expected, (vb or empty).expected, "expected") + \
                _emotion_changes((va or empty).target, (vb or empty).target, "target")
            if (va or empty).skips != (vb or empty).skips:
                found.append(FieldChange("skips", (va or empty).skips if va else None, (vb or empty).skips if vb else None))
            if (va or empty).note != (vb or empty).note:
                found.append(FieldChange("note", (va or empty).note, (vb or empty).note))
            found += _translation_changes(getattr(va, "translations", None) or {},
                                          getattr(vb, "translations", None) or {})
            if found or (va is None) != (vb is None):
                kind = "added" if va is None else "removed" if vb is None else "changed"
                changes.append(Change(kind, "persona_view", key, (b or a).label, jid, persona, tuple(found)))
    if own or changes:  # a journey changed when anything in it did; its own record lists its own fields
        changes.insert(0, Change("changed", "journey", jid, new.label, jid, fields=tuple(own)))
    return changes


class _NoView:
    expected = target = note = None
    skips = False


_EMPTY_VIEW = _NoView()


def _emotion_changes(old, new, name: str) -> list[FieldChange]:
    found = []
    a, b = (old.score if old else None), (new.score if new else None)
    if a != b:
        found.append(FieldChange(name, _number(a) if a is not None else None, _number(b) if b is not None else None))
    names_a, names_b = (list(old.emotions) if old else []), (list(new.emotions) if new else [])
    if names_a != names_b:
        found.append(FieldChange(f"{name} emotions", names_a, names_b))
    return found


# --- Markdown ---------------------------------------------------------------------------------

_MD_SPECIAL = "\\`*_[]<>|#~"
_LONG = 160


def _md(text) -> str:
    """Spec text made inert in Markdown: no markup, no HTML, no table breaks, one line."""
    out = " ".join(str(text).split())
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
    return f"`{name}`" if name and "`" not in name and "\n" not in name else _md(name)


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


def as_json(diff: WorkspaceDiff, old_name: str | None = None, new_name: str | None = None) -> str:
    """The diff as a JSON document (keys documented in this module's docstring)."""
    import json

    record = diff.as_record()
    record["old"], record["new"] = old_name or diff.old, new_name or diff.new
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"


# --- versions ---------------------------------------------------------------------------------

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


# --- command line -----------------------------------------------------------------------------

DESCRIPTION = ("Compare two versions of a workspace: OLD NEW (two paths), REV [PATH] (PATH, default ., at a git "
               "revision against the working tree) or REV1 REV2 [PATH]. An argument that names an existing file "
               "or directory is a path, anything else a git revision; in the three-argument form the first two "
               "are always revisions. Exit 0 when both versions load, with or without changes; 1 when a version "
               "has spec errors; 2 for usage problems.")


def add_arguments(parser) -> None:
    """Set up ``parser`` (an argparse parser) for ``journeyql diff``."""
    if not parser.description:
        parser.description = DESCRIPTION
    parser.add_argument("versions", nargs="+", metavar="VERSION",
                        help="OLD NEW (paths), or REV [PATH], or REV1 REV2 [PATH] (git revisions)")
    parser.add_argument("--format", choices=("markdown", "json"), default="markdown",
                        help="markdown (for a pull-request comment, the default) or json")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the diff to FILE instead of standard output")
    parser.add_argument("--max-length", type=int, metavar="CHARS",
                        help="cut the Markdown to at most CHARS characters (GitHub comments take 65536)")


def run(args) -> int:
    """``journeyql diff``: print the diff; 0 when both versions load, 1 on spec errors, 2 on usage errors."""
    import sys

    try:
        old, new, shown = plan(list(args.versions))
        diff = compare(old, new, shown)
    except DiffError as error:
        print(f"journeyql: error: {error}", file=sys.stderr)
        return 2
    except VersionErrors as failure:
        from ...diagnostics.views import as_concise

        for label, version, error in failure.problems:
            for diagnostic in error.diagnostics:
                print(as_concise(diagnostic), file=sys.stderr)
            print(f"journeyql: error: the {label} version ({version.name}) has errors; fix them to compare",
                  file=sys.stderr)
        return 1
    if getattr(args, "format", "markdown") == "json":
        text = as_json(diff)
    else:
        text = as_markdown(diff, max_length=getattr(args, "max_length", None))
    output = getattr(args, "output", None)
    if output:
        from ...host.output import write_atomic

        try:
            write_atomic(output, text.encode("utf-8"))
        except OSError as error:
            print(f"journeyql: error: cannot write {output}: {error.strerror or error}", file=sys.stderr)
            return 2
    else:
        sys.stdout.write(text)
    return 0
