"""Running renderers: options, templates, the render context, incremental builds.

A renderer never touches the file system itself: it gets a
:class:`RenderContext` and writes through it into the shared
:class:`~journeyql.host.output.OutputSink`.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..workspace.plugin_guard import PASSES_THROUGH, describe_failure
from .output import OutputError, OutputSink, safe_relative_path
from .time_limit import TimeLimitExceeded, call_with_time_limit, time_limit


class RenderError(Exception):
    """A renderer could not do its job; the message says why, in the user's words."""


class OptionsError(Exception):
    """Renderer options that do not validate (exit code 2)."""


# --- options --------------------------------------------------------------------------

def parse_settings(settings: list[str]) -> dict[str, dict[str, Any]]:
    """``--set NAME.KEY=VALUE`` flags -> {renderer: {key: value}}; values are JSON when they parse as JSON."""
    result: dict[str, dict[str, Any]] = {}
    for setting in settings or ():
        target, sep, raw = setting.partition("=")
        renderer, dot, key = target.partition(".")
        if not sep or not dot or not renderer or not key:
            raise OptionsError(f"--set {setting!r}: write --set RENDERER.OPTION=VALUE")
        try:
            value = json.loads(raw)
        except ValueError:
            value = raw
        result.setdefault(renderer.strip(), {})[key.strip()] = value
    return result


def resolve_options(renderer, config_options: dict, cli_options: dict):
    """The renderer's options model, from journeyql.toml's [render.NAME] overridden by --set."""
    from pydantic import ValidationError

    merged = {**(config_options or {}), **(cli_options or {})}
    try:
        return renderer.options.model_validate(merged)
    except PASSES_THROUGH:
        raise
    except ValidationError as error:
        problems = []
        for problem in error.errors():
            where = ".".join(str(p) for p in problem["loc"]) or "(options)"
            problems.append(f"`{renderer.name}.{where}`: {problem['msg'].lower()}")
        fields = ", ".join(sorted(renderer.options.model_fields)) or "none"
        raise OptionsError(f"invalid options for renderer {renderer.name}: " + "; ".join(problems)
                           + f" (options: {fields})") from None
    except BaseException as error:  # noqa: BLE001 - the options model is plugin code too
        raise OptionsError(f"the options of renderer {renderer.name} (plugin {renderer.plugin} {renderer.version}) "
                           f"failed to validate: {describe_failure(error)}") from None


# --- templates -------------------------------------------------------------------------

# one environment per run, compiled templates cached across runs: see templates.py
from .templates import shared_environment, template_environment  # noqa: E402,F401 - part of this module's API


# --- the context ---------------------------------------------------------------------------

