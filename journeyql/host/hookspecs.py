"""Every hook a JourneyQL plugin can implement.

Each hook hands the plugin a ``register`` callable instead of asking it to
return something (the ``llm`` style): registration is validated where it
happens, with an error that names the plugin, and new keyword arguments can
be added to ``register`` later without breaking plugins written today.

Implement a hook with ``@journeyql.hookimpl`` in a module registered under
the ``journeyql`` entry-point group; see ``docs/plugins.md``.
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("journeyql")
hookimpl = pluggy.HookimplMarker("journeyql")


@hookspec
def register_renderers(register):
    """Register renderers: ``register(name, description, render, outputs=..., options=..., formats=..., collects=False, positions=False)``.

    ``name`` is what users pass to ``render --to``; ``render(workspace, context)``
    writes files through ``context``; ``outputs`` describes the files it produces
    (e.g. ``["<journey>.mmd", "journeys.md"]``); ``options`` is a pydantic model
    class whose fields users set in ``journeyql.toml`` (``[render.NAME]``) or with
    ``--set NAME.KEY=VALUE``; ``formats`` lists the file formats (``["md"]``).
    A renderer registered with ``collects=True`` (like ``site``) runs after the
    other renderers of the run and finds their files in ``context.outputs``.
    Measured results, when there are responses, are in ``context.results``
    (a :class:`journeyql.measure.results.Results`, else ``None``).
    ``positions=True`` says the files record where things stand in the specs
    (lines, columns), so a comment that moves lines rebuilds them; files made per
    journey are written inside ``for j in context.each_journey(...)`` so a change
    inside one journey redoes only that journey's files (docs/plugins.md).
    """


@hookspec
def register_rules(register):
    """Register lint rules: ``register(code, name, severity, summary, check)``.

    ``check(workspace)`` yields :class:`journeyql.Diagnostic` records (build them
    with ``journeyql.Diagnostic.of(...)`` or the ``diagnostic`` helper given to
    ``check`` by ``journeyql.workspace.rules``). Codes are the plugin's own (e.g.
    ``ACME001``), must not start with ``JQL`` and run in ``journeyql check`` like
    the built-in rules, with configurable severities and suppression comments.
    """


@hookspec
def register_readers(register):
    """Register readers of measurement data: ``register(name, description, suffixes, read)``.

    ``read(path)`` returns rows in the canonical response format (an iterable of
    mappings with ``respondent_id``, ``journey``, ``touchpoint``, ``item``,
    ``value``, ``timestamp`` and optionally ``persona``, ``organisation`` and ``line``, the
    record's line in the file, for the rejects report).
    ``suffixes`` are the file endings it reads (``[".csv"]``).
    """


@hookspec
def register_template_dirs(register):
    """Add directories of jinja2 templates: ``register(path)``.

    Templates are looked up in the workspace's own ``templates/`` first, then in
    these directories in plugin order, so users can restyle any output.
    """
