"""Running renderers: options, templates, the render context, incremental builds.

A renderer never touches the file system itself: it gets a
:class:`RenderContext` and writes through it into the shared
:class:`~journeyql.host.output.OutputSink`.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..workspace.plugin_guard import PASSES_THROUGH, describe_failure
from .output import OutputError, OutputSink
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

def template_environment(search_path: list[Path]):
    """A sandboxed jinja2 environment: autoescape for HTML/XML/SVG, strict undefined, no host access.

    Templates may come from the workspace or a third-party plugin, so they run
    in jinja2's sandbox; spec text is user input, so markup is escaped.
    """
    from jinja2 import ChoiceLoader, StrictUndefined, select_autoescape
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from .template_loader import ConfinedLoader  # links out of a template folder, FIFOs: refused

    loader = ChoiceLoader([ConfinedLoader(str(p)) for p in search_path if p.is_dir()])
    env = ImmutableSandboxedEnvironment(
        loader=loader,
        autoescape=select_autoescape(["html", "htm", "xml", "svg", "html.j2", "svg.j2", "xml.j2"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


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
            self.written.append(self._sink.write(path, data))
        except OutputError as error:
            raise RenderError(str(error)) from None

    def render_template(self, name: str, /, **variables) -> str:
        """Render a jinja2 template found in the workspace's templates/ or the plugins' template dirs."""
        from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

        from .template_loader import TemplateRefused

        if self._env is None:
            self._env = template_environment(self._template_path)
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

def template_digest(templates: list[Path]) -> str:
    """One hash of every template file in ``templates`` (the same for all renderers of a run)."""
    from .template_loader import readable_template

    digest = hashlib.sha256()
    for directory in dict.fromkeys(templates):  # a folder registered by several plugins counts once
        if directory.is_dir():
            for path in sorted(directory.rglob("*")):
                # byte-code caches and hidden files are not templates (and differ between machines)
                parts = path.relative_to(directory).parts
                if any(p == "__pycache__" or p.startswith(".") for p in parts) or path.suffix in (".pyc", ".pyo"):
                    continue
                if path.is_file() and readable_template(path, directory):  # never a link out, a FIFO
                    digest.update(str(path.relative_to(directory)).encode("utf-8"))
                    digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(renderer, options, sources, config_text: str, templates: list[Path], root: Path,
                extra: str = "", *, templates_hash: str | None = None) -> str:
    """What a renderer's output depends on: the specs, the config, its options, templates and versions.

    ``extra`` is whatever else it saw: the measured results, and for a collecting
    renderer the files of the others. ``templates_hash`` is :func:`template_digest` of
    ``templates`` when the caller has it already (a run hashes its templates once).
    """
    from .. import __version__

    digest = hashlib.sha256()
    for part in (__version__, renderer.name, renderer.plugin, renderer.version,
                 json.dumps(options.model_dump(mode="json"), sort_keys=True), config_text, extra):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    # paths relative to the workspace root: the same specs give the same fingerprint wherever JourneyQL runs
    for relative, source in sorted((os.path.relpath(s.path, root), s) for s in sources):
        digest.update(relative.replace(os.sep, "/").encode("utf-8"))
        digest.update(b"\0")
        digest.update((source.text or "").encode("utf-8"))
        digest.update(b"\0")
    digest.update((templates_hash or template_digest(templates)).encode("ascii"))
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
                  template_dirs: list[Path], progress=None, results=None) -> list[RenderOutcome]:
    """Run ``renderers`` on one resolved workspace, writing into ``out_dir``.

    Collecting renderers (``collects=True``) run last, in name order, and see the
    files of every other renderer of the run in ``context.outputs``.
    """
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
    templates_hash = template_digest(search_path)
    seconds = time_limit(getattr(getattr(config, "build", None), "renderer_timeout", None))
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
        print_ = fingerprint(renderer, options[renderer.name], ws_sources.sources, config_text, search_path,
                             ws_sources.root, extra, templates_hash=templates_hash)
        if incremental and sink.up_to_date(renderer.name, print_):
            files = sink.keep(renderer.name)
            outcomes.append(RenderOutcome(renderer.name, "unchanged", files, plugin=renderer.plugin,
                                          version=renderer.version))
            continue
        context = RenderContext(renderer.name, options[renderer.name], config.workspace.locale, locales,
                                ws_sources.root, sink, search_path, results=results, outputs=outputs)
        sink.begin(renderer.name)
        try:
            call_with_time_limit(lambda: renderer.render(workspace, context), seconds)
            # a renderer that warned (e.g. SVGs skipped: no graphviz) is not recorded as up to date,
            # so the next build runs it again and picks up what has changed around it
            files = sink.commit(None if context.warnings else print_)
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
    sink.write_manifest(keep_renderers=failed)
    return outcomes
