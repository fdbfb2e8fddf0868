"""The JSON view of a diff (version 1; the keys are documented in the package's docstring)."""

from __future__ import annotations

from .changes import WorkspaceDiff


def as_json(diff: WorkspaceDiff, old_name: str | None = None, new_name: str | None = None) -> str:
    """The diff as a JSON document (keys documented in this module's docstring)."""
    import json

    record = diff.as_record()
    record["old"], record["new"] = old_name or diff.old, new_name or diff.new
    return json.dumps(record, indent=2, ensure_ascii=False) + "\n"
