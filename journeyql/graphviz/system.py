"""The system engine: the installed graphviz's ``dot`` program, run through the graphviz package.

The graphviz package builds the command line (``dot -K<layout> -Tsvg``) and runs it with DOT on
stdin and SVG on stdout. ``graphviz.pipe`` is exactly ``dot_command.command`` followed by
``execute.run_check``, but takes no time limit; those two are called here so that
``subprocess.run``'s ``timeout`` stops a ``dot`` that hangs on a huge graph.
"""

from __future__ import annotations

import shutil
import subprocess

from .errors import HOW_TO_INSTALL, GraphvizError, GraphvizUnavailable


def find_dot() -> str | None:
    """The path of the system ``dot`` program, or None."""
    return shutil.which("dot")


def run(source: str, layout: str, timeout: float) -> str:
    """The SVG the system ``dot`` draws for ``source`` with the ``layout`` program (raw, not yet deterministic)."""
    from graphviz import CalledProcessError, ExecutableNotFound
    from graphviz.backend import dot_command, execute

    # graphviz's `nop` layout is `neato -n1` (positions as given); the package knows it by that name only
    command = (dot_command.command("neato", "svg", neato_no_op=1) if layout == "nop"
               else dot_command.command(layout, "svg"))
    try:
        done = execute.run_check(command, input=source.encode("utf-8"), capture_output=True, quiet=True,
                                 timeout=timeout)
    except subprocess.TimeoutExpired:
        raise GraphvizError(f"graphviz (`dot`) took longer than {timeout:g} s and was stopped") from None
    except ExecutableNotFound:  # removed between choosing and running
        raise GraphvizUnavailable(f"there is no `dot` program on PATH: {HOW_TO_INSTALL}") from None
    except CalledProcessError as failed:
        problem = (failed.stderr or b"").decode("utf-8", "replace").strip() or f"exit status {failed.returncode}"
        raise GraphvizError(f"graphviz (`dot`) could not read the DOT: {problem}") from None
    except OSError as error:
        raise GraphvizUnavailable(f"cannot run dot: {error.strerror or error}: {HOW_TO_INSTALL}") from None
    if not done.stdout:
        raise GraphvizError("graphviz (`dot`) returned no SVG")
    return done.stdout.decode("utf-8", "replace")
