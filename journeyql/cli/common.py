"""What every command shares: exit codes, messages, colour, progress, and the plugin host.

Standard library only at import time: building the argument parser imports this module.
"""

from __future__ import annotations

import os
import sys

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def usage_error(message: str) -> int:
    print(f"journeyql: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def fail(message: str) -> int:
    print(f"journeyql: error: {message}", file=sys.stderr)
    return EXIT_FINDINGS


def say(message: str) -> None:
    print(message, file=sys.stderr)


def color(stream) -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("CI"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def interactive() -> bool:
    return not os.environ.get("CI") and hasattr(sys.stderr, "isatty") and sys.stderr.isatty()


def progress(label: str):
    if not interactive():
        return None

    def show(index: int, total: int, name: str) -> None:
        width = 20
        done = int(width * (index - 1) / total)
        sys.stderr.write(f"\r\x1b[K[{'#' * done}{'.' * (width - done)}] {index}/{total} {label}: {name}")
        sys.stderr.flush()

    return show


def host():
    """The process's plugin host (tests replace this function to hand commands their own)."""
    from ..host.plugins import get_host

    return get_host()


_default_host = host


def rules_host():
    """The plugins as far as ``check`` needs them: only those that register rules are imported when
    the plugin index knows the others (host/plugin_index.py). A host a test handed the commands
    (``host`` replaced, or the process's host set) is used as it is."""
    if host is not _default_host or getattr(sys.modules.get("journeyql.host.plugins"), "_HOST", None) is not None:
        return host()
    from ..host import plugin_index

    hooks = plugin_index.indexed_hooks()
    if hooks is not None and "register_rules" not in hooks:
        return NO_RULE_PLUGINS  # the index knows no plugin registers a rule: pluggy is not even imported
    from ..host import plugins

    return plugins.PluginHost(needs=("register_rules",))


class _NoRulePlugins:
    """The plugins as ``check`` sees them when none registers a rule: no rules, nothing failed to load."""

    rules: tuple = ()
    problems: tuple = ()


NO_RULE_PLUGINS = _NoRulePlugins()


def plugin_diagnostics(plugins) -> list:
    """A JQL diagnostic for every plugin that failed to load or register."""
    from ..diagnostics import PLUGIN_FAILED, Diagnostic
    from ..diagnostics.span import Span

    return [Diagnostic.of(PLUGIN_FAILED, str(problem), Span("<plugins>", 1, 1, 1, 1),
                          "fix or uninstall the plugin, or skip it with JOURNEYQL_DISABLE_PLUGINS")
            for problem in plugins.problems]
