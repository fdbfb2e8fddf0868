"""`journeyql diff`: what changed between two versions of a workspace, in the method's terms.

It compares resolved models, not text: reformatting, comments, splitting specs over other files
or moving a definition to another file change nothing. A step that was added or renamed, a
touchpoint that got another owner, a moment of truth that appeared, an expected emotion that
moved shows up.

Versions are paths or git revisions::

    journeyql diff OLD NEW                two files or directories
    journeyql diff REV [PATH]             PATH (default .) at git revision REV vs the working tree
    journeyql diff REV1 REV2 [PATH]       PATH at two git revisions

How an argument is read:

1. In the one- and two-argument forms, an argument that names an existing file or directory is a
   path; anything else must be a git revision (``git rev-parse --verify REV^{commit}`` in the
   repository holding PATH). A file that happens to be named like a branch wins; write
   ``main~0`` or ``refs/heads/main`` to mean the revision.
2. In the three-argument form the first two are always revisions and the third the path.
3. A revision is read straight from git's object database (``git ls-tree`` + ``git cat-file``):
   the ``.jql`` files and ``journeyql.toml`` files of PATH (and the ``journeyql.toml`` files above
   it) are copied to a temporary directory. Nothing is checked out and nothing is written in the
   repository. The working tree side includes files git does not track yet.

A path may hold several workspaces (``specs/``): they are paired by their directory. A workspace
that exists in one version only shows up as everything added (or removed).

Exit codes: 0 when both versions load (with or without changes), 1 when a version has spec
errors (printed in the concise format), 2 for a usage problem (not a git repository, unknown
revision, no specs in either version).

The JSON document (``--format json``), version 1::

    {"version": 1, "old": "HEAD~1", "new": "working tree",
     "summary": {"added": 3, "removed": 1, "changed": 5},
     "workspaces": ["."],
     "changes": [{"kind": "changed", "what": "touchpoint", "key": "moving.meter_form",
                  "label": "Meter form", "journey": "moving", "persona": null, "workspace": ".",
                  "fields": [{"field": "owner", "old": "web", "new": "service", "delta": null}]}]}

``kind`` is ``added``, ``removed`` or ``changed``; ``what`` one of :data:`WHATS`; ``key`` the id of
a definition or the ``journey.name`` key of a stage, step or touchpoint (for ``moment``,
``emotion`` and ``persona_view`` records: the step or touchpoint they belong to; ``relation``
records use ``source -> target``); ``journey`` the journey a record belongs to (null for other
definitions); ``persona`` the persona of a ``persona_view``; ``workspace`` the workspace's
directory relative to the compared path. ``fields`` lists what changed, ``old`` and ``new`` as
JSON values (``null`` when absent; nested objects as one-line text); ``delta`` is ``new - old``
when both are numbers. Translations are fields of their own (``label.nl``), and so are the
members of a model or plan (``impacts.call_cost.amount``, ``instruments.nps.question``). For an added or removed record, ``fields`` hold its identifying
attributes (a touchpoint's channel and owner, a step's stage, a journey's size). Records are in
a fixed order: workspace, then journeys (each in journey order: the journey, stages, steps,
touchpoints, moments, emotions, persona views), then the other definitions by kind (added, removed,
changed, each by id).
"""

from __future__ import annotations

# The package, one job per module: changes.py (the records), values.py (values as data and text),
# compare.py (two models -> records), markdown.py and json_view.py (the views), versions.py
# (paths and git revisions -> models). The command's arguments and output are journeyql/cli/diff.py.
from .changes import DEFINITIONS, KINDS, WHATS, WORKING_TREE, Change, DiffError, FieldChange, WorkspaceDiff
from .compare import combine, diff_workspaces
from .json_view import as_json
from .markdown import as_markdown, summary_line
from .versions import Version, VersionErrors, compare, load_version, materialise, plan

__all__ = ["DEFINITIONS", "KINDS", "WHATS", "WORKING_TREE", "Change", "DiffError", "FieldChange", "Version",
           "VersionErrors", "WorkspaceDiff", "as_json", "as_markdown", "combine", "compare", "diff_workspaces",
           "load_version", "materialise", "plan", "summary_line"]
