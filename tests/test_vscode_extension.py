"""The VS Code extension in editors/vscode: its TextMate grammar follows the schema and scopes every
keyword, text, number, amount, duration, percentage and comment of the example specs the way the
parser reads them (checked by vscode-tmgrammar-test on VS Code's own TextMate engine), and it
packages as a .vsix with @vscode/vsce.

The npm packages are installed into tests/.node/vscode on the first run (from the npm registry,
like Mermaid in test_renderers.py); nothing else is downloaded.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from journeyql.language.schema import TOP_LEVEL, all_specs
from journeyql.language.syntax import parse_syntax
from journeyql.language.syntax_nodes import Block

ROOT = Path(__file__).resolve().parents[1]
EXTENSION = ROOT / "editors" / "vscode"
GRAMMAR = EXTENSION / "syntaxes" / "journeyql.tmLanguage.json"
NODE_DIR = Path(__file__).parent / ".node" / "vscode"
TOOLS = {"@vscode/vsce": "@vscode/vsce@3", "vscode-tmgrammar-test": "vscode-tmgrammar-test@0.1.3"}
RUNTIME = NODE_DIR / "runtime"  # the extension's own dependencies, as a user's install has them
SPECS = sorted((ROOT / "specs").rglob("*.jql"))

VALUE_SCOPES = {"number": "constant.numeric.jql", "percent": "constant.numeric.percentage.jql",
                "duration": "constant.numeric.duration.jql", "money": "constant.numeric.amount.jql",
                "range": "constant.numeric.range.jql"}


def schema_words() -> tuple[set[str], set[str]]:
    """(block keywords, attribute keywords and translatable texts) of the schema."""
    blocks, attributes = set(TOP_LEVEL), set()
    for spec in all_specs():
        blocks |= set(spec.blocks)
        attributes |= set(spec.attrs) | set(spec.translatable)
    return blocks, attributes


def grammar_words(rule: str) -> set[str]:
    pattern = json.loads(GRAMMAR.read_text(encoding="utf-8"))["repository"][rule]["match"]
    return set(re.search(r"\\b\(([\w|]+)\)", pattern).group(1).split("|"))


def test_grammar_has_every_keyword_of_the_schema_and_no_other():
    blocks, attributes = schema_words()
    assert grammar_words("block-header") == blocks
    assert grammar_words("attribute-key") == blocks | attributes  # `channel web` inside a touchpoint


def test_manifest_wires_language_grammar_and_server():
    manifest = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
    language = manifest["contributes"]["languages"][0]
    assert language["extensions"] == [".jql"] and language["id"] == "journeyql"
    grammar = manifest["contributes"]["grammars"][0]
    assert (EXTENSION / grammar["path"]).resolve() == GRAMMAR and grammar["scopeName"] == "source.jql"
    configuration = json.loads((EXTENSION / language["configuration"]).read_text(encoding="utf-8"))
    assert configuration["comments"] == {"lineComment": "#"} and ["{", "}"] in configuration["brackets"]
    assert manifest["contributes"]["configuration"]["properties"]["journeyql.server.args"]["default"] == ["lsp"]
    script = (EXTENSION / manifest["main"]).read_text(encoding="utf-8")
    assert "vscode-languageclient/node" in script and "vscode-languageclient" in manifest["dependencies"]


# --- npm -------------------------------------------------------------------------------------------

def _node_tools() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.fail("Node.js and npm are not installed: VS Code's TextMate engine and vsce cannot run "
                    "(install nodejs and npm; a grammar test that silently does not run proves nothing)")
    manifest = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
    wanted = [(NODE_DIR, TOOLS), (RUNTIME, {name: f"{name}@{version}" for name, version in manifest["dependencies"].items()})]
    for prefix, packages in wanted:
        if not all((prefix / "node_modules" / name).is_dir() for name in packages):
            prefix.mkdir(parents=True, exist_ok=True)
            result = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(prefix),
                                     *packages.values()], capture_output=True, text=True, timeout=600)
            assert result.returncode == 0, result.stderr[-2000:]
    return NODE_DIR / "node_modules" / ".bin"


# --- the grammar against the parser ------------------------------------------------------------

class Expectations:
    """Scope assertions per line (0-based line -> [(column, length, scope)]), in tmgrammar-test form."""

    def __init__(self, text: str):
        self.lines = text.split("\n")
        self.marks: dict[int, list[tuple[int, int, str]]] = {}

    def span(self, span, scope: str) -> None:
        """Every line of ``span`` (1-based lines and columns, end exclusive) has ``scope``."""
        for line in range(span.line, span.end_line + 1):
            start = span.column - 1 if line == span.line else 0
            end = span.end_column - 1 if line == span.end_line else len(self.lines[line - 1])
            if end > start and self.lines[line - 1][start:end].strip():
                if line != span.line:  # a continuation line of a text: its indent is text too
                    start = len(self.lines[line - 1]) - len(self.lines[line - 1].lstrip()) if line != span.end_line else start
                self.marks.setdefault(line - 1, []).append((start, end - start, scope))

    def render(self, title: str) -> str:
        out = [f'# SYNTAX TEST "source.jql" "{title}"']
        for number, line in enumerate(self.lines):
            out.append(line)
            for column, length, scope in self.marks.get(number, []):
                if column == 0:
                    out.append(f"# <{'-' * length} {scope}")
                else:  # `#` takes column 0, so a caret can point at column 1 and on
                    out.append("#" + " " * (column - 1) + "^" * length + f" {scope}")
        return "\n".join(out) + "\n"


def expectations_of(path: Path) -> Expectations:
    """What the parser says each piece of a spec is, as scopes."""
    text = path.read_text(encoding="utf-8")
    tree = parse_syntax(text, str(path))
    assert tree.ok, tree.diagnostics
    expected = Expectations(text)
    blocks, _ = schema_words()

    def value(v) -> None:
        if v.kind == "string":
            expected.span(v.span, "string.quoted.triple.jql" if v.text.startswith('"""') else "string.quoted.double.jql")
        elif v.kind in VALUE_SCOPES:
            expected.span(v.span, VALUE_SCOPES[v.kind])
        elif v.kind == "comparison":
            value(v.value[2])

    def visit(node) -> None:
        key_scope = "keyword.other.block.jql" if isinstance(node, Block) else "keyword.other.attribute.jql"
        key_span = node.key_span
        if "." in node.key and not isinstance(node, Block):  # label.en: the keyword, then its locale
            base, locale = node.key.split(".", 1)
            expected.marks.setdefault(key_span.line - 1, []).extend([
                (key_span.column - 1, len(base), key_scope),
                (key_span.column + len(base), len(locale), "constant.language.locale.jql")])
        else:
            expected.span(key_span, key_scope)
        if isinstance(node, Block):
            if node.kind is not None:  # `for organisation x`: the kind word
                expected.span(node.kind.span, "keyword.other.view-kind.jql")
            if node.name is not None and node.name.kind == "ref":
                expected.span(node.name.span, "entity.name.jql")
            if node.label_span is not None:
                expected.span(node.label_span, "string.quoted.double.jql")
            for child in node.body:
                visit(child)
        else:
            for v in node.values:
                value(v)

    for statement in tree.statements:
        visit(statement)
    for comment in tree.comments:
        expected.marks.setdefault(comment.line - 1, []).append(
            (comment.column - 1, len(comment.text), "comment.line.number-sign.jql"))
    return expected


