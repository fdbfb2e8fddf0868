"""Teasers of a journey several organisations share: made per organisation, from its own view.

Employees feel their own organisation's customer experience: a teaser about a touchpoint shows the
label, channel and owner it has at that organisation, a teaser for one organisation's departments is
made for that organisation only, and an organisation's day in the life and workshop kit never show
another organisation's departments, actions, teasers or improvements.
"""

from __future__ import annotations

import re

from test_teasers import SPECS, example, rendered

SHARED = r'''
organisation a "Acme" { sector telecom }
organisation b "Bolt" { sector telecom }
stakeholder ad "Acme desk" { kind internal  organisation a }
stakeholder bd "Bolt desk" { kind internal  organisation b }
stakeholder af "Acme field crew" { kind internal  organisation a }
channel web "Acme website" { kind web }
channel mail "Bolt e-mail" { kind email }
persona p "Pat" {}
journey j "Ordering" {
  organisations a, b
  personas p
  stage s "S" {
    step order "Place the order" {
      touchpoint form "Order form" { channel web  owner ad  for b { label "Order by e-mail"  channel mail  owner bd } }
      touchpoint chat "Chat with Acme" { channel web  owner ad  for b { skips yes } }
      backstage "Acme checks the address" { owner af }
      expected -1
    }
    step remind "Reminder" {
      touchpoint reminder "Reminder text" { channel web  owner ad }
      expected 0
      for b { skips yes }
    }
  }
}
teaser about_form "The order form" {
  kind web_page
  imitates j.form
  pain "Nobody can finish the order"
}
teaser about_chat "The chat" {
  kind web_page
  imitates j.chat
  pain "The chat never answers"
}
teaser order_letter "The order confirmation" {
  kind letter
  imitates j.order
  pain "The confirmation quotes a back-office reference"
}
teaser for_acme "A day at Acme" {
  kind day_in_life
  imitates j.order
  pain "Waiting"
  audience ad
}
improvement faster_form "A shorter order form" {
  changes j.form
  owner ad
  status idea
}
'''


def files_of(files: dict, folder: str) -> dict[str, str]:
    return {name.split("/")[-1]: data.decode("utf-8") for name, data in files.items()
            if name.startswith(f"teasers/{folder}/")}


def test_a_teaser_about_a_shared_touchpoint_is_made_from_each_organisations_view():
    files = rendered(SHARED, options={"propose": False})
    a, b = files_of(files, "j--a"), files_of(files, "j--b")
    assert not any(name.startswith("teasers/j/") for name in files)  # no material of the journey as written
    # the same teaser, each organisation's own touchpoint: its label, channel and owner
    assert "Order form" in a["about_form.en.html"] and "Acme website" in a["about_form.en.html"]
    assert "Order by e-mail" in b["about_form.en.html"] and "Bolt e-mail" in b["about_form.en.html"]
    assert "Bolt desk" in b["about_form.en.html"]
    for text in ("Order form", "Acme", "Chat with Acme"):
        assert text not in b["about_form.en.html"], text
    # a touchpoint one organisation skips, and a teaser for one organisation's department: that one's only
    assert "about_chat.en.html" in a and "about_chat.en.html" not in b
    assert "for_acme.en.html" in a and "for_acme.en.html" not in b


def test_an_organisations_day_in_the_life_and_workshop_kit_show_only_its_own_material():
    files = rendered(SHARED, options={"propose": False})
    a, b = files_of(files, "j--a"), files_of(files, "j--b")
    # Bolt's customers skip the reminder; Acme's back office is not Bolt's
    assert "Reminder" in a["day-in-the-life-p.en.html"] and "Reminder" not in b["day-in-the-life-p.en.html"]
    assert "Acme checks the address" in a["order_letter.en.html"]  # its reference line: Acme's back office
    assert "order_letter.en.html" in b  # Bolt's letter, without Acme's back office (below)
    for name, text in b.items():
        assert "Acme" not in text, name  # no Acme label, channel, department, action or improvement
    kit = a["workshop-kit.en.html"]
    assert "Acme desk" in kit and "A shorter order form" in kit and "Bolt" not in kit
    assert "Bolt desk" in b["workshop-kit.en.html"] and "A shorter order form" not in b["workshop-kit.en.html"]
    # each page links its own folder's files and the teasers' index, never another organisation's
    for folder, texts in (("j--a", a), ("j--b", b)):
        for name, text in texts.items():
            for link in re.findall(r'href="([^"#]+)', text):
                assert "/" not in link or link.startswith("../index."), (folder, name, link)


def test_the_telecom_benchmark_material_is_scoped_per_operator():
    files = example("telecom-switch")
    lumen, signal = files_of(files, "switch--lumen"), files_of(files, "switch--signal")
    # Lumen's teasers (their audience is Lumen's departments) are Lumen's only
    assert {"waiting_day.en.html", "hold_music.en.html"} <= set(lumen)
    assert not {"waiting_day.en.html", "hold_music.en.html"} & set(signal)
    assert all("SignalNet" not in text for text in lumen.values())
    assert all("Lumen" not in text for text in signal.values())
    # SignalNet's proposals are about its own worst moments, in its own words
    assert "Installation date by e-mail" in signal["proposed-schedule.en.html"]
    index = files["teasers/index.en.html"].decode("utf-8")
    assert 'href="switch--lumen/index.en.html">Switching to fibre (Lumen Telecom)</a>' in index
    assert 'href="switch--signal/index.en.html">Switching to fibre (SignalNet)</a>' in index
    # a journey with one organisation keeps its one folder
    assert any(name.startswith("teasers/verhuizen/") for name in example("energie-verhuizen"))
    assert (SPECS / "telecom-switch").is_dir()
