"""The Jinja templates in templates/: printed forms and pages a province may reword."""

from __future__ import annotations

from aimama_cli.core.errors import UsageError
from aimama_cli.core.resources import TEMPLATES


def render(name: str, missing_key: str, **context) -> str:
    """templates/``name`` rendered (HTML autoescaped); a usage error ``missing_key`` without it."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             autoescape=jinja2.select_autoescape(["html.j2"]),
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True)
    try:
        template = env.get_template(name)
    except jinja2.TemplateNotFound:
        raise UsageError(missing_key, path=str(TEMPLATES / name)) from None
    return template.render(**context)
