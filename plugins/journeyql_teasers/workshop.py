"""The workshop kit: an "experience it yourself" session per department, then the improvement workshop.

Which department feels which teaser comes from the teasers' ``audience`` and the
owners of what they imitate (see :func:`.scope.departments`). Timings are in
minutes from the start of each session.
"""

from __future__ import annotations

import math

from .scope import Plan, departments
from .voice import Voice

#: Minutes to experience one teaser, by kind (a phone teaser takes its real queue time, see below).
MINUTES = {"letter": 10, "email": 10, "web_page": 15, "form": 15, "roleplay": 25, "day_in_life": 15,
           "video": 10, "other": 10}


def _hm(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def _agenda(voice: Voice, items: list[tuple[str, int]]) -> list[dict]:
    rows, start = [], 0
    for text, minutes in items:
        rows.append({"time": f"{_hm(start)}–{_hm(start + minutes)}", "what": text,
                     "minutes": voice.t["minutes"].format(n=minutes)})
        start += minutes
    return rows


def teaser_minutes(plan: Plan, phone_seconds: float | None) -> int:
    if plan.kind == "phone" and phone_seconds is not None:
        # the real waiting time is the point; an hour is the most a session can take
        return min(60, math.ceil(phone_seconds / 60) + 5)
    return MINUTES.get(plan.kind, 10)


def workshop_data(voice: Voice, journey, plans: list[Plan], labels: dict[str, str], files: dict[str, str],
                  phone_seconds: dict[str, float], organisation: str | None = None) -> dict:
    """The kit; with ``organisation`` (a shared journey), its departments and the improvements they own only."""
    from .organisations import ours

    t = voice.t
    by_department: dict[str, list[Plan]] = {}
    for plan in plans:
        for department in departments(voice.workspace, plan):
            by_department.setdefault(department, []).append(plan)
    sessions = []
    for department, its_plans in by_department.items():
        items = [(t["agenda_welcome"], 10)]
        items += [(t["agenda_teaser"].format(teaser=labels[p.id]), teaser_minutes(p, phone_seconds.get(p.id)))
                  for p in its_plans]
        items.append((t["agenda_debrief"], 15))
        sessions.append({"department": voice.ref(department), "title": t["session"].format(department=voice.ref(department)),
                         "agenda": _agenda(voice, items),
                         "teasers": [{"label": labels[p.id], "file": files[p.id], "proposed": p.proposed}
                                     for p in its_plans]})
    improvements = [{"label": voice.label(improvement),
                      "horizon": t.get("horizon_" + improvement.horizon, improvement.horizon)
                      if improvement.horizon else None,
                      "status": t.get("status_" + improvement.status, improvement.status)}
                     for improvement in voice.improvements_of(journey)
                     if ours(voice.workspace, organisation, improvement.owner)]
    workshop = _agenda(voice, [(t["agenda_recap"], 20), (t["agenda_design"], 45), (t["agenda_priorities"], 30),
                               (t["agenda_initiatives"], 15), (t["agenda_measure"], 10)])
    return {"sessions": sessions, "workshop": workshop, "improvements": improvements,
            "departments": [voice.ref(d) for d in by_department]}
