"""An example third-party JourneyQL plugin: a touchpoint CSV renderer and a lint rule."""

from __future__ import annotations

import csv
import io

from pydantic import BaseModel, ConfigDict, Field

import journeyql

__version__ = "1.0.0"
MAX_LABEL = 60
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class CsvOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    delimiter: str = Field(default=",", min_length=1, max_length=1, description="The field separator.")


def cell(value) -> str:
    """A CSV cell a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def render(workspace, context) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=context.options.delimiter, lineterminator="\n")
    writer.writerow(["journey", "stage", "step", "touchpoint", "channel", "owner", "moment"])
    for journey in workspace.journeys:
        for stage in journey.stages:
            for step in stage.steps:
                for tp in step.touchpoints:
                    owner = workspace.get(tp.owner) if tp.owner else None
                    channel = workspace.get(tp.channel)
                    writer.writerow([cell(journey.label), cell(stage.label), cell(step.label), cell(tp.label),
                                     cell(channel.label if channel else tp.channel),
                                     cell(owner.label if owner else ""), tp.moment.polarity if tp.moment else ""])
    context.write_text("touchpoints.csv", buffer.getvalue())


def long_labels(workspace):
    for journey in workspace.journeys:
        for tp in journey.touchpoints:
            if len(tp.label) > MAX_LABEL:
                yield journeyql.Diagnostic(
                    "EXA001", "touchpoint-label-too-long", journeyql.Severity.WARNING,
                    f"touchpoint label is {len(tp.label)} characters; a blueprint fits {MAX_LABEL}", tp.span,
                    "shorten the label and put the detail in `description`")


@journeyql.hookimpl
def register_renderers(register):
    register(name="touchpoint-csv", description="Every touchpoint with its channel and owner, as CSV.",
             render=render, outputs=["touchpoints.csv"], options=CsvOptions, formats=["csv"])


@journeyql.hookimpl
def register_rules(register):
    register(code="EXA001", name="touchpoint-label-too-long", severity="warning",
             summary="Touchpoint labels longer than a service blueprint can show.", check=long_labels)
