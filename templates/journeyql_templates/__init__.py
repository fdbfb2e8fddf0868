"""Default jinja2 templates of the standard plugins (override them in a workspace's `templates/`)."""
