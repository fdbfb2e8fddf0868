"""The package layout: old module names keep working, and the subpackages import one way only."""

from __future__ import annotations

import importlib
import subprocess
import sys
import warnings

import pytest

import journeyql


@pytest.mark.parametrize("old", sorted(journeyql.MOVED))
def test_a_moved_module_imports_under_its_old_name_as_the_same_object(old):
    new = importlib.import_module(f"journeyql.{journeyql.MOVED[old]}")
    sys.modules.pop(f"journeyql.{old}", None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        aliased = importlib.import_module(f"journeyql.{old}")
    assert aliased is new
    assert any(issubclass(w.category, DeprecationWarning) and f"journeyql.{journeyql.MOVED[old]}" in str(w.message)
               for w in caught)


def test_from_imports_of_old_names_work_in_a_fresh_process():
    code = ("import warnings; warnings.simplefilter('error');"
            "from journeyql.results import Results")
    failed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert failed.returncode != 0 and "journeyql.measure.results" in failed.stderr
    code = "from journeyql.results import Results; from journeyql.testing import render; print(Results.__module__)"
    done = subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "journeyql.measure.results"


def test_an_unknown_module_is_still_an_import_error():
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("journeyql.no_such_module")
