"""Shared test setup: the tests never write into the user's own cache directory."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True, scope="session")
def private_cache_dir(tmp_path_factory):
    """JourneyQL's per-user cache (the compiled WebAssembly graphviz) in a temporary folder for the
    whole run; subprocesses inherit it through the environment."""
    previous = os.environ.get("JOURNEYQL_CACHE_DIR")
    os.environ["JOURNEYQL_CACHE_DIR"] = str(tmp_path_factory.mktemp("journeyql-cache"))
    yield
    if previous is None:
        os.environ.pop("JOURNEYQL_CACHE_DIR", None)
    else:
        os.environ["JOURNEYQL_CACHE_DIR"] = previous
