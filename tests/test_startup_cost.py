"""What `journeyql check` must not pay for at start-up (issue 14), and that the shortcuts taken for
it give exactly what the long way gives.

Each probe runs in a fresh interpreter, so modules another test imported do not hide an import.
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from journeyql.workspace.config import Config, default_config, plain_config


def _fresh(code: str) -> dict:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_the_package_does_not_load_importlib_abc():
    """The moved-modules hook is a finder by protocol: importlib.abc drags in importlib.resources,
    pathlib and tempfile, a tenth of check's start-up."""
    found = _fresh("import json, sys, journeyql; print(json.dumps(sorted(sys.modules)))")
    assert "journeyql" in found
    assert "importlib.abc" not in found and "importlib.resources" not in found


def test_the_old_module_names_still_work_without_importlib_abc():
    found = _fresh("import json, sys, warnings\n"
                   "warnings.simplefilter('ignore')\n"
                   "import journeyql.span, journeyql.diagnostics.span\n"
                   "print(json.dumps([journeyql.span is journeyql.diagnostics.span]))")
    assert found == [True]


def test_importing_the_model_and_the_settings_builds_no_validator():
    """defer_build holds only if no default is validated at import: the Journey's default scale and
    the settings' defaults are built without validation (a validator build also loads pydantic's
    plugin machinery)."""
    found = _fresh("import json, sys, pydantic\n"
                   "import journeyql.language.model as m, journeyql.workspace.config as c\n"
                   "built = [n for mod in (m, c) for n, v in vars(mod).items() if isinstance(v, type)\n"
                   "         and issubclass(v, pydantic.BaseModel) and v.__pydantic_complete__]\n"
                   "print(json.dumps([built, 'pydantic.plugin._loader' in sys.modules]))")
    assert found == [[], False]


def test_a_plain_configuration_is_read_without_validators():
    found = _fresh("import json, sys, tempfile, pathlib\n"
                   "from journeyql.workspace.config import load_config, Config\n"
                   "root = pathlib.Path(tempfile.mkdtemp())\n"
                   "(root / 'journeyql.toml').write_text('[workspace]\\nname = \"x\"\\nlocale = \"nl\"\\n')\n"
                   "config, problems = load_config(root)\n"
                   "print(json.dumps([config.workspace.locale, config.workspace.name, problems,\n"
                   "                  Config.__pydantic_complete__]))")
    assert found == ["nl", "x", [], False]


def test_the_defaults_equal_validated_defaults():
    assert default_config() == Config() == Config.model_validate({})
    assert default_config().workspace.locale == "en" and default_config().analysis.report_n == 30


# TOML-shaped values: what tomllib can give, nested a little
_scalars = st.one_of(st.booleans(), st.integers(-3, 100_000), st.floats(-5, 100_000, allow_nan=False),
                     st.sampled_from(["en", "nl", "en-GB", "zh-Hant-TW", "e", "en\n", "x" * 40, "off", "info",
                                      "warning", "error", "loud", "out", "site", ""]),
                     st.text(max_size=6))
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.sampled_from(["title", "x", "en"]), inner, max_size=2), max_leaves=6)
_section_keys = st.sampled_from(["name", "locale", "locales", "renderers", "output", "renderer_timeout",
                                 "report_n", "show_n", "other"])
_sections = st.dictionaries(_section_keys, _values, max_size=4)
_tables = st.fixed_dictionaries({}, optional={
    "workspace": st.one_of(_sections, _values),
    "build": st.one_of(_sections, _values),
    "analysis": st.one_of(_sections, _values),
    "rules": st.dictionaries(st.sampled_from(["JQL101", "missing-translation", "x"]), _values, max_size=3),
    "render": st.dictionaries(st.sampled_from(["site", "plan"]), _values, max_size=2),
    "myplugin": _values,
    "_private": _values,
})


