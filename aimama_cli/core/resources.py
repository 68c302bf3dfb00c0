"""Where the data shipped with aimama lives: schemas, templates and the duty programmes.

An installed wheel carries them inside the package (``aimama_cli/schemas`` …, see
pyproject.toml); a source checkout keeps them beside it (``schemas/``, ``templates/``,
``records/programmes/``).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # aimama_cli/
CHECKOUT = PACKAGE.parent


def _data(installed: str, *in_checkout: str) -> Path:
    inside = PACKAGE / installed
    return inside if inside.is_dir() else CHECKOUT.joinpath(*in_checkout)


SCHEMAS = _data("schemas", "schemas")
TEMPLATES = _data("templates", "templates")
PROGRAMMES = _data("programmes", "records", "programmes")
DOCS = CHECKOUT / "docs"
