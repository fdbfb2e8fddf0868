"""Syntax tree -> model data: checks each block against the schema.

The binder turns blocks and attributes into plain dictionaries shaped like
the pydantic model, with :class:`Ref` placeholders where a name refers to
something; the resolver fills those in. A block whose structure is broken
(a missing required attribute, a bad header) is reported and left out, so
one mistake never hides the findings in the rest of the workspace.
"""

from __future__ import annotations

from ..diagnostics import (
    BAD_HEADER,
    INVALID_CHOICE,
    MISSING_ATTRIBUTE,
    REPEATED_ATTRIBUTE,
    TOUCHPOINT_OWNER,
    UNKNOWN_KEYWORD,
    WRONG_VALUE,
    Diagnostic,
    did_you_mean,
)
from .schema import EMOTION_SETS, TOP_LEVEL, VIEW_KINDS, Attr, Spec
from ..diagnostics.cap import CappedFindings
from ..diagnostics.span import Span
from .syntax import Attribute, Block, SyntaxFile, Value

_SECONDS = {"ms": 0.001, "s": 1, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400, "mo": 30 * 86400, "y": 365 * 86400}
_KIND_WORDS = {"string": "a quoted text", "number": "a number", "percent": "a percentage", "duration": "a duration",
               "money": "an amount", "range": "a range", "ref": "a name", "chain": "a chain `a -> b`",
               "comparison": "a comparison", "relative": "a comparison with the previous wave"}


class Ref:
    """A name written in a spec, waiting for the resolver."""

    __slots__ = ("parts", "value", "targets", "scope", "holder", "slot", "resolved", "context")

    def __init__(self, value: Value, targets: tuple[str, ...], scope, context: str):
        self.parts: tuple[str, ...] = value.value
        self.value = value  # its span is worked out only if a finding needs it
        self.targets = targets
        self.scope = scope  # a journey id, a Ref to the measured journey, or None
        self.holder = None
        self.slot = None
        self.resolved: str | None = None
        self.context = context  # the attribute it was written in, for messages

    @property
    def text(self) -> str:
        return ".".join(self.parts)

    @property
    def span(self) -> Span:
        return self.value.span

    def place(self, holder, slot) -> "Ref":
        self.holder, self.slot = holder, slot
        holder[slot] = self
        return self


class Symbol:
    __slots__ = ("kind", "id", "_where", "data", "journey")

    def __init__(self, kind: str, id: str, where, data: dict, journey: str | None):
        # `where` is a Span, or the syntax node whose span it is (worked out only if a finding needs it)
        self.kind, self.id, self._where, self.data, self.journey = kind, id, where, data, journey

    @property
    def span(self) -> Span:
        return self._where if isinstance(self._where, Span) else self._where.span


class _Invalid(Exception):
    """An attribute value that cannot be used; the diagnostic is already recorded."""


