"""``duty check`` and ``duty remind`` as a coordinator reads them: the table of duties, the
JSON (written part by part, as the workers of ``duties.in_parts`` made it), and the reminders
per volunteer."""

from __future__ import annotations

import json
import os
import shutil
import tempfile

from aimama_cli.core.i18n import t
from aimama_cli.model import duties
from aimama_cli.reports.views import simple_table

# What a worker sends back for its part of the pairings (see duties.in_parts).

def json_part(book, results, folder: str) -> tuple[dict, str]:
    """The summary, and the pairings as JSON (no indent: the C encoder) in a file of ``folder``
    (a private temporary folder, removed with all in it when the command ends): a worker's 60 MB
    reach the terminal without being sent back, joined and encoded once more."""
    text = json.dumps([r.as_dict(book) for r in results], ensure_ascii=False)[1:-1]
    with tempfile.NamedTemporaryFile("wb", dir=folder, suffix=".json", delete=False) as out:
        out.write(text.encode("utf-8"))
    return duties.summary(results), out.name


def write_json(out, head: str, paths: list[str], tail: str) -> None:
    """``head``, the parts' JSON texts joined by commas, ``tail``, to the binary stream ``out``."""
    out.write(head.encode("utf-8"))
    first = True
    for path in paths:
        if os.path.getsize(path):
            out.write(b"" if first else b", ")
            with open(path, "rb") as part:
                shutil.copyfileobj(part, out, 1 << 20)
            first = False
    out.write(tail.encode("utf-8"))
    out.flush()


# the statuses --show lists
WANTED = {"open": (duties.DUE, duties.OVERDUE), "overdue": (duties.OVERDUE,), "all": duties.STATUSES}


def text_part(book, results, wanted: tuple) -> tuple[dict, list]:
    """The summary and the table rows of the duties of the ``wanted`` statuses."""
    rows = []
    for r in results:
        p = r.pairing
        if not r.duties:
            rows.append([p.id, person(book, p.child, book.children), person(book, p.volunteer, book.volunteers),
                         "", t("duty.no_programme", programme=r.programme or "-"), "", ""])
        for d in r.duties:
            if d.status in wanted:
                rows.append([p.id, person(book, p.child, book.children),
                             person(book, p.volunteer, book.volunteers), d.label,
                             t(f"duty.status.{d.status}"), d.deadline or "", detail(d.detail)])
    return duties.summary(results), rows


def person(book, pid: str, table: dict) -> str:
    return table.get(pid, {}).get("name") or pid


def check_text(year: int, day, rows: list, total: dict) -> str:
    headers = [t(f"duty.col.{h}") for h in ("pairing", "child", "volunteer", "duty", "status", "deadline", "detail")]
    lines = [simple_table(rows, headers)] if rows else []
    lines.append(t("duty.summary", year=year, as_of=day.isoformat(), **total))
    return "\n".join(lines)


def detail(x: dict) -> str:
    """The one thing a coordinator needs to act on: months missed, gaps, items skipped (``x``:
    a duty's detail, or its JSON form)."""
    if x.get("missing"):
        return t("duty.detail.missing", months=", ".join(x["missing"]))
    if x.get("gaps"):
        return t("duty.detail.gaps", gaps=", ".join(f"{a}…{b}" for a, b in x["gaps"]))
    if x.get("incomplete"):
        return t("duty.detail.incomplete", visits="; ".join(
            f"{v['date']} ({'、'.join(v.get('missed_names') or v['missed'])})" for v in x["incomplete"]))
    if "owed" in x:
        return t("duty.detail.count", done=x["done"], owed=x["owed"]) + (" " + t("duty.detail.late") if x.get("late") else "")
    return ""


def reminders(book, results, within: int, alert_days: int) -> dict[str, dict]:
    """Per volunteer, her reminders as JSON (names in: the text is made from it too)."""
    return {vid: {"volunteer": vid, "name": book.volunteers.get(vid, {}).get("name"),
                  "team": book.volunteers.get(vid, {}).get("team"),
                  "team_name": book.teams.get(book.volunteers.get(vid, {}).get("team")),
                  "items": [{"child": i.child, "child_name": person(book, i.child, book.children), "what": i.what,
                             **({"duty": i.duty.as_dict()} if i.duty else
                                {"last_contact": i.last_contact, "days": i.days, "attempts": i.attempts})}
                            for i in items]}
            for vid, items in duties.remind(book, results, within, alert_days).items()}


def reminder_line(item: dict) -> str:
    if item["what"] == "silent":
        key = "duty.remind.silent" if item["last_contact"] else "duty.remind.silent_never"
        key += "" if item["attempts"] else "_quiet"  # no attempt since: nothing to count
        return t(key, child=item["child_name"], days=item["days"], last=item["last_contact"], attempts=item["attempts"])
    duty = item["duty"]
    return t(f"duty.remind.{item['what']}", child=item["child_name"], duty=duty["label"], deadline=duty["deadline"],
             detail=detail(duty))


def remind_text(day, found: dict, days: int) -> str:
    if not found:
        return t("duty.remind.none", days=days, as_of=day.isoformat())
    lines = [t("duty.remind.title", as_of=day.isoformat(), days=days), ""]
    for vid, reminded in sorted(found.items(), key=lambda kv: (kv[1]["name"] or kv[0], kv[0])):
        lines.append(t("duty.remind.volunteer", name=reminded["name"] or vid, id=vid,
                       team=reminded["team_name"] or reminded["team"] or ""))
        lines.extend("  · " + reminder_line(item) for item in reminded["items"])
        lines.append("")
    return "\n".join(lines).rstrip()
