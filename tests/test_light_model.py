"""`check` without rule plugins runs the core rules on the light classes (light_model.py) instead of
the pydantic model (issue 14's cold check): the two must give the very same diagnostics, and the
light objects the same fields and values, on every example workspace, every diagnostic case, the
benchmark's generated workspaces and mutated specs."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from journeyql.language import light_codegen, light_model, model, shapes
from journeyql.language.schema import all_specs
from journeyql.workspace import Source, WorkspaceSources, analyse, discover
from journeyql.workspace.config import AnalysisSettings, BuildSettings, Config, WorkspaceSettings
from journeyql.workspace.settings import DEFAULTS, FIELDS, Settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

import generate  # noqa: E402
from test_mutations import SPECS, mutate  # noqa: E402


def _same_object(heavy, light, where="workspace") -> None:
    """Field by field: the light object holds what the pydantic one holds, nested objects alike."""
    if isinstance(heavy, BaseModel):
        assert type(light).__name__ == type(heavy).__name__, where
        assert isinstance(light, light_model.Light), where
        for name in type(heavy).model_fields:
            _same_object(getattr(heavy, name), getattr(light, name), f"{where}.{name}")
        for shape in type(heavy).__mro__:
            if shape.__module__ == shapes.__name__:
                assert isinstance(light, shape), (where, shape)
    elif type(heavy) is tuple:
        assert type(light) is tuple and len(light) == len(heavy), where
        for n, (a, b) in enumerate(zip(heavy, light)):
            _same_object(a, b, f"{where}[{n}]")
    else:
        assert type(light) is type(heavy) and light == heavy, where


def _both(ws: WorkspaceSources):
    """The diagnostics and models of the light path, and of the pydantic path (unvalidated and validated)."""
    light = analyse(ws, validate=False, light=True)
    built = analyse(ws, validate=False)
    validated = analyse(ws, validate=True)
    return light, built, validated


def _assert_same(ws: WorkspaceSources) -> None:
    light, built, validated = _both(ws)
    assert light.diagnostics == built.diagnostics
    if built.workspace is not None:
        _same_object(built.workspace, light.workspace)
    if validated.workspace is not None:  # validation adds no finding the binder missed
        assert light.diagnostics == validated.diagnostics


def _one(text: str, path: str = "x.jql") -> WorkspaceSources:
    return WorkspaceSources(Path("."), [Source(path, text)], Settings())


def test_the_light_model_is_generated_from_the_model():
    """light_model.py is what light_codegen writes for model.py as it is now (run
    `python -m journeyql.language.light_codegen` after changing the model)."""
    assert (ROOT / "journeyql" / "language" / "light_model.py").read_text(encoding="utf-8") == light_codegen.source()


def test_every_model_class_has_its_light_twin_with_the_same_fields():
    for name, cls in vars(model).items():
        if isinstance(cls, type) and issubclass(cls, BaseModel) and cls.__module__ == model.__name__:
            twin = getattr(light_model, name)
            assert [f[0] for f in twin._fields] == list(cls.model_fields)
            assert twin._required == {f for f, info in cls.model_fields.items() if info.is_required()}


def test_the_schema_names_the_model_classes():
    for spec in all_specs():
        assert spec.model_class.__name__ == spec.model.__name__ and issubclass(spec.model_class, BaseModel)
        for field in spec.model_class.model_fields:
            assert spec.requires(field) == spec.model_class.model_fields[field].is_required()


def test_the_plain_settings_have_configs_fields_and_defaults():
    assert FIELDS == tuple(Config.model_fields)
    for name, cls in (("workspace", WorkspaceSettings), ("build", BuildSettings), ("analysis", AnalysisSettings)):
        assert DEFAULTS[name] == {f: info.default for f, info in cls.model_fields.items()}
    assert Settings().as_config() == Config.model_validate({})


@pytest.mark.parametrize("folder", sorted(p.name for p in (ROOT / "specs").iterdir() if p.is_dir()))
def test_every_example_workspace_gives_the_same_diagnostics(folder):
    (ws,) = discover([str(ROOT / "specs" / folder)])
    assert ws.sources
    _assert_same(ws)


@pytest.mark.parametrize("case", sorted(p.name for p in (ROOT / "tests" / "diagnostic_cases").iterdir()))
def test_every_diagnostic_case_gives_the_same_diagnostics(case):
    """The diagnostic cases trigger every core rule: the light path finds each the same way."""
    for ws in discover([str(ROOT / "tests" / "diagnostic_cases" / case)]):
        _assert_same(ws)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_workspaces_give_the_same_diagnostics_and_objects(seed):
    _assert_same(_one(generate.workspace(40_000, seed=seed), "bench.jql"))


@pytest.mark.parametrize("seed", range(8))
def test_mutated_specs_give_the_same_diagnostics(seed):
    rng = random.Random(seed)
    for _ in range(8):
        source = rng.choice(SPECS)
        _assert_same(_one(mutate(source.read_text(encoding="utf-8"), rng), source.name))


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(SPECS), st.randoms(use_true_random=False))
def test_any_mutant_gives_the_same_diagnostics(source, rng):
    _assert_same(_one(mutate(source.read_text(encoding="utf-8"), rng), source.name))


def test_the_core_rules_call_nothing_only_pydantic_has():
    """The rules see the light objects: a pydantic method or class there would work on the model and
    fail (or differ) on the light path, so none is named in the rule modules."""
    for name in ("rules.py", "organisation_rules.py"):
        text = (ROOT / "journeyql" / "workspace" / name).read_text(encoding="utf-8")
        assert not re.search(r"\.model_\w+|BaseModel|language\.model\b|__pydantic|\bpydantic\b", text), name


def test_text_in_treats_both_class_sets_alike():
    text = ('journey j "J" {\n  stage s "S" {\n    step a "A" {\n      moment critical, "Truth"\n'
            '      wait 2d, "Queue"\n      need "n1"\n      need "n2"\n      need.nl "m1"\n    }\n  }\n}\n')
    heavy = analyse(_one(text), validate=False).workspace
    light = analyse(_one(text), validate=False, light=True).workspace
    assert light.get("j.a") is not None
    for field in ("label", "moment", "wait_points", "needs", "description"):
        assert shapes.text_in(heavy.get("j.a"), field, "nl") == shapes.text_in(light.get("j.a"), field, "nl")
    assert light.get("j.a").text("moment") == "Truth" and light.get("j.a").text("wait_points") == ("Queue",)
    assert light.get("j.a").text("needs", "nl") == ("m1", "n2")
    assert model.text_in is shapes.text_in