class Binder:
    def __init__(self):
        self.diagnostics: list[Diagnostic] = CappedFindings()  # bounded however many findings
        self.refs: list[Ref] = []
        self.symbols: list[Symbol] = []
        self.data: dict[str, list] = {field: [] for field, _ in TOP_LEVEL.values()}

    # --- entry ---------------------------------------------------------------

    def bind_file(self, syntax: SyntaxFile) -> None:
        first_symbol = len(self.symbols)
        self._bind_statements(syntax)
        # each block took its place in file order on entry; the blocks that define nothing leave it empty
        self.symbols[first_symbol:] = [s for s in self.symbols[first_symbol:] if s is not None]

    def _bind_statements(self, syntax: SyntaxFile) -> None:
        for statement in syntax.statements:
            keyword = statement.key
            if keyword not in TOP_LEVEL:
                self._unknown(statement, keyword, sorted(TOP_LEVEL), "at the top level")
                continue
            field, spec = TOP_LEVEL[keyword]
            if isinstance(statement, Attribute):
                self._error(WRONG_VALUE, f"`{keyword}` is a block: write `{keyword} name \"label\" {{ ... }}`",
                            statement.key_span)
                continue
            bound = self.bind_block(statement, spec, journey=None)
            if bound is not None:
                self.data[field].append(bound)

    # --- helpers ---------------------------------------------------------------

    def _error(self, code, message: str, span: Span, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic.of(code, message, span, hint))

    def _unknown(self, statement, keyword: str, candidates, where: str) -> None:
        hint = did_you_mean(keyword, candidates)
        if hint is None:
            hint = "allowed here: " + ", ".join(candidates) if candidates else None
        self._error(UNKNOWN_KEYWORD, f"unknown keyword `{keyword}` {where}", statement.key_span, hint)

    def _define(self, slot: int, kind: str, ident: str, where, data: dict, journey: str | None) -> None:
        self.symbols[slot] = Symbol(kind, ident, where, data, journey)

    # --- blocks ------------------------------------------------------------------

    def bind_block(self, block: Block | Attribute, spec: Spec, journey, scope=None) -> dict | None:
        data: dict = {"span": block.span}
        ok = True
        if spec.kind:
            # the symbols are listed in file order (a block before its children), which is what the
            # resolver needs to tell the first definition of a name: no sort by spans
            slot = len(self.symbols)
            self.symbols.append(None)
        if isinstance(block, Block):
            ok = self._bind_header(block, spec, data, journey)
            body = block.body
        else:
            ok = self._bind_shorthand(block, spec, data, journey)
            body = []
        if not ok:
            return None
        if spec.keyword == "journey":
            journey = data["id"]
        if spec.keyword in ("at", "in") and spec.name.startswith("ref:"):
            # an improvement's `at step` / `in stage`: what it adds lives in that step's journey,
            # known only once the resolver has found the step or stage
            journey = AddedTo(data[spec.name[4:]])
        if isinstance(journey, AddedTo) and spec.kind in ("stage", "step", "touchpoint"):
            journey.keyed.append(data)
            data["key"] = data["id"]  # completed by the resolver: `journey.id`
        elif spec.kind in ("stage", "step", "touchpoint"):
            data["key"] = f"{journey}.{data['id']}"
        if spec.keyword == "measurement":
            scope = _MeasurementScope()
        seen: dict[str, Span] = {}
        attrs, blocks = spec.attrs, spec.blocks
        once, required = _plan(spec)
        convert = self._convert
        for statement in body:
            key = statement.key
            is_attribute = isinstance(statement, Attribute)
            if is_attribute and "." in key:
                self._bind_translation(statement, spec, data)
                continue
            attr = attrs.get(key)
            if attr is not None and is_attribute:
                if key in seen and key in once:
                    self._error(REPEATED_ATTRIBUTE, f"`{key}` is given twice in `{spec.keyword}`", statement.key_span,
                                f"the first is at line {seen[key].key_span.line}; keep one")
                    continue
                seen[key] = statement
                try:
                    convert(statement, attr, data, journey, scope)
                except _Invalid:
                    pass
            elif key in blocks:
                field, child_spec = blocks[key]
                if is_attribute and child_spec.shorthand is None and not child_spec.label.startswith("field:"):
                    self._error(WRONG_VALUE, f"`{key}` is a block: write `{key} name \"label\" {{ ... }}`",
                                statement.key_span)
                    continue
                child = self.bind_block(statement, child_spec, journey, scope)
                if child is not None:
                    data.setdefault(field, []).append(child)
            elif attr is not None:
                self._error(WRONG_VALUE, f"`{key}` takes a value, not a block: write `{key} value`",
                            statement.key_span)
            else:
                self._unknown(statement, key, spec.keywords, f"in `{spec.keyword}`")
                # A misspelt block keyword (`tuochpoint`) is read as the block it surely
                # meant, so its contents still count and its names still resolve: one
                # typo gives one error, not a cascade of "not defined".
                meant = _surely_meant(key, blocks) if isinstance(statement, Block) else None
                if meant is not None:
                    field, child_spec = blocks[meant]
                    child = self.bind_block(statement, child_spec, journey, scope)
                    if child is not None:
                        data.setdefault(field, []).append(child)
        if scope is not None and spec.keyword == "measurement" and isinstance(scope, _MeasurementScope):
            scope.journey = data.get("journey")
        if "_translation_spans" in data:
            self._check_translation_counts(data)
        for key, attr in required:
            if attr.field not in data:
                ok = False  # missing, or written with a wrong value (that is reported already)
                if key not in seen:
                    self._error(MISSING_ATTRIBUTE, f"`{spec.keyword}` needs `{key}` ({attr.doc.rstrip('.').lower()})",
                                block.key_span, f"add `{key} ...` inside the block")
        extra_owners = data.pop("_extra_owners", None) if "_extra_owners" in data else None
        if extra_owners:
            if spec.kind == "touchpoint":
                self._error(TOUCHPOINT_OWNER, f"touchpoint `{data['id']}` has {len(extra_owners) + 1} owners; "
                            "a touchpoint has exactly one", extra_owners[0],
                            "keep the one responsible owner; others can own backstage actions")
            else:
                self._error(REPEATED_ATTRIBUTE, f"`{spec.keyword}` has one owner, not {len(extra_owners) + 1}",
                            extra_owners[0])
        if spec.kind and "id" in data:
            # defined even when the block is left out, so its name resolves and
            # one mistake does not cascade into "not defined" everywhere
            where = block.name if isinstance(block, Block) and block.name is not None else block.key_span
            self._define(slot, spec.kind, data["id"], where, data,
                         journey if spec.kind in ("stage", "step", "touchpoint") else None)
        if not ok:
            return None
        data.update(spec.extra)
        return data

    def _bind_header(self, block: Block, spec: Spec, data: dict, journey) -> bool:
        name, label = block.name, block.label
        mode = spec.name
        if mode == "required":
            if name is None:
                self._error(BAD_HEADER, f"`{spec.keyword}` needs a name", block.key_span,
                            f'write `{spec.keyword} some_name "Label" {{`')
                return False
            if name.kind != "ref" or len(name.value) != 1:
                self._error(BAD_HEADER, f"a {spec.keyword} name is one word, not `{name.text}`", name.span,
                            "names are letters, digits and _; dots and arrows are for references")
                return False
            data["id"] = name.value[0]
        elif mode.startswith("default:"):
            if name is not None and (name.kind != "ref" or len(name.value) != 1):
                self._error(BAD_HEADER, f"a {spec.keyword} name is one word, not `{name.text}`", name.span)
                return False
            data["id"] = name.value[0] if name is not None else mode.split(":", 1)[1]
        elif mode == "none":
            if name is not None:
                self._error(BAD_HEADER, f"`{spec.keyword}` takes no name, only a \"label\"", name.span,
                            f'write `{spec.keyword} "..." {{`')
                return False
        elif mode == "relation":
            if name is None or name.kind != "chain" or len(name.value) != 2:
                self._error(BAD_HEADER, "a relation is written `relation from -> to \"label\" { ... }`",
                            name.span if name is not None else block.key_span)
                return False
            Ref(name.value[0], ("stakeholder", "organisation"), None, "relation").place(data, "source")
            Ref(name.value[1], ("stakeholder", "organisation"), None, "relation").place(data, "target")
            self.refs.extend([data["source"], data["target"]])
        elif mode == "chain":
            if name is None or name.kind != "chain":
                self._error(BAD_HEADER, f"`{spec.keyword}` is written `{spec.keyword} cause -> effect`",
                            name.span if name is not None else block.key_span)
                return False
            self._bind_chain(name, data, spec.attrs["path"])
        elif mode.startswith("ref:"):
            if name is None or name.kind != "ref":
                self._error(BAD_HEADER, f"`{spec.keyword}` needs the name of a {mode[4:].replace('|', ' or an ')}",
                            name.span if name is not None else block.key_span)
                return False
            # `ref:persona|organisation`: the field is the first kind; the resolver accepts every kind listed
            targets = tuple(mode[4:].split("|"))
            field = targets[0]
            if block.kind is not None:  # `for organisation x`: the kind written narrows what x may name
                targets = self._view_kind(block.kind, targets)
                if targets is None:
                    return False
            self.refs.append(Ref(name, targets, None, spec.keyword).place(data, field))
        # the label
        lmode = spec.label
        if lmode == "none":
            if label is not None:
                self._error(BAD_HEADER, f"`{spec.keyword}` takes no label", block.label_span)
                return False
        elif lmode.startswith("field:"):
            if label is not None:
                data[lmode[6:]] = label
            elif spec.requires(lmode[6:]):
                self._error(BAD_HEADER, f'`{spec.keyword}` needs its text: `{spec.keyword} "..." {{`', block.key_span)
                return False
        else:
            data["label"] = label if label is not None else data.get("id", spec.keyword)
        return True

    def _kpi_subject(self, subject: Value, kpi: dict, scope, journey, key: str) -> None:
        """`slot.valence`: the touchpoint, step, stage or journey before the metric, to be resolved."""
        if len(subject.value) > 1:
            sub = Value("ref", ".".join(subject.value[:-1]), subject.value[:-1], subject.span)
            self.refs.append(Ref(sub, ("touchpoint", "step", "stage", "journey"),
                                 scope if scope is not None else journey, key).place(kpi, "subject"))

    def _view_kind(self, kind: Value, allowed: tuple[str, ...]) -> tuple[str, ...] | None:
        """The one kind a view's header names (`for organisation x`), if it is one this view may name."""
        if kind.text in allowed:
            return (kind.text,)
        spelt = " or ".join(f"`for {k} x`" for k in allowed)
        if kind.text in VIEW_KINDS:
            message = f"this view names {'an' if allowed[0][0] in 'aeiou' else 'a'} {allowed[0]}, not a {kind.text}"
        else:
            message = f"unknown view kind `{kind.text}`"
        self._error(BAD_HEADER, message, kind.span, f"write {spelt}, or `for x` alone")
        return None

    def _bind_shorthand(self, attribute: Attribute, spec: Spec, data: dict, journey) -> bool:
        """`backstage "Check the meter"`, `valence -3..3`: a block written as one attribute."""
        if spec.name.startswith("default:"):
            data["id"] = spec.name.split(":", 1)[1]
        if spec.shorthand is not None:
            attr = spec.attrs[spec.shorthand]
            if spec.keyword == "emotions":
                return self._bind_emotion_set(attribute, data)
            if spec.keyword == "question":
                # `question cause, "What caused it?"`: the name first, then the question
                values = attribute.values
                if len(values) != 2 or values[0].kind != "ref" or values[1].kind != "string":
                    self._error(WRONG_VALUE, 'a question is written `question name "The question?" { answer text }`',
                                attribute.key_span)
                    return False
                data["id"] = values[0].text
                data["question"] = values[1].value
                return True
            try:
                self._bind_attribute(attribute, attr, data, journey, None, spec)
            except _Invalid:
                return False
            return attr.field in data
        field = spec.label[6:]
        values = attribute.values
        if len(values) != 1 or values[0].kind != "string":
            self._error(WRONG_VALUE, f'`{spec.keyword}` takes one quoted text: `{spec.keyword} "..."`',
                        values[0].span if values else attribute.key_span)
            return False
        data[field] = values[0].value
        return True

    def _bind_emotion_set(self, attribute: Attribute, data: dict) -> bool:
        words = []
        for value in attribute.values:
            if value.kind != "ref" or len(value.value) != 1:
                self._error(WRONG_VALUE, "emotions are listed as names: `emotions premo` or `emotions relief, worry`",
                            value.span)
                return False
            words.append(value.text)
        if len(words) == 1 and words[0] in EMOTION_SETS:
            data["set"] = words[0]
        else:
            data["set"] = "custom"
            data["items"] = words
        return True

    def _bind_translation(self, attribute: Attribute, spec: Spec, data: dict) -> None:
        """`need.en "I want ..."`: a text of the block in another locale, stored under the model field.

        A repeatable text (needs, evidence, wait texts) is translated item by item, in the
        order the items are written; a moment of truth or a wait point translates its text only.
        """
        base, _, locale = attribute.key.partition(".")
        texts = spec.texts
        if base not in texts or "." in locale:
            allowed = ", ".join(f"{t}.LOCALE" for t in texts)
            self._error(UNKNOWN_KEYWORD, f"`{attribute.key}` is not a translatable text of `{spec.keyword}`",
                        attribute.key_span, f"translatable here: {allowed}" if allowed else None)
            return
        attr = texts[base]
        values = attribute.values
        many = attr.kind in ("texts", "wait")
        if not values or any(v.kind != "string" for v in values) or (len(values) != 1 and not many):
            wanted = "quoted texts" if many else "one quoted text"
            if attr.kind in ("moment", "wait"):
                wanted += f" (only the text: the {'polarity' if attr.kind == 'moment' else 'duration'} stays)"
            self._error(WRONG_VALUE, f"a translation takes {wanted}", attribute.key_span)
            return
        place = data.setdefault("translations", {}).setdefault(locale, {})
        if many:
            # a tuple, as the model holds it: a workspace built without validation serialises the same
            place[attr.field] = (*place.get(attr.field, ()), *(v.value for v in values))
        else:
            place[attr.field] = values[0].value
        data.setdefault("_translation_spans", []).append((locale, attr.field, base, attribute.key_span))

    def _check_translation_counts(self, data: dict) -> None:
        """More translations of a repeatable text than texts: one of them translates nothing."""
        spans = data.pop("_translation_spans", None)
        if not spans:
            return
        for locale, fld, base, span in reversed(spans):  # the last line is the one too many
            given = data["translations"][locale].get(fld)
            if not isinstance(given, tuple):
                continue
            have = len(data.get(fld) or ())
            if len(given) > have:
                self._error(WRONG_VALUE, f"{len(given)} `{base}.{locale}` translations for {have} `{base}` "
                            f"text{'s' if have != 1 else ''}", span,
                            f"translations follow the order of the `{base}` lines: one per line")
                data["translations"][locale][fld] = given[:have]  # reported once per field

    # --- attributes ----------------------------------------------------------------

    def _wrong(self, value: Value, expected: str, key: str, hint: str | None = None):
        self._error(WRONG_VALUE, f"`{key}` expects {expected}, not {_KIND_WORDS.get(value.kind, value.kind)} "
                                 f"`{_short(value.text)}`", value.span, hint)
        raise _Invalid

    def _one(self, attribute: Attribute, expected: str) -> Value:
        if len(attribute.values) != 1:
            self._error(WRONG_VALUE, f"`{attribute.key}` takes one value ({expected}), not {len(attribute.values)}",
                        attribute.values[1].span, _decimal_comma(attribute.values))
            raise _Invalid
        return attribute.values[0]

    def _bind_attribute(self, attribute: Attribute, attr: Attr, data: dict, journey, scope, spec: Spec) -> None:
        try:
            self._convert(attribute, attr, data, journey, scope)
        except _Invalid:
            pass

    def _ref(self, value: Value, attr: Attr, key: str, journey, scope) -> Ref:
        if value.kind != "ref":
            hint = None
            if value.kind == "string":
                hint = f"refer to things by their name, without quotes: `{key} {_slug(value.value)}`"
            self._wrong(value, "a name", key, hint)
        ref = Ref(value, attr.targets, scope if scope is not None else journey, key)
        self.refs.append(ref)
        return ref

    def _check_bounds(self, value: Value, number: float, attr: Attr, key: str) -> None:
        if (attr.low is not None and number < attr.low) or (attr.high is not None and number > attr.high):
            low = "" if attr.low is None else f"{attr.low:g}"
            high = "" if attr.high is None else f"{attr.high:g}"
            self._error(WRONG_VALUE, f"`{key}` must lie in {low}..{high}, not {value.text}", value.span)
            raise _Invalid

    def _convert(self, attribute: Attribute, attr: Attr, data: dict, journey, scope) -> None:
        kind = attr.kind
        values = attribute.values
        fld = attr.field
        if kind == "text" and len(values) == 1 and values[0].kind == "string":  # the commonest, at once
            data[fld] = values[0].value
            return
        key = attribute.key
        if kind == "text":
            value = self._one(attribute, "a quoted text")
            if value.kind != "string":
                self._wrong(value, "a quoted text", key, f'put it in double quotes: `{key} "{_short(value.text)}"`')
            data[fld] = value.value
        elif kind == "texts":
            for value in values:
                if value.kind != "string":
                    self._wrong(value, "quoted texts", key, f'put it in double quotes: "{_short(value.text)}"')
            data.setdefault(fld, []).extend(v.value for v in values)
        elif kind in ("word", "words"):
            words = []
            for value in values if kind == "words" else [self._one(attribute, "a word")]:
                if value.kind == "ref" and len(value.value) == 1:
                    words.append(value.text)
                elif value.kind == "string":
                    words.append(value.value)
                else:
                    self._wrong(value, "a word", key)
            if kind == "word":
                data[fld] = words[0]
            else:
                data.setdefault(fld, []).extend(words)
        elif kind == "choice":
            value = self._one(attribute, "one of " + ", ".join(attr.choices))
            word = value.text if value.kind == "ref" else (value.value if value.kind == "string" else None)
            if word not in attr.choices:
                hint = did_you_mean(str(word), attr.choices) or "one of: " + ", ".join(attr.choices)
                self._error(INVALID_CHOICE, f"`{key}` cannot be `{_short(value.text)}`", value.span, hint)
                raise _Invalid
            data[fld] = word
        elif kind == "bool":
            value = self._one(attribute, "yes or no")
            if value.kind != "ref" or value.text not in ("yes", "no", "true", "false"):
                self._wrong(value, "yes or no", key)
            data[fld] = value.text in ("yes", "true")
        elif kind in ("number", "percent"):
            value = self._one(attribute, "a number" if kind == "number" else "a percentage")
            if value.kind != kind:
                hint = f"write it as a percentage: `{key} {value.text}%`" if (kind == "percent" and value.kind == "number") else None
                self._wrong(value, "a number" if kind == "number" else "a percentage like 40%", key, hint)
            self._check_bounds(value, value.value, attr, key)
            data[fld] = value.value
        elif kind == "range":
            value = self._one(attribute, "a range")
            if value.kind != "range":
                self._wrong(value, "a range like -3..3", key)
            low, high = value.value
            if low >= high:
                from ..diagnostics import INVALID_RANGE
                self._error(INVALID_RANGE, f"the scale {value.text} must go from low to high", value.span)
                raise _Invalid
            data[fld] = {"low": low, "high": high}
        elif kind == "money":
            value = self._one(attribute, "an amount")
            if value.kind != "money":
                self._wrong(value, "an amount with its currency, like 6.50 EUR", key)
            data[fld] = {"amount": value.value[0], "currency": value.value[1]}
        elif kind == "ref":
            if key == "owner" and (fld in data or len(values) > 1):
                # several owners: remembered so the block can say "exactly one owner"
                extra = values if fld in data else values[1:]
                data.setdefault("_extra_owners", []).extend(v.span for v in extra)
                if fld not in data:
                    self._ref(values[0], attr, key, journey, scope).place(data, fld)
                return
            value = self._one(attribute, "a name")
            self._ref(value, attr, key, journey, scope).place(data, fld)
        elif kind == "refs":
            target = data.setdefault(fld, [])
            for value in values:
                ref = self._ref(value, attr, key, journey, scope)
                target.append(None)
                ref.place(target, len(target) - 1)
        elif kind == "emotion":
            first = values[0]
            if first.kind not in ("number",):
                self._wrong(first, "a score on the journey's scale, then emotion names", key,
                            f"e.g. `{key} -2, irritation`")
            names = []
            for value in values[1:]:
                if value.kind != "ref" or len(value.value) != 1:
                    self._wrong(value, "emotion names after the score", key)
                names.append(value.text)
            data[fld] = {"span": attribute.span, "score": first.value, "emotions": names}
        elif kind == "moment":
            first = values[0]
            if first.kind != "ref" or first.text not in ("positive", "negative", "critical"):
                hint = did_you_mean(first.text, ("positive", "negative", "critical")) \
                    or "one of: positive, negative, critical"
                self._error(INVALID_CHOICE, f"a moment of truth is positive, negative or critical, not `{_short(first.text)}`",
                            first.span, hint)
                raise _Invalid
            text = None
            if len(values) > 2 or (len(values) == 2 and values[1].kind != "string"):
                self._wrong(values[-1], "one quoted text after the polarity", key)
            if len(values) == 2:
                text = values[1].value
            data[fld] = {"span": attribute.span, "polarity": first.text, "text": text}
        elif kind == "wait":
            first = values[0]
            if first.kind != "duration":
                self._wrong(first, "a duration like 5d, 3h or 20min", key, f'e.g. `{key} 5d, "for the confirmation"`')
            if len(values) > 2 or (len(values) == 2 and values[1].kind != "string"):
                self._wrong(values[-1], "one quoted text after the duration", key)
            text = first.text
            unit = text.lstrip("0123456789.")
            seconds = float(text[: len(text) - len(unit)]) * _SECONDS[unit]
            data.setdefault(fld, []).append({"span": attribute.span, "duration": {"text": text, "seconds": seconds},
                                             "text": values[1].value if len(values) == 2 else None})
        elif kind == "kpi":
            for value in values:
                if value.kind == "relative":  # `slot.valence no worse than previous`
                    subject = value.value[0]
                    kpi = {"span": value.span, "metric": subject.value[-1], "op": ">=", "value": 0.0,
                           "unit": "number", "subject": None, "since": "previous"}
                    self._kpi_subject(subject, kpi, scope, journey, key)
                    data.setdefault(fld, []).append(kpi)
                    continue
                if value.kind != "comparison":
                    self._wrong(value, "a target like `nps >= 20`, `meter_form.valence >= 1` or "
                                "`meter_form.valence no worse than previous`", key)
                subject, op, limit = value.value
                if op in ("=", "!="):
                    self._error(WRONG_VALUE, f"a KPI target compares with >=, <=, > , < or ==, not `{op}`", value.span)
                    raise _Invalid
                if limit.kind not in ("number", "percent"):
                    self._wrong(limit, "a number or a percentage", key)
                kpi = {"span": value.span, "metric": subject.value[-1], "op": op, "value": limit.value,
                       "unit": "percent" if limit.kind == "percent" else "number", "subject": None}
                self._kpi_subject(subject, kpi, scope, journey, key)
                data.setdefault(fld, []).append(kpi)
        elif kind == "flows":
            flows = data.setdefault(fld, [])
            from .light_model import CHOICES

            flow_kinds = CHOICES["FlowKind"]
            for value in values:
                if value.kind == "string":
                    flows.append({"kind": "other", "text": value.value})
                elif value.kind == "ref" and value.text in flow_kinds:
                    flows.append({"kind": value.text, "text": None})
                else:
                    hint = did_you_mean(value.text, flow_kinds) or \
                        'one of: money, information, service, trust, goods, data, or a "text"'
                    self._error(INVALID_CHOICE, f"`{_short(value.text)}` is not a kind of flow", value.span, hint)
                    raise _Invalid
        elif kind == "samples":
            sample = {"span": attribute.span, "after": [], "end": False}
            for value in values:
                if value.kind == "ref" and value.text == "end":
                    sample["end"] = True
                    continue
                ref = self._ref(value, Attr("refs", "after", targets=("touchpoint",)), key, journey, scope)
                sample["after"].append(None)
                ref.place(sample["after"], len(sample["after"]) - 1)
            data.setdefault(fld, []).append(sample)
        elif kind == "chain":
            value = self._one(attribute, "a chain")
            if value.kind != "chain":
                self._wrong(value, "a chain `cause -> effect`", key)
            self._bind_chain(value, data, attr)
        else:  # pragma: no cover - a schema mistake, caught by the schema tests
            raise AssertionError(kind)

    def _bind_chain(self, value: Value, data: dict, attr: Attr) -> None:
        path: list = []
        for part in value.value:
            path.append(None)
            self.refs.append(Ref(part, ("element", "emotion", "behaviour", "impact"), None, "link")
                             .place(path, len(path) - 1))
        data[attr.field] = path


