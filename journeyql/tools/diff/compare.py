"""Comparing two resolved models: the workspace, its journeys (stages, steps, touchpoints, moments,
emotions, persona views), relations and the other definitions, as change records."""

from __future__ import annotations

from .changes import DEFINITIONS, Change, FieldChange, WorkspaceDiff
from .values import _describe, _number, _value

_TEXT_FIELDS = ("label", "description", "translations")
_JOURNEY_FIELDS = (*_TEXT_FIELDS, "organisation", "personas", "goal", "scale", "volume")
_STAGE_FIELDS = _TEXT_FIELDS
_STEP_FIELDS = (*_TEXT_FIELDS, "action", "needs", "expectations", "frontstage", "backstage", "support",
                "evidence", "fail_points", "wait_points")
_TOUCHPOINT_FIELDS = (*_TEXT_FIELDS, "channel", "owner", "reach")
#: Attributes shown with an added or removed definition.
_IDENTITY = {"stakeholder": ("kind",), "channel": ("kind",), "improvement": ("horizon", "owner"),
             "measurement": ("journey",)}


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
