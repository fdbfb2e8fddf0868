"""docs/plugins.md documents every hook, with its signature and every keyword of its `register`."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from journeyql.host import hookspecs

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")


def hooks():
    return [(name, fn) for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
            if hasattr(fn, "journeyql_spec")]


def register_parameters() -> dict[str, list[str]]:
    """For each hook, the parameters of the `register` callable the host really hands a plugin."""
    import journeyql
    from journeyql.host.plugins import PluginHost

    seen = {}

    class Spy:
        __name__ = "spy"

    spy = Spy()
    for name, _ in hooks():
        def capture(register, _name=name):
            seen[_name] = list(inspect.signature(register).parameters)
        setattr(spy, name, journeyql.hookimpl(capture, specname=name))
    host = PluginHost(entry_points=False, plugins=(spy,))
    host.renderers, host.rules, host.readers, host.template_dirs  # noqa: B018 - runs every hook
    return seen


def test_every_hook_is_documented_with_its_signature():
    assert len(hooks()) == 4
    for name, fn in hooks():
        signature = f"{name}({', '.join(inspect.signature(fn).parameters)})"
        assert f"### `{signature}`" in DOC, signature


def test_every_register_keyword_is_documented():
    parameters = register_parameters()
    assert set(parameters) == {name for name, _ in hooks()}
    for hook, names in parameters.items():
        section = DOC.split(f"### `{hook}(register)`", 1)[1].split("\n### ", 1)[0]
        assert f"register({', '.join(names)}" in section.replace("=()", "").replace("=None", "").replace("=False", ""), (hook, names)
        for name in names:
            assert f"`{name}`" in section or name in section.split("```")[1], (hook, name)


def test_every_standard_renderer_and_reader_is_named_in_the_plugin_guide():
    from journeyql.host.plugins import PluginHost

    host = PluginHost()
    guide = (Path(__file__).resolve().parents[1] / "docs" / "plugins.md").read_text(encoding="utf-8")
    opening = guide.split("## ", 1)[0]
    standard = [name for name, renderer in host.renderers.items() if renderer.standard]
    assert len(standard) >= 13
    for name in [*standard, *host.readers]:
        assert f"`{name}`" in opening, name