_PLANS: dict[int, tuple[Spec, frozenset, tuple]] = {}


def _plan(spec: Spec) -> tuple[frozenset, tuple]:
    """What a block's binding asks of its spec every time, worked out once per spec: the attributes
    given at most once (a touchpoint's extra owners are reported on their own) and the required ones."""
    plan = _PLANS.get(id(spec))
    if plan is None or plan[0] is not spec:  # the entry holds its spec, so no other spec can reuse the id
        once = frozenset(key for key, attr in spec.attrs.items()
                         if not attr.repeatable and not (spec.kind == "touchpoint" and key == "owner"))
        required = tuple((key, attr) for key, attr in spec.attrs.items() if attr.required)
        plan = _PLANS[id(spec)] = (spec, once, required)
    return plan[1], plan[2]


def _decimal_comma(values: list[Value]) -> str | None:
    """`22,50 EUR` reads as two values, 22 and 50 EUR: the hint to write a decimal point."""
    first, second = values[0], values[1]
    if len(values) != 2 or first.kind != "number" or not first.text.lstrip("-").isdigit() \
            or second.kind not in ("number", "money", "percent", "duration") or not second.text[:1].isdigit():
        return None
    a, b = first.span, second.span
    if a.end_line != b.line or b.column != a.end_column + 1:  # only `22,50`, with nothing around the comma
        return None
    return f"decimals are written with a point: `{first.text}.{second.text}`"


def _surely_meant(word: str, keywords) -> str | None:
    import difflib

    close = difflib.get_close_matches(word, list(keywords), n=2, cutoff=0.8)
    return close[0] if len(close) == 1 else None


class AddedTo:
    """The journey an improvement's additions (``at step``, ``in stage``) belong to: the journey of
    its ``anchor``, set by the resolver before any other name is looked up."""

    __slots__ = ("anchor", "journey", "keyed")

    def __init__(self, anchor):
        self.anchor = anchor  # the Ref of the step or stage
        self.journey: str | None = None
        self.keyed: list[dict] = []  # the added stages, steps and touchpoints, whose key waits for the journey

    def __str__(self) -> str:
        return self.journey or self.anchor.text


class _MeasurementScope:
    """Names in a measurement plan resolve in the journey it measures, known once the block is read."""

    __slots__ = ("journey",)

    def __init__(self):
        self.journey = None


def _short(text: str, limit: int = 40) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _slug(text: str) -> str:
    import re

    slug = re.sub(r"\W+", "_", text.strip().lower()).strip("_")
    return slug or "name"
