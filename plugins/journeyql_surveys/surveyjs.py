"""The `surveyjs` output: a survey plan as SurveyJS JSON (``surveys/<measurement>.surveyjs.json``).

One page per sampled touchpoint, then the end page. Every string is a
SurveyJS localisable string ``{"default": ..., "nl": ..., "en": ...}``: in
SurveyJS ``default`` is the text of its default locale, English, so it holds
the English text when the survey has one and the survey's first locale's
otherwise; ``locale`` makes the survey open in its first locale.
"""

from __future__ import annotations

import html
import json

from .plan import FollowUp, Question, SurveyPlan
from .words import words


def spec_text(text: str) -> str:
    """Spec text safe in SurveyJS: braces would be read as ``{variable}`` placeholders, so they become
    full-width braces that look the same and are never replaced."""
    return text.replace("{", "\uff5b").replace("}", "\uff5d")


def localised(plan: SurveyPlan, texts: dict, *, spec: bool = True) -> dict:
    clean = spec_text if spec else (lambda t: t)
    out = {locale: clean(text) for locale, text in texts.items()}
    out["default"] = out["en"] if "en" in out else out[plan.locale]
    return out


def visible_if(follow_up: FollowUp) -> str:
    """The follow-up rule as a SurveyJS expression."""
    parts = []
    if follow_up.valence:
        parts.append(f"{{{follow_up.valence}}} < {follow_up.midpoint:g}")
    if follow_up.emotions:
        parts.append(f"{{{follow_up.emotions}}} notempty")
    return " or ".join(parts)


def question_json(plan: SurveyPlan, question: Question) -> dict:
    def loc(texts):
        return localised(plan, texts)

    data: dict = {"name": question.name, "title": loc(question.text)}
    if question.hint:
        data["description"] = loc(question.hint)
    if question.required:
        data["isRequired"] = True
    if question.follow_up is not None:
        data["visibleIf"] = visible_if(question.follow_up)
    form = question.form
    if form == "scale":
        data.update(type="rating", rateMin=question.low, rateMax=question.high, rateStep=1,
                    rateCount=int(question.high - question.low + 1), displayMode="buttons")
    elif form == "number":
        data.update(type="text", inputType="number")
        if question.low is not None:
            data.update(min=question.low, max=question.high,
                        validators=[{"type": "numeric", "minValue": question.low, "maxValue": question.high}])
    elif form == "emotions":
        data.update(type="matrix", rows=[{"value": o.value, "text": loc(o.text)} for o in question.options],
                    columns=[{"value": v, "text": str(v)} for v in range(int(question.low), int(question.high) + 1)])
    elif form == "intents":
        yes = {locale: words(locale)["yes"] for locale in plan.locales}
        no = {locale: words(locale)["no"] for locale in plan.locales}
        data.update(type="matrix", rows=[{"value": o.value, "text": loc(o.text)} for o in question.options],
                    columns=[{"value": 1, "text": localised(plan, yes, spec=False)},
                             {"value": 0, "text": localised(plan, no, spec=False)}])
    elif form == "choice":
        data.update(type="radiogroup", choices=[{"value": o.value, "text": loc(o.text)} for o in question.options])
    else:
        data.update(type="comment")
    return data


def survey_json(plan: SurveyPlan) -> dict:
    pages = [{"name": section.name, "title": localised(plan, section.title),
              "elements": [question_json(plan, q) for q in section.questions]} for section in plan.sections]
    thanks = {locale: "<p>" + _html(text) + "</p>" for locale, text in plan.thanks.items()}
    return {
        "title": localised(plan, plan.title),
        "description": localised(plan, plan.intro, spec=False),
        "locale": plan.locale,
        "showQuestionNumbers": "off",
        "completedHtml": localised(plan, thanks, spec=False),
        # carried into every result, so answers map back to their journey, plan and organisation (never asked:
        # the respondent's organisation is whose survey this is)
        "calculatedValues": [
            {"name": "journeyql_journey", "expression": _quoted(plan.journey), "includeIntoResult": True},
            {"name": "journeyql_measurement", "expression": _quoted(plan.measurement), "includeIntoResult": True},
            *([{"name": "journeyql_organisation", "expression": _quoted(plan.organisation), "includeIntoResult": True}]
              if plan.organisation else []),
        ],
        "pages": pages,
    }


def _quoted(identifier: str) -> str:
    # spec identifiers are letters, digits and underscores: nothing to escape inside the quotes
    return "'" + identifier.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _html(text: str) -> str:
    return html.escape(text, quote=True)


def render_text(plan: SurveyPlan) -> str:
    return json.dumps(survey_json(plan), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render(plans: list[SurveyPlan], context) -> None:
    # a survey is made from its measurement plan and its journey: a change in another journey keeps it
    for plan in context.each_journey(plans, journey=lambda p: p.journey):
        context.write_text(f"surveys/{plan.stem}.surveyjs.json", render_text(plan))
