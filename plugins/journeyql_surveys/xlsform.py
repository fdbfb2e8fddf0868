"""The `xlsform` output: a survey plan as an XLSForm workbook (``surveys/<measurement>.xlsx``) for ODK/Kobo.

Sheets ``survey``, ``choices`` and ``settings``; one ``label::Language (code)``
column (and ``hint::``, ``constraint_message::``) per locale. Each sampled
touchpoint is a ``field-list`` group (one screen). An emotion group is a
``select_multiple`` plus one intensity question per emotion, asked only when
that emotion was chosen; intents are a ``select_multiple`` (each chosen
intent = 1). Ranges are ``constraint``s, follow-ups ``relevant``s.

The bytes are stable: fixed document properties and zip entry dates.
"""

from __future__ import annotations

import datetime

from .plan import FollowUp, Question, SurveyPlan
from .words import language_name, words

#: A fixed moment for the workbook's properties and zip entries, so the same plan gives the same bytes.
EPOCH = datetime.datetime(2000, 1, 1)


def spec_text(text: str) -> str:
    """Spec text safe in an XLSForm label: ``${name}`` would be read as a reference to another answer,
    and XML cannot hold most control characters."""
    from .workbook import ILLEGAL_CHARACTERS

    return ILLEGAL_CHARACTERS.sub("", text).replace("${", "\uff04{")


def language_column(kind: str, locale: str) -> str:
    return f"{kind}::{language_name(locale)} ({locale})"


def relevant(follow_up: FollowUp) -> str:
    parts = []
    if follow_up.valence:
        parts.append(f"${{{follow_up.valence}}} < {follow_up.midpoint:g}")
    if follow_up.emotions:
        parts.append(f"count-selected(${{{follow_up.emotions}}}) > 0")
    return " or ".join(parts)


def range_constraint(low, high) -> str:
    return f". >= {low:g} and . <= {high:g}"


class _Form:
    def __init__(self, plan: SurveyPlan):
        self.plan = plan
        self.survey: list[dict] = []
        self.choices: list[dict] = []
        self.lists: set[str] = set()

    def texts(self, kind: str, texts: dict, *, spec: bool = True) -> dict:
        clean = spec_text if spec else (lambda t: t)
        return {language_column(kind, locale): clean(text) for locale, text in texts.items() if text}

    def word(self, key: str, **values) -> dict:
        out = {}
        for locale in self.plan.locales:
            text = words(locale)[key]
            for name, value in values.items():
                text = text.replace("{" + name + "}", value)
            out[locale] = text
        return out

    def choice_list(self, name: str, options) -> str:
        if name not in self.lists:
            self.lists.add(name)
            for option in options:
                self.choices.append({"list_name": name, "name": str(option.value), **self.texts("label", option.text)})
        return name

    def build(self) -> None:
        plan = self.plan
        # carried into every submission, so answers map back to their journey, plan and organisation (never
        # asked: the respondent's organisation is whose survey this is)
        self.survey.append({"type": "calculate", "name": "journeyql_journey", "calculation": f"'{plan.journey}'"})
        self.survey.append({"type": "calculate", "name": "journeyql_measurement",
                            "calculation": f"'{plan.measurement}'"})
        if plan.organisation:
            self.survey.append({"type": "calculate", "name": "journeyql_organisation",
                                "calculation": f"'{plan.organisation}'"})
        for section in plan.sections:
            self.survey.append({"type": "begin_group", "name": section.name, "appearance": "field-list",
                                **self.texts("label", section.title)})
            for question in section.questions:
                self.question(question)
            self.survey.append({"type": "end_group", "name": section.name})

    def question(self, q: Question) -> None:
        row = {"name": q.name, **self.texts("label", q.text), **self.texts("hint", q.hint, spec=False)}
        if q.required:
            row["required"] = "yes"
        if q.follow_up is not None:
            row["relevant"] = relevant(q.follow_up)
        if q.form in ("scale", "number"):
            row["type"] = "integer" if q.form == "scale" or (q.low is not None and q.whole_numbers) else "decimal"
            if q.low is not None:
                row["constraint"] = range_constraint(q.low, q.high)
                row.update(self.texts("constraint_message", self.word("range_error", low=f"{q.low:g}",
                                                                       high=f"{q.high:g}"), spec=False))
            self.survey.append(row)
        elif q.form == "emotions":
            row["type"] = "select_multiple " + self.choice_list("emotion", q.options)
            self.survey.append(row)
            for option in q.options:
                self.survey.append({
                    "type": "integer", "name": q.member(option.value),
                    **self.texts("label", {loc: spec_text(text) + " \u2013 " + words(loc)["intensity"]
                                           for loc, text in option.text.items()}, spec=False),
                    **self.texts("hint", self.word("intensity_hint"), spec=False), "required": "yes",
                    "relevant": f"selected(${{{q.name}}}, '{option.value}')",
                    "constraint": range_constraint(q.low, q.high),
                    **self.texts("constraint_message", self.word("range_error", low=f"{q.low:g}",
                                                                 high=f"{q.high:g}"), spec=False)})
        elif q.form == "intents":
            row["type"] = "select_multiple " + self.choice_list("intent", q.options)
            self.survey.append(row)
        elif q.form == "choice":
            list_name = q.item.replace(".", "_")
            row["type"] = "select_one " + self.choice_list(list_name, q.options)
            self.survey.append(row)
        else:
            row.update(type="text", appearance="multiline")
            self.survey.append(row)


def _columns(rows: list[dict], first: list[str]) -> list[str]:
    seen = list(first)
    for row in rows:
        for key in row:
            if key not in seen:
                seen.append(key)
    return seen


def _order(columns: list[str], locales: tuple[str, ...]) -> list[str]:
    """Columns in a fixed, readable order: fixed ones first, then each kind's languages in locale order."""
    fixed = ["type", "list_name", "name", "required", "relevant", "constraint", "appearance", "calculation"]
    kinds = ["label", "hint", "constraint_message"]
    ordered = [c for c in fixed if c in columns]
    for kind in kinds:
        ordered += [language_column(kind, loc) for loc in locales if language_column(kind, loc) in columns]
    return ordered + sorted(c for c in columns if c not in ordered)


def workbook_bytes(plan: SurveyPlan) -> bytes:
    from .workbook import workbook

    form = _Form(plan)
    form.build()
    sheets = [
        ("survey", form.survey),
        ("choices", form.choices),
        ("settings", [{"form_title": spec_text(plan.title[plan.locale]), "form_id": plan.stem,
                       "default_language": f"{language_name(plan.locale)} ({plan.locale})", "style": "pages"}]),
    ]
    tables = []
    for title, rows in sheets:
        if not rows:
            continue  # a plan without choice questions has no choices sheet
        columns = _order(_columns(rows, []), plan.locales) if title != "settings" else list(rows[0])
        tables.append((title, [columns, *([row.get(c, "") for c in columns] for row in rows)]))
    return workbook(tables, creator="JourneyQL", created=EPOCH)


def render(plans: list[SurveyPlan], context) -> None:
    # a survey is made from its measurement plan and its journey: a change in another journey keeps it
    for plan in context.each_journey(plans, journey=lambda p: p.journey):
        context.write_bytes(f"surveys/{plan.stem}.xlsx", workbook_bytes(plan))
