"""The survey renderers: `surveyjs`, `xlsform` and `survey-html`, one survey per measurement plan.

A plan of a journey several organisations share gives one survey per organisation instead, asked from
that organisation's view of the journey and recording it in every answer (``<measurement>--<org>``).

Step 1 of the method, experience sampling: right after each sampled
touchpoint the customer says how it felt, which emotions, why, and what they
intend to do now. What is asked is derived once from the measurement
(:mod:`.plan`) and written in three forms: SurveyJS JSON for survey platforms,
an XLSForm workbook for ODK/KoboToolbox, and a self-contained HTML page a
pilot group fills in on a phone. All three use the question names of
:mod:`journeyql.measure.items`, so every answer maps back to its touchpoint and item.

Written as a third-party plugin would be: only the public API.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

import journeyql

# the survey plan and the writers are imported by the renderers: a `check` that only loads the
# plugin to ask for its hooks does not pay for them


class SurveyOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # built when first used: faster start-up


def survey_plans(workspace, context) -> list:
    """Every measurement's plan (a list of :class:`.plan.SurveyPlan`), in the measurement's locales (else the
    workspace's)."""
    from . import plan as _plan

    plans = _plan.plans(workspace, context.locale, tuple(context.locales))
    for survey in plans:
        for note in survey.notes:
            context.warn(note)
    return plans


def render_surveyjs(workspace, context) -> None:
    from . import surveyjs

    surveyjs.render(survey_plans(workspace, context), context)


def render_xlsform(workspace, context) -> None:
    from . import xlsform

    xlsform.render(survey_plans(workspace, context), context)


def render_html(workspace, context) -> None:
    from . import html

    html.render(survey_plans(workspace, context), context)


@journeyql.hookimpl
def register_template_dirs(register):
    import journeyql_templates

    register(journeyql_templates.DIRECTORY)


@journeyql.hookimpl
def register_renderers(register):
    # a journey several organisations share gets one survey per organisation (`<measurement>--<organisation>`)
    register(name="surveyjs",
             description="Experience-sampling surveys as SurveyJS JSON: a page per sampled touchpoint, localised.",
             render=render_surveyjs, options=SurveyOptions, formats=["json"],
             outputs=["surveys/<measurement>.surveyjs.json", "surveys/<measurement>--<organisation>.surveyjs.json"])
    register(name="xlsform",
             description="Experience-sampling surveys as XLSForm workbooks for ODK and KoboToolbox, localised.",
             render=render_xlsform, options=SurveyOptions, formats=["xlsx"],
             outputs=["surveys/<measurement>.xlsx", "surveys/<measurement>--<organisation>.xlsx"])
    register(name="survey-html",
             description="Experience-sampling surveys as self-contained mobile web pages that save answers as CSV.",
             render=render_html, options=SurveyOptions, formats=["html"],
             outputs=["surveys/<measurement>.<locale>.html", "surveys/<measurement>--<organisation>.<locale>.html"])
