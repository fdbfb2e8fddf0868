"""The language server end to end: a real LSP client (pytest-lsp) drives `journeyql lsp` over stdio."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as t
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

ROOT = Path(__file__).resolve().parents[1]
JOURNEYQL = str(Path(sys.executable).parent / "journeyql")



def test_lsp_names_the_extra_to_install_when_pygls_is_missing():
    import subprocess

    # a light install: pygls and lsprotocol cannot be found
    code = ("import sys, importlib.util\n"
            "real = importlib.util.find_spec\n"
            "importlib.util.find_spec = lambda name, *a: None if name in ('pygls', 'lsprotocol') else real(name, *a)\n"
            "from journeyql.cli import main\nsys.exit(main(['lsp']))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert "pip install 'journeyql[lsp]'" in done.stderr and "Traceback" not in done.stderr


@pytest.fixture
def workspace(tmp_path) -> Path:
    target = tmp_path / "energie"
    shutil.copytree(ROOT / "specs" / "energie-verhuizen", target)  # with its answers: a wave names its files
    return target


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[JOURNEYQL, "lsp"]))
async def client(lsp_client: LanguageClient, workspace: Path):
    await lsp_client.initialize_session(t.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"), root_uri=workspace.as_uri()))
    yield
    await lsp_client.shutdown_session()


async def settled(client: LanguageClient, uri: str, timeout: float = 20.0):
    """The diagnostics of ``uri`` once the server has published them (the caller cleared them first)."""
    for _ in range(int(timeout / 0.01)):
        if uri in client.diagnostics:
            return list(client.diagnostics[uri])
        await asyncio.sleep(0.01)
    raise AssertionError(f"no diagnostics for {uri}")


def open_file(client: LanguageClient, path: Path, text: str | None = None, version: int = 1) -> str:
    uri = path.as_uri()
    client.diagnostics.pop(uri, None)
    client.text_document_did_open(t.DidOpenTextDocumentParams(text_document=t.TextDocumentItem(
        uri=uri, language_id="journeyql", version=version,
        text=path.read_text(encoding="utf-8") if text is None else text)))
    return uri


async def change(client: LanguageClient, uri: str, text: str, version: int) -> None:
    await asyncio.sleep(0.3)  # the publications of the analysis before this edit have all arrived
    client.diagnostics.clear()
    client.text_document_did_change(t.DidChangeTextDocumentParams(
        text_document=t.VersionedTextDocumentIdentifier(uri=uri, version=version),
        content_changes=[t.TextDocumentContentChangeWholeDocument(text=text)]))


def position(text: str, needle: str, offset: int = 0) -> t.Position:
    index = text.index(needle) + offset
    line = text.count("\n", 0, index)
    return t.Position(line=line, character=index - (text.rfind("\n", 0, index) + 1))


async def test_diagnostics_while_typing_for_every_file_of_the_workspace(client: LanguageClient, workspace: Path):
    journey = workspace / "reis-verhuizen.jql"
    text = journey.read_text(encoding="utf-8")
    uri = open_file(client, journey)
    assert await settled(client, uri) == []
    # an unsaved edit: the owner `online` is renamed in the buffer only; the other files now refer to nothing
    org = workspace / "organisatie.jql"
    org_text = org.read_text(encoding="utf-8")
    org_uri = open_file(client, org)
    await settled(client, org_uri)
    await change(client, org_uri, org_text.replace('stakeholder online "Team Online"', 'stakeholder onlin "Team Online"'), 2)
    found = await settled(client, uri)
    undefined = [d for d in found if d.code == "JQL201"]
    assert undefined and all("`online`" in d.message for d in undefined)
    assert undefined[0].severity == t.DiagnosticSeverity.Error
    first = undefined[0]
    assert text.split("\n")[first.range.start.line][first.range.start.character:].startswith("online")
    # the same codes and spans as `check` on the same text
    from journeyql.workspace import analyse, discover

    org.write_text(org_text.replace('stakeholder online "Team', 'stakeholder onlin "Team'), encoding="utf-8")
    checked = [d for d in analyse(discover([workspace])[0]).diagnostics if d.span.path.endswith("reis-verhuizen.jql")]
    assert [(d.code, d.span.line - 1, d.span.column - 1) for d in checked] == \
        [(d.code, d.range.start.line, d.range.start.character) for d in found]


async def test_journeyql_toml_rules_are_honoured(client: LanguageClient, workspace: Path):
    # journeyql.toml turns step-without-touchpoint off: a step without touchpoint reports nothing
    path = workspace / "extra.jql"
    # (with its English labels: missing-translation is a warning in this workspace)
    uri = open_file(client, path, 'journey leeg "Leeg" {\n  label.en "Empty"\n  personas sanne\n  stage s "S" {\n'
                                  '    label.en "S"\n    step x "X" {\n      label.en "X"\n    }\n  }\n}\n')
    assert [d.code for d in await settled(client, uri)] == []


async def test_completion_offers_what_the_schema_and_the_workspace_allow(client: LanguageClient, workspace: Path):
    path = workspace / "extra.jql"
    text = ('journey j "J" {\n  personas sanne\n  stage s "S" {\n    step x "X" {\n      touchpoint t "T" {\n'
            '        channel \n        owner \n      }\n      moment \n      expected -1 \n      \n    }\n  }\n}\n'
            'improvement i "I" {\n  horizon \n}\n')
    uri = open_file(client, path, text)
    await settled(client, uri)

    async def labels(needle: str, offset: int) -> set[str]:
        result = await client.text_document_completion_async(t.CompletionParams(
            text_document=t.TextDocumentIdentifier(uri=uri), position=position(text, needle, offset)))
        return {item.label for item in result.items}

    channels = await labels("channel \n", 8)
    assert "website" in channels and "online" not in channels
    owners = await labels("owner \n", 6)
    assert "online" in owners and "klantenservice" in owners
    assert "klant" not in owners and "netbeheerder" not in owners  # customer and external are no owners
    assert await labels("moment \n", 7) == {"positive", "negative", "critical"}
    emotions = await labels("expected -1 \n", 12)
    assert {"joy", "irritable"} <= emotions  # PrEmo and PANAS
    step_keywords = await labels("      \n    }", 6)
    assert {"touchpoint", "wait", "need", "frontstage", "for"} <= step_keywords and "channel" not in step_keywords
    assert await labels("horizon \n", 8) == {"quick_win", "mid_term", "long_term"}
    top = await labels("improvement", 0)
    assert {"journey", "persona", "measurement"} <= top


async def test_sample_offers_the_touchpoints_of_the_plans_journey(client: LanguageClient, workspace: Path):
    path = workspace / "meting.jql"
    text = path.read_text(encoding="utf-8").replace("  sample end\n", "  sample end\n  sample \n")
    uri = open_file(client, path, text)
    await settled(client, uri)
    result = await client.text_document_completion_async(t.CompletionParams(
        text_document=t.TextDocumentIdentifier(uri=uri), position=position(text, "  sample \n", 9)))
    labels = {item.label for item in result.items}
    assert {"verhuisformulier", "eindnota", "end"} <= labels and "website" not in labels


async def test_hover_definition_references_and_rename(client: LanguageClient, workspace: Path):
    journey = workspace / "reis-verhuizen.jql"
    text = journey.read_text(encoding="utf-8")
    uri = open_file(client, journey)
    await settled(client, uri)
    doc = t.TextDocumentIdentifier(uri=uri)
    at_owner = position(text, "owner online", 7)

    hover = await client.text_document_hover_async(t.HoverParams(text_document=doc, position=at_owner))
    assert "stakeholder" in hover.contents.value and "Team Online" in hover.contents.value
    org_lines = (workspace / "organisatie.jql").read_text(encoding="utf-8").split("\n")
    defined = next(n for n, line in enumerate(org_lines, 1) if 'stakeholder online "Team Online"' in line)
    assert f"organisatie.jql:{defined}:" in hover.contents.value
    at_touchpoint = position(text, "touchpoint faq", 12)
    hover = await client.text_document_hover_async(t.HoverParams(text_document=doc, position=at_touchpoint))
    assert "channel: `website`" in hover.contents.value and "owner: `online`" in hover.contents.value
    keyword = await client.text_document_hover_async(t.HoverParams(text_document=doc,
                                                                  position=position(text, "  reach 70%", 3)))
    assert "Share of the journey's customers who meet it" in keyword.contents.value

    found = await client.text_document_definition_async(t.DefinitionParams(text_document=doc, position=at_owner))
    assert found.uri.endswith("organisatie.jql") and found.range.start.line == defined - 1

    refs = await client.text_document_references_async(t.ReferenceParams(
        text_document=doc, position=at_owner, context=t.ReferenceContext(include_declaration=True)))
    workspace_text = {p.as_uri(): p.read_text(encoding="utf-8") for p in workspace.glob("*.jql")}
    from journeyql.language.highlight import tokens

    expected = sum(1 for x in workspace_text.values() for tok in tokens(x) if tok.kind == "name" and tok.text == "online")
    assert len(refs) == expected

    edit = await client.text_document_rename_async(t.RenameParams(text_document=doc, position=at_owner,
                                                                  new_name="team_online"))
    changed = {}
    for file_uri, edits in edit.changes.items():
        lines = workspace_text[file_uri].split("\n")
        for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
            line = lines[e.range.start.line]
            assert line[e.range.start.character:e.range.end.character] == "online"
            lines[e.range.start.line] = line[:e.range.start.character] + e.new_text + line[e.range.end.character:]
        changed[file_uri] = "\n".join(lines)
    for file_uri, new in changed.items():
        Path(file_uri[len("file://"):]).write_text(new, encoding="utf-8")
    from journeyql.workspace import analyse, discover

    assert [d for d in analyse(discover([workspace])[0]).errors] == []
    assert sum(1 for x in changed.values() for tok in tokens(x) if tok.text == "team_online") == expected

    with pytest.raises(Exception, match="not a valid name"):
        await client.text_document_rename_async(t.RenameParams(text_document=doc, position=at_owner,
                                                               new_name="team online"))
    with pytest.raises(Exception, match="already defined"):
        await client.text_document_rename_async(t.RenameParams(text_document=doc, position=at_owner,
                                                               new_name="facturatie"))


async def test_symbols_and_folding(client: LanguageClient, workspace: Path):
    journey = workspace / "reis-verhuizen.jql"
    uri = open_file(client, journey)
    await settled(client, uri)
    doc = t.TextDocumentIdentifier(uri=uri)
    symbols = await client.text_document_document_symbol_async(t.DocumentSymbolParams(text_document=doc))
    assert [s.name for s in symbols] == ["verhuizen"]
    stage = symbols[0].children[0]
    assert stage.name == "orientatie" and stage.children[0].name == "zoeken"
    assert stage.children[0].children[0].name == "faq" and stage.children[0].children[0].kind == t.SymbolKind.Event
    found = await client.workspace_symbol_async(t.WorkspaceSymbolParams(query="verhuisformulier"))
    assert any(s.name == "verhuizen.verhuisformulier" for s in found)
    folds = await client.text_document_folding_range_async(t.FoldingRangeParams(text_document=doc))
    text = journey.read_text(encoding="utf-8").split("\n")
    assert any(text[f.start_line].startswith("journey verhuizen") and text[f.end_line + 1] == "}" for f in folds)


async def test_outline_of_a_file_with_syntax_errors_shows_what_parsed(client: LanguageClient, workspace: Path):
    journey = workspace / "reis-verhuizen.jql"
    good = journey.read_text(encoding="utf-8")
    # two syntax errors in different stages: each statement is skipped, the blocks around them stay
    text = good.replace("    step formulier", '      wait 3weken, "lang"\n    step formulier', 1)
    text = text.replace("    step zoeken", '    stage = "x"\n    step zoeken', 1)
    uri = open_file(client, journey, text)
    assert [d.code for d in await settled(client, uri)] == ["JQL001", "JQL001"]
    doc = t.TextDocumentIdentifier(uri=uri)
    symbols = await client.text_document_document_symbol_async(t.DocumentSymbolParams(text_document=doc))
    assert [s.name for s in symbols] == ["verhuizen"]
    stages = symbols[0].children
    assert [s.name for s in stages] == ["orientatie", "melden", "overgang", "afrekenen"]
    assert [s.name for s in stages[1].children] == ["formulier", "bellen", "bevestiging"]
    assert [c.name for c in stages[0].children[0].children] == ["faq"]
    # where each name stands in the text as typed (two lines were added above `formulier`)
    formulier = stages[1].children[0].selection_range.start
    assert text.split("\n")[formulier.line][formulier.character:].startswith("formulier")


async def test_formatting_whole_document_and_range(client: LanguageClient, workspace: Path):
    path = workspace / "extra.jql"
    messy = 'persona p "P" {\n      segment   "x"\n}\nchannel c "C" {\n kind    web\n}\n'
    uri = open_file(client, path, messy)
    await settled(client, uri)
    doc = t.TextDocumentIdentifier(uri=uri)
    edits = await client.text_document_formatting_async(t.DocumentFormattingParams(
        text_document=doc, options=t.FormattingOptions(tab_size=2, insert_spaces=True)))
    from journeyql.language.formatter import format_source

    assert len(edits) == 1 and edits[0].new_text == format_source(messy)
    edits = await client.text_document_range_formatting_async(t.DocumentRangeFormattingParams(
        text_document=doc, range=t.Range(start=t.Position(line=4, character=0), end=t.Position(line=4, character=3)),
        options=t.FormattingOptions(tab_size=2, insert_spaces=True)))
    assert len(edits) == 1 and edits[0].range.start.line == 3 and edits[0].new_text == 'channel c "C" {\n  kind web\n}'


async def test_code_actions_apply_machine_applicable_hints(client: LanguageClient, workspace: Path):
    path = workspace / "extra.jql"
    text = 'persona p "P" {\n  segmnt "x"\n  share 40\n}\n'
    uri = open_file(client, path, text)
    found = await settled(client, uri)
    assert {"JQL101", "JQL102"} <= {d.code for d in found}
    actions = await client.text_document_code_action_async(t.CodeActionParams(
        text_document=t.TextDocumentIdentifier(uri=uri), range=t.Range(start=t.Position(line=0, character=0),
                                                                        end=t.Position(line=4, character=0)),
        context=t.CodeActionContext(diagnostics=list(found))))
    edits = {a.title: a.edit.changes[uri][0] for a in actions}
    assert edits["Change to `segment`"].new_text == "segment"
    assert edits["Write `40%`"].new_text == "40%" and edits["Write `40%`"].range.start == t.Position(line=2, character=8)


async def test_semantic_tokens(client: LanguageClient, workspace: Path):
    path = workspace / "extra.jql"
    uri = open_file(client, path, 'persona p "P" {  # c\n  share 40%\n}\n')
    await settled(client, uri)
    result = await client.text_document_semantic_tokens_full_async(t.SemanticTokensParams(
        text_document=t.TextDocumentIdentifier(uri=uri)))
    legend = ["keyword", "variable", "string", "number", "comment", "operator"]
    data = result.data
    decoded = [(data[i], data[i + 1], data[i + 2], legend[data[i + 3]]) for i in range(0, len(data), 5)]
    assert decoded == [(0, 0, 7, "keyword"), (0, 8, 1, "variable"), (0, 2, 3, "string"), (0, 7, 3, "comment"),
                       (1, 2, 5, "keyword"), (0, 6, 3, "number")]


async def test_every_syntax_error_of_a_file_while_typing(client: LanguageClient, workspace: Path):
    journey = workspace / "reis-verhuizen.jql"
    text = journey.read_text(encoding="utf-8")
    uri = open_file(client, journey)
    assert await settled(client, uri) == []
    broken = text.replace("      expected 0, hope\n", "      expected 0 hope\n", 1) \
        .replace('      wait 2d, "op de bevestigingsmail"', '      wait 2dagen, "op de bevestigingsmail"', 1)
    await change(client, uri, broken, 2)
    found = await settled(client, uri)
    lines = broken.split("\n")
    assert [(d.code, lines[d.range.start.line][d.range.start.character:].split()[0]) for d in found] == \
        [("JQL001", "hope"), ("JQL001", "2dagen,")]
    assert "`,` is missing" in found[0].message and "not a duration" in found[1].message
