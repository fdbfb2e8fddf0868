"""Survey question names map back to their touchpoint and item, for every item kind."""

import pytest

from journeyql.measure.items import ItemRef, is_item, parse_question_name, question_name


@pytest.mark.parametrize("touchpoint, item", [
    ("eindnota", "valence"), ("eindnota", "emotion.irritatie"), ("eindnota", "intent.call_again"),
    ("meterstand_app", "ces"), (None, "nps"), (None, "csat"), ("formulier", "cause"), (None, "question.oorzaak"),
    ("eindnota", "emotion"), (None, "intent"), ("élan", "emotion.opluchting"),
])
def test_question_names_round_trip(touchpoint, item):
    name = question_name(touchpoint, item)
    assert parse_question_name(name) == ItemRef(touchpoint, item)


@pytest.mark.parametrize("name", ["nps", "t-eindnota", "t--valence", "x-a-valence", "t-a-emotion-x-y",
                                  "t-a-bogus", "j-emotion.x", "j-"])
def test_foreign_names_are_not_items(name):
    assert parse_question_name(name) is None


@pytest.mark.parametrize("touchpoint, item", [("a-b", "valence"), ("a", "bogus"), ("a", "emotion.x.y"), ("", "nps")])
def test_invalid_names_are_refused(touchpoint, item):
    with pytest.raises(ValueError):
        question_name(touchpoint, item)


def test_items():
    assert is_item("emotion.x") and is_item("nps") and not is_item("emotion") and not is_item("emotion.")
