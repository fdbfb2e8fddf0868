"""The `json` renderer: the resolved model as JSON, JourneyQL's interchange format.

Written exactly as a third-party plugin would be: it reaches JourneyQL only
through ``journeyql.hookimpl`` and the render context. The format is
documented in ``docs/json.md``; its ``format_version`` changes only when a
change could break a consumer.
"""

from __future__ import annotations

import json
import os

from pydantic import BaseModel, ConfigDict, Field

import journeyql

FORMAT_VERSION = 1


class JsonOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # built when first used: faster start-up
    indent: int = Field(default=2, ge=0, le=8, description="Indentation; 0 writes one compact line.")
    spans: bool = Field(default=True, description="Include the source span of every object.")


def _relative_spans(data, root: str):
    """Span paths relative to the workspace root, so the output does not depend on where JourneyQL ran."""
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            if key == "span" and isinstance(value, dict) and "path" in value:
                value = dict(value, path=os.path.relpath(value["path"], root).replace(os.sep, "/"))
                out[key] = value
            else:
                out[key] = _relative_spans(value, root)
        return out
    if isinstance(data, list):
        return [_relative_spans(v, root) for v in data]
    return data


def _without_spans(data):
    if isinstance(data, dict):
        return {k: _without_spans(v) for k, v in data.items() if k != "span"}
    if isinstance(data, list):
        return [_without_spans(v) for v in data]
    return data


def render(workspace, context) -> None:
    data = workspace.model_dump(mode="json", exclude={"root"})
    data["files"] = [os.path.relpath(f, workspace.root).replace(os.sep, "/") for f in workspace.files]
    data = _relative_spans(data, workspace.root) if context.options.spans else _without_spans(data)
    document = {"format": "journeyql-workspace", "format_version": FORMAT_VERSION, "workspace": data}
    indent = context.options.indent or None
    text = json.dumps(document, indent=indent, ensure_ascii=False, separators=None if indent else (",", ":"))
    context.write_text("workspace.json", text + "\n")


@journeyql.hookimpl
def register_renderers(register):
    register(
        name="json",
        description="The resolved workspace as JSON, the interchange format for other tools.",
        render=render,
        outputs=["workspace.json"],
        options=JsonOptions,
        formats=["json"],
        positions=True,  # the spans say where every object is written
    )
