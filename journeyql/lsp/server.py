"""The language server: LSP over stdio on pygls, every answer from the analysis ``check`` runs.

Edits are debounced per workspace: the workspace (the files on disk with the open buffers over
them) is analysed ``DEBOUNCE`` seconds after the last change, and diagnostics are published for
every file of it. Requests that need names (definition, references, rename, completion, ...)
analyse at once when an edit is still pending, so they never answer from stale text. Only the
latest analysis of each workspace is kept, so memory stays bounded however long the session.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from lsprotocol import types as t
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import from_fs_path, to_fs_path

from .. import __version__
from ..diagnostics import Severity, SpecError
from ..diagnostics.span import Span
from ..language.formatter import format_source
from ..language.highlight import tokens
from ..language.syntax import Block, parse_syntax
from ..workspace import analyse, display_path, workspace_root
from .buffers import workspace_with_buffers
from .completion import complete
from .cursor import cursor_at
from .fixes import fix_for
from .hover import describe, hover_text
from .names import NameIndex, RenameError, rename_edits
from .outline import folds, outline

#: seconds of quiet after a keystroke before the workspace is checked again
DEBOUNCE = 0.02
#: the semantic token types, in the order of the highlighting lexer's classes (space is never sent)
TOKEN_TYPES = {"keyword": "keyword", "name": "variable", "string": "string", "number": "number",
               "comment": "comment", "operator": "operator"}
LEGEND = t.SemanticTokensLegend(token_types=list(TOKEN_TYPES.values()), token_modifiers=[])
SEVERITY = {Severity.ERROR: t.DiagnosticSeverity.Error, Severity.WARNING: t.DiagnosticSeverity.Warning,
            Severity.INFO: t.DiagnosticSeverity.Information}
SYMBOL_KIND = {"journey": t.SymbolKind.Namespace, "stage": t.SymbolKind.Package, "step": t.SymbolKind.Function,
               "touchpoint": t.SymbolKind.Event, "persona": t.SymbolKind.Class, "channel": t.SymbolKind.Interface,
               "stakeholder": t.SymbolKind.Object, "organisation": t.SymbolKind.Module,
               "measurement": t.SymbolKind.Struct, "model": t.SymbolKind.Module, "emotion": t.SymbolKind.EnumMember,
               "improvement": t.SymbolKind.Method, "initiative": t.SymbolKind.Method, "teaser": t.SymbolKind.File}
COMPLETION_KIND = {"keyword": t.CompletionItemKind.Keyword, "attribute": t.CompletionItemKind.Property,
                   "name": t.CompletionItemKind.Reference, "value": t.CompletionItemKind.EnumMember,
                   "emotion": t.CompletionItemKind.Value}


@dataclass
class State:
    """The latest analysis of one workspace."""

    index: NameIndex
    texts: dict[str, str]  #: display path -> the text analysed
    published: set[str] = field(default_factory=set)  #: URIs that have diagnostics on the client


class Protocol(LanguageServerProtocol):
    """pygls's protocol, without the future it kept for every notification.

    pygls 2.1 runs its built-in handlers (``didOpen``, ``didChange``, ``didSave``, ``didClose``, ...) as
    generators and files each one's future in ``_request_futures`` under a fresh id; only the answer
    to a client's request removes an entry, and a notification has none, so every keystroke left a
    finished future behind (~2 KB: +20 MB over 10,000 edits). Here a future that does not answer a
    request is removed the moment it is done; a request's future stays until its answer is sent,
    as before (``$/cancelRequest`` needs it).
    """

    def _execute_handler(self, msg_id, handler, callback, args=None, kwargs=None):
        super()._execute_handler(msg_id, handler, callback, args=args, kwargs=kwargs)
        answers_request = isinstance(callback, partial) and callback.func == self._send_handler_result
        future = None if answers_request else self._request_futures.get(msg_id)
        if future is not None:
            future.add_done_callback(lambda _done, key=msg_id: self._request_futures.pop(key, None))


class JourneyQLServer(LanguageServer):
    def __init__(self):
        super().__init__("journeyql", __version__, protocol_cls=Protocol)
        self.states: dict[Path, State] = {}
        self.pending: dict[Path, asyncio.TimerHandle] = {}

    # --- analysis ------------------------------------------------------------------------------

    def buffers(self) -> dict[Path, str]:
        return {Path(to_fs_path(uri)).resolve(): doc.source for uri, doc in self.workspace.text_documents.items()
                if uri.startswith("file:")}

    def schedule(self, uri: str) -> None:
        root = root_of(uri)
        handle = self.pending.pop(root, None)
        if handle is not None:
            handle.cancel()
        self.pending[root] = asyncio.get_running_loop().call_later(DEBOUNCE, self.refresh, root)

    def refresh(self, root: Path) -> State:
        """Analyse the workspace at ``root`` now and publish its diagnostics."""
        handle = self.pending.pop(root, None)
        if handle is not None:
            handle.cancel()
        sources = workspace_with_buffers(root, self.buffers())
        analysis = analyse(sources, validate=None, keep_names=True)
        texts = {s.path: s.text for s in sources.sources if s.text is not None}
        old = self.states.get(root)
        state = State(NameIndex(*analysis.names), texts)
        self.states[root] = state
        per_file: dict[str, list[t.Diagnostic]] = {uri_of(path): [] for path in texts}
        for diagnostic in analysis.diagnostics:
            path = diagnostic.span.path
            if not Path(path).is_file() and path not in texts:
                continue  # a workspace-wide finding with no file to show it in
            per_file.setdefault(uri_of(path), []).append(to_lsp(diagnostic, texts.get(path, "")))
        for uri in (old.published if old else set()) - set(per_file):
            self.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        for uri, found in per_file.items():
            self.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=found))
        state.published = set(per_file)
        return state

    def state_for(self, uri: str) -> State:
        root = root_of(uri)
        if root in self.pending or root not in self.states:
            return self.refresh(root)
        return self.states[root]


def root_of(uri: str) -> Path:
    return workspace_root(Path(to_fs_path(uri)))


def path_of(uri: str) -> str:
    return display_path(Path(to_fs_path(uri)))


def uri_of(path: str) -> str:
    return from_fs_path(str(Path(path).resolve()))


def to_range(span: Span) -> t.Range:
    return t.Range(start=t.Position(line=span.line - 1, character=span.column - 1),
                   end=t.Position(line=span.end_line - 1, character=max(span.end_column - 1, 0)))


def location(span: Span) -> t.Location:
    return t.Location(uri=uri_of(span.path), range=to_range(span))


def to_lsp(diagnostic, text: str) -> t.Diagnostic:
    message = diagnostic.message + (f"\nhint: {diagnostic.hint}" if diagnostic.hint else "")
    related = [t.DiagnosticRelatedInformation(location=location(span), message=text_)
               for text_, span in diagnostic.related]
    fix = fix_for(diagnostic, text)
    data = None if fix is None else {"title": fix.title, "line": fix.span.line, "column": fix.span.column,
                                     "end_line": fix.span.end_line, "end_column": fix.span.end_column,
                                     "text": fix.text}
    return t.Diagnostic(range=to_range(diagnostic.span), message=message, severity=SEVERITY[diagnostic.severity],
                        code=diagnostic.code, source="journeyql", related_information=related or None, data=data)


def offset_of(text: str, position: t.Position) -> int:
    lines = text.split("\n")
    line = min(position.line, len(lines) - 1)
    return sum(len(x) + 1 for x in lines[:line]) + min(position.character, len(lines[line]))


def word_at(text: str, position: t.Position) -> tuple[int, str]:
    """The start offset and text of the (dotted) word under the position."""
    offset = offset_of(text, position)
    start, end = offset, offset
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_."):
        start -= 1
    while end < len(text) and (text[end].isalnum() or text[end] == "_"):
        end += 1
    return start, text[start:end]


#: (method, options, handler) of every feature, in the order they are defined below
FEATURES: list = []


def feature(method: str, options=None):
    def record(handler):
        FEATURES.append((method, options, handler))
        return handler
    return record


def register(target: JourneyQLServer) -> JourneyQLServer:
    """``target`` with every feature of this module (a test can run a server of its own in-process)."""
    for method, options, handler in FEATURES:
        target.feature(method, options)(handler)
    return target


@feature(t.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: JourneyQLServer, params: t.DidOpenTextDocumentParams):
    ls.schedule(params.text_document.uri)


@feature(t.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: JourneyQLServer, params: t.DidChangeTextDocumentParams):
    ls.schedule(params.text_document.uri)


@feature(t.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: JourneyQLServer, params: t.DidSaveTextDocumentParams):
    ls.schedule(params.text_document.uri)


@feature(t.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: JourneyQLServer, params: t.DidCloseTextDocumentParams):
    ls.schedule(params.text_document.uri)  # the file on disk counts again


def _text(ls: JourneyQLServer, uri: str) -> str:
    return ls.workspace.get_text_document(uri).source


@feature(t.TEXT_DOCUMENT_COMPLETION, t.CompletionOptions(trigger_characters=[" ", "."]))
def completion(ls: JourneyQLServer, params: t.CompletionParams):
    text = _text(ls, params.text_document.uri)
    cursor = cursor_at(text, offset_of(text, params.position))
    if cursor is None:
        return t.CompletionList(is_incomplete=False, items=[])
    items = complete(cursor, ls.state_for(params.text_document.uri).index)
    return t.CompletionList(is_incomplete=False, items=[
        t.CompletionItem(label=i.label, kind=COMPLETION_KIND[i.kind], detail=i.detail or None,
                         documentation=i.documentation or None) for i in items])


@feature(t.TEXT_DOCUMENT_HOVER)
def hover(ls: JourneyQLServer, params: t.HoverParams):
    uri = params.text_document.uri
    text = _text(ls, uri)
    start, word = word_at(text, params.position)
    if not word:
        return None
    found = hover_text(text, start, word, ls.state_for(uri).index, path_of(uri), params.position.line + 1,
                       params.position.character + 1)
    return t.Hover(contents=t.MarkupContent(kind=t.MarkupKind.Markdown, value=found)) if found else None


def _item_at(ls: JourneyQLServer, uri: str, position: t.Position):
    index = ls.state_for(uri).index
    return index, index.at(path_of(uri), position.line + 1, position.character + 1)


@feature(t.TEXT_DOCUMENT_DEFINITION)
def definition(ls: JourneyQLServer, params: t.DefinitionParams):
    index, item = _item_at(ls, params.text_document.uri, params.position)
    target = index.target(item)
    return location(target.span) if target else None


@feature(t.TEXT_DOCUMENT_REFERENCES)
def references(ls: JourneyQLServer, params: t.ReferenceParams):
    index, item = _item_at(ls, params.text_document.uri, params.position)
    target = index.target(item)
    if target is None:
        return []
    found = [location(r.span) for r in index.references_to(target.key)]
    return ([location(target.span)] if params.context.include_declaration else []) + found


@feature(t.TEXT_DOCUMENT_PREPARE_RENAME)
def prepare_rename(ls: JourneyQLServer, params: t.PrepareRenameParams):
    index, item = _item_at(ls, params.text_document.uri, params.position)
    target = index.target(item)
    return t.PrepareRenamePlaceholder(range=to_range(item.span), placeholder=target.id) if target else None


@feature(t.TEXT_DOCUMENT_RENAME, t.RenameOptions(prepare_provider=True))
def rename(ls: JourneyQLServer, params: t.RenameParams):
    index, item = _item_at(ls, params.text_document.uri, params.position)
    target = index.target(item)
    if target is None:
        raise ValueError("nothing to rename here: put the cursor on a name that is defined in the workspace")
    try:
        edits = rename_edits(index, target, params.new_name)
    except RenameError as error:
        raise ValueError(str(error)) from None
    return t.WorkspaceEdit(changes={uri_of(path): [t.TextEdit(range=to_range(span), new_text=new)
                                                   for span, new in spans] for path, spans in edits.items()})


@feature(t.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def document_symbols(ls: JourneyQLServer, params: t.DocumentSymbolParams):
    uri = params.text_document.uri

    def convert(entry) -> t.DocumentSymbol:
        return t.DocumentSymbol(name=entry.name, detail=entry.label or entry.keyword,
                                kind=SYMBOL_KIND.get(entry.keyword, t.SymbolKind.Object),
                                range=to_range(entry.span), selection_range=to_range(entry.name_span),
                                children=[convert(c) for c in entry.children])

    return [convert(e) for e in outline(_text(ls, uri), path_of(uri))]


@feature(t.WORKSPACE_SYMBOL)
def workspace_symbols(ls: JourneyQLServer, params: t.WorkspaceSymbolParams):
    query = params.query.lower()
    found = []
    for state in ls.states.values():
        for d in state.index.definitions.values():
            if query in d.key.lower() or query in (d.label or "").lower():
                found.append(t.SymbolInformation(name=d.key, kind=SYMBOL_KIND.get(d.kind, t.SymbolKind.Object),
                                                 location=location(d.span), container_name=d.label))
    return found


@feature(t.TEXT_DOCUMENT_FOLDING_RANGE)
def folding_ranges(ls: JourneyQLServer, params: t.FoldingRangeParams):
    kinds = {"region": t.FoldingRangeKind.Region, "comment": t.FoldingRangeKind.Comment}
    return [t.FoldingRange(start_line=a, end_line=b, kind=kinds[k]) for a, b, k in folds(_text(ls, params.text_document.uri))]


def _whole(text: str) -> t.Range:
    lines = text.split("\n")
    return t.Range(start=t.Position(line=0, character=0), end=t.Position(line=len(lines) - 1, character=len(lines[-1])))


@feature(t.TEXT_DOCUMENT_FORMATTING)
def formatting(ls: JourneyQLServer, params: t.DocumentFormattingParams):
    text = _text(ls, params.text_document.uri)
    try:
        formatted = format_source(text, path_of(params.text_document.uri))
    except SpecError:
        return None  # a file with syntax errors is left as it is; the diagnostics say why
    return [] if formatted == text else [t.TextEdit(range=_whole(text), new_text=formatted)]


@feature(t.TEXT_DOCUMENT_RANGE_FORMATTING)
def range_formatting(ls: JourneyQLServer, params: t.DocumentRangeFormattingParams):
    """The top-level blocks the range touches, each in the fmt layout."""
    text = _text(ls, params.text_document.uri)
    syntax = parse_syntax(text, path_of(params.text_document.uri))
    if not syntax.ok:
        return None
    lines = text.split("\n")
    first, last = params.range.start.line + 1, params.range.end.line + 1
    edits = []
    for block in syntax.statements:
        if not isinstance(block, Block) or block.span.end_line < first or block.span.line > last:
            continue
        old = "\n".join(lines[block.span.line - 1: block.span.end_line])
        new = format_source(old).rstrip("\n")
        if new != old:
            edits.append(t.TextEdit(range=t.Range(start=t.Position(line=block.span.line - 1, character=0),
                                                  end=t.Position(line=block.span.end_line - 1,
                                                                 character=len(lines[block.span.end_line - 1]))),
                                    new_text=new))
    return edits


@feature(t.TEXT_DOCUMENT_CODE_ACTION, t.CodeActionOptions(code_action_kinds=[t.CodeActionKind.QuickFix]))
def code_actions(ls: JourneyQLServer, params: t.CodeActionParams):
    actions = []
    for diagnostic in params.context.diagnostics:
        fix = diagnostic.data
        if not isinstance(fix, dict) or "text" not in fix:
            continue
        span = Span("", fix["line"], fix["column"], fix["end_line"], fix["end_column"])
        edit = t.TextEdit(range=to_range(span), new_text=fix["text"])
        actions.append(t.CodeAction(title=fix["title"], kind=t.CodeActionKind.QuickFix, diagnostics=[diagnostic],
                                    is_preferred=True,
                                    edit=t.WorkspaceEdit(changes={params.text_document.uri: [edit]})))
    return actions


@feature(t.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, LEGEND)
def semantic_tokens(ls: JourneyQLServer, params: t.SemanticTokensParams):
    return t.SemanticTokens(data=encode_tokens(_text(ls, params.text_document.uri)))


def encode_tokens(text: str) -> list[int]:
    """LSP's relative encoding (line delta, start delta, length, type, modifiers), one token per line piece."""
    types = list(TOKEN_TYPES)
    data: list[int] = []
    line = column = 0
    last_line = last_column = 0
    for token in tokens(text):
        pieces = token.text.split("\n")
        if token.kind in TOKEN_TYPES:
            for number, piece in enumerate(pieces):
                at_line, at_column = line + number, column if number == 0 else 0
                if piece:
                    delta_line = at_line - last_line
                    delta_column = at_column - last_column if delta_line == 0 else at_column
                    data += [delta_line, delta_column, len(piece), types.index(token.kind), 0]
                    last_line, last_column = at_line, at_column
        if len(pieces) > 1:
            line += len(pieces) - 1
            column = len(pieces[-1])
        else:
            column += len(token.text)
    return data



server = register(JourneyQLServer())


def serve() -> None:
    server.start_io()
