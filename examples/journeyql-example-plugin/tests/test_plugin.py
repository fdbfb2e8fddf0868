"""The example plugin's own tests, written with journeyql.host.testing as any plugin author would."""

import csv
import io

import journeyql.host.testing
import journeyql_example_plugin

SPEC = '''
stakeholder ops "Ops" { kind internal }
channel web "Web" { kind web }
persona p "P" { prefers web }
journey j "J" { personas p  stage s "S" { step a "A" {
  touchpoint t "=HYPERLINK(\\"http://evil.invalid\\")" { channel web  owner ops  moment negative }
} } }
'''


def test_touchpoint_csv_neutralises_formulas():
    result = journeyql.host.testing.render(SPEC, "touchpoint-csv", plugins=[journeyql_example_plugin],
                                      options={"delimiter": ";"})
    assert result.ok, result.message
    rows = list(csv.reader(io.StringIO(result.text("touchpoints.csv")), delimiter=";"))
    assert rows[0][:4] == ["journey", "stage", "step", "touchpoint"]
    assert rows[1][3].startswith("'=HYPERLINK") and rows[1][5] == "Ops" and rows[1][6] == "negative"


def test_long_label_rule():
    short = journeyql.host.testing.check(SPEC, plugins=[journeyql_example_plugin])
    assert [d.code for d in short if d.code.startswith("EXA")] == []
    findings = journeyql.host.testing.check(SPEC.replace('touchpoint t "', 'touchpoint t "' + "x" * 70),
                                       plugins=[journeyql_example_plugin])
    assert [d.code for d in findings if d.code.startswith("EXA")] == ["EXA001"]