def every_keyword_file() -> Path | str:
    """A spec-shaped text with every keyword of the schema at the start of a statement."""
    blocks, attributes = schema_words()
    lines = [f"{word} x {{\n}}" for word in sorted(blocks)] + [f"{word} 1" for word in sorted(attributes)]
    return "\n".join(lines) + "\n"


def run_grammar_tests(tools: Path, files: list[Path]) -> subprocess.CompletedProcess:
    return subprocess.run([str(tools / "vscode-tmgrammar-test"), "--config", str(EXTENSION / "package.json"),
                           *map(str, files)], capture_output=True, text=True, timeout=300, cwd=EXTENSION)


def test_grammar_scopes_the_example_specs_as_the_parser_reads_them(tmp_path):
    tools = _node_tools()
    cases = []
    for spec in SPECS:
        case = tmp_path / f"{spec.parent.name}-{spec.stem}.test.jql"
        case.write_text(expectations_of(spec).render(spec.name), encoding="utf-8")
        cases.append(case)
    keywords = tmp_path / "keywords.jql"
    keywords.write_text(every_keyword_file(), encoding="utf-8")
    cases.append(tmp_path / "keywords.test.jql")
    cases[-1].write_text(expectations_of(keywords).render("every keyword"), encoding="utf-8")
    cases += sorted((EXTENSION / "tests").glob("*.test.jql"))  # the hand-written forms
    result = run_grammar_tests(tools, cases)
    assert result.returncode == 0, (result.stdout + result.stderr)[-6000:]
    # the run checked something: every generated case holds assertions of each kind
    text = "".join(case.read_text(encoding="utf-8") for case in cases)
    for scope in ("keyword.other.block.jql", "keyword.other.view-kind.jql", "keyword.other.attribute.jql",
                  "string.quoted.double.jql",
                  "string.quoted.triple.jql", "constant.language.locale.jql", "comment.line.number-sign.jql",
                  *VALUE_SCOPES.values()):
        assert f" {scope}" in text, scope


def test_grammar_test_fails_on_a_wrong_scope(tmp_path):
    """The runner really compares: a wrong expectation makes it fail."""
    tools = _node_tools()
    case = tmp_path / "wrong.test.jql"
    case.write_text('# SYNTAX TEST "source.jql" "wrong"\nwait 2d, "x"\n#    ^^ constant.numeric.percentage.jql\n',
                    encoding="utf-8")
    result = run_grammar_tests(tools, [case])
    assert result.returncode != 0 and "percentage" in result.stdout + result.stderr


# --- packaging -------------------------------------------------------------------------------------

def test_extension_packages_as_a_vsix(tmp_path):
    tools = _node_tools()
    work = tmp_path / "vscode"
    shutil.copytree(EXTENSION, work, ignore=shutil.ignore_patterns("node_modules", "*.vsix"))
    # vsce bundles the runtime dependencies and checks that they are installed
    shutil.copytree(RUNTIME / "node_modules", work / "node_modules")
    vsix = tmp_path / "journeyql.vsix"
    result = subprocess.run([str(tools / "vsce"), "package", "--skip-license", "--allow-missing-repository",
                             "--out", str(vsix)], capture_output=True, text=True, timeout=300, cwd=work)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    names = zipfile.ZipFile(vsix).namelist()
    for part in ("extension/package.json", "extension/extension.js", "extension/language-configuration.json",
                 "extension/syntaxes/journeyql.tmLanguage.json", "extension/readme.md",
                 "extension/node_modules/vscode-languageclient/node.js", "extension.vsixmanifest"):
        assert part in names, part
    assert not any(name.startswith("extension/tests/") for name in names)
