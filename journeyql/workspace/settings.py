"""`journeyql.toml` read without pydantic: what ``journeyql check`` needs of it.

A usual file (every value already of its field's type) becomes a :class:`Settings`: the same
attributes as the pydantic :class:`~journeyql.workspace.config.Config`, which is built from it only
when something asks for it (``WorkspaceSources.config``: renderers, plugins). A file whose values
need validation's coercions or messages goes through ``Config.model_validate`` as before. So a cold
``check`` of a workspace with a plain configuration imports no pydantic (docs/performance.md).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..diagnostics import CONFIG_ERROR, OUTSIDE_WORKSPACE, Diagnostic
from ..diagnostics.span import Span

CONFIG_NAME = "journeyql.toml"
#: A language tag (BCP 47 shape: nl, en-GB, zh-Hant-TW): locales name output files, so nothing else passes.
LOCALE_PATTERN = r"^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$"
LEVELS = frozenset(("off", "info", "warning", "error"))

#: Each section's fields and defaults, as config.py's settings classes have them (a test keeps them equal).
DEFAULTS = {
    "workspace": {"name": None, "locale": "en", "locales": ()},
    "build": {"renderers": None, "output": None, "renderer_timeout": None},
    "analysis": {"report_n": 30, "show_n": 5},
}
#: Config's own fields; any other top-level table is kept for plugins.
FIELDS = ("workspace", "rules", "render", "build", "analysis")


def _locale(value) -> bool:
    return type(value) is str and len(value) <= 35 and re.fullmatch(LOCALE_PATTERN, value) is not None


def _strs(value) -> bool:
    return type(value) is list and all(type(item) is str for item in value)


def plain_values(data: dict) -> tuple[dict, dict] | None:
    """(Config's fields given, the plugins' extra tables) when every value already has the type its
    field wants (arrays become tuples; sections are dicts of their given keys); None when anything
    needs pydantic's validation (its coercions or its messages)."""
    values: dict = {}
    extra: dict = {}
    for key, value in data.items():
        if key in DEFAULTS:
            section = _plain_section(key, value)
            if section is None:
                return None
            values[key] = section
        elif key == "rules":
            if type(value) is not dict or not all(type(v) is str and v in LEVELS for v in value.values()):
                return None
            values[key] = dict(value)
        elif key == "render":
            if type(value) is not dict or not all(type(v) is dict for v in value.values()):
                return None
            values[key] = dict(value)
        elif key in FIELDS or key.startswith("_"):
            return None
        else:
            extra[key] = value  # tables for plugins: kept as written, as extra="allow" does
    return values, extra


def _plain_section(name: str, value) -> dict | None:
    if type(value) is not dict:
        return None
    out = {}
    for key, item in value.items():
        if name == "workspace" and key == "name" and type(item) is str:
            out[key] = item
        elif name == "workspace" and key == "locale" and _locale(item):
            out[key] = item
        elif name == "workspace" and key == "locales" and type(item) is list and all(map(_locale, item)):
            out[key] = tuple(item)
        elif name == "build" and key == "renderers" and _strs(item):
            out[key] = tuple(item)
        elif name == "build" and key == "output" and type(item) is str:
            out[key] = item
        elif name == "build" and key == "renderer_timeout" and type(item) is float and 0 < item <= 86_400:
            out[key] = item
        elif name == "analysis" and key in ("report_n", "show_n") and type(item) is int and item >= 1:
            out[key] = item
        else:
            return None
    return out


class Section:
    """One table of the settings (workspace, build, analysis) with its defaults filled in."""

    def __init__(self, name: str, given: dict):
        self.__dict__.update(DEFAULTS[name], **given)


class Settings:
    """A plain ``journeyql.toml`` (or none): Config's attributes, without pydantic."""

    def __init__(self, values: dict | None = None, extra: dict | None = None):
        self.values = values or {}
        self.extra = extra or {}
        self.workspace = Section("workspace", self.values.get("workspace", {}))
        self.build = Section("build", self.values.get("build", {}))
        self.analysis = Section("analysis", self.values.get("analysis", {}))
        self.rules = self.values.get("rules", {})
        self.render = self.values.get("render", {})
        self._config = None

    def level_of(self, code: str, name: str) -> str | None:
        return self.rules.get(code, self.rules.get(name))

    def as_config(self):
        """The pydantic Config of these settings (built once), exactly what validation gives."""
        if self._config is None:
            from .config import config_of

            self._config = config_of(self.values, self.extra)
        return self._config


def read_settings(root: Path) -> tuple[object, list[Diagnostic]]:
    """The workspace's settings, a :class:`Settings` or (for a file that needs validating) a
    pydantic Config; a broken file is a diagnostic and the defaults are used."""
    import tomllib

    from .confine import refusal

    path = root / CONFIG_NAME
    if not os.path.lexists(path):
        return Settings(), []
    shown = str(path)
    problem = refusal(path, root)
    if problem is not None:
        return Settings(), [Diagnostic.of(OUTSIDE_WORKSPACE, f"the configuration is not read: {problem}",
                                          Span(shown, 1, 1, 1, 1))]
    try:
        text = path.read_bytes().decode("utf-8")
        data = tomllib.loads(text)
    except RecursionError:  # tables or arrays nested thousands deep
        return Settings(), [Diagnostic.of(CONFIG_ERROR, "the configuration is nested too deep to read",
                                          Span(shown, 1, 1, 1, 1))]
    except UnicodeDecodeError:
        return Settings(), [Diagnostic.of(CONFIG_ERROR, "the configuration is not UTF-8 text",
                                          Span(shown, 1, 1, 1, 1))]
    except tomllib.TOMLDecodeError as error:
        line, column = 1, 1
        match = re.search(r"at line (\d+), column (\d+)", str(error))
        if match:
            line, column = int(match.group(1)), int(match.group(2))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        return Settings(), [Diagnostic.of(CONFIG_ERROR, f"the configuration is not valid TOML: {message}",
                                          Span(shown, line, column, line, column + 1))]
    except OSError as error:
        return Settings(), [Diagnostic.of(CONFIG_ERROR, f"cannot read the configuration: {error.strerror}",
                                          Span(shown, 1, 1, 1, 1))]
    plain = plain_values(data)
    if plain is not None:
        return Settings(*plain), []
    from .config import validated_config

    config, problems = validated_config(data, text, shown)
    return (config if config is not None else Settings()), problems


def unknown_rule_settings(config, root: Path, known: set[str]) -> list[Diagnostic]:
    """`[rules]` entries naming no rule, built-in or plugin (known: every code and name)."""
    path = root / CONFIG_NAME
    diagnostics = []
    text = None
    for key in config.rules:
        if key in known or key.upper() in known or key.lower() in known:
            continue
        if text is None:
            try:
                text = path.read_text(encoding="utf-8")
            except OSError:
                text = ""
        line = line_of(text, ("rules", key))
        diagnostics.append(Diagnostic.of(CONFIG_ERROR, f"`rules.{key}` names no known rule",
                                         Span(str(path), line, 1, line, 2),
                                         hint="use a code like JQL303 or a name like unused-persona"))
    return diagnostics


def line_of(text: str, loc) -> int:
    """Best effort: the line where the last key of ``loc`` is written."""
    for key in reversed([str(p) for p in loc if not isinstance(p, int)]):
        match = re.search(rf'^\s*"?{re.escape(key)}"?\s*=|^\s*\[{re.escape(key)}\]', text, re.M)
        if match:
            return text.count("\n", 0, match.start()) + 1
    return 1
