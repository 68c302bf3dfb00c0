"""Vetting settings (``aimama.yaml`` ``vetting``, by team level) and a volunteer's latest checks:
what the vetting rules judge by and the volunteer report counts."""

from __future__ import annotations

DEFAULTS = {
    "min_age": 18,
    "max_age": 70,
    "required_checks": ["criminal_record", "administrative_sanction", "administrative_penalty"],
    "check_valid_days": 1095,
    "expiring_days": 60,
}


class Policy:
    """The vetting settings of the repository, by team level."""

    def __init__(self, repo):
        config = (repo.index.singleton("config") or {}).get("vetting")
        self.config = config if isinstance(config, dict) else {}
        levels = self.config.get("by_level")
        self.levels = levels if isinstance(levels, dict) else {}

    def get(self, name: str, level: str | None = None):
        """The setting ``name`` for a team of ``level``: by_level, else vetting, else default."""
        wanted = list if name == "required_checks" else int
        for source in (self.levels.get(level), self.config):
            value = source.get(name) if isinstance(source, dict) else None
            if isinstance(value, wanted) and not isinstance(value, bool):
                return value
        return DEFAULTS[name]


def latest_checks(checks) -> dict[str, tuple[int, dict]]:
    """{kind: (position, check)}: the latest check of each kind."""
    latest: dict[str, tuple[int, dict]] = {}
    for i, check in enumerate(checks if isinstance(checks, list) else []):
        if isinstance(check, dict) and isinstance(check.get("kind"), str):
            day = str(check.get("checked_on") or "")
            if check["kind"] not in latest or day >= str(latest[check["kind"]][1].get("checked_on") or ""):
                latest[check["kind"]] = (i, check)
    return latest
