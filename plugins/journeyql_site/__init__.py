"""The `site` renderer: the customer experience roadmap as a static HTML site.

Written as a third-party plugin would be. It is a *collecting* renderer: it
runs after every other renderer of the run and links or embeds their files
(``context.outputs``), so it shows every layer that exists: stakeholders,
personas, journeys with needs and touchpoints, moments of truth, the
emotional curve, the blueprint, the touchpoint matrix, the measurement plan
and results, teasers, improvements and surveys.

Files, at the root of the output directory: ``index.html``,
``stakeholders.html``, ``journeys/<journey>.html``, ``personas/<persona>.html``
and ``assets/site.css``. The site is in the workspace's default locale; for
every other locale of ``context.locales`` a full copy lives under
``<locale>/`` (``en/index.html``, ...), and every page has a language switch
to the same page in the other languages. A copy per locale rather than a
script-driven switch: the site works without JavaScript, from ``file://``
and printed.

Self-contained: no script, no web font, no URL outside the site; spec text
goes through jinja2's autoescape. Templates live in ``site/`` of the
``journeyql_templates`` directory and can be overridden by a workspace.

For the CLI, which writes one site per workspace when several are built at
once: :func:`workspace_index` makes the top-level page linking them, styled
with :func:`stylesheet`.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

import journeyql

# the page builders are imported by render() and workspace_index(): a `check` that only loads
# the plugin to ask for its hooks does not pay for them

_LOCALE = re.compile(r"^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$")


class SiteOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)  # built when first used: faster start-up
    title: str | None = Field(default=None, description="Title of the site (default: 'Customer experience "
                                                        "roadmap' in the site's language).")


def _templates() -> Path:
    import journeyql_templates

    return journeyql_templates.DIRECTORY


def site_locales(default: str, locales) -> list[tuple[str, str]]:
    """(locale, path prefix) of every language of the site: the default at the root, the others in a folder."""
    chosen = [(default, "")]
    for locale in locales or ():
        if locale != default and locale not in [c for c, _ in chosen]:
            if not _LOCALE.match(locale or ""):
                raise journeyql.RenderError(f"site: locale {locale!r} is not a language tag like 'nl' or 'en-GB'")
            chosen.append((locale, f"{locale}/"))
    return chosen


def render(workspace, context) -> None:
    from .pages import STYLESHEET, SiteLocale

    default = context.locale or workspace.locale or "en"
    languages = site_locales(default, context.locales)
    taken = {path.split("/", 1)[0] for files in context.outputs.values() for path in files}
    clash = sorted(prefix.rstrip("/") for _code, prefix in languages if prefix and prefix.rstrip("/") in taken)
    if clash:
        raise journeyql.RenderError(f"site: cannot put the {', '.join(clash)} copy of the site in folder "
                                    f"{', '.join(clash)}/: another renderer writes there")
    context.write_text(STYLESHEET, context.render_template("site/site.css"))
    plan_items = _plan_items(context)
    for locale, prefix in languages:
        builder = SiteLocale(workspace, locale, prefix, locales=languages, outputs=context.outputs,
                             results=context.results, title=context.options.title, plan_items=plan_items)
        for page in builder.pages():
            context.write_text(page.path, context.render_template(page.template, **page.variables))


PLAN_JSON = "plan/plan.json"


def _plan_items(context):
    """The plan's items in plan order (the dashboard shows its top), or None without the plan."""
    import json

    if not any(PLAN_JSON in files for files in context.outputs.values()):
        return None
    try:
        return json.loads(context.read_output(PLAN_JSON).decode("utf-8"))["items"]
    except journeyql.RenderError as error:  # listed but not readable (a context made by hand): no plan
        context.warn(f"site: the dashboard shows no plan: {error}")
        return None
    except (ValueError, KeyError, TypeError) as error:
        raise journeyql.RenderError(f"site: {PLAN_JSON} is not the plan renderer's JSON ({error})") from None


def stylesheet() -> str:
    """The site's CSS, for a page outside a workspace's site (e.g. the CLI's index of several workspaces)."""
    return (_templates() / "site" / "site.css").read_text(encoding="utf-8")


def workspace_index(entries, locale: str = "en", title: str | None = None) -> str:
    """A self-contained HTML page (CSS inlined) linking the site of each workspace built together.

    ``entries``: ``(label, href)`` pairs or mappings with ``label``, ``href`` and an
    optional ``description``; ``href`` relative to the page (``energie/index.html``),
    in the order given. Labels are escaped; an href that is not a relative path
    inside the output (a URL, an absolute path, ``..``) raises ``ValueError``.
    """
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from .words import words_for

    rows = []
    for entry in entries:
        if isinstance(entry, dict):
            label, href, description = entry["label"], entry["href"], entry.get("description") or ""
        else:
            label, href = entry
            description = ""
        href = str(href)
        if (":" in href.split("/", 1)[0] or href.startswith(("/", "\\")) or ".." in href.split("/")
                or href.startswith("//")):
            raise ValueError(f"workspace index: {href!r} is not a relative link inside the output")
        rows.append({"label": str(label), "href": href, "description": str(description)})
    env = Environment(loader=FileSystemLoader(str(_templates())), autoescape=True, undefined=StrictUndefined,
                      keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    words = words_for(locale)
    return env.get_template("site/workspaces.html.j2").render(
        lang=locale or "en", t=words, site_title=title or words["site_title"], entries=rows, css=stylesheet())


@journeyql.hookimpl
def register_template_dirs(register):
    register(_templates())


@journeyql.hookimpl
def register_renderers(register):
    register(
        name="site",
        description="The customer experience roadmap as a static HTML site linking every other output.",
        render=render,
        outputs=["index.html", "stakeholders.html", "downloads.html", "journeys/<journey>.html", "personas/<persona>.html",
                 "assets/site.css", "<locale>/... (a copy per extra locale)"],
        options=SiteOptions,
        formats=["html", "css"],
        collects=True,
    )
