"""The plugin host: finds, loads and guards plugins, and keeps what they register.

Plugins are found through the ``journeyql`` entry-point group; the standard
plugins are registered there too, exactly as a third party's would be.
Loading is guarded (sqlfluff style): a plugin that fails to import, or whose
hook raises, is recorded as a :class:`PluginProblem` naming the plugin and
its version, and every other plugin still works.

``JOURNEYQL_LOAD_PLUGINS=a,b`` loads only those entry points;
``JOURNEYQL_DISABLE_PLUGINS=a,b`` skips those (``all`` skips every one).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..workspace.plugin_guard import PASSES_THROUGH, describe_failure

ENTRY_POINT_GROUP = "journeyql"
HOOKS = ("register_renderers", "register_rules", "register_readers", "register_template_dirs")
_NAME = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")


class PluginError(Exception):
    """Something a plugin registered or did is wrong; the message names the plugin."""


@dataclass(frozen=True)
class PluginProblem:
    plugin: str
    version: str
    message: str

    def __str__(self) -> str:
        return f"plugin {self.plugin} {self.version}: {self.message}"


@dataclass
class PluginInfo:
    name: str
    version: str
    module: str
    hooks: list[str] = field(default_factory=list)
    renderers: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    readers: list[str] = field(default_factory=list)
    error: str | None = None
    distribution: str | None = None


@dataclass(frozen=True)
class Renderer:
    name: str
    description: str
    render: Callable[..., Any]
    outputs: tuple[str, ...]
    options: type
    formats: tuple[str, ...]
    plugin: str
    version: str
    standard: bool = False  # shipped with JourneyQL itself: `build` runs these by default
    collects: bool = False  # runs after the others and links their files (context.outputs), like `site`
    positions: bool = False  # writes where things stand in the specs (lines, columns), like `json`'s spans


@dataclass(frozen=True)
class Reader:
    name: str
    description: str
    suffixes: tuple[str, ...]
    read: Callable[..., Any]
    plugin: str
    version: str


def _empty_options():
    from pydantic import BaseModel, ConfigDict

    class NoOptions(BaseModel):
        """This renderer takes no options."""

        model_config = ConfigDict(extra="forbid")

    return NoOptions


def _env_names(variable: str) -> set[str] | None:
    raw = os.environ.get(variable)
    if raw is None or not raw.strip():
        return None
    return {part.strip() for part in raw.split(",") if part.strip()}


class PluginHost:
    """The loaded plugins and everything they registered."""

    def __init__(self, *, entry_points: bool = True, plugins: tuple = (), needs: tuple[str, ...] | None = None):
        """``needs``: the hooks the caller will use (``check``: ``register_rules``). Plugins the
        plugin index (``plugin_index.py``) knows implement none of them are not imported; their
        ``infos`` come from the index. None: every plugin is loaded (through the index too when it
        is valid: no ``importlib.metadata``, no scan of the installed distributions; a build)."""
        import pluggy

        from . import hookspecs

        self.manager = pluggy.PluginManager("journeyql")
        self.manager.add_hookspecs(hookspecs)
        self.infos: dict[str, PluginInfo] = {}
        self.problems: list[PluginProblem] = []
        if entry_points and not self._load_indexed(None if needs is None else set(needs)):
            self._load_entry_points()
        for plugin in plugins:  # in-process plugins: journeyql.host.testing and tests use these
            name = getattr(plugin, "__name__", None) or type(plugin).__name__
            self._register(plugin, name, getattr(plugin, "__version__", "0"), name)
        self._renderers: dict[str, Renderer] | None = None
        self._rules: list | None = None
        self._readers: dict[str, Reader] | None = None
        self._template_dirs: list[Path] | None = None

    # --- loading -----------------------------------------------------------------

    def _load_indexed(self, needs: set[str] | None) -> bool:
        """Load only the plugins the index says implement a hook in ``needs`` (None: every plugin);
        False without a valid index."""
        from importlib import import_module

        from . import plugin_index

        entries = plugin_index.read(plugin_index.index_key())
        if entries is None:
            return False
        for entry in entries:
            name, value, version = entry["name"], entry["value"], entry["version"]
            if needs is not None and not needs & set(entry["hooks"]):
                self.infos[name] = PluginInfo(name, version, value, hooks=list(entry["hooks"]),
                                              distribution=entry["distribution"])
                continue
            try:  # what EntryPoint.load() does
                module, _, attribute = value.partition(":")
                plugin = import_module(module.strip())
                for part in filter(None, attribute.strip().split(".")):
                    plugin = getattr(plugin, part)
            except PASSES_THROUGH:
                raise
            except BaseException as error:  # noqa: BLE001 - as in _load_entry_points
                message = f"failed to load: {describe_failure(error)}"
                self.infos[name] = PluginInfo(name, version, value, error=message, distribution=entry["distribution"])
                self.problems.append(PluginProblem(name, version, message))
                continue
            self._register(plugin, name, version, value, entry["distribution"])
        return True

    def _load_entry_points(self) -> None:
        from importlib.metadata import entry_points

        from . import plugin_index

        key = plugin_index.index_key()  # before anything is imported: a plugin may change sys.path
        only = _env_names("JOURNEYQL_LOAD_PLUGINS")
        disabled = _env_names("JOURNEYQL_DISABLE_PLUGINS") or set()
        found = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)
        seen = set()
        for ep in found:
            if ep.name in seen:  # the same distribution seen twice on sys.path
                continue
            seen.add(ep.name)
            if "all" in disabled or ep.name in disabled or (only is not None and ep.name not in only):
                continue
            dist = getattr(ep, "dist", None)
            version = getattr(dist, "version", None) or "unknown"
            distribution = getattr(dist, "name", None)
            try:
                plugin = ep.load()
            except PASSES_THROUGH:
                raise
            except BaseException as error:  # noqa: BLE001 - a broken plugin must not stop the others
                message = f"failed to load: {describe_failure(error)}"
                self.infos[ep.name] = PluginInfo(ep.name, version, ep.value, error=message, distribution=distribution)
                self.problems.append(PluginProblem(ep.name, version, message))
                continue
            self._register(plugin, ep.name, version, ep.value, distribution)
        self._remember(key)

    def _remember(self, key: str) -> None:
        """Write the plugin index after a load in which every entry-point plugin loaded and registered."""
        from . import plugin_index

        if self.problems:
            return
        entries = []
        for info in self.infos.values():
            files = plugin_index.package_files(info.module)
            if not files:
                return  # a plugin whose files cannot be watched: no index, so it is always loaded
            entries.append({"name": info.name, "value": info.module, "version": info.version,
                            "distribution": info.distribution, "hooks": sorted(info.hooks), "files": files})
        plugin_index.write(key, entries)

    def _register(self, plugin, name: str, version: str, module: str, distribution: str | None = None) -> None:
        try:
            self.manager.register(plugin, name=name)
        except PASSES_THROUGH:
            raise
        except BaseException as error:  # noqa: BLE001 - e.g. a hookimpl whose name matches no hook
            message = f"cannot be registered: {describe_failure(error) if not isinstance(error, Exception) else error}"
            self.infos[name] = PluginInfo(name, version, module, error=message)
            self.problems.append(PluginProblem(name, version, message))
            return
        hooks = sorted(hc.name for hc in self.manager.get_hookcallers(plugin) or ())
        self.infos[name] = PluginInfo(name, version, module, hooks=hooks, distribution=distribution)

    def _impls(self, hook: str):
        """(plugin name, version, function) of every implementation of ``hook``: the standard plugins
        first, so no other plugin can take a standard renderer's or reader's name, then in name order."""
        caller = getattr(self.manager.hook, hook)
        found = []
        for impl in caller.get_hookimpls():
            info = self.infos.get(impl.plugin_name)
            found.append((not self._standard(impl.plugin_name), impl.plugin_name,
                          info.version if info else "unknown", impl.function))
        return [item[1:] for item in sorted(found, key=lambda item: item[:2])]

    def _standard(self, plugin: str) -> bool:
        """Whether ``plugin`` ships with JourneyQL itself (its distribution is journeyql)."""
        info = self.infos.get(plugin)
        return bool(info and (info.distribution or "").lower() == "journeyql")

    def _call(self, hook: str, make_register) -> None:
        for plugin, version, function in self._impls(hook):
            register = make_register(plugin, version)
            try:
                function(register=register)
            except PluginError as error:
                self.problems.append(PluginProblem(plugin, version, str(error)))
            except PASSES_THROUGH:
                raise
            except BaseException as error:  # noqa: BLE001 - even sys.exit: reported, the other plugins still run
                self.problems.append(PluginProblem(plugin, version, f"{hook} failed: {describe_failure(error)}"))

    # --- what plugins register -------------------------------------------------------

    @property
    def renderers(self) -> dict[str, Renderer]:
        if self._renderers is None:
            self._renderers = {}

            def make_register(plugin: str, version: str):
                def register(name, description, render, outputs=(), options=None, formats=(), collects=False,
                             positions=False):
                    _check_name(name, "renderer")
                    if name in self._renderers:
                        other = self._renderers[name]
                        if other.standard and not self._standard(plugin):
                            raise PluginError(f"renderer `{name}` is the name of a standard renderer (plugin "
                                              f"{other.plugin} {other.version}); plugin {plugin} must use another name")
                        raise PluginError(f"renderer `{name}` is already registered by plugin {other.plugin}")
                    if not callable(render):
                        raise PluginError(f"renderer `{name}`: render must be callable")
                    options_model = _check_options(name, options)
                    standard = self._standard(plugin)
                    self._renderers[name] = Renderer(name, str(description).strip(), render,
                                                     tuple(outputs), options_model, tuple(formats), plugin, version,
                                                     standard, bool(collects), bool(positions))
                    self.infos.setdefault(plugin, PluginInfo(plugin, version, plugin)).renderers.append(name)
                return register

            self._call("register_renderers", make_register)
        return self._renderers

    @property
    def rules(self) -> list:
        if self._rules is None:
            from ..diagnostics import Severity
            from ..workspace.rules import Rule

            self._rules = []
            taken: dict[str, str] = {}

            def make_register(plugin: str, version: str):
                def register(code, name, severity, summary, check):
                    if not re.fullmatch(r"[A-Z][A-Z0-9]{1,9}\d{3}", str(code)) or str(code).startswith("JQL"):
                        raise PluginError(f"rule code `{code}` must look like ACME001 and not start with JQL")
                    _check_name(name, "rule")
                    if code in taken or name in taken.values():
                        raise PluginError(f"rule `{code}` ({name}) is already registered")
                    try:
                        level = Severity(severity.value if isinstance(severity, Severity) else str(severity))
                    except ValueError:
                        raise PluginError(f"rule `{code}`: severity must be error, warning or info") from None
                    if not callable(check):
                        raise PluginError(f"rule `{code}`: check must be callable")
                    taken[code] = name
                    self._rules.append(Rule(code, name, level, str(summary), check, plugin=f"{plugin} {version}"))
                    self.infos.setdefault(plugin, PluginInfo(plugin, version, plugin)).rules.append(code)
                return register

            self._call("register_rules", make_register)
        return self._rules

    @property
    def readers(self) -> dict[str, Reader]:
        if self._readers is None:
            self._readers = {}

            def make_register(plugin: str, version: str):
                def register(name, description, suffixes, read):
                    _check_name(name, "reader")
                    if name in self._readers:
                        other = self._readers[name].plugin
                        if self._standard(other) and not self._standard(plugin):
                            raise PluginError(f"reader `{name}` is the name of a standard reader (plugin {other}); "
                                              f"plugin {plugin} must use another name")
                        raise PluginError(f"reader `{name}` is already registered by plugin {other}")
                    if not callable(read):
                        raise PluginError(f"reader `{name}`: read must be callable")
                    endings = tuple(str(s).lower() for s in ([suffixes] if isinstance(suffixes, str) else suffixes))
                    if not endings or not all(s.startswith(".") for s in endings):
                        raise PluginError(f"reader `{name}`: suffixes look like ['.csv']")
                    self._readers[name] = Reader(name, str(description), endings, read, plugin, version)
                    self.infos.setdefault(plugin, PluginInfo(plugin, version, plugin)).readers.append(name)
                return register

            self._call("register_readers", make_register)
        return self._readers

    @property
    def template_dirs(self) -> list[Path]:
        if self._template_dirs is None:
            self._template_dirs = []

            def make_register(plugin: str, version: str):
                def register(path):
                    directory = Path(path)
                    if not directory.is_dir():
                        raise PluginError(f"template directory {directory} does not exist")
                    # several plugins may share one folder (the standard ones share journeyql_templates):
                    # it is searched, and hashed into fingerprints, once
                    if directory.resolve() not in {d.resolve() for d in self._template_dirs}:
                        self._template_dirs.append(directory)
                return register

            self._call("register_template_dirs", make_register)
        return self._template_dirs

    def describe(self) -> list[dict]:
        """What ``journeyql plugins --format json`` prints."""
        self.renderers, self.rules, self.readers, self.template_dirs  # noqa: B018 - fill the infos
        out = []
        for name in sorted(self.infos):
            info = self.infos[name]
            entry = {"name": info.name, "version": info.version, "renderers": sorted(info.renderers),
                     "hooks": sorted(info.hooks), "rules": sorted(info.rules), "readers": sorted(info.readers)}
            if info.error:
                entry["error"] = info.error
            out.append(entry)
        return out


def _check_name(name, what: str) -> None:
    if not isinstance(name, str) or not _NAME.match(name):
        raise PluginError(f"{what} name {name!r} must be lower-case words joined by - or _ (like `touchpoint-matrix`)")


def _check_options(name: str, options):
    from pydantic import BaseModel

    if options is None:
        return _empty_options()
    if not (isinstance(options, type) and issubclass(options, BaseModel)):
        raise PluginError(f"renderer `{name}`: options must be a pydantic model class")
    return options


_HOST: PluginHost | None = None


def get_host() -> PluginHost:
    """The process's plugin host, loaded on first use."""
    global _HOST
    if _HOST is None:
        _HOST = PluginHost()
    return _HOST


def reset_host() -> None:
    """Forget the loaded plugins (tests, and after installing a plugin in-process)."""
    global _HOST
    _HOST = None
