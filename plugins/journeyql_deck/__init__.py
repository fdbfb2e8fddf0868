"""The `pptx` renderer: a board deck per workspace, one PowerPoint file per locale.

Written as a third-party plugin would be: only ``journeyql.hookimpl``, the model, the measured
results (``context.results``) and the render context. Slides: a title slide, then per journey
its emotional curve as a native, editable line chart (expected, measured when there are
results, target where the spec sets one), its moments of truth with their owners and its KPI
targets met or missed, and the top of the improvement plan that concerns it.

The plan is the `plan` renderer's (its ``plan/plan.json``, read through the render context): the
deck is a *collecting* renderer, so it runs after the plan and shows the same ranking, never a
second opinion. Without the plan in the run the plan slides say how to get it.

Files: ``deck/roadmap.<locale>.pptx`` for every locale of the workspace. Needs python-pptx
(``pip install 'journeyql[deck]'``); docs/deck.md.
"""

from __future__ import annotations

import json
import re

from pydantic import BaseModel, ConfigDict, Field

import journeyql

_LOCALE = re.compile(r"^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$")
PLAN_JSON = "plan/plan.json"


class DeckOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    locale: str | None = Field(default=None, pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$",
                               description="Make the deck in this locale only (default: every locale of the "
                                           "workspace).")
    title: str | None = Field(default=None, max_length=200,
                              description="Title of the deck (default: 'Customer experience roadmap' in the "
                                          "deck's language).")


def _plan_items(context):
    """The plan's items in plan order, or None when the plan renderer did not run (or failed)."""
    if not any(PLAN_JSON in files for files in context.outputs.values()):
        return None
    try:
        return json.loads(context.read_output(PLAN_JSON).decode("utf-8"))["items"]
    except journeyql.RenderError:  # listed but not readable: the deck says how to get the plan
        return None
    except (ValueError, KeyError, TypeError) as error:
        raise journeyql.RenderError(f"pptx: {PLAN_JSON} is not the plan renderer's JSON ({error})") from None


def render(workspace, context) -> None:
    import importlib.util

    # asked of the import system, not of journeyql.extras: a core older than the `deck` extra loads
    # this plugin too (the rebuild benchmark's baseline does)
    if importlib.util.find_spec("pptx") is None:
        raise journeyql.RenderError("the pptx renderer (board decks) needs the optional packages of "
                                    "journeyql[deck] (python-pptx not installed): pip install 'journeyql[deck]'")
    from .content import DeckBuilder
    from .slides import write_deck

    options = context.options
    locales = [options.locale] if options.locale else list(dict.fromkeys(context.locales or (context.locale,)))
    plan_items = _plan_items(context)
    if plan_items is None:
        context.warn("pptx: the plan renderer did not run, so the deck has no top of the plan "
                     "(render with --to plan,pptx, or build)")
    scale = {j.id: (j.scale.low, j.scale.high) for j in workspace.journeys}
    for locale in locales:
        if not _LOCALE.match(locale or ""):
            raise journeyql.RenderError(f"pptx: locale {locale!r} is not a language tag like 'nl' or 'en-GB'")
        deck = DeckBuilder(workspace, context.results, plan_items, locale).deck(options.title)
        context.write_bytes(f"deck/roadmap.{locale}.pptx", write_deck(deck, scale))


@journeyql.hookimpl
def register_renderers(register):
    register(
        name="pptx",
        description="A board deck per workspace (PowerPoint): per journey the emotional curve as an editable "
                    "chart, the moments of truth, the KPIs and the top of the plan, in every locale.",
        render=render,
        outputs=["deck/roadmap.<locale>.pptx"],
        options=DeckOptions,
        formats=["pptx"],
        collects=True,
    )
