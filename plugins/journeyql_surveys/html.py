"""The `survey-html` output: one self-contained web page per survey and locale
(``surveys/<measurement>.<locale>.html``) that a pilot group fills in on a phone.

The page has no external assets and makes no requests: its CSS and script are
inline and pinned by hash in a Content-Security-Policy (so even a script that
slipped into the page could not run). Spec text reaches the page only through
the template's autoescaping, and reaches the script only as JSON inside
``<script type="application/json">`` with every ``<``, ``>`` and ``&`` escaped,
read with ``JSON.parse``. On save the answers are downloaded as a CSV file in
the canonical response format (see docs/surveys.md).
"""

from __future__ import annotations

import base64
import hashlib
import json

from markupsafe import Markup

from .plan import Question, SurveyPlan
from .words import words

#: The canonical response format's columns, in order (docs/plugins.md, register_readers).
CSV_HEADER = ("respondent_id", "journey", "touchpoint", "item", "value", "timestamp", "persona", "organisation")

#: Words the page's script needs, per locale.
SCRIPT_WORDS = ("required", "intensity_required", "range_error", "check_answers", "saved")


def script_json(data) -> Markup:
    """JSON that is safe inside a <script> element: nothing in it can close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return Markup(text)


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _scale_values(q: Question) -> list:
    return list(range(int(q.low), int(q.high) + 1)) if q.form == "scale" else []


def page_question(q: Question, locale: str) -> dict:
    return {
        "name": q.name, "item": q.item, "form": q.form, "text": q.text[locale], "hint": q.hint.get(locale, ""),
        "required": q.required, "follow_up": q.follow_up is not None, "values": _scale_values(q),
        "low": "" if q.low is None else f"{q.low:g}", "high": "" if q.high is None else f"{q.high:g}",
        "options": [{"value": o.value, "text": o.text[locale],
                     "member": q.member(o.value) if q.form in ("emotions", "intents") else ""} for o in q.options],
    }


def script_question(q: Question) -> dict:
    follow = q.follow_up
    return {
        "name": q.name, "touchpoint": q.touchpoint, "item": q.item, "form": q.form, "required": q.required,
        "low": q.low, "high": q.high, "options": [o.value for o in q.options],
        "members": [q.member(o.value) for o in q.options] if q.form in ("emotions", "intents") else [],
        "followUp": None if follow is None else {"valence": follow.valence, "midpoint": follow.midpoint,
                                                 "emotions": follow.emotions},
    }


def page(plan: SurveyPlan, locale: str, context, style: str, script: str) -> str:
    ui = words(locale)
    data = {
        "measurement": plan.measurement, "survey": plan.stem, "journey": plan.journey, "organisation": plan.organisation or "",
        "personas": list(plan.personas), "locale": locale, "header": list(CSV_HEADER),
        "words": {key: ui[key] for key in SCRIPT_WORDS},
        "questions": [script_question(q) for q in plan.questions],
    }
    sections = [{"name": s.name, "touchpoint": s.touchpoint or "", "title": s.title[locale],
                 "questions": [page_question(q, locale) for q in s.questions]} for s in plan.sections]
    return context.render_template(
        "surveys/survey.html.j2", lang=locale, title=plan.title[locale], intro=plan.intro[locale], words=ui,
        sections=sections, intensity=list(range(1, 6)), data=script_json(data), style=Markup(style),
        script=Markup(script), csp=f"default-src 'none'; script-src {csp_hash(script)}; "
                                  f"style-src {csp_hash(style)}; img-src data:; form-action 'none'; base-uri 'none'")


def render(plans: list[SurveyPlan], context) -> None:
    # the style and script are templates too, so a workspace can restyle the page
    style = context.render_template("surveys/survey.css")
    script = context.render_template("surveys/survey.js")
    # a survey is made from its measurement plan and its journey: a change in another journey keeps it
    for plan in context.each_journey(plans, journey=lambda p: p.journey):
        for locale in plan.locales:
            context.write_text(f"surveys/{plan.stem}.{locale}.html", page(plan, locale, context, style, script))
