"""Jinja extension for the hooks: gives them the template's absolute location."""

from pathlib import Path

from jinja2.ext import Extension

# Resolved at import, while the working directory is the one the template path is relative to.
TEMPLATE_DIR = Path(__file__).resolve().parent


class TemplateDirExtension(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        environment.globals["template_dir"] = str(TEMPLATE_DIR)
