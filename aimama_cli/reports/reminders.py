"""Reminders to send (``duty remind --by team|volunteer``): one message per volunteer, or per
team leader with her members' duties and the team's cases, ready to paste into WeChat or an SMS.

The reminders themselves are ``duty remind``'s (duty_check.reminders, case_duties.reminders);
this module addresses them and words them.  A phone is put in only when asked (``--reveal``,
with the key in an encrypted repository: the command checks it first); the text is Chinese
unless the command was told ``--lang en``.  Files are named by record id, never by a name a
record holds, and a file that would change is refused unless forced.
"""

from __future__ import annotations

import contextlib
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from aimama_cli.core.errors import UsageError
from aimama_cli.core.i18n import language, set_language, t
from aimama_cli.domain.keys import readable
from aimama_cli.reports.duty_check import reminder_line
from aimama_cli.store.change import Records
from aimama_cli.store.sealing.masking import unsealed
from aimama_cli.store.yamlio import atomic_write

SAFE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@dataclass
class Message:
    id: str  # the volunteer's or the team's: the file's name
    to: dict  # kind (volunteer | team_leader), name, volunteer, team, team_name, phone
    volunteers: list[dict] = field(default_factory=list)  # duty remind's reminders, one per volunteer
    cases: list[dict] = field(default_factory=list)  # the team's case items (team leaders only)
    text: str = ""

    def as_dict(self, as_of: str, days: int) -> dict:
        items = [i["what"] for v in self.volunteers for i in v["items"]] + [c["what"] for c in self.cases]
        return {"id": self.id, "as_of": as_of, "within_days": days, "to": self.to,
                "counts": dict(sorted(Counter(items).items())), "volunteers": self.volunteers,
                "cases": self.cases, "text": self.text}

    @property
    def items(self) -> int:
        return sum(len(v["items"]) for v in self.volunteers) + len(self.cases)


@contextlib.contextmanager
def speaking(lang: str):
    """Messages worded in ``lang``, whatever the command speaks."""
    before = language()
    set_language(lang)
    try:
        yield
    finally:
        set_language(before)


# --- addressing -----------------------------------------------------------------------------------

def by_volunteer(records: Records, found: dict[str, dict], reveal: bool) -> list[Message]:
    """One message per volunteer with something to do."""
    phones = _phones(records, set(found)) if reveal else {}
    return [Message(vid, {"kind": "volunteer", "name": r["name"] or vid, "volunteer": vid, "team": r["team"],
                          "team_name": r["team_name"], "phone": phones.get(vid)}, [r])
            for vid, r in sorted(found.items())]


def by_team(records: Records, found: dict[str, dict], cases: list[dict], reveal: bool) -> tuple[list[Message], list]:
    """One message per team with something to do, to its leader; and the volunteers of no team
    (no leader to tell)."""
    teams = {tid: f for _p, tid, f in records.index.fields("team", ("name",))}
    members: dict[str, list[dict]] = {}
    orphans = []
    for vid, r in sorted(found.items()):
        if r["team"] in teams:
            members.setdefault(r["team"], []).append(r)
        else:
            orphans.append((vid, r["name"] or ""))
    by_case = {c["team"]: c["items"] for c in cases if c["team"] in teams}
    wanted = sorted(set(members) | set(by_case))
    for tid in wanted:  # the index keeps no leader: read the few teams concerned
        teams[tid] = {**teams[tid], "leader": records.read(tid, "team").get("leader")}
    leaders = {tid: _leader(records, tid, teams[tid].get("leader")) for tid in wanted}
    phones = _phones(records, {v for v in leaders.values() if v}) if reveal else {}
    messages = [Message(tid, {"kind": "team_leader", "name": teams[tid].get("leader") or "",
                              "volunteer": leaders[tid], "team": tid, "team_name": teams[tid].get("name") or tid,
                              "phone": phones.get(leaders[tid])},
                        sorted(members.get(tid, []), key=lambda r: (r["name"] or "", r["volunteer"])),
                        by_case.get(tid, []))
                for tid in wanted]
    return messages, orphans


