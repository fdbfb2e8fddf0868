"""Workspaces: a directory of ``.jql`` files and its ``journeyql.toml``, found, read and analysed.

``sources`` finds and reads the files, ``config`` reads the settings, ``pipeline`` turns the
sources into the resolved model and its diagnostics, and ``rules`` holds the method's own rules.
"""

from .pipeline import Analysis, analyse, build_model  # noqa: F401
from .sources import (  # noqa: F401
    SKIPPED_DIRS,
    SPEC_SUFFIX,
    Source,
    UsageError,
    WorkspaceSources,
    decode_source,
    discover,
    display_path,
    read_source,
    workspace_root,
)
