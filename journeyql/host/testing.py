"""Helpers for plugin authors' own test suites.

    import journeyql.host.testing
    import my_plugin

    def test_my_renderer():
        result = journeyql.host.testing.render('''
            stakeholder ops "Ops" { kind internal }
            channel web "Web" { kind web }
            persona p "P" { prefers web }
            journey j "J" { personas p  stage s "S" { step a "A" {
              touchpoint t "T" { channel web  owner ops } } } }
        ''', "my-renderer", plugins=[my_plugin])
        assert result.ok
        assert "T" in result.text("my-output.csv")

Everything runs through the same pipeline as ``journeyql render``: the spec is
checked (errors raise :class:`journeyql.SpecError`), the options validated, and
the files written through the output sink into a temporary directory.
"""

from __future__ import annotations

import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic, Severity, SpecError


@dataclass
class RenderResult:
    files: dict[str, bytes]
    status: str
    message: str | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status in ("written", "unchanged")

    def text(self, path: str) -> str:
        return self.files[path].decode("utf-8")


def _host(plugins, installed: bool):
    from .plugins import PluginHost

    return PluginHost(entry_points=installed, plugins=tuple(plugins))


def _workspace_dir(spec, files, config, root: Path) -> Path:
    if isinstance(spec, Path) or (isinstance(spec, str) and "\n" not in spec and "{" not in spec):
        return Path(spec)  # a path to an existing spec or workspace
    root.mkdir(parents=True, exist_ok=True)
    if spec is not None:
        (root / "spec.jql").write_text(textwrap.dedent(str(spec)), encoding="utf-8")
    for name, text in (files or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    if config is not None:
        (root / "journeyql.toml").write_text(textwrap.dedent(config), encoding="utf-8")
    return root


def check(spec=None, *, plugins=(), files=None, config=None, installed: bool = True) -> list[Diagnostic]:
    """Every diagnostic for a spec text (or a dict of files), with ``plugins``' rules running too."""
    from ..workspace import analyse, discover

    host = _host(plugins, installed)
    with tempfile.TemporaryDirectory(prefix="journeyql-test-") as temp:
        directory = _workspace_dir(spec, files, config, Path(temp) / "workspace")
        found = []
        for ws in discover([str(directory)]):
            found.extend(analyse(ws, host.rules).diagnostics)
        return found


def render(spec=None, renderer: str = "json", *, plugins=(), files=None, config=None, options=None,
           installed: bool = True, results=None) -> RenderResult:
    """Render a spec text (or a dict of ``files``, or a workspace path) with one renderer.

    ``plugins`` are modules or objects with ``@journeyql.hookimpl`` functions, loaded in-process
    next to the installed plugins (``installed=False`` loads only these). ``options`` are the
    renderer's options, as ``[render.NAME]`` in ``journeyql.toml`` would give them.
    ``results`` (a :class:`journeyql.measure.results.Results`) stands in for measured data.
    """
    from .rendering import run_renderers
    from ..workspace import analyse, discover

    host = _host(plugins, installed)
    problems = [str(p) for p in host.problems]
    if renderer not in host.renderers:
        raise LookupError(f"no renderer {renderer!r}; available: {', '.join(sorted(host.renderers))}"
                          + (f" (plugin problems: {'; '.join(problems)})" if problems else ""))
    with tempfile.TemporaryDirectory(prefix="journeyql-test-") as temp:
        directory = _workspace_dir(spec, files, config, Path(temp) / "workspace")
        workspaces = [w for w in discover([str(directory)]) if w.sources]
        if len(workspaces) != 1:
            raise ValueError(f"expected one workspace, found {len(workspaces)}")
        ws = workspaces[0]
        analysis = analyse(ws, host.rules)
        errors = [d for d in analysis.diagnostics if d.severity is Severity.ERROR]
        if errors or analysis.workspace is None:
            raise SpecError(analysis.diagnostics)
        out = Path(temp) / "out"
        outcome = run_renderers(analysis.workspace, ws, [host.renderers[renderer]], out,
                                {renderer: dict(options or {})}, incremental=False,
                                template_dirs=host.template_dirs, results=results)[0]
        files = {}
        if out.is_dir():
            for path in sorted(out.rglob("*")):
                if path.is_file() and path.name != "manifest.json":
                    files[path.relative_to(out).as_posix()] = path.read_bytes()
        return RenderResult(files, outcome.status, outcome.message, analysis.diagnostics, list(outcome.warnings))
