"""Writing a map: the DOT always, the SVG when graphviz can run here."""

from __future__ import annotations

import journeyql
from journeyql.graphviz import GraphvizError, GraphvizUnavailable, dot_to_svg, forced_engine


def write_graph(context, stem: str, source: str, *, layout: str = "dot", svg: bool = True) -> None:
    """Write ``<stem>.dot`` and, when ``svg``, ``<stem>.svg``.

    Without a usable graphviz the DOT is still written and the render succeeds with
    a warning saying how to get one; ``JOURNEYQL_GRAPHVIZ=none`` asks for DOT only,
    so it gets no warning.
    """
    context.write_text(f"{stem}.dot", source)
    if not svg:
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
