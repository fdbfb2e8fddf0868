"""`journeyql.toml`: workspace settings (default locale, rule severities, renderer options)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from ..diagnostics import CONFIG_ERROR, Diagnostic
from ..diagnostics.span import Span
# reading the file and the plain shortcut live in settings.py (no pydantic there, for `check`)
from .settings import CONFIG_NAME, LOCALE_PATTERN, line_of as _line_of, plain_values, read_settings
from .settings import unknown_rule_settings  # noqa: F401 - its home was here

RuleLevel = Literal["off", "info", "warning", "error"]
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


def plain_config(data: dict) -> Config | None:
    """``data`` as a :class:`Config` without pydantic's validators, when every value already has the
    type its field wants (only arrays become tuples); None for anything else, which then goes
    through ``Config.model_validate`` with its coercions and messages.

    Why: validating a journeyql.toml builds five validators and loads pydantic's plugin machinery
    (entry points), ~15 ms of every ``journeyql check``'s start-up for a file of three lines. A
    property test checks this gives exactly what validation gives, whenever it gives anything.
    """
    plain = plain_values(data)
    return None if plain is None else config_of(*plain)


_SECTIONS = {"workspace": WorkspaceSettings, "build": BuildSettings, "analysis": AnalysisSettings}


def config_of(values: dict, extra: dict) -> Config:
    """The Config of ``settings.plain_values``'s answer, built without validators."""
    fields = {key: _SECTIONS[key].model_construct(**value) if key in _SECTIONS else value
              for key, value in values.items()}
    return Config.model_construct(_fields_set={*values, *extra}, **fields, **extra)


def validated_config(data: dict, text: str, shown: str) -> tuple[Config | None, list[Diagnostic]]:
    """``data`` validated by pydantic; None and a diagnostic per problem when it is not valid."""
    try:
        return Config.model_validate(data), []
    except RecursionError:
        return None, [Diagnostic.of(CONFIG_ERROR, "the configuration is nested too deep to read",
                                    Span(shown, 1, 1, 1, 1))]
    except ValidationError as error:
        diagnostics = []
        for problem in error.errors():
            where = ".".join(str(p) for p in problem["loc"])
            line = _line_of(text, problem["loc"])
            diagnostics.append(Diagnostic.of(CONFIG_ERROR, f"`{where}`: {problem['msg'].lower()}",
                                             Span(shown, line, 1, line, 2)))
        return None, diagnostics


def load_config(root: Path) -> tuple[Config, list[Diagnostic]]:
    """The workspace's configuration; a broken file is a diagnostic and the defaults are used."""
    settings, problems = read_settings(root)
    return (settings if isinstance(settings, Config) else settings.as_config()), problems
