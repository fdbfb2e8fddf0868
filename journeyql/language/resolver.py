"""Names: duplicate definitions and references across every file of a workspace.

Top-level definitions (organisations, stakeholders, channels, personas,
journeys, measurement plans, models and their members, teasers,
improvements, initiatives) share one namespace for the whole workspace.
Stages, steps and touchpoints live in their journey's namespace and are
written ``journey.name`` from outside it; a bare name that exactly one
journey defines is accepted too, so an improvement can say
``changes meter_form``.
"""

from __future__ import annotations

from .binder import AddedTo, Ref, Symbol, _MeasurementScope
from ..diagnostics import (
    DUPLICATE_DEFINITION,
    UNDEFINED_REFERENCE,
    WRONG_REFERENCE_KIND,
    Diagnostic,
    did_you_mean,
)
from ..diagnostics.cap import CappedFindings

_ARTICLE = {"organisation": "an organisation", "element": "a service element", "emotion": "an emotion",
            "impact": "an impact", "initiative": "an initiative", "improvement": "an improvement"}


def _a(kind: str) -> str:
    return _ARTICLE.get(kind, f"a {kind}")


def _kinds(kinds) -> str:
    words = [_a(k) for k in kinds]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


class Resolver:
    def __init__(self, symbols: list[Symbol]):
        self.diagnostics: list[Diagnostic] = CappedFindings()  # bounded however many findings
        self.globals: dict[str, Symbol] = {}
        self.locals: dict[str, dict[str, Symbol]] = {}
        self.local_owners: dict[str, list[Symbol]] = {}
        # the binder lists the symbols in file order: the first definition of a name is the first listed
        ordered = symbols
        # what improvements add joins its journey's names once that journey is known (resolve_all)
        self.added: list[Symbol] = [s for s in ordered if isinstance(s.journey, AddedTo)]
        self.settled: set[int] = set()
        for symbol in ordered:
            if isinstance(symbol.journey, AddedTo):
                continue
            self._enter(symbol)

    def _enter(self, symbol: Symbol) -> None:
        table = self.globals if symbol.journey is None else self.locals.setdefault(symbol.journey, {})
        first = table.get(symbol.id)
        if first is not None:
            where = "in this workspace" if symbol.journey is None else f"in journey `{symbol.journey}`"
            self.diagnostics.append(Diagnostic.of(
                DUPLICATE_DEFINITION,
                f"`{symbol.id}` is defined twice {where}: as {_a(first.kind)} at {first.span} and again here",
                symbol.span, hint="give one of them another name",
                related=(("first defined here", first.span),)))
            return
        table[symbol.id] = symbol
        if symbol.journey is not None:
            self.local_owners.setdefault(symbol.id, []).append(symbol)

    def _settle_added(self) -> None:
        """Put the steps and touchpoints improvements add into their journey's namespace.

        Additions to a stage first: an improvement may add a touchpoint at a step another one adds.
        A name that clashes with one of the journey (as-is or added before) is a duplicate.
        """
        groups: dict[int, tuple[AddedTo, list[Symbol]]] = {}
        for symbol in self.added:
            groups.setdefault(id(symbol.journey), (symbol.journey, []))[1].append(symbol)
        order = sorted(groups.values(), key=lambda g: 0 if "stage" in g[0].anchor.targets else 1)
        for group, symbols in order:
            key = self.resolve(group.anchor)
            self.settled.add(id(group.anchor))
            group.journey = key.split(".", 1)[0] if key else None
            for data in group.keyed:
                data["key"] = f"{group.journey or group.anchor.text}.{data['id']}"
            if group.journey is None:
                continue  # the anchor is reported; what it adds stays out of every namespace
            for symbol in symbols:
                symbol.journey = group.journey
                self._enter(symbol)

    def resolve_all(self, refs: list[Ref]) -> None:
        self._settle_added()
        settled = self.settled
        for ref in refs:
            if id(ref) not in settled:  # an anchor already looked up (and reported, if unknown)
                self.resolve(ref)
        for ref in refs:
            # a measurement's scope and its journey reference point at each other; once every
            # name is resolved, let go so reference counting frees them (no cyclic GC pause)
            ref.holder = ref.scope = None

    def _scope(self, ref: Ref) -> str | None:
        scope = ref.scope
        if isinstance(scope, AddedTo):
            return scope.journey
        if isinstance(scope, _MeasurementScope):
            journey = scope.journey
            if isinstance(journey, Ref) and journey is not ref:
                return self.resolve(journey)
            return None
        return scope

    def resolve(self, ref: Ref) -> str | None:
        if ref.resolved is not None:
            return ref.resolved
        symbol = self._lookup(ref)
        if symbol is None:
            ref.holder[ref.slot] = ref.text  # keeps the model buildable; the error is reported
            return None
        if ref.targets and symbol.kind not in ref.targets:
            self.diagnostics.append(Diagnostic.of(
                WRONG_REFERENCE_KIND,
                f"`{ref.text}` is {_a(symbol.kind)}, but `{ref.context}` needs {_kinds(ref.targets)}",
                ref.span, related=(("defined here", symbol.span),)))
            ref.holder[ref.slot] = ref.text
            return None
        key = symbol.id if symbol.journey is None else f"{symbol.journey}.{symbol.id}"
        ref.resolved = key
        ref.holder[ref.slot] = key
        return key

    def _lookup(self, ref: Ref) -> Symbol | None:
        parts = ref.parts
        local_wanted = any(t in ("stage", "step", "touchpoint") for t in ref.targets)
        if len(parts) == 1:
            name = parts[0]
            scope = self._scope(ref)
            if scope is not None and local_wanted and name in self.locals.get(scope, {}):
                return self.locals[scope][name]
            if name in self.globals and (not local_wanted or self.globals[name].kind in ref.targets
                                         or name not in self.local_owners):
                return self.globals[name]
            if local_wanted:
                owners = self.local_owners.get(name, [])
                if scope is not None:
                    owners_elsewhere = owners
                    if owners_elsewhere:
                        from ..diagnostics import OUTSIDE_JOURNEY

                        self.diagnostics.append(Diagnostic.of(
                            OUTSIDE_JOURNEY, f"`{name}` is not part of journey `{scope}`", ref.span,
                            f"it belongs to journey `{owners_elsewhere[0].journey}`",
                            related=(("defined here", owners_elsewhere[0].span),)))
                        return None
                if len(owners) == 1:
                    return owners[0]
                if len(owners) > 1:
                    journeys = ", ".join(f"`{o.journey}.{name}`" for o in owners)
                    self._undefined(ref, f"`{name}` is defined in several journeys", f"write one of {journeys}")
                    return None
            candidates = list(self.globals)
            if scope is not None:
                candidates += list(self.locals.get(scope, {}))
            elif local_wanted:
                candidates += list(self.local_owners)
            hint = did_you_mean(name, candidates)
            if hint is None and ref.context == "link" and _standard_emotion(name):
                hint = (f"`{name}` is one of {_standard_emotion(name)}'s emotions, but a link names what its model "
                        f"declares: add `emotion {name}` to the model")
            self._undefined(ref, f"`{name}` is not defined", hint)
            return None
        head, rest = parts[0], parts[1:]
        journey = self.globals.get(head)
        if journey is None or journey.kind != "journey":
            self._undefined(ref, f"`{head}` in `{ref.text}` is not a journey",
                            did_you_mean(head, [s.id for s in self.globals.values() if s.kind == "journey"]))
            return None
        if len(rest) != 1:
            self._undefined(ref, f"`{ref.text}` has too many parts; write `journey.name`")
            return None
        found = self.locals.get(head, {}).get(rest[0])
        if found is None:
            self._undefined(ref, f"journey `{head}` has no stage, step or touchpoint `{rest[0]}`",
                            did_you_mean(rest[0], self.locals.get(head, {})))
        return found

    def _undefined(self, ref: Ref, message: str, hint: str | None = None) -> None:
        if ref.context == "relation":
            message = f"relation to an unknown party: {message}"
        self.diagnostics.append(Diagnostic.of(UNDEFINED_REFERENCE, message, ref.span, hint))


def _standard_emotion(name: str) -> str | None:
    """The standard set (PrEmo, PANAS) that has this emotion, if any."""
    from .schema import EMOTION_SETS

    return next(({"premo": "PrEmo", "panas": "PANAS"}.get(k, k) for k, words in EMOTION_SETS.items() if name in words),
                None)
