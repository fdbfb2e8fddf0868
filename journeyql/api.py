"""The public Python API: ``parse``, ``load``, ``check`` and ``to_be``."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from .diagnostics import NO_SPECS, Diagnostic, Severity, SpecError
from .diagnostics.span import Span


def parse(text: str, path: str = "<string>"):
    """The resolved :class:`~journeyql.language.model.Workspace` of one source text.

    Raises :class:`SpecError` (with every diagnostic) when the text has errors.
    """
    from .workspace.config import default_config
    from .workspace import Source, WorkspaceSources, analyse

    if not isinstance(text, str):
        raise TypeError("parse() takes the spec's text as a str; use load() for files")
    analysis = analyse(WorkspaceSources(Path("."), [Source(path, text)], default_config()))
    if analysis.errors or analysis.workspace is None:
        raise SpecError(analysis.diagnostics)
    return analysis.workspace


def load(*paths):
    """The resolved workspace of these files and directories (default: the current directory).

    Raises :class:`SpecError` when the specs have errors, or when the paths hold
    no specs or several workspaces.
    """
    from .workspace import UsageError, analyse, discover

    try:
        found = discover([str(p) for p in paths])
    except UsageError as error:
        raise SpecError([Diagnostic.of(NO_SPECS, str(error), Span(str(paths[0]) if paths else ".", 1, 1, 1, 1))])
    with_specs = [w for w in found if w.sources]
    if len(with_specs) != 1:
        if not with_specs:
            raise SpecError([d for w in found for d in w.diagnostics])
        roots = ", ".join(str(w.root) for w in with_specs)
        raise SpecError([Diagnostic.of(NO_SPECS, f"these paths hold {len(with_specs)} workspaces ({roots}); "
                                                 "load them one at a time", Span(str(paths[0]), 1, 1, 1, 1))])
    analysis = analyse(with_specs[0])
    if analysis.errors or analysis.workspace is None:
        raise SpecError(analysis.diagnostics)
    return analysis.workspace


def check(*paths) -> list[Diagnostic]:
    """Every diagnostic for these files and directories; never raises for bad spec content."""
    from .workspace import UsageError, analyse, discover

    try:
        found = discover([str(p) for p in paths])
    except UsageError as error:
        return [Diagnostic.of(NO_SPECS, str(error), Span(str(paths[0]) if paths else ".", 1, 1, 1, 1))]
    result: list[Diagnostic] = []
    for ws in found:
        # the core rules only, so the light classes do (no pydantic model built; the same diagnostics:
        # tests/test_light_model.py), as the `check` command without rule plugins
        result.extend(analyse(ws, light=True).diagnostics)
    return result


def to_be(workspace, journey, *, statuses=None):
    """``journey`` (a Journey or its id) as it will be after the workspace's improvements.

    Returns a :class:`~journeyql.language.to_be.ToBe`: ``as_is`` and ``journey`` (the to-be
    journey, a Journey every renderer can draw), ``added`` (key of each added step or
    touchpoint -> the improvement that adds it), ``changed`` (key of each step whose expected
    emotion an improvement changes -> that improvement), ``improvements`` and the new
    ``channels``. ``statuses`` picks the improvements that count (default: all but dropped).
    """
    from .language.to_be import to_be as compute

    return compute(workspace, journey, statuses=statuses)


class OrganisationView(NamedTuple):
    """One organisation's view of a journey it shares: see :func:`organisation_views`."""

    organisation: str
    journey: object           #: a Journey: the shared one with this organisation's ``for`` views applied
    results: object | None    #: this organisation's own respondents' figures (``Results``), or None


def organisation_views(workspace, journey, results=None) -> list[OrganisationView]:
    """The organisations' own views of ``journey`` (a Journey or its id), in the journey's order.

    For a journey several organisations share (``organisations a, b``): one view per organisation,
    ``journey.for_organisation(o, stakeholders)`` with the workspace's stakeholders, so actions owned by
    another organisation's staff are left out too, and ``results.for_organisation(o)`` when ``results``
    are given. Keys stay the shared journey's. For any other journey: an empty list. Renderers that
    draw a journey also draw each view as ``<journey>--<organisation>`` (docs/plugins.md).
    """
    if isinstance(journey, str):
        found = workspace.get(journey)
        if found is None or not hasattr(found, "stages"):
            raise KeyError(f"no journey {journey!r} in this workspace")
        journey = found
    if not journey.shared:
        return []
    staff = {s.id: s.organisation for s in workspace.stakeholders}
    return [OrganisationView(o, journey.for_organisation(o, staff),
                             results.for_organisation(o) if results is not None else None)
            for o in journey.organisations]


__all__ = ["parse", "load", "check", "to_be", "organisation_views", "OrganisationView", "SpecError", "Diagnostic", "Severity"]