@dataclass
class RenderContext:
    """What a renderer gets: the options, the templates, and the place to write."""

    renderer: str
    options: Any
    locale: str
    locales: tuple[str, ...]
    workspace_root: Path
    _sink: OutputSink
    _template_path: list[Path]
    written: list[str] = field(default_factory=list)
    _env: Any = None
    #: measured results (:class:`journeyql.measure.results.Results`), or None when there are no responses
    results: Any = None
    #: files the other renderers of this run wrote: {renderer: (path, ...)}, paths relative to the
    #: output directory; filled for renderers registered with ``collects=True``, empty for the others
    outputs: dict = field(default_factory=dict)
    #: what the renderer wants the user to know without failing (shown as warnings by the CLI)
    warnings: list[str] = field(default_factory=list)
    #: set when the renderer was stopped (time limit): a renderer left running may write no more
    stopped: bool = False
    #: the journeys whose files this run must write (None: all); see :meth:`each_journey`
    _redo: Any = None
    _journey: str | None = None
    _scoped: set = field(default_factory=set)  # journeys whose files were made (or kept) per journey
    _reuse: bool = False  # an incremental build: the previous run's files may be read (previous_output)

    def each_journey(self, items, journey=None):
        """The items whose files this run must write, each with the files written meanwhile recorded as its journey's.

        ``items`` are journeys, or anything made for one journey (a survey per measurement plan):
        ``journey(item)`` names its journey id (default: ``item.id``). Files written while an item is
        current must depend only on that journey and on what lies outside the journeys (personas,
        organisations, plans, options, templates, results): never on another journey. Then a build
        after a change inside one journey skips the items of the others, keeping the files they
        wrote last time, and runs the renderer for the rest (files written outside this loop, like
        an index of all journeys, are always written).
        """
        for item in items:
            ident = str(journey(item) if journey is not None else item.id)
            self._scoped.add(ident)
            if self._redo is not None and ident not in self._redo:
                self.written.extend(self._sink.keep_journey(ident))
                continue
            previous, self._journey = self._journey, ident
            try:
                yield item
            finally:
                self._journey = previous

    def previous_output(self, path: str) -> bytes | None:
        """The bytes this renderer wrote at ``path`` in the last build of this output folder, or None.

        None also when the file was changed or removed since, when another renderer wrote it, and
        in a ``--force`` build. For output derived from another output by an expensive step (an
        SVG laid out by graphviz from the DOT written beside it): when the input's bytes are
        those of last time, the derived file can be written again as it was. Whatever the renderer
        writes is still written through the context (and recorded in the manifest).
        """
        if not self._reuse or self._sink._renderer != self.renderer:
            return None
        return self._sink.previous_bytes(self.renderer, path)

    def warn(self, message: str) -> None:
        """Tell the user something (e.g. that SVGs were skipped and how to get them); the render still succeeds."""
        if message not in self.warnings:
            self.warnings.append(str(message))

    def write_text(self, path: str, text: str) -> None:
        """Write a text file (UTF-8, ``\\n`` line ends) at ``path`` inside the output directory."""
        self.write_bytes(path, text.replace("\r\n", "\n").encode("utf-8"))

    def write_bytes(self, path: str, data: bytes) -> None:
        if self.stopped:
            raise RenderError(f"renderer {self.renderer} was stopped; it may write no more")
        try:
            self.written.append(self._sink.write(path, data, self._journey))
        except OutputError as error:
            raise RenderError(str(error)) from None

    def read_output(self, path: str) -> bytes:
        """The bytes of a file another renderer wrote in this run (one of ``context.outputs``).

        For collecting renderers that build on another's result rather than only link it (the
        board deck shows the plan's ranking from its ``plan/plan.json``).
        """
        try:
            name = safe_relative_path(path)
        except OutputError as error:
            raise RenderError(str(error)) from None
        if not any(name in files for files in self.outputs.values()):
            raise RenderError(f"{path} is not a file another renderer wrote in this run")
        try:
            return (self._sink.root / name).read_bytes()
        except OSError as error:
            raise RenderError(f"cannot read {path}: {error.strerror}") from None

    def render_template(self, name: str, /, **variables) -> str:
        """Render a jinja2 template found in the workspace's templates/ or the plugins' template dirs."""
        from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

        from .template_loader import TemplateRefused

        if self._env is None:  # a context made outside run_renderers (tests, benchmarks)
            self._env = shared_environment(self._template_path, self.workspace_root)
        try:
            template = self._env.get_template(name)
            return template.render(**variables)
        except TemplateSyntaxError as error:
            where = error.filename or error.name or name
            raise RenderError(f"template {where}, line {error.lineno}: {error.message}") from None
        except TemplateRefused as error:
            raise RenderError(error.message) from None
        except TemplateNotFound as error:
            searched = ", ".join(str(p) for p in self._template_path) or "nowhere"
            raise RenderError(f"template {error.name} not found (searched {searched})") from None
        except TemplateError as error:
            line = _template_line(error, name)
            raise RenderError(f"template {name}{line}: {error}") from None


def _template_line(error, name: str) -> str:
    """The template line of a runtime template error, from the traceback."""
    tb = error.__traceback__
    line = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(name) or filename.endswith(name.replace("/", os.sep)):
            line = tb.tb_lineno
        tb = tb.tb_next
    return f", line {line}" if line else ""


# --- fingerprints -----------------------------------------------------------------------------

# one hash of every template file of a run; the build planner computes it before any plugin is loaded
from .planning import template_digest, templates_key  # noqa: E402,F401 - part of this module's API


