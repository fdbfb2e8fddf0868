"""The site's index of the other renderers' files answers exactly as the plain scan of every file does."""

from __future__ import annotations

import random

from journeyql_site import links

NAMES = ["verhuizen", "verhuizen_oud", "claim", "org0", "m1", "teaser_a", "imp1"]


def random_outputs(rng: random.Random) -> dict:
    folders = ["teasers", "plan", "surveys", "blueprint", "emotion-curve", "x/y"]
    outputs: dict[str, list[str]] = {}
    for _ in range(rng.randint(1, 60)):
        renderer = rng.choice(["a", "b", "c"])
        stem = rng.choice(NAMES + ["index", "plan", "all"]) + rng.choice(["", "--p1", ".nl", "_x", "-2", "/index"])
        outputs.setdefault(renderer, []).append(f"{rng.choice(folders)}/{stem}.{rng.choice(['html', 'svg', 'md'])}")
    return {name: tuple(dict.fromkeys(paths)) for name, paths in outputs.items()}


def test_index_agrees_with_the_scan_on_random_outputs():
    rng = random.Random(7)
    for _ in range(300):
        outputs = random_outputs(rng)
        owned = rng.sample(NAMES, rng.randint(0, len(NAMES)))
        index = links.OutputIndex(outputs, owned)
        for _ in range(5):
            idents = rng.sample(NAMES, rng.randint(1, 3))
            under = rng.choice([None, "teasers", "plan", "surveys", "x"])
            assert index.related(idents, under=under) == links.related(outputs, idents, under=under,
                                                                       all_journeys=owned)
        path = rng.choice([p for paths in outputs.values() for p in paths] + ["nowhere.html"])
        assert index.find(path) == links.find(outputs, path)
