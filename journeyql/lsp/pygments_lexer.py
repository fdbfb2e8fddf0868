"""The Pygments lexer for JourneyQL (``jql``, ``journeyql``), registered under Pygments' entry point.

Docs, MkDocs and Sphinx sites highlight specs with it (```` ```jql ````). It is the highlighting
lexer of ``language.highlight`` with Pygments' token types, so a site colours a spec as the
language server's semantic tokens do.
"""

from __future__ import annotations

from pygments.lexer import Lexer
from pygments.token import Comment, Error, Keyword, Name, Number, Operator, Punctuation, String, Whitespace

from ..language.highlight import tokens

TOKEN_TYPES = {"keyword": Keyword, "name": Name, "string": String, "number": Number, "comment": Comment.Single,
               "operator": Operator, "punctuation": Punctuation, "space": Whitespace, "error": Error}


class JourneyQLLexer(Lexer):
    name = "JourneyQL"
    aliases = ["jql", "journeyql"]
    filenames = ["*.jql"]
    mimetypes = ["text/x-journeyql"]
    url = "https://pypi.org/project/journeyql/"

    def get_tokens_unprocessed(self, text):
        for token in tokens(text):
            yield token.start, TOKEN_TYPES[token.kind], token.text
