"""`journeyql init DIR`: a small, complete starter workspace that passes `check --strict`.

The starter has one of everything the method needs, so a team can grow it rather than start
from an empty page: the organisation and its departments (touchpoint owners), a stakeholder map,
two channels, a persona, a journey of two stages and four steps with touchpoints, a moment of
truth, expected and target emotions, a measurement plan that samples the moment of truth, a
customer experience model, a teaser and an improvement. It is already in `journeyql fmt` form
(a test keeps it so). `init` never overwrites: if any of its files exists, nothing is written.
"""

from __future__ import annotations

import sys
from pathlib import Path

FILES = {
    "journeyql.toml": '''[workspace]
name = "My first journey"
locale = "en"
''',
    "organisation.jql": '''# Who is involved: the organisation, its departments, and what flows between them.

organisation acme "Acme Energy" {
  sector energy
  locale en
}

stakeholder customer "Customer" {
  kind customer
}
stakeholder service "Customer service" {
  kind internal
  organisation acme
}
stakeholder online "Online team" {
  kind internal
  organisation acme
}

relation customer -> acme "pays the monthly bill" {
  flows money
}
relation acme -> customer "supplies energy" {
  flows service
}
relation service -> customer "answers questions" {
  flows information
}
relation online -> customer "runs the website" {
  flows service
}

channel website "Website" {
  kind web
}
channel phone "Phone" {
  kind phone
}

persona alex "Alex, moving house" {
  segment "Customers who move"
  context "Alex (34) moves to a new flat next month and wants energy there from day one."
  goal "Energy at the new address from the first day"
  need "I want to arrange everything online, once"
  prefers website
}
''',
    "journey.jql": '''# The journey: stages of steps, each with the touchpoints where the customer meets a channel.

journey moving "Moving house" {
  organisation acme
  personas alex
  goal "Energy at the new address, without paying twice"

  stage report "Report the move" {
    step form "Fill in the moving form" {
      action "Enters the old and new address and the moving date"
      need "I want to see straight away that it worked"
      touchpoint move_form "Online moving form" {
        channel website
        owner online
        moment negative, "The form rejects a moving date more than six weeks ahead"
      }
      wait 2d, "for the confirmation"
      expected -2, dissatisfaction
      target 2, satisfaction
    }
    step call "Call to check" {
      action "Calls to check the move was registered"
      touchpoint check_call "Phone call" {
        channel phone
        owner service
      }
      expected -1, fear
      target 1, satisfaction
    }
  }

  stage settle "Settle up" {
    step final_bill "Receive the final bill" {
      action "Reads the final bill for the old address"
      need "I want to understand what I pay for"
      touchpoint bill_page "Final bill in the account" {
        channel website
        owner service
      }
      expected -1, dissatisfaction
      target 1, satisfaction
    }
    step welcome "First month at the new address" {
      touchpoint welcome_mail "Welcome page" {
        channel website
        owner online
      }
      expected 1, joy
      target 2, joy
    }
  }
}
''',
    "improve.jql": '''# Measure, understand, improve.

measurement pulse "Moving pulse" {
  journey moving
  valence -3..3
  emotions premo
  nps "How likely are you to recommend Acme Energy?"
  sample move_form
  sample end
  kpi move_form.valence >= 1
}

model cx "Customer experience model" {
  organisation acme
  element date_limit "Moving-date limit in the form" {
    at move_form
  }
  emotion irritation "Irritation" {
    valence negative
  }
  behaviour calls_again "Calls to check" {}
  impact call_cost "Cost of a call" {
    amount 6.50 EUR
    per call
  }
  link date_limit -> irritation -> calls_again -> call_cost
}

teaser form_teaser "The form that says no" {
  kind form
  imitates move_form
  pain "The moving date is refused"
  audience online, service
}

improvement date_ahead "Accept moving dates six months ahead" {
  changes move_form, date_limit
  effort 1
  impact 4
  confidence 80%
  owner online
  horizon quick_win
  status planned
  kpi move_form.valence >= 1
}
''',
}


def run(args) -> int:
    """``journeyql init``: 0 when the workspace was written, 2 when a file is in the way or cannot be written."""
    import os

    from ..host.output import write_atomic

    target = Path(args.directory)
    if target.exists() and not target.is_dir():
        print(f"journeyql: error: {target} exists and is not a directory", file=sys.stderr)
        return 2
    existing = sorted(name for name in FILES if os.path.lexists(target / name))
    if existing:
        print(f"journeyql: error: {target} already has {', '.join(existing)}; nothing was written",
              file=sys.stderr)
        return 2
    joining = _specs_that_would_join(target)
    if joining:
        shown = ", ".join(p.relative_to(target).as_posix() for p in joining[:5]) + (", ..." if len(joining) > 5 else "")
        print(f"journeyql: error: {target} already holds specs ({shown}); they would join the starter's workspace "
              "and clash with it. Nothing was written; choose an empty directory", file=sys.stderr)
        return 2
    written: list[Path] = []
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name, text in FILES.items():
            write_atomic(target / name, text.encode("utf-8"))
            written.append(target / name)
    except OSError as error:
        for path in written:  # all or nothing: a half starter would not pass check
            path.unlink(missing_ok=True)
        print(f"journeyql: error: cannot write to {target}: {error.strerror or error}", file=sys.stderr)
        return 2
    print(f"created a starter workspace in {target}: {', '.join(FILES)}")
    print(f"next: journeyql check --strict {target} && journeyql build {target} -o {target / 'site'}")
    return 0


def _specs_that_would_join(target: Path) -> list[Path]:
    """Spec files under ``target`` that no journeyql.toml of their own separates from it."""
    from ..workspace.config import CONFIG_NAME
    from ..workspace.sources import spec_files

    if not target.is_dir():
        return []
    joining = []
    for spec in spec_files(target):
        folder = spec.parent
        while folder != target and not (folder / CONFIG_NAME).is_file():
            folder = folder.parent
        if folder == target:
            joining.append(spec)
    return joining
