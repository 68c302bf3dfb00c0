"""Batches: one command, many records, one commit (``child confirm --region``, ``volunteer vet
ID…``; ``pledge sign --team`` is in pledges.py).

A batch puts every record it changes into one :class:`Change`, saved once: the change is judged
as a whole and written all or nothing, so one record a rule refuses and nothing is written.
What a batch leaves out is returned with the reason, beside what it did, for the command to list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from aimama_cli.core.i18n import t
from aimama_cli.domain import people
from aimama_cli.store.change import Change
from aimama_cli.store.index import Index


@dataclass
class Skipped:
    id: str
    name: str
    key: str  # the catalog's reason
    params: dict = field(default_factory=dict)


@dataclass
class Batch:
    done: list[tuple[str, str]] = field(default_factory=list)  # (record id, who or what, for the listing)
    skipped: list[Skipped] = field(default_factory=list)
    about: str = ""  # the place or team a batch is for, by name

    def skip(self, rid: str, name: str | None, key: str, **params) -> None:
        self.skipped.append(Skipped(rid, name or "", key, params))


# --- child confirm --------------------------------------------------------------------------------

CONFIRM_FIELDS = ("name", "village", "status", "roster.confirmed_by", "roster.confirmed_on")


def confirm(change: Change, rid: str, by: str, on: dt.date, source: str | None = None) -> None:
    """The township's confirmation of child ``rid``'s roster entry: who, when, and from what."""
    sets = [f"roster.confirmed_by={by}", f"roster.confirmed_on={on.isoformat()}"]
    if source:
        sets.append(f"roster.source={source}")
    people.set_fields(change, "child", rid, sets, [])


def confirm_region(change: Change, prefix: str, by: str, on: dt.date, source: str | None = None) -> Batch:
    """Every child on the roster in the region whose codes start with ``prefix`` and whose entry
    is not yet confirmed; children taken off the roster unconfirmed are listed as skipped."""
    batch = Batch(about=people.region_names(change.index).get(prefix.ljust(12, "0")) or prefix)
    for rid, f in sorted(unconfirmed(change.index, prefix), key=lambda x: (x[1].get("village", ""), x[0])):
        if f.get("status") != "active":
            batch.skip(rid, f.get("name"), "batch.skip.closed", status=f.get("status") or "-")
            continue
        confirm(change, rid, by, on, source)
        batch.done.append((rid, f.get("name") or ""))
    return batch


def unconfirmed(index: Index, prefix: str) -> list[tuple[str, dict]]:
    """(id, indexed fields) of the children in the region ``prefix`` with no confirmation."""
    return [(rid, f) for _path, rid, f in index.fields("child", CONFIRM_FIELDS)
            if str(f.get("village") or "").startswith(prefix)
            and not (f.get("roster.confirmed_by") and f.get("roster.confirmed_on"))]


# --- volunteer vet --------------------------------------------------------------------------------

def vet(change: Change, ids: list[str], decision: people.Decision) -> Batch:
    """``decision`` for every volunteer of ``ids``.  A volunteer whose vetting already says what
    is decided, with no new check or reason, is left as it is: deciding again would put another
    coordinator's name and day over the decision on record."""
    batch, seen = Batch(), set()
    status = people.ACTION_STATUS[decision.action]
    for rid in ids:
        data = change.read(rid, "volunteer")
        vid, name = data.get("id") or rid, data.get("name") or ""
        if vid in seen:
            batch.skip(vid, name, "batch.skip.twice")
            continue
        seen.add(vid)
        vetting = data.get("vetting") if isinstance(data.get("vetting"), dict) else {}
        if vetting.get("status") == status and not decision.checks \
                and (decision.reason or None) == (vetting.get("reason") or None):
            batch.skip(vid, name, "batch.skip.decided", status=t(f"vet.status.{decision.action}"),
                       on=vetting.get("decided_on") or "-", by=vetting.get("decided_by") or "-")
            continue
        people.vet(change, vid, decision)
        batch.done.append((vid, name))
    return batch
