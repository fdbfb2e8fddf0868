"""The change records: what a diff is made of (kinds, record types, the error of an unreadable version)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .values import _is_number, _number

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
