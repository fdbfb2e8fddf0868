"""The top-level ``index.html`` when ``journeyql build`` renders several workspaces at once.

Each workspace gets its own folder in the output directory (``site/<workspace>/``),
with its roadmap site's ``index.html`` when the ``site`` renderer ran. This page
links them, so the output directory opens at its root like a single site. It is
made by the core, not by a plugin: it exists whichever renderers are installed.
Self-contained (inline CSS, no script, no external request); every text escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path


INDEX = "index.html"

_WORDS = {
    "en": {"title": "Customer experience roadmaps", "workspace": "Workspace", "journeys": "Journeys",
           "personas": "Personas", "open": "open", "files": "Files", "failed": "failed renderers",
           "none": "no site: open its files"},
    "nl": {"title": "Klantbelevingsroadmaps", "workspace": "Werkruimte", "journeys": "Klantreizen",
           "personas": "Persona's", "open": "openen", "files": "Bestanden", "failed": "mislukte renderers",
           "none": "geen site: open de bestanden"},
}

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:60rem;
padding:0 1rem;color:#1b1b1b;line-height:1.5}
h1{font-size:1.6rem;border-bottom:3px solid #2a6f97;padding-bottom:.3rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid #ccc}
th{background:#eef4f8}a{color:#1d5a7a}.failed{color:#a4161a}
@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}}
"""


@dataclass(frozen=True)
class WorkspaceEntry:
    folder: str           #: the workspace's folder inside the output directory
    title: str            #: its name (journeyql.toml [workspace] name, else the folder)
    journeys: int
    personas: int
    files: int            #: files its renderers wrote
    failed: tuple[str, ...] = ()


def workspace_index(entries: list[WorkspaceEntry], out_root: Path, locale: str = "en") -> str:
    """The HTML of the index page (deterministic: entries sorted by folder)."""
    words = _WORDS.get(locale.split("-")[0].lower(), _WORDS["en"])
    rows = []
    for entry in sorted(entries, key=lambda e: e.folder):
        folder = escape(entry.folder, quote=True)
        if (out_root / entry.folder / INDEX).is_file():
            link = f'<a href="{folder}/{INDEX}">{escape(entry.title)}</a>'
        else:
            link = f'{escape(entry.title)} (<a href="{folder}/manifest.json">{words["none"]}</a>)'
        failed = (f' <span class="failed">{words["failed"]}: {escape(", ".join(entry.failed))}</span>'
                  if entry.failed else "")
        rows.append(f"<tr><td>{link}{failed}</td><td>{entry.journeys}</td><td>{entry.personas}</td>"
                    f"<td>{entry.files}</td></tr>")
    lang = escape(locale, quote=True)
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{words['title']}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
            f"<h1>{words['title']}</h1>\n<table>\n<thead><tr><th scope=\"col\">{words['workspace']}</th>"
            f"<th scope=\"col\">{words['journeys']}</th><th scope=\"col\">{words['personas']}</th>"
            f"<th scope=\"col\">{words['files']}</th></tr></thead>\n"
            f"<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n</main>\n</body>\n</html>\n")


#: The name the top-level index is listed under in the output root's manifest.json.
INDEX_RENDERER = "workspace-index"


def write_workspace_index(entries: list[WorkspaceEntry], out_root: Path, locale: str = "en") -> Path:
    """Write ``index.html`` at the root of the output directory (atomically), listed with its hash in that
    directory's ``manifest.json`` like every other output."""
    from .output import OutputSink

    sink = OutputSink(out_root)
    sink.begin(INDEX_RENDERER)
    sink.write(INDEX, workspace_index(entries, out_root, locale).encode("utf-8"))
    sink.commit()
    sink.write_manifest()
    return out_root / INDEX
