"""The regression gate's findings obey `[rules]` in journeyql.toml and `# jql-ignore:` comments, as
`check`'s do (docs/ci.md). The data is test_waves.py's: from W2 to W3 touchpoint t1 and step a fall
significantly (JQL402 twice) and `kpi t1.valence >= 0` is missed (JQL401)."""

from __future__ import annotations

import pytest

from test_regression_gate import _codes, _gate, _line
from test_waves import W2, W3, workspace


def _setup(tmp_path, rules: str = "", edit=None):
    root = workspace(tmp_path, {"w2": W2, "w3": W3})
    if rules:
        toml = root / "journeyql.toml"
        toml.write_text(toml.read_text(encoding="utf-8") + "\n[rules]\n" + rules, encoding="utf-8")
    if edit is not None:
        spec = root / "spec.jql"
        spec.write_text(edit(spec.read_text(encoding="utf-8")), encoding="utf-8")
    return root


def test_without_settings_three_errors(tmp_path):
    root = _setup(tmp_path)
    code, text = _gate(root, tmp_path, "concise")
    assert code == 1
    assert sorted(_codes("concise", text)) == sorted([("JQL401", _line(root, "kpi t1.valence")),
                                                      ("JQL402", _line(root, "touchpoint t1")),
                                                      ("JQL402", _line(root, "step a "))])


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_a_rule_set_to_warning_reports_but_does_not_fail(tmp_path, fmt):
    root = _setup(tmp_path, 'kpi-missed = "warning"\nJQL402 = "warning"\n')
    code, text = _gate(root, tmp_path, fmt)
    assert code == 0
    assert len(_codes(fmt, text)) == 3
    import json

    document = json.loads(text)
    levels = ({d["severity"] for d in document["diagnostics"]} if fmt == "json"
              else {r["level"] for r in document["runs"][0]["results"]})
    assert levels == {"warning"}


def test_a_rule_turned_off_is_not_reported(tmp_path):
    root = _setup(tmp_path, 'significant-drop = "off"\n')
    code, text = _gate(root, tmp_path, "concise")
    assert code == 1 and _codes("concise", text) == [("JQL401", _line(root, "kpi t1.valence"))]


def test_jql_ignore_comments_on_the_line_and_the_line_before(tmp_path):
    def edit(text):
        text = text.replace("touchpoint t1 \"T1\" { channel web  owner ops }",
                            "touchpoint t1 \"T1\" { channel web  owner ops }  # jql-ignore: significant-drop")
        return text.replace("  kpi t1.valence >= 0\n", "  # jql-ignore: JQL401\n  kpi t1.valence >= 0\n")
    root = _setup(tmp_path, edit=edit)
    code, text = _gate(root, tmp_path, "concise")
    assert code == 1 and _codes("concise", text) == [("JQL402", _line(root, "step a "))]
    # and the whole file
    spec = root / "spec.jql"
    spec.write_text("# jql-ignore-file: significant-drop\n" + spec.read_text(encoding="utf-8"), encoding="utf-8")
    code, text = _gate(root, tmp_path, "concise")
    assert code == 0 and _codes("concise", text) == []
