"""Bounds on what one template render may cost: loop iterations, sizes of values, call depth.

Templates come from the workspace (a pull request may change them) or from plugins. jinja2's sandbox
keeps them away from the host, but not from the CPU and memory: ``range(10**5)`` nested twice loops
10^10 times and ``'a' * 10**10`` asks for 10 GB. These limits end such a render with a
:class:`TemplateLimitExceeded` (a jinja2 ``SecurityError``), which the renderer reports as
``template NAME, line N: ...`` like any other template error, long before the renderer time limit.

- loop iterations: every ``{% for %}`` iterable is wrapped (after parsing) in a counter shared by
  the whole render, includes and macros included;
- sizes: ``*``, ``+`` and ``**`` are checked before they compute, ``%`` formatting, ``~``, calls
  and filters after, so no value grows past :data:`MAX_SIZE` items or characters by more than one
  step (a filter that pads to a huge width is refused before it runs);
- call depth: a macro calling itself ends at :data:`MAX_DEPTH`, not in a RecursionError.

The limits are far above what the standard templates need on the largest workspace we measured.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from jinja2 import nodes
from jinja2.environment import Template
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

#: Loop iterations one render may run, all loops together.
MAX_ITERATIONS = 10_000_000
#: Characters of a text, items of a list, or digits of a number any one value may have.
MAX_SIZE = 10_000_000
#: Nested calls (macros, ``caller()``, recursive loops).
MAX_DEPTH = 50

_LOOP_GUARD = "__journeyql_bounded_loop__"
_SIZE_GUARD = "__journeyql_bounded_size__"
# a width or precision of eight digits or more in a format string (``%99999999s``, ``{:>99999999}``),
# or one taken from the arguments (``%*s``)
_HUGE_WIDTH = re.compile(r"%[-#0 +]*\d*\.?\d{8,}|\{[^{}]*:[^{}]*\d{8,}[^{}]*\}")
_PERCENT_WIDTH_ARGUMENT = re.compile(r"%[-#0 +]*\*|%[-#0 +]*\d*\.\*")
_BRACE_WIDTH_ARGUMENT = re.compile(r"\{[^{}]*\{")
_WIDTH_ARGUMENT = {"center", "ljust", "rjust", "zfill", "expandtabs", "indent", "wordwrap"}


class TemplateLimitExceeded(SecurityError):
    """A template went past one of the bounds of this module."""


def _size(value: Any) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return value.bit_length() // 3  # about its decimal digits, without printing it
    if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)):
        return len(value)
    return 0


def _checked(value: Any, what: str) -> Any:
    if _size(value) > MAX_SIZE:
        raise TemplateLimitExceeded(f"{what} would make a value of more than {MAX_SIZE:,} items or characters")
    return value


class _Budget:
    def __init__(self) -> None:
        self.iterations = 0
        self.depth = 0

    def loop(self, iterable: Iterable) -> Iterator:
        for item in iterable:
            self.iterations += 1
            if self.iterations > MAX_ITERATIONS:
                raise TemplateLimitExceeded(f"more than {MAX_ITERATIONS:,} loop iterations in one render")
            yield item


class _Guards(NodeTransformer):
    """Wraps every loop's iterable in the iteration counter and every ``~`` in the size check."""

    def visit_For(self, node: nodes.For) -> nodes.For:  # noqa: N802 - jinja2's visitor names
        self.generic_visit(node)
        node.iter = nodes.Call(nodes.Name(_LOOP_GUARD, "load"), [node.iter], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Call:  # noqa: N802
        self.generic_visit(node)
        return nodes.Call(nodes.Name(_SIZE_GUARD, "load"), [node], [], None, None, lineno=node.lineno)


class BoundedTemplate(Template):
    def render(self, *args: Any, **kwargs: Any) -> str:
        environment = self.environment
        if getattr(environment, "_rendering", False):  # a nested render shares its caller's budget
            return super().render(*args, **kwargs)
        environment._budget = _Budget()
        environment._rendering = True
        try:
            return super().render(*args, **kwargs)
        finally:
            environment._rendering = False


class BoundedSandboxedEnvironment(ImmutableSandboxedEnvironment):
    """jinja2's immutable sandbox with the bounds above."""

    intercepted_binops = frozenset(["*", "+", "**", "%"])
    template_class = BoundedTemplate

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._budget = _Budget()
        self._rendering = False
        self.globals[_LOOP_GUARD] = lambda iterable: self._budget.loop(iterable)
        self.globals[_SIZE_GUARD] = lambda value: _checked(value, "joining texts with ~")
        self.filters = {name: self._bounded_filter(name, f) for name, f in self.filters.items()}

    # -- loops and ~ : rewritten after parsing, so every template, include and macro is covered
    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = _Guards().visit(super()._parse(source, name, filename))
        tree.set_environment(self)
        return tree

    # -- operators
    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(count, int) and _size(sequence) and isinstance(sequence, (str, bytes, list, tuple)):
                    if len(sequence) * max(count, 0) > MAX_SIZE:
                        raise TemplateLimitExceeded(
                            f"repeating {len(sequence):,} items {count:,} times would make more than "
                            f"{MAX_SIZE:,} items or characters")
        elif operator == "+":
            if _size(left) + _size(right) > MAX_SIZE and not isinstance(left, int):
                raise TemplateLimitExceeded(f"adding these would make more than {MAX_SIZE:,} items or characters")
        elif operator == "**":
            if isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0 \
                    and left.bit_length() * right > MAX_SIZE * 3:
                raise TemplateLimitExceeded(f"{left} ** {right} would have more than {MAX_SIZE:,} digits")
        elif operator == "%" and isinstance(left, str):
            _refuse_huge_format("%", left, right if isinstance(right, tuple) else (right,), {})
        return _checked(super().call_binop(context, operator, left, right), f"{operator!r}")

    # -- calls
    def call(__self, __context, __obj, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - jinja2's signature
        name = getattr(__obj, "__name__", "")
        if name in _WIDTH_ARGUMENT and isinstance(getattr(__obj, "__self__", None), str):
            _refuse_huge_arguments(name, args, kwargs)
        budget = __self._budget
        budget.depth += 1
        try:
            if budget.depth > MAX_DEPTH:
                raise TemplateLimitExceeded(f"calls nested more than {MAX_DEPTH} deep (a macro calling itself?)")
            return _checked(super().call(__context, __obj, *args, **kwargs), f"calling {name or 'a function'}")
        finally:
            budget.depth -= 1

    def wrap_str_format(self, value: Any) -> Any:
        """``str.format`` as the sandbox runs it, refused first when it would pad to a huge width."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        owner = value.__self__

        def bounded_format(*args: Any, **kwargs: Any) -> str:
            _refuse_huge_format("format", owner, args, kwargs)
            return wrapped(*args, **kwargs)

        return bounded_format

    def _bounded_filter(self, name: str, function: Any) -> Any:
        if not callable(function):
            return function

        def bounded(*args: Any, **kwargs: Any) -> Any:
            if name in _WIDTH_ARGUMENT:
                _refuse_huge_arguments(name, args, kwargs)
            if name == "format" and args and isinstance(args[0], str):
                _refuse_huge_format(name, args[0], args[1:], kwargs)
            return _checked(function(*args, **kwargs), f"the filter {name}")

        # jinja2 passes the context, eval context or environment first to filters marked so
        for marker in ("jinja_pass_arg",):
            if hasattr(function, marker):
                setattr(bounded, marker, getattr(function, marker))
        bounded.__name__ = getattr(function, "__name__", name)
        return bounded


def _refuse_huge_arguments(name: str, args: tuple, kwargs: dict) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and value > MAX_SIZE:
            raise TemplateLimitExceeded(f"{name} with a width of {value:,} (more than {MAX_SIZE:,}) is not run")


def _refuse_huge_format(name: str, pattern: str, args: tuple, kwargs: dict) -> None:
    """A format that pads or repeats to a huge width, written in it or taken from its arguments."""
    if _HUGE_WIDTH.search(pattern):
        raise TemplateLimitExceeded(f"{name}: a format with a width of more than 7 digits is not run")
    if _PERCENT_WIDTH_ARGUMENT.search(pattern) or _BRACE_WIDTH_ARGUMENT.search(pattern):
        _refuse_huge_arguments(name, args, kwargs)
