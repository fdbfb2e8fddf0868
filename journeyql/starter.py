"""`journeyql init DIR`: a small, complete starter workspace that passes `check --strict`."""

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
    from .output import write_atomic

    target = Path(args.directory)
    if target.exists() and not target.is_dir():
        print(f"journeyql: error: {target} exists and is not a directory", file=sys.stderr)
        return 2
    existing = sorted(name for name in FILES if (target / name).exists())
    if existing:
        print(f"journeyql: error: {target} already has {', '.join(existing)}; nothing was written",
              file=sys.stderr)
        return 2
    try:
        target.mkdir(parents=True, exist_ok=True)
        for name, text in FILES.items():
            write_atomic(target / name, text.encode("utf-8"))
    except OSError as error:
        print(f"journeyql: error: cannot write to {target}: {error.strerror or error}", file=sys.stderr)
        return 2
    print(f"created a starter workspace in {target}: {', '.join(FILES)}")
    print(f"next: journeyql check {target} && journeyql build {target} -o {target / 'site'}")
    return 0
