"""Default jinja2 templates of the standard plugins (override them in a workspace's `templates/`)."""

from pathlib import Path

#: The folder of these templates; each standard plugin registers it (``register_template_dirs``)
#: so that it works when the others are disabled. The plugin host searches it once.
DIRECTORY = Path(__file__).parent
