"""Writing a map: the DOT always, the SVG when graphviz can run here."""

from __future__ import annotations

import journeyql
from journeyql.graphviz import GraphvizError, GraphvizUnavailable, dot_to_svg, forced_engine


def locale_variants(context) -> list[tuple[str, str]]:
    """(locale, file suffix) of each language a map is drawn in.

    The ``locale`` option draws one map in that language (``<stem>.dot``). Without it the
    map is drawn in the workspace's locale (``<stem>.dot``) and again in every further
    locale of the workspace (``<stem>.<locale>.dot``), so a site in English shows an English
    blueprint next to the Dutch one (the emotion curve does the same).
    """
    if context.options.locale:
        return [(context.options.locale, "")]
    return [(context.locale, "")] + [(locale, f".{locale}") for locale in context.locales
                                     if locale != context.locale]


def write_graph(context, stem: str, graph, *, layout: str = "dot", svg: bool = True) -> None:
    """Write ``graph`` (a ``graphviz.Graph`` or ``Digraph``) as ``<stem>.dot`` and, when ``svg``, ``<stem>.svg``.

    Without a usable graphviz the DOT is still written and the render succeeds with
    a warning saying how to get one; ``JOURNEYQL_GRAPHVIZ=none`` asks for DOT only,
    so it gets no warning.
    """
    source = graph.source
    context.write_text(f"{stem}.dot", source)
    if not svg:
        return
    # the same DOT as last time: the SVG laid out from it then is still right (graphviz is ~20 ms of
    # CPU a map, most of a stakeholder map's cost in a rebuild after a journey's label changed)
    if forced_engine() != "none" and context.previous_output(f"{stem}.dot") == _as_written(source):
        kept = context.previous_output(f"{stem}.svg")
        if kept is not None:
            context.write_bytes(f"{stem}.svg", kept)
            return
    try:
        image = dot_to_svg(source, layout=layout)
    except GraphvizUnavailable as missing:
        if forced_engine() != "none":
            context.warn(str(missing))
        return
    except ValueError as error:  # a JOURNEYQL_GRAPHVIZ value that names no engine
        raise journeyql.RenderError(str(error)) from None
    except GraphvizError as error:
        raise journeyql.RenderError(f"{stem}.dot: {error}. The DOT is written by the maps plugin, so this is "
                                    "a bug in it: please report it with the spec that causes it") from None
    context.write_text(f"{stem}.svg", image)


def _as_written(text: str) -> bytes:
    """``text`` as ``context.write_text`` stores it."""
    return text.replace("\r\n", "\n").encode("utf-8")
