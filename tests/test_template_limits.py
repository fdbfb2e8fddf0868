"""Issue 13, item 4: templates are bounded. A workspace template (untrusted on a pull request) that
loops 10^10 times or builds a 10 GB text ends at once with an error naming the template, instead of
hanging until the renderer time limit or exhausting memory."""

from __future__ import annotations

import os
import resource
import time

import pytest
from jinja2 import DictLoader

from journeyql.cli import main
from journeyql.host.plugins import reset_host
from journeyql.host.template_limits import BoundedSandboxedEnvironment, TemplateLimitExceeded
from test_confined_reads import workspace

HOSTILE = {
    "nested loops": "{% for i in range(10**5) %}{% for j in range(10**5) %}{% endfor %}{% endfor %}",
    "loops over a text": "{% for c in 'ab' * 5000 %}{% for d in 'ab' * 5000 %}{% endfor %}{% endfor %}",
    "repeat a text": "{{ 'a' * 10**10 }}",
    "repeat a list": "{{ ([1] * 10**10)|length }}",
    "double with ~": "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "double with +": "{% set ns = namespace(s=[1]) %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
    "a huge power": "{{ 7 ** 1000000000 }}",
    "pad with a filter": "{{ 'a'|center(10**10) }}",
    "pad with a method": "{{ 'a'.ljust(10**10) }}",
    "indent hugely": "{{ 'a\nb'|indent(10**10) }}",
    "printf width": "{{ '%10000000000s' % 'a' }}",
    "printf width argument": "{{ '%*s' % (10**10, 'a') }}",
    "format width": "{{ '{:>10000000000}'.format('a') }}",
    "format width argument": "{{ '{:>{w}}'.format('a', w=10**10) }}",
    "format filter": "{{ '%*s'|format(10**10, 'a') }}",
    "grow by replace": "{% set ns = namespace(s='a' * 10) %}{% for i in range(12) %}"
                       "{% set ns.s = ns.s|replace('a', 'aaaaaaaaaa') %}{% endfor %}",
    "a macro calling itself": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
}


@pytest.fixture(autouse=True)
def fresh_host():
    reset_host()
    yield
    reset_host()


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_template_ends_quickly_with_a_limit(name):
    env = BoundedSandboxedEnvironment(loader=DictLoader({"hostile.html": HOSTILE[name]}))
    started = time.process_time()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(TemplateLimitExceeded):
        env.get_template("hostile.html").render()
    assert time.process_time() - started < 10
    grew_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak
    assert grew_kb < 1_000_000  # far from the gigabytes the template asks for


def test_ordinary_templates_are_not_limited():
    env = BoundedSandboxedEnvironment(loader=DictLoader({"fine.html": (
        "{% for i in range(3) %}{{ i ~ '-' }}{% endfor %}|{{ 'x'|center(5) }}|{{ [1, 2]|join(',') }}|{{ 2 ** 10 }}|"
        "{{ '%5.1f'|format(2.25) }}|{{ 'ab' * 3 }}|{{ '{:*^7}'.format('a') }}|{{ '%d' % 123456789012 }}|"
        "{{ 'Call 0800123456 %s' % 'us' }}|{{ '{:>{w}}'.format('a', w=3) }}|"
        "{% macro f(n) %}{{ n }}{% if n %}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(5) }}")}))
    assert env.get_template("fine.html").render() == (
        "0-1-2-|  x  |1,2|1024|  2.2|ababab|***a***|123456789012|Call 0800123456 us|  a|543210")


def test_the_budget_is_per_render_and_includes_share_it():
    env = BoundedSandboxedEnvironment(loader=DictLoader({
        "part.html": "{% for i in range(10**5) %}{% endfor %}",
        "page.html": "{% for i in range(60) %}{% include 'part.html' %}{% endfor %}",
        "small.html": "{% for i in range(10**5) %}{% endfor %}ok"}))
    for _ in range(120):  # 12M iterations in all, but 100,000 per render
        assert env.get_template("small.html").render() == "ok"
    env.get_template("page.html").render()  # 6M: under the limit
    env2 = BoundedSandboxedEnvironment(loader=DictLoader({
        "part.html": "{% for i in range(10**5) %}{% endfor %}",
        "page.html": "{% for i in range(200) %}{% include 'part.html' %}{% endfor %}"}))
    with pytest.raises(TemplateLimitExceeded, match="10,000,000 loop iterations"):
        env2.get_template("page.html").render()


def test_a_workspace_template_over_the_limit_fails_its_renderer_naming_the_template(tmp_path, capsys):
    ws = workspace(tmp_path)
    folder = ws / "templates" / "markdown"
    folder.mkdir(parents=True)
    (folder / "index.md.j2").write_text("# title\n\n" + HOSTILE["nested loops"] + "\n",
                                        encoding="utf-8")
    started = time.monotonic()
    code = main(["render", str(ws), "--to", "markdown", "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert time.monotonic() - started < 60
    assert code == 1
    assert "template markdown/index.md.j2, line 3: more than 10,000,000 loop iterations in one render" in err
    assert "internal error" not in err and "Traceback" not in err


def test_compiled_templates_planted_in_the_workspace_are_never_loaded(tmp_path, capsys):
    """jinja2's bytecode cache runs what it loads as Python: a pull request could commit a crafted
    `.journeyql-cache/templates/jinja2-*.cache` for a template it knows and run code on the CI runner,
    past the sandbox and these limits. Compiled templates live in the user's cache folder instead."""
    from jinja2 import FileSystemBytecodeCache, FileSystemLoader
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from journeyql.host import templates

    ws = workspace(tmp_path)
    folder = ws / "templates" / "markdown"
    folder.mkdir(parents=True)
    template = folder / "index.md.j2"
    template.write_text("# safe\n", encoding="utf-8")
    marker = tmp_path / "pwned"
    planted = ws / ".journeyql-cache" / "templates"
    planted.mkdir(parents=True)
    cache = FileSystemBytecodeCache(str(planted), "jinja2-%s.cache")
    env = ImmutableSandboxedEnvironment(loader=FileSystemLoader(str(ws / "templates")))
    for filename in (str(template), os.path.normpath(str(template))):
        bucket = cache.get_bucket(env, "markdown/index.md.j2", filename, template.read_text(encoding="utf-8"))
        bucket.code = compile(f"open({str(marker)!r}, 'w').write('ran')", filename, "exec")
        cache.set_bucket(bucket)
    templates._ENVIRONMENTS.clear()
    main(["render", str(ws), "--to", "markdown", "-o", str(tmp_path / "out")])
    assert not marker.exists()
    folder_used = templates.bytecode_folder(ws)
    assert folder_used is None or not folder_used.resolve().is_relative_to(ws.resolve())
