"""The `emotion-curve` renderer: the emotional journey as an SVG chart per journey and persona.

Written as a third-party plugin would be: only ``journeyql.hookimpl``, the
model, ``journeyql.measure.results`` (through ``context.results``) and the render context.

Files (names fixed: the roadmap site links them):

- ``emotion-curve/<journey>.svg``: the journey's own curve: expected (the
  organisation's inside-out view), target and, when results exist, measured
  valence with its 95% confidence band; moments of truth and the largest gaps
  between expected and measured are marked.
- ``emotion-curve/<journey>--<persona>.svg``: one chart per persona of a
  journey with several personas, or with a persona that has a ``for persona``
  view or measured answers of its own. One file per persona rather than extra
  lines in one chart: three series per persona would make a chart nobody can
  read without colour, and one file per persona matches the `mermaid`
  renderer's naming. The persona's chart keeps every step on the x-axis (the
  charts line up), uses its own expected/target where it gives them, and
  marks the steps it skips.
- ``emotion-curve/<journey>--<organisation>.svg``: for a journey several organisations share, one chart
  per organisation (``journeyql.organisation_views``): its view (its expected and target emotions,
  without the steps it skips) and the measured line of its own respondents only.
- ``emotion-curve/<journey>--to-be.svg``: for a journey the plan changes (``journeyql.to_be``),
  the journey after the plan against the journey before it: the as-is expected line, the to-be
  line and the target, over the to-be journey's steps, the steps the plan adds marked "new".
- ``emotion-curve/waves/<journey>.svg``: for a journey measured in two waves or more, the
  latest wave's curve (with its band) against the previous wave's, without expectations.
- ``emotion-curve/trends/<journey>.svg``: small multiples, one panel per touchpoint and one for
  the journey: mean valence per wave with its interval, and the change since the previous wave as
  the wave test judges it (``journeyql_curve.trends``).
- ``emotion-curve/<journey>[--<persona>].<locale>.svg``: the same charts in each
  further locale of the workspace (``locales`` in journeyql.toml), for the
  site's copy in that language; not made when the `locale` option is set.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

import journeyql

# the drawing and series modules are imported by render(): a `check` that only loads the plugin
# to ask for its hooks does not pay for them

_SAFE_LOCALE = re.compile(r"^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$")


class CurveOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # built when first used: faster start-up
    locale: str | None = Field(default=None, description="Locale of the texts (default: the workspace's).")
    personas: bool = Field(default=True, description="Also draw one chart per persona of the journey.")
    gaps: int = Field(default=3, ge=0, le=50,
                      description="How many of the largest expected-versus-measured gaps to mark.")


def _wants_persona_charts(journey, results) -> bool:
    if len(journey.personas) > 1:
        return True
    if any(step.personas for step in journey.steps):
        return True
    return results is not None and any(results.step(step.key, pid) is not None
                                       for pid in journey.personas for step in journey.steps)


def journey_waves(workspace, journey, results) -> list:
    """The waves of the first plan with waves that measures ``journey`` (its WaveResults, in time order)."""
    for measurement in workspace.measurements:
        if measurement.journey == journey.id and measurement.waves and results is not None:
            found = [w for w in getattr(results, "waves", ()) if w.measurement == measurement.id]
            if found:
                return found
    return []


def wave_label(workspace, wave, locale) -> str:
    """A wave's label in ``locale``, from the spec (kept results may predate a new label)."""
    measurement = workspace.get(wave.measurement)
    for found in getattr(measurement, "waves", ()):
        if found.id == wave.wave:
            return found.text("label", locale) or found.id
    return wave.label or wave.wave


def render(workspace, context) -> None:
    from .drawing import draw
    from .series import build_curve, build_to_be_curve
    from journeyql.language.model import text_in

    options = context.options
    locale = options.locale or context.locale

    # the chart's own locale gets the fixed names; every other locale of the workspace a `.<locale>` twin
    # (unless a locale was chosen explicitly), so a site in that language shows a chart in it too
    variants = [(locale, "")]
    if options.locale is None:
        variants += [(extra, f".{extra}") for extra in context.locales
                     if extra != locale and _SAFE_LOCALE.match(extra or "")]
    results = context.results
    from .series import build_wave_curve
    from .trends import draw_trends, panels_of

    for chart_locale, suffix in variants:
        def label(item, chart_locale=chart_locale) -> str:
            return item.text("label", chart_locale) or item.id

        def moment_text(holder, chart_locale=chart_locale):
            return text_in(holder, "moment", chart_locale)

        # a journey's charts are made from it, the personas and the results: per journey
        for journey in context.each_journey(workspace.journeys):
            if not journey.steps:
                continue
            curve = build_curve(journey, None, results, label=label, top_gaps=options.gaps,
                                moment_text=moment_text)
            context.write_text(f"emotion-curve/{journey.id}{suffix}.svg",
                               draw(curve, label=label, locale=chart_locale))
            change = journeyql.to_be(workspace, journey)
            if change.changes_anything:
                context.write_text(f"emotion-curve/{journey.id}--to-be{suffix}.svg",
                                   draw(build_to_be_curve(change, label=label), label=label, locale=chart_locale))
            waves = journey_waves(workspace, journey, results)
            if len(waves) > 1:
                names = [wave_label(workspace, w, chart_locale) for w in waves]
                curve = build_wave_curve(journey, waves[-2].results, waves[-1].results, label=label,
                                         previous_name=names[-2], latest_name=names[-1])
                context.write_text(f"emotion-curve/waves/{journey.id}{suffix}.svg",
                                   draw(curve, label=label, locale=chart_locale))
                panels = panels_of(journey, waves, results.changes, label=label, show_n=results.show_n)
                context.write_text(f"emotion-curve/trends/{journey.id}{suffix}.svg",
                                   draw_trends(journey, panels, names, label=label, locale=chart_locale))
            # a shared journey: each organisation's own chart, its view and its own respondents
            for view in journeyql.organisation_views(workspace, journey, results):
                curve = build_curve(view.journey, None, view.results, label=label, top_gaps=options.gaps,
                                    moment_text=moment_text)
                curve.organisation = workspace.get(view.organisation)
                context.write_text(f"emotion-curve/{journey.id}--{view.organisation}{suffix}.svg",
                                   draw(curve, label=label, locale=chart_locale))
            if not (options.personas and _wants_persona_charts(journey, results)):
                continue
            for persona_id in journey.personas:
                persona = workspace.get(persona_id)
                if persona is None:
                    continue
                curve = build_curve(journey, persona, results, label=label, top_gaps=options.gaps,
                                    moment_text=moment_text)
                context.write_text(f"emotion-curve/{journey.id}--{persona.id}{suffix}.svg",
                                   draw(curve, label=label, locale=chart_locale))


@journeyql.hookimpl
def register_renderers(register):
    register(
        name="emotion-curve",
        description="The emotional curve per journey, persona and organisation as SVG: expected, measured (with its "
                    "confidence band) and target, with moments of truth and the largest gaps.",
        render=render,
        outputs=["emotion-curve/<journey>.svg", "emotion-curve/<journey>--<persona>.svg",
                 "emotion-curve/<journey>--<organisation>.svg",
                 "emotion-curve/<journey>--to-be.svg",
                 "emotion-curve/waves/<journey>.svg", "emotion-curve/trends/<journey>.svg",
                 "emotion-curve/<journey>[--<persona>].<locale>.svg"],
        options=CurveOptions,
        formats=["svg"],
    )