def fingerprint(renderer, options, sources, config_text: str, templates: list[Path], root: Path,
                extra: str = "", *, templates_hash: str | None = None, model_key: str | None = None) -> str:
    """What a renderer's output depends on: the specs, the config, its options, templates and versions.

    ``extra`` is whatever else it saw: the measured results, and for a collecting
    renderer the files of the others. ``templates_hash`` is :func:`~.planning.templates_key` of
    ``templates`` when the caller has it already (a run hashes its templates once).
    The specs count by their tokens (comments and layout left out) or, when given, by
    ``model_key`` (the build planner's key of the model); a renderer registered with
    ``positions=True`` also by where each token stands.
    """
    from .. import __version__
    from .planning import sources_key

    digest = hashlib.sha256()
    for part in (__version__, renderer.name, renderer.plugin, renderer.version,
                 json.dumps(options.model_dump(mode="json"), sort_keys=True), config_text, extra):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    # paths relative to the workspace root: the same specs give the same fingerprint wherever JourneyQL runs
    positions = bool(getattr(renderer, "positions", False))
    if model_key is None or positions:
        digest.update(sources_key(sources, root, positions=positions).encode("ascii"))
    else:
        digest.update(sources_key([], root).encode("ascii"))
        for relative in sorted(os.path.relpath(s.path, root) for s in sources):
            digest.update(relative.replace(os.sep, "/").encode("utf-8") + b"\0")
    if model_key is not None:
        digest.update(model_key.encode("ascii"))
    digest.update(b"\0")
    digest.update((templates_hash or templates_key(templates)).encode("ascii"))
    return digest.hexdigest()


# --- the pipeline ------------------------------------------------------------------------------

_TIME_LIMIT_HINT = " ([build] renderer_timeout in journeyql.toml, or JOURNEYQL_RENDERER_TIMEOUT, sets the limit)"

@dataclass
class RenderOutcome:
    renderer: str
    status: str  # written | unchanged | failed
    files: list[str] = field(default_factory=list)
    message: str | None = None
    plugin: str = ""
    version: str = ""
    warnings: list[str] = field(default_factory=list)


