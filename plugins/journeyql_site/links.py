"""Which of the other renderers' files belong where, and the relative links to them.

The site links files it did not write: ``context.outputs`` = {renderer: (path,
...)}, paths relative to the output directory. Renderers are written by
others and change, so matching is generic: a file belongs to a journey when
one of its path segments, or its file stem, is the journey id or starts with
it followed by a character no identifier contains (``verhuizen--sanne.svg``,
``verhuizen.nl.html``; not ``verhuizen_oud.svg``, which would be another
journey's).

A site links every journey's files from its page: :class:`OutputIndex` looks files up by path
and by the names in them once per site, so a site of 16 times the journeys and files costs
16 times as much, not 256 times.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import quote

_IDENTIFIER_CHAR = re.compile(r"[A-Za-z0-9_]")


def href(page: str, target: str) -> str:
    """The relative URL from the page at ``page`` to the file at ``target`` (both relative to the site root)."""
    target, hash_, fragment = target.partition("#")
    start = posixpath.dirname(page) or "."
    return quote(posixpath.relpath(target, start), safe="/") + (hash_ + quote(fragment, safe="") if hash_ else "")


def _names(path: str) -> list[str]:
    segments = path.split("/")
    names = list(segments)
    leaf = segments[-1]
    if "." in leaf:
        names.append(leaf.split(".", 1)[0])
    return names


def names_item(path: str, ident: str) -> bool:
    """Whether a segment or the stem of ``path`` is ``ident`` or starts with it (then a non-identifier character)."""
    for name in _names(path):
        if name == ident:
            return True
        if name.startswith(ident) and not _IDENTIFIER_CHAR.match(name[len(ident)]):
            return True
    return False


def belongs_to_organisation(path: str, organisation: str, organisations) -> bool:
    """Whether the file at ``path`` may be linked or embedded on ``organisation``'s pages.

    A file naming organisations (``plan/lumen.en.html``) belongs to those only; a file naming none
    belongs to *every* organisation (the survey of a plan all of them share, a workspace-wide file).
    So an organisation's pages never show another organisation's files.
    """
    named = [o for o in organisations if names_organisation(path, o)]
    return all(o == organisation for o in named)


def names_organisation(path: str, organisation: str) -> bool:
    """Whether ``path`` names ``organisation`` as one whole identifier anywhere in it: ``plan/lumen.en.html``,
    ``journeys/switch--lumen.html`` (an organisation's view of a shared journey), not ``lumenation.svg``."""
    return organisation in re.findall(r"[A-Za-z0-9_]+", path)


def files_of(outputs: dict, *, renderer: str | None = None, under: str | None = None) -> list[tuple[str, str]]:
    """(renderer, path) of every output file, sorted, optionally of one renderer or under one folder."""
    found = []
    for name in sorted(outputs):
        if renderer is not None and name != renderer:
            continue
        for path in sorted(outputs[name]):
            if under is None or path.startswith(under.rstrip("/") + "/"):
                found.append((name, path))
    return found


def find(outputs: dict, path: str) -> str | None:
    """``path`` when some renderer wrote it, else None."""
    return path if any(path in files for files in outputs.values()) else None


def related(outputs: dict, idents, *, under: str | None = None, all_journeys=()) -> list[tuple[str, str]]:
    """Files naming one of ``idents``, plus (under a folder) files that name no journey at all: workspace-wide ones."""
    idents = [i for i in idents if i]
    found = []
    for renderer, path in files_of(outputs, under=under):
        if any(names_item(path, ident) for ident in idents):
            found.append((renderer, path))
        elif under is not None and not any(names_item(path, j) for j in all_journeys):
            found.append((renderer, path))
    return found


def _candidates(path: str) -> set[str]:
    """Every ident for which :func:`names_item` is true of ``path``: each name, and each prefix of a
    name followed by a character no identifier contains."""
    found = set()
    for name in _names(path):
        found.add(name)
        for index in range(1, len(name)):
            if not _IDENTIFIER_CHAR.match(name[index]):
                found.add(name[:index])
    return found


class OutputIndex:
    """The other renderers' files, indexed once: :func:`find` and :func:`related` in constant time per file found.

    ``owned``: the ids whose files belong to one page (journeys, and what is made per
    organisation, survey, teaser or improvement); a file naming none of them is workspace-wide.
    """

    def __init__(self, outputs: dict, owned=()):
        self.outputs = outputs
        self.files = files_of(outputs)  # sorted: positions in it give the order every answer keeps
        self.paths = {path for _renderer, path in self.files}
        journeys = set(owned)
        self._named: dict[str, list[int]] = {}
        self._no_journey: list[int] = []
        for position, (_renderer, path) in enumerate(self.files):
            names = _candidates(path)
            for name in names:
                self._named.setdefault(name, []).append(position)
            if not names & journeys:
                self._no_journey.append(position)
        self._unnamed_under: dict[str, list[int]] = {}

    def find(self, path: str) -> str | None:
        """``path`` when some renderer wrote it, else None (as :func:`find`)."""
        return path if path in self.paths else None

    def files_of(self, *, renderer: str | None = None, under: str | None = None) -> list[tuple[str, str]]:
        return files_of(self.outputs, renderer=renderer, under=under)

    def related(self, idents, *, under: str | None = None) -> list[tuple[str, str]]:
        """As :func:`related` with this index's ``owned`` ids as ``all_journeys``: the files naming one of
        ``idents``, and under a folder the workspace-wide ones (naming no owned id)."""
        prefix = under.rstrip("/") + "/" if under is not None else None
        positions = set()
        for ident in idents:
            if ident:
                positions.update(p for p in self._named.get(ident, ()) if prefix is None
                                 or self.files[p][1].startswith(prefix))
        if prefix is not None:
            if prefix not in self._unnamed_under:
                self._unnamed_under[prefix] = [p for p in self._no_journey if self.files[p][1].startswith(prefix)]
            positions.update(self._unnamed_under[prefix])
        return [self.files[p] for p in sorted(positions)]


def locale_of(path: str, codes) -> str | None:
    """The locale a file is written in, when its name says so (``verhuizen.en.svg``, ``plan/x.nl.md``, ``en/...``)."""
    leaf = path.rsplit("/", 1)[-1]
    parts = leaf.split(".")[1:-1]  # the dotted parts between the stem and the extension
    for code in codes:
        if code in parts or path.startswith(f"{code}/"):
            return code
    return None


def in_locale(outputs: dict, locale: str, codes) -> dict:
    """The other renderers' files a page in ``locale`` links: those in its language, and those in no
    particular language (DOT, CSV, JSON, a renderer that writes one language) unless a copy in
    ``locale`` exists beside them (``verhuizen.md`` gives way to ``verhuizen.en.md`` on the English site)."""
    codes = [c for c in codes if c]
    every = {path for files in outputs.values() for path in files}

    def variant(path: str) -> str:
        folder, _, leaf = path.rpartition("/")
        stem, dot, extension = leaf.rpartition(".")
        name = f"{stem}.{locale}.{extension}" if dot else f"{leaf}.{locale}"
        return f"{folder}/{name}" if folder else name

    kept = {}
    for renderer, files in outputs.items():
        chosen = []
        for path in files:
            written_in = locale_of(path, codes)
            if written_in == locale or (written_in is None and variant(path) not in every):
                chosen.append(path)
        kept[renderer] = tuple(chosen)
    return kept
