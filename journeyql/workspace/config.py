"""`journeyql.toml`: workspace settings (default locale, rule severities, renderer options)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from ..diagnostics import CONFIG_ERROR, OUTSIDE_WORKSPACE, Diagnostic
from ..diagnostics.span import Span

CONFIG_NAME = "journeyql.toml"
RuleLevel = Literal["off", "info", "warning", "error"]
#: A language tag (BCP 47 shape: nl, en-GB, zh-Hant-TW): locales name output files, so nothing else passes.
LOCALE_PATTERN = r"^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$"
Locale = Annotated[str, StringConstraints(pattern=LOCALE_PATTERN, max_length=35)]


class WorkspaceSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    name: str | None = None
    locale: Locale = Field(default="en", description="Default locale of the spec texts.")
    locales: tuple[Locale, ...] = Field(default=(), description="Locales outputs are made in (default: the locale).")


class BuildSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    renderers: tuple[str, ...] | None = Field(
        default=None, description="Renderers `journeyql build` runs (default: every standard renderer).")
    output: str | None = Field(default=None, description="Default output directory of `journeyql build`.")
    renderer_timeout: float | None = Field(
        default=None, gt=0, le=86_400,
        description="Seconds one renderer may run before it is stopped and reported as failed (default 600; "
                    "the JOURNEYQL_RENDERER_TIMEOUT environment variable overrides it).")


class AnalysisSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    report_n: int = Field(default=30, ge=1, description="Respondents below which a figure is marked as a small sample.")
    show_n: int = Field(default=5, ge=1, description="Respondents below which a figure is not shown at all.")


class Config(BaseModel):
    """The parsed configuration; unknown top-level tables are kept for plugins."""

    model_config = ConfigDict(extra="allow", frozen=True, defer_build=True)
    # defaults built without validation: calling the classes here would build their validators at
    # import (defer_build); a workspace without journeyql.toml never validates one
    workspace: WorkspaceSettings = WorkspaceSettings.model_construct()
    rules: dict[str, RuleLevel] = Field(default_factory=dict, description="Rule code or name -> severity.")
    render: dict[str, dict] = Field(default_factory=dict, description="Renderer name -> its options.")
    build: BuildSettings = BuildSettings.model_construct()
    analysis: AnalysisSettings = AnalysisSettings.model_construct()

    def level_of(self, code: str, name: str) -> str | None:
        return self.rules.get(code, self.rules.get(name))


def default_config() -> Config:
    """The settings of a workspace without ``journeyql.toml`` (built without running a validator)."""
    return Config.model_construct()


_LEVELS = frozenset(("off", "info", "warning", "error"))


def _locale(value) -> bool:
    return type(value) is str and len(value) <= 35 and re.fullmatch(LOCALE_PATTERN, value) is not None


def _strs(value) -> bool:
    return type(value) is list and all(type(item) is str for item in value)


def plain_config(data: dict) -> Config | None:
    """``data`` as a :class:`Config` without pydantic's validators, when every value already has the
    type its field wants (only arrays become tuples); None for anything else, which then goes
    through ``Config.model_validate`` with its coercions and messages.

    Why: validating a journeyql.toml builds five validators and loads pydantic's plugin machinery
    (entry points), ~15 ms of every ``journeyql check``'s start-up for a file of three lines. A
    property test checks this gives exactly what validation gives, whenever it gives anything.
    """
    known = {"workspace": WorkspaceSettings, "build": BuildSettings, "analysis": AnalysisSettings}
    values: dict = {}
    extra: dict = {}
    for key, value in data.items():
        if key in known:
            section = _plain_section(key, value)
            if section is None:
                return None
            values[key] = known[key].model_construct(**section)
        elif key == "rules":
            if type(value) is not dict or not all(type(v) is str and v in _LEVELS for v in value.values()):
                return None
            values[key] = dict(value)
        elif key == "render":
            if type(value) is not dict or not all(type(v) is dict for v in value.values()):
                return None
            values[key] = dict(value)
        elif key in Config.model_fields or key.startswith("_"):
            return None
        else:
            extra[key] = value  # tables for plugins: kept as written, as extra="allow" does
    return Config.model_construct(_fields_set={*values, *extra}, **values, **extra)


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


def load_config(root: Path) -> tuple[Config, list[Diagnostic]]:
    """The workspace's configuration; a broken file is a diagnostic and the defaults are used."""
    import tomllib

    from .confine import refusal

    path = root / CONFIG_NAME
    if not os.path.lexists(path):
        return default_config(), []
    shown = str(path)
    problem = refusal(path, root)
    if problem is not None:
        return default_config(), [Diagnostic.of(OUTSIDE_WORKSPACE, f"the configuration is not read: {problem}",
                                                  Span(shown, 1, 1, 1, 1))]
    try:
        text = path.read_bytes().decode("utf-8")
        data = tomllib.loads(text)
    except RecursionError:  # tables or arrays nested thousands deep
        return default_config(), [Diagnostic.of(CONFIG_ERROR, "the configuration is nested too deep to read",
                                                  Span(shown, 1, 1, 1, 1))]
    except UnicodeDecodeError:
        return default_config(), [Diagnostic.of(CONFIG_ERROR, "the configuration is not UTF-8 text",
                                                  Span(shown, 1, 1, 1, 1))]
    except tomllib.TOMLDecodeError as error:
        line, column = 1, 1
        match = re.search(r"at line (\d+), column (\d+)", str(error))
        if match:
            line, column = int(match.group(1)), int(match.group(2))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        return default_config(), [Diagnostic.of(CONFIG_ERROR, f"the configuration is not valid TOML: {message}",
                                                  Span(shown, line, column, line, column + 1))]
    except OSError as error:
        return default_config(), [Diagnostic.of(CONFIG_ERROR, f"cannot read the configuration: {error.strerror}",
                                                  Span(shown, 1, 1, 1, 1))]
    config = plain_config(data)
    if config is not None:
        return config, []
    try:
        config = Config.model_validate(data)
    except RecursionError:
        return default_config(), [Diagnostic.of(CONFIG_ERROR, "the configuration is nested too deep to read",
                                                  Span(shown, 1, 1, 1, 1))]
    except ValidationError as error:
        diagnostics = []
        for problem in error.errors():
            where = ".".join(str(p) for p in problem["loc"])
            line = _line_of(text, problem["loc"])
            diagnostics.append(Diagnostic.of(CONFIG_ERROR, f"`{where}`: {problem['msg'].lower()}",
                                             Span(shown, line, 1, line, 2)))
        return default_config(), diagnostics
    return config, []


def unknown_rule_settings(config: Config, root: Path, known: set[str]) -> list[Diagnostic]:
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
        line = _line_of(text, ("rules", key))
        diagnostics.append(Diagnostic.of(CONFIG_ERROR, f"`rules.{key}` names no known rule",
                                         Span(str(path), line, 1, line, 2),
                                         hint="use a code like JQL303 or a name like unused-persona"))
    return diagnostics


def _line_of(text: str, loc) -> int:
    """Best effort: the line where the last key of ``loc`` is written."""
    for key in reversed([str(p) for p in loc if not isinstance(p, int)]):
        match = re.search(rf'^\s*"?{re.escape(key)}"?\s*=|^\s*\[{re.escape(key)}\]', text, re.M)
        if match:
            return text.count("\n", 0, match.start()) + 1
    return 1