def run_renderers(workspace, ws_sources, renderers, out_dir: Path, cli_options: dict, *, incremental: bool,
                  template_dirs: list[Path], progress=None, results=None, plan=None) -> list[RenderOutcome]:
    """Run ``renderers`` on one resolved workspace, writing into ``out_dir``.

    Collecting renderers (``collects=True``) run last, in name order, and see the
    files of every other renderer of the run in ``context.outputs``. A renderer whose
    inputs are those of its last run is skipped; one whose files are made per journey
    (:meth:`RenderContext.each_journey`) redoes only the journeys that changed. ``plan``
    (:class:`~journeyql.host.planning.BuildPlan`) is recorded in the manifest when every
    renderer succeeded, so the next build with the same inputs is skipped before analysis.
    """
    from .planning import model_keys

    config = ws_sources.config
    config_render = getattr(config, "render", None) or {}
    config_path = ws_sources.root / "journeyql.toml"
    try:
        config_text = config_path.read_text(encoding="utf-8") if config_path.is_file() else ""
    except OSError:
        config_text = ""
    search_path = [ws_sources.root / "templates", *template_dirs]
    # options are validated for every renderer before anything is written
    options = {r.name: resolve_options(r, config_render.get(r.name, {}), cli_options.get(r.name, {}))
               for r in renderers}
    sink = OutputSink(out_dir)
    outcomes = []
    locales = tuple(config.workspace.locales) or (config.workspace.locale,)
    renderers = [r for r in renderers if not r.collects] + sorted((r for r in renderers if r.collects),
                                                                   key=lambda r: r.name)
    measured = repr(results) if results is not None else ""
    templates_hash = templates_key(search_path, plan.digests if plan is not None else None)
    seconds = time_limit(getattr(getattr(config, "build", None), "renderer_timeout", None))
    env = shared_environment(search_path, ws_sources.root)
    inputs = plan.record(workspace, results) if plan is not None else None  # response files as they are now
    with _frozen_heap():
        shared_key, journey_keys = model_keys(workspace)
        journeys_key = json.dumps(journey_keys, sort_keys=True)
        for index, renderer in enumerate(renderers, 1):
            if progress:
                progress(index, len(renderers), renderer.name)
            outputs: dict[str, tuple[str, ...]] = {}
            if renderer.collects:
                for outcome in outcomes:
                    if outcome.status != "failed" and outcome.files:
                        outputs[outcome.renderer] = tuple(outcome.files)
            extra = measured + "\0" + json.dumps(
                {name: [sink.entries.get(p, {}).get("sha256", "") for p in files] for name, files in outputs.items()},
                sort_keys=True) if outputs else measured
            # shared: what every file of the renderer depends on; the whole print adds every journey
            shared = fingerprint(renderer, options[renderer.name], ws_sources.sources, config_text, search_path,
                                 ws_sources.root, extra, templates_hash=templates_hash, model_key=shared_key)
            print_ = hashlib.sha256(f"{shared}\0{journeys_key}".encode("utf-8")).hexdigest()
            if incremental and sink.up_to_date(renderer.name, print_):
                files = sink.keep(renderer.name)
                outcomes.append(RenderOutcome(renderer.name, "unchanged", files, plugin=renderer.plugin,
                                              version=renderer.version))
                continue
            redo = None
            if incremental:
                record = sink.previous_record(renderer.name)
                if (record.get("shared") == shared and isinstance(record.get("journeys"), dict)
                        and sink.intact(renderer.name)):
                    redo = frozenset(j for j, key in journey_keys.items() if record["journeys"].get(j) != key)
            context = RenderContext(renderer.name, options[renderer.name], config.workspace.locale, locales,
                                    ws_sources.root, sink, search_path, results=results, outputs=outputs,
                                    _env=env, _redo=redo, _reuse=incremental)
            sink.begin(renderer.name)
            try:
                call_with_time_limit(lambda: renderer.render(workspace, context), seconds)
                # a renderer that warned (e.g. SVGs skipped: no graphviz) is not recorded as up to date,
                # so the next build runs it again and picks up what has changed around it
                files = sink.commit(None if context.warnings else print_)
                if context._scoped and not context.warnings:
                    # only journeys made per journey this time may be skipped next time
                    sink.records[renderer.name] = {"shared": shared, "journeys": {
                        j: key for j, key in journey_keys.items() if j in context._scoped}}
            except RenderError as error:
                sink.discard()
                outcomes.append(RenderOutcome(renderer.name, "failed", message=str(error), plugin=renderer.plugin,
                                              version=renderer.version))
                continue
            except OutputError as error:
                sink.discard()
                outcomes.append(RenderOutcome(renderer.name, "failed", message=str(error), plugin=renderer.plugin,
                                              version=renderer.version))
                continue
            except PASSES_THROUGH:
                context.stopped = True
                sink.discard()
                raise
            except TimeLimitExceeded as error:
                context.stopped = True
                sink.discard()
                outcomes.append(RenderOutcome(renderer.name, "failed", message=str(error) + _TIME_LIMIT_HINT,
                                              plugin=renderer.plugin, version=renderer.version))
                continue
            except BaseException as error:  # noqa: BLE001 - even sys.exit: reported, the others still run
                context.stopped = True
                sink.discard()
                outcomes.append(RenderOutcome(renderer.name, "failed", message=describe_failure(error),
                                              plugin=renderer.plugin, version=renderer.version))
                continue
            outcomes.append(RenderOutcome(renderer.name, "written", files, plugin=renderer.plugin,
                                          version=renderer.version, warnings=list(context.warnings)))
    failed = {o.renderer for o in outcomes if o.status == "failed"}
    complete = not failed and not any(o.warnings for o in outcomes)
    sink.write_manifest(keep_renderers=failed, inputs=inputs if complete else None)
    return outcomes


@contextmanager
def _frozen_heap():
    """The model and the results live through the whole run: out of the cyclic collector's way, its
    passes over what the renderers allocate do not rescan them, and rendering stays linear in size.

    No ``gc.collect()`` first: it cost ~25 ms of CPU per workspace (the whole heap, every module
    loaded), a twentieth of a one-label rebuild, to free almost nothing (the analysis leaves no
    cycles behind). Whatever garbage is frozen goes back to the oldest generation on unfreeze."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
