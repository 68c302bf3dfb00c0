"""Places by name: villages, townships and counties as records/regions.yaml names them.

Wherever a command takes a region code it takes the region's name too (``东塘村``, ``青松镇东塘村``,
``岳阳县``); the name is looked up, never guessed: one that several regions share is a usage error
listing them with their codes.  ``aimama import`` finds a roster's villages the same way.
"""

from __future__ import annotations

import re
from collections import defaultdict

from aimama_cli.core.errors import UsageError
from aimama_cli.store import values

# how many digits of a 12-digit code a region of each level is known by (its prefix)
PREFIX = {"province": 2, "city": 4, "county": 6, "township": 9, "village": 12}
CODE = re.compile(r"[0-9]{2}([0-9]{2}([0-9]{2}([0-9]{3}([0-9]{3})?)?)?)?")


class Places:
    """Village names in records/regions.yaml, found by name (with the county and township
    columns to tell apart villages of the same name) or by their 12-digit code."""

    def __init__(self, index):
        regions = (index.singleton("regions") or {}).get("regions") or []
        self.name = {str(r.get("code")): str(r.get("name", "")) for r in regions if isinstance(r, dict)}
        self.level = {str(r.get("code")): r.get("level") for r in regions if isinstance(r, dict)}
        self.villages: dict[str, list[str]] = defaultdict(list)
        for code, level in self.level.items():
            if level == "village":
                self.villages[self.name[code]].append(code)

    def find(self, text: str, county: str = "", township: str = "") -> str:
        text = re.sub(r"\s+", "", text)
        if re.fullmatch(r"[0-9]{12}", text):
            return text
        candidates = self.villages.get(text) or self._with_prefix(text)
        if not candidates:
            raise values.ValueProblem("import.village_unknown", value=text)
        for wanted, length, level in ((county, 6, "county"), (township, 9, "township")):
            wanted = re.sub(r"\s+", "", wanted)
            named = {c: self.named(c[:length], level) for c in candidates}
            if not wanted or not any(named.values()):
                continue  # not said, or regions.yaml does not name that level
            inside = [c for c in candidates if named[c] and named[c].startswith(wanted)]
            if not inside:
                raise values.ValueProblem("import.village_elsewhere", value=text, place=wanted)
            candidates = inside
        if len(candidates) > 1:
            raise values.ValueProblem("import.village_ambiguous", value=text,
                                      choices=", ".join(f"{c} ({self.path(c)})" for c in candidates))
        return candidates[0]

    def _with_prefix(self, text: str) -> list[str]:
        """'青松镇湖滨村', '岳阳县青松镇湖滨村': the village after its township and county."""
        found = []
        for name, codes in self.villages.items():
            if name and text.endswith(name) and text != name:
                prefix = text[:-len(name)]
                found += [c for c in codes if prefix in (
                    self.named(c[:9], "township"), self.named(c[:6], "county"),
                    self.named(c[:6], "county") + self.named(c[:9], "township"))]
        return found

    def named(self, prefix: str, level: str) -> str:
        code = prefix.ljust(12, "0")
        return self.name.get(code, "") if self.level.get(code) == level else ""

    def path(self, code: str) -> str:
        return "".join(dict.fromkeys(filter(None, (self.named(code[:6], "county"),  # a township once
                                                   self.named(code[:9], "township"), self.name.get(code, "")))))

    def prefixes(self, text: str) -> list[str]:
        """The code prefixes of every region ``text`` names: a code (or a prefix of one) as it
        is, else each region whose name — alone, or after its county and township — is ``text``."""
        text = re.sub(r"\s+", "", text)
        if CODE.fullmatch(text):
            return [text]
        found = [c for c, name in self.name.items() if name == text] or [
            c for c in self.name if text in self.full_names(c)]
        return sorted({c[:PREFIX.get(self.level.get(c), 12)] for c in found})

    def full_names(self, code: str) -> set[str]:
        """'东塘村', '青松镇东塘村', '岳阳县青松镇东塘村', '岳阳县东塘村' for a village, and so on up."""
        own = self.name.get(code, "")
        county = self.named(code[:6], "county") if self.level.get(code) not in ("county", "city", "province") else ""
        township = self.named(code[:9], "township") if self.level.get(code) == "village" else ""
        return {own, township + own, county + own, county + township + own} - {""}

    def region(self, text: str) -> str:
        """The code prefix of the one region ``text`` names (a code as it is); none or several:
        exit 2, the candidates listed with their codes."""
        found = self.prefixes(text)
        if not found:
            raise UsageError("place.unknown", value=text)
        if len(found) > 1:
            raise UsageError("place.ambiguous", value=text,
                             choices=", ".join(f"{self.path(c.ljust(12, '0'))} {c}" for c in found))
        return found[0]

    def code(self, text: str) -> str:
        """The 12-digit code of the region ``text`` names, a village first (a field that holds a
        region: a child's village, a team's region); :class:`values.ValueProblem` if unclear."""
        try:
            return self.find(text)
        except values.ValueProblem as exc:
            if exc.key != "import.village_unknown":
                raise
            try:
                return self.region(text).ljust(12, "0")
            except UsageError as other:
                raise values.ValueProblem(other.key, **other.params) from None

    def village(self, text: str) -> str:
        """The 12-digit code of the village or community ``text`` names (exit 2 if unclear)."""
        try:
            return self.find(text)
        except values.ValueProblem as exc:
            raise UsageError(exc.key, **exc.params) from None
