"""The one record every finding becomes, and the table of stable codes.

Every output format of ``journeyql check`` (human, concise, json, github,
sarif) is a view of a list of :class:`Diagnostic`. Codes and names are
stable: editors, CI filters and suppression comments depend on them, so a
code is never reused for another meaning. ``docs/diagnostics.md`` documents
this table and a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum

from .span import Span


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    severity: Severity
    summary: str


_CODES: dict[str, Code] = {}


def _code(code: str, name: str, severity: Severity, summary: str) -> Code:
    entry = Code(code, name, severity, summary)
    assert code not in _CODES and all(c.name != name for c in _CODES.values()), code
    _CODES[code] = entry
    return entry


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

# Input and syntax: the text could not be read as JourneyQL.
SYNTAX_ERROR = _code("JQL001", "syntax-error", E, "The text does not follow the JourneyQL syntax.")
UNTERMINATED_TEXT = _code("JQL002", "unterminated-text", E, "A quoted text is missing its closing quote.")
UNCLOSED_BLOCK = _code("JQL003", "unclosed-block", E, "A block opened with `{` is never closed.")
UNREADABLE_FILE = _code("JQL004", "unreadable-file", E, "A spec file is not UTF-8 text or cannot be read.")
NESTING_TOO_DEEP = _code("JQL005", "nesting-too-deep", E, "Blocks are nested deeper than any JourneyQL construct allows.")
NO_SPECS = _code("JQL006", "no-specs", E, "A path holds no `.jql` spec files.")
CONFIG_ERROR = _code("JQL007", "config-error", E, "The workspace configuration file `journeyql.toml` is invalid.")
SUPPRESSION_ERROR = _code("JQL008", "bad-suppression", W, "A `# jql-ignore:` comment names no known code.")
PLUGIN_FAILED = _code("JQL009", "plugin-failed", E, "A plugin failed to load or one of its hooks raised; the other plugins still ran.")
OUTSIDE_WORKSPACE = _code("JQL010", "outside-workspace", E, "A file the workspace names or links to lies outside it, or is no regular file (a device, a FIFO); it is not read.")
EMPTY_FILE = _code("JQL011", "empty-file", W, "A spec file holds no statements: it is empty or only comments.")

# Structure: the syntax is fine but a construct is not what the language expects.
UNKNOWN_KEYWORD = _code("JQL101", "unknown-keyword", E, "A keyword that the enclosing construct does not have.")
WRONG_VALUE = _code("JQL102", "wrong-value", E, "A value of the wrong kind (text where a number is expected, ...).")
MISSING_ATTRIBUTE = _code("JQL103", "missing-attribute", E, "A required attribute is missing.")
REPEATED_ATTRIBUTE = _code("JQL104", "repeated-attribute", E, "An attribute that takes one value is given twice.")
BAD_HEADER = _code("JQL105", "bad-header", E, "A block's name or label is missing or not allowed.")
INVALID_CHOICE = _code("JQL106", "invalid-choice", E, "A value outside the allowed set (an unknown channel kind, ...).")

# Names: references and definitions.
UNDEFINED_REFERENCE = _code("JQL201", "undefined-reference", E, "A name that nothing in the workspace defines.")
DUPLICATE_DEFINITION = _code("JQL202", "duplicate-definition", E, "The same identifier is defined twice.")
WRONG_REFERENCE_KIND = _code("JQL203", "wrong-reference-kind", E, "A name that refers to the wrong kind of thing (a persona where a channel is expected).")

# Method rules: the spec is well-formed but the CX method says something is off.
TOUCHPOINT_OWNER = _code("JQL301", "touchpoint-owner", E, "A touchpoint must have exactly one owner, an internal stakeholder.")
SCORE_OUT_OF_SCALE = _code("JQL302", "score-out-of-scale", E, "An emotion score or target lies outside its declared scale.")
UNUSED_PERSONA = _code("JQL303", "unused-persona", W, "A persona that no journey is for.")
UNUSED_CHANNEL = _code("JQL304", "unused-channel", W, "A channel that no touchpoint uses.")
UNMEASURED_MOMENT = _code("JQL305", "unmeasured-moment-of-truth", W, "A moment of truth that no measurement plan samples.")
IMPROVEMENT_CHANGES_NOTHING = _code("JQL306", "improvement-changes-nothing", E, "An improvement that names nothing it changes.")
CX_MODEL_CYCLE = _code("JQL307", "cx-model-cycle", E, "The causal chain of a customer experience model loops back on itself.")
CX_LINK_DIRECTION = _code("JQL308", "cx-link-direction", E, "A causal link that runs against the chain element -> emotion -> behaviour -> impact.")
OWNER_NOT_INTERNAL = _code("JQL309", "owner-not-internal", E, "An owner must be an internal stakeholder, not a customer or an external party.")
EMPTY_JOURNEY = _code("JQL310", "empty-journey", E, "A journey or stage without any step.")
JOURNEY_WITHOUT_PERSONA = _code("JQL311", "journey-without-persona", W, "A journey that names no persona.")
UNKNOWN_EMOTION = _code("JQL312", "unknown-emotion", W, "An emotion name that no emotion set or customer experience model declares.")
MEASUREMENT_WITHOUT_SAMPLING = _code("JQL313", "measurement-without-sampling", E, "A measurement plan that never says when to ask.")
UNKNOWN_METRIC = _code("JQL314", "unknown-metric", E, "A KPI on a metric JourneyQL does not know or the plan does not measure.")
STEP_WITHOUT_TOUCHPOINT = _code("JQL315", "step-without-touchpoint", I, "A step where the customer meets no channel (fine for offline steps; say so with a touchpoint if not).")
MISSING_TARGET = _code("JQL316", "missing-target", I, "A moment of truth with an expected emotion but no target emotion.")
STAKEHOLDER_WITHOUT_RELATION = _code("JQL317", "stakeholder-without-relation", I, "A stakeholder that appears in no relation of the stakeholder map.")
INVALID_RANGE = _code("JQL318", "invalid-range", E, "A scale whose low end is not below its high end, or a value outside its natural range.")
OUTSIDE_JOURNEY = _code("JQL319", "outside-journey", E, "A name of another journey than the one in scope (a measurement sampling another journey's touchpoint).")
MISSING_TRANSLATION = _code("JQL320", "missing-translation", I, "A text (label, need, moment, role, ...) has no translation in one of the organisation's locales.")
MIXED_SCALES = _code("JQL321", "mixed-scales", W, "A persona, organisation or sector pools journeys on different valence scales: its valence is reported as a 0-100 score, not a mean.")
INSTRUMENT_SCALE = _code("JQL322", "instrument-scale", W, "A measurement asks valence on another scale than its journey's: answers are mapped onto the journey's scale.")
DUPLICATE_WAVE = _code("JQL340", "duplicate-wave", E, "Two waves of one measurement plan have the same name.")
WAVE_DATA = _code("JQL341", "wave-data", E, "A response file that belongs to no wave or to two: a plan with waves names its files in its waves only, each file in one.")
WAVE_DATA_MISSING = _code("JQL342", "wave-data-missing", W, "A wave's response file does not exist.")
UNKNOWN_BASELINE = _code("JQL343", "unknown-baseline", E, "A measurement plan's `baseline` names none of its waves.")
WAVES_OUT_OF_ORDER = _code("JQL344", "waves-out-of-order", W, "A wave whose period starts before the wave written above it: waves are written in time order.")
KPI_WITHOUT_WAVES = _code("JQL345", "kpi-without-waves", E, "A KPI `... no worse than previous` where there is no previous wave: in a plan without waves, or on an improvement.")
KPI_NOT_COMPARED = _code("JQL346", "kpi-not-compared", E, "A KPI `... no worse than previous` on a metric or level the waves are not compared on (valence of a touchpoint, step or the journey).")
ORGANISATION_WITHOUT_OWNER = _code("JQL350", "organisation-without-owner", E, "An organisation that shares a journey has no owner of its own for a touchpoint its customers meet.")
IMPROVEMENT_CROSSES_ORGANISATIONS = _code("JQL351", "improvement-crosses-organisations", E, "An improvement owned by one organisation changes a touchpoint or step of another organisation.")
ORGANISATION_NOT_IN_JOURNEY = _code("JQL352", "organisation-not-in-journey", E, "A `for` view names an organisation that does not share the journey.")

# Measured results: what `journeyql analyze --fail-on regression` reports (the answers, not the spec).
KPI_MISSED = _code("JQL401", "kpi-missed", E, "A KPI target is missed in the latest measurement (the latest wave of a plan with waves).")
SIGNIFICANT_DROP = _code("JQL402", "significant-drop", E, "A touchpoint or step scores significantly lower than in the previous wave (Welch's t, Holm-corrected).")


def all_codes() -> list[Code]:
    return list(_CODES.values())


def lookup(code_or_name: str) -> Code | None:
    """Find a code by its number (``JQL303``) or its name (``unused-persona``)."""
    if code_or_name.upper() in _CODES:
        return _CODES[code_or_name.upper()]
    for entry in _CODES.values():
        if entry.name == code_or_name.lower():
            return entry
    return None


@dataclass(frozen=True)
class Diagnostic:
    code: str
    name: str
    severity: Severity
    message: str
    span: Span
    hint: str | None = None
    related: tuple[tuple[str, Span], ...] = field(default=())

    @classmethod
    def of(cls, code: Code, message: str, span: Span, hint: str | None = None,
           related: tuple[tuple[str, Span], ...] = ()) -> "Diagnostic":
        return cls(code.code, code.name, code.severity, message, span, hint, related)

    def with_severity(self, severity: Severity) -> "Diagnostic":
        return replace(self, severity=severity)

    @property
    def sort_key(self) -> tuple:
        s = self.span
        return (s.path, s.line, s.column, self.code, self.message)

    def as_record(self) -> dict:
        """The JSON shape of one diagnostic (``check --format json``)."""
        s = self.span
        record = {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "file": s.path,
            "line": s.line,
            "column": s.column,
            "end_line": s.end_line,
            "end_column": s.end_column,
            "hint": self.hint,
        }
        if self.related:
            record["related"] = [
                {"message": m, "file": r.path, "line": r.line, "column": r.column} for m, r in self.related
            ]
        return record


class SpecError(Exception):
    """Raised by ``parse`` and ``load`` when the specs have errors; ``.diagnostics`` lists them all."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = list(diagnostics)
        errors = [d for d in self.diagnostics if d.severity is Severity.ERROR]
        first = errors[0] if errors else (self.diagnostics[0] if self.diagnostics else None)
        if first is None:
            text = "invalid spec"
        else:
            text = f"{first.span}: {first.code} {first.message}"
            if len(errors) > 1:
                text += f" (and {len(errors) - 1} more error{'s' if len(errors) > 2 else ''})"
        super().__init__(text)


def did_you_mean(word: str, candidates) -> str | None:
    """A "did you mean" hint for a misspelt name, or None when nothing is close.

    difflib compares against every candidate, so big workspaces (tens of
    thousands of names) first keep only candidates of a similar length;
    without that, a file with many typos took minutes to check.
    """
    import difflib

    pool = set(candidates)
    if len(pool) > 200:
        size = len(word)
        pool = {c for c in pool if abs(len(c) - size) <= max(2, size // 3)}
        if len(pool) > 2000:
            pool = {c for c in pool if c[:1].lower() == word[:1].lower()}
    matches = difflib.get_close_matches(word, sorted(pool), n=1, cutoff=0.6)
    if not matches:
        lowered = {c.lower(): c for c in pool}
        if word.lower() in lowered:
            matches = [lowered[word.lower()]]
    return f"did you mean `{matches[0]}`?" if matches else None
