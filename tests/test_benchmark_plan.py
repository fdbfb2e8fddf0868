"""Plans per organisation learn from the benchmark: only where the data supports the difference."""

from __future__ import annotations

import json

import journeyql_plan

import journeyql.host.testing
from journeyql.measure.benchmark import BenchmarkRow, JourneyBenchmark, OrganisationScore
from journeyql.measure.results import Results

SPEC = r'''
organisation a "Acme" { sector telecom }
organisation b "Bolt" { sector telecom }
organisation c "Core" { sector telecom }
stakeholder ad "Acme desk" { kind internal  organisation a }
stakeholder bd "Bolt desk" { kind internal  organisation b }
stakeholder cd "Core desk" { kind internal  organisation c }
channel web "Web" { kind web }
persona p "P" {}
journey j "J" {
  organisations a, b, c
  personas p
  stage s "S" {
    step x "Order" {
      touchpoint t "Order form" { channel web  owner ad  for b { owner bd }  for c { owner cd } }
      expected 0
    }
    step y "Delivery" {
      touchpoint u "Delivery" { channel web  owner ad  for b { owner bd }  for c { owner cd } }
      expected 0
    }
  }
}
'''


def score(org, mean, verdict, p=0.001):
    return OrganisationScore(org, n=100, mean=mean, ci=(mean - 0.2, mean + 0.2), sd=1.0, sample="ok", rest_n=200,
                             rest_mean=0.0, difference=mean, p=p, p_adjusted=p, verdict=verdict)


# x: a is supported below the sector, b supported above (c in between): a learns from b.
# y: a lower than b by 1.0, but neither difference is supported: no suggestion, whatever the means say.
BENCHMARK = JourneyBenchmark("j", ("a", "b", "c"), "telecom", steps=(
    BenchmarkRow("j.x", 300, 0.0, (-0.1, 0.1), (score("a", -0.8, "lower"), score("b", 0.4, "higher"),
                                                score("c", 0.4 - 0.3, "no_difference", 0.3))),
    BenchmarkRow("j.y", 300, 0.0, (-0.1, 0.1), (score("a", -0.5, "no_difference", 0.2),
                                                score("b", 0.5, "no_difference", 0.2),
                                                score("c", 0.0, "no_difference", 0.9))),
))


def plan():
    result = journeyql.host.testing.render(SPEC, "plan", plugins=[journeyql_plan], installed=False,
                                           results=Results(benchmarks={"j": BENCHMARK}))
    assert result.ok, result.message
    return result


def test_an_organisation_below_the_sector_learns_from_the_one_above_only_where_supported():
    result = plan()
    items = [i for i in json.loads(result.text("plan/plan.json"))["items"] if i["source"] == "benchmark"]
    assert [i["id"] for i in items] == ["suggest-learn-a-j.t"]
    item = items[0]
    assert item["owner"] == "ad" and item["touchpoints"] == ["j.t"]
    # the title names the better organisation and its lead: 0.4 - (-0.8) = 1.2 (two decimals, as every plan figure)
    acme = result.text("plan/a.en.md")
    assert "Bolt scores +1.20 at Order: learn from Bolt" in acme
    assert "learn from" not in result.text("plan/b.en.md") and "learn from" not in result.text("plan/c.en.md")
    # y: a is 1.0 below b, but no difference there is supported: nothing to learn
    assert "Delivery: learn from" not in acme


def test_no_benchmark_no_suggestion():
    empty = JourneyBenchmark("j", ("a", "b", "c"), "telecom", steps=(
        BenchmarkRow("j.x", 300, 0.0, None, (score("a", -0.8, "lower"), score("b", 0.4, "no_difference", 0.1),
                                             score("c", 0.4, "no_difference", 0.1))),))
    result = journeyql.host.testing.render(SPEC, "plan", plugins=[journeyql_plan], installed=False,
                                           results=Results(benchmarks={"j": empty}))
    assert result.ok
    assert "learn from" not in result.text("plan/a.en.md")  # a is below, but nobody is supported above