@settings(max_examples=400, deadline=None)
@given(_tables)
def test_the_plain_reading_gives_what_validation_gives(data):
    """Whenever the shortcut answers, it answers exactly as pydantic's validation does (values,
    types, which fields were set, the plugins' extra tables); when validation fails, it does not answer."""
    fast = plain_config(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            slow = Config.model_validate(data)
    except ValidationError:
        assert fast is None
        return
    if fast is None:
        return
    assert fast == slow
    assert fast.model_fields_set == slow.model_fields_set
    assert fast.model_dump() == slow.model_dump()
    for name in ("workspace", "build", "analysis"):
        assert getattr(fast, name).model_fields_set == getattr(slow, name).model_fields_set
        for field, value in getattr(slow, name):
            assert type(getattr(getattr(fast, name), field)) is type(value)


def test_the_plain_reading_answers_for_the_usual_files():
    usual = {"workspace": {"name": "Bank", "locale": "en", "locales": ["en", "nl"]},
             "rules": {"JQL101": "off"}, "render": {"site": {"title": "x"}},
             "build": {"renderers": ["site"], "output": "out"}, "analysis": {"report_n": 20}}
    assert plain_config(usual) is not None
    assert plain_config(usual) == Config.model_validate(usual)


# --- the light path: `check` without rule plugins imports no pydantic (issue 14, `coldcheck`) -------

_CHECK_PROBE = ("import json, sys\n"
                "from journeyql.cli import main\n"
                "code = main(['check', %r, '--format', 'concise'])\n"
                "print(json.dumps([code, sorted(sys.modules)]))")


def _cold_check(folder, cache) -> tuple[int, list[str]]:
    import os

    env = {**os.environ, "JOURNEYQL_CACHE_DIR": str(cache)}
    runs = [subprocess.run([sys.executable, "-c", _CHECK_PROBE % str(folder)], capture_output=True, text=True,
                           env=env, timeout=120) for _ in range(2)]  # the first run writes the plugin index
    assert runs[-1].stderr == "" or "Traceback" not in runs[-1].stderr, runs[-1].stderr
    code, modules = json.loads(runs[-1].stdout.strip().splitlines()[-1])
    return code, modules


def test_a_cold_check_without_rule_plugins_imports_no_pydantic(tmp_path):
    """The core rules run on the light classes (light_model.py) and journeyql.toml is read without
    pydantic (settings.py): neither pydantic nor its BaseModel, the model module, the settings
    classes nor pluggy is imported. Importing any of them again costs 0.1-0.3x of the target."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    for folder in ("bank-mortgage", "telecom-switch"):
        code, modules = _cold_check(root / "specs" / folder, tmp_path / "cache")
        assert code == 0
        assert "journeyql.language.light_model" in modules and "journeyql.workspace.rules" in modules
        heavy = [m for m in modules if m.split(".")[0] in ("pydantic", "pydantic_core", "pluggy")
                 or m in ("journeyql.language.model", "journeyql.workspace.config", "journeyql.host.plugins")]
        assert heavy == [], folder


def test_a_plugin_rule_still_receives_the_pydantic_model(tmp_path, monkeypatch, capsys):
    """Only without rule plugins is the light path taken: a plugin's rule gets the model plugins know."""
    import os

    sys.path.insert(0, os.path.dirname(__file__))
    from test_plugin_index import install, workspace

    from journeyql.cli import main
    from journeyql.host.plugins import reset_host

    monkeypatch.setenv("JOURNEYQL_CACHE_DIR", str(tmp_path / "cache"))
    install(tmp_path, monkeypatch, "acme_model", '''
import journeyql
from journeyql.diagnostics.span import Span

def check(workspace):
    yield journeyql.Diagnostic("ACME002", "acme-model", journeyql.Severity.ERROR,
                               f"got {type(workspace).__module__}.{type(workspace).__name__}",
                               Span(workspace.files[0], 1, 1, 1, 2))

@journeyql.hookimpl
def register_rules(register):
    register("ACME002", "acme-model", "error", "names the model's class", check)
''')
    ws = workspace(tmp_path)
    for _ in range(2):  # without, then with the plugin index
        reset_host()
        assert main(["check", str(ws), "--format", "concise"]) == 1
        assert "got journeyql.language.model.Workspace" in capsys.readouterr().out
    reset_host()


def test_the_settings_as_a_config_equal_the_loaded_config():
    """A plain journeyql.toml is kept as Settings; asked for, its Config is what load_config gives."""
    from pathlib import Path

    from journeyql.workspace import discover
    from journeyql.workspace.config import load_config
    from journeyql.workspace.settings import Settings

    root = Path(__file__).resolve().parents[1]
    for folder in sorted((root / "specs").iterdir()):
        (ws,) = discover([str(folder)])
        loaded, problems = load_config(ws.root)
        assert problems == [] and isinstance(ws.settings, Settings)
        assert ws.config == loaded and ws.config.model_fields_set == loaded.model_fields_set
        assert ws.settings.workspace.locale == loaded.workspace.locale and ws.settings.rules == loaded.rules


def test_the_check_api_takes_the_light_path_too():
    """journeyql.check() runs the core rules only: it builds no pydantic model, and finds what the
    pydantic path finds (a broken spec's diagnostics, compared whole)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    spec = root / "tests" / "diagnostic_cases" / "waves" / "waves.jql"
    probe = ("import json, sys, journeyql\n"
             f"found = journeyql.check({str(root / 'specs' / 'bank-mortgage')!r})\n"
             "print(json.dumps([len(found), sorted(sys.modules)]))")
    count, modules = _fresh(probe)
    assert count == 0
    assert "journeyql.language.light_model" in modules
    assert not [m for m in modules if m.split(".")[0] in ("pydantic", "pydantic_core")
                or m == "journeyql.language.model"]
    import journeyql
    from journeyql.workspace import analyse, discover

    found = journeyql.check(spec)
    assert found and found == [d for ws in discover([str(spec)]) for d in analyse(ws).diagnostics]
