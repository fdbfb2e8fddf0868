"""Templates are read from inside their folder only.

A workspace's ``templates/`` comes with the pull request: a template (or an ``{% include %}``)
that is a symbolic link to a file of the machine, or a FIFO or device, must not be read and
copied into the output. jinja2's FileSystemLoader follows links anywhere; this one refuses
whatever resolves outside the folder it was found in, and anything that is no regular file.
"""

from __future__ import annotations

import os

from jinja2 import FileSystemLoader, TemplateError
from jinja2.loaders import split_template_path

from ..workspace.confine import refusal


class TemplateRefused(TemplateError):
    """A template that exists but is not read (outside its folder, or no regular file).

    Not a TemplateNotFound: jinja2's ChoiceLoader would take that as "try the next folder"
    and fall back to the plugin's template, hiding the refusal."""


class ConfinedLoader(FileSystemLoader):
    def get_source(self, environment, template):
        pieces = split_template_path(template)
        for searchpath in self.searchpath:
            filename = os.path.join(searchpath, *pieces)
            if os.path.lexists(filename):
                problem = refusal(filename, searchpath)
                if problem is not None:
                    raise TemplateRefused(f"template {template} is not read: {problem}")
                break
        return super().get_source(environment, template)


def readable_template(path, directory) -> bool:
    """Whether a file found under a template ``directory`` may be read (hashed, loaded)."""
    return refusal(path, directory) is None
