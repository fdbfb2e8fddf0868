"""The one rule at every plugin boundary: whatever a plugin raises, the verdict stays JourneyQL's.

A plugin may raise anything, ``SystemExit`` and ``GeneratorExit`` included; on an
untrusted pull request a plugin that called ``sys.exit(0)`` must not turn a red
check green. Every call into plugin code catches ``BaseException`` except
``KeyboardInterrupt`` (the user's Ctrl-C still stops the run, exit 130) and
reports the failure with :func:`describe_failure`, naming the plugin.
"""

from __future__ import annotations

#: What a plugin boundary lets through: only the user's own interrupt.
PASSES_THROUGH = (KeyboardInterrupt,)


def describe_failure(error: BaseException) -> str:
    """How a plugin's exception reads in one line (``sys.exit`` is named as such)."""
    if isinstance(error, SystemExit):
        return f"called sys.exit({error.code!r})"
    try:
        text = str(error)
    except BaseException as nested:  # noqa: BLE001 - even an exception's __str__ is plugin code
        if isinstance(nested, PASSES_THROUGH):
            raise
        text = ""
    name = type(error).__name__
    return f"{name}: {text}".replace("\n", " ") if text else name