def _leader(records: Records, team: str, leader: str | None) -> str | None:
    """The volunteer record of ``team``'s leader (a team names its leader by name): the one
    active member of that name, else none."""
    wanted = _same(leader)
    found = [vid for vid, f in records.index.naming(team, "volunteer", "team")
             if f.get("team") == team and f.get("status") == "active" and wanted and _same(f.get("name")) == wanted]
    return found[0] if len(found) == 1 else None


def _same(name) -> str:
    return unicodedata.normalize("NFC", str(name or "")).strip()


def _phones(records: Records, volunteers: set[str]) -> dict[str, str]:
    """Each volunteer's phone in the clear (the key is at hand: the command made sure)."""
    found = {}
    for vid in volunteers:
        data = readable(records.index, "volunteer", records.read(vid, "volunteer"))
        phone = unsealed(data.get("phone"))
        if phone:
            found[vid] = str(phone)
    return found


# --- wording --------------------------------------------------------------------------------------

def word(messages: list[Message], as_of: str, days: int, lang: str, reveal: bool) -> None:
    """Each message's text, in ``lang``."""
    with speaking(lang):
        for m in messages:
            m.text = _text(m, as_of, days, reveal)


def _text(m: Message, as_of: str, days: int, reveal: bool) -> str:
    to, leader = m.to, m.to["kind"] == "team_leader"
    head = [t("remind.msg.to_leader", name=to["name"], team=to["team_name"]) if leader
            else t("remind.msg.to", name=to["name"])]
    if reveal:
        head.append(t("remind.msg.phone", phone=to["phone"]) if to["phone"] else t("remind.msg.no_phone"))
    body = [t("remind.msg.hello_leader" if leader else "remind.msg.hello", name=to["name"]),
            t("remind.msg.intro_leader", as_of=as_of, days=days, team=to["team_name"]) if leader
            else t("remind.msg.intro", as_of=as_of, days=days)]
    number = 0
    for r in m.volunteers:
        if leader:
            body.append(t("remind.msg.member", name=r["name"] or r["volunteer"]))
        for item in r["items"]:
            number += 1
            body.append(f"{number}. {reminder_line(item)}")
    if m.cases:
        body.append(t("remind.msg.cases"))
        for i in m.cases:
            number += 1
            body.append(f"{number}. " + t(f"case.remind.{i['what']}", child=i["child_name"] or i["child"], case=i["case"],
                                          duty=i["duty"]["label"], deadline=i["duty"]["deadline"]))
    body.append(t("remind.msg.thanks_leader" if leader else "remind.msg.thanks"))
    if to["team_name"] and not leader:
        body.append(t("remind.msg.from", team=to["team_name"]))
    return "\n".join(head) + "\n\n" + "\n".join(body) + "\n"


# --- writing --------------------------------------------------------------------------------------

def file_name(rid: str, suffix: str) -> str:
    """A record id as a file name: ids are ASCII letters, digits and hyphens; anything else (a
    hand-made id) becomes ``_``, so no name climbs out of the folder."""
    return "".join(c if c in SAFE else "_" for c in rid) + suffix


@dataclass
class Written:
    written: list[str]
    unchanged: list[str]
    others: int  # files in the folder this run did not write


def write(folder: Path, files: dict[str, str], force: bool) -> Written:
    """``files`` ({name: text}) into ``folder`` (made if need be).  A file already there with
    other content is refused, all of them named before anything is written, unless ``force``."""
    if folder.exists() and not folder.is_dir():
        raise UsageError("remind.not_a_folder", path=str(folder))
    differ = [name for name, text in files.items() if (folder / name).exists() and _holds(folder / name) != text]
    if differ and not force:
        raise UsageError("remind.would_overwrite", path=str(folder), files=", ".join(sorted(differ)[:5]),
                         more=max(0, len(differ) - 5))
    written, unchanged = [], []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            if (folder / name).exists() and _holds(folder / name) == text:
                unchanged.append(name)
                continue
            atomic_write(folder / name, text)
            written.append(name)
        others = sum(1 for p in folder.iterdir() if p.name not in files)
    except OSError as exc:
        raise UsageError("remind.unwritable", path=str(folder), detail=exc.strerror or str(exc)) from None
    return Written(written, unchanged, others)


def _holds(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
