"""The dashboard's month-by-month figures kept in the record index: a past month counted from a
commit never changes, so its git history is read once; the month under way is kept until a
file changes (the index's generation).  Dropped with the index's tables when it is rebuilt."""

from __future__ import annotations

import sqlite3

TABLE = "CREATE TABLE IF NOT EXISTS month_count(key TEXT PRIMARY KEY, children INTEGER, paired INTEGER) WITHOUT ROWID"


class MonthCache:
    def __init__(self, db: sqlite3.Connection, generation: str):
        self.db, self.generation = db, generation

    @classmethod
    def open(cls, db: sqlite3.Connection, generation: str) -> "MonthCache | None":
        try:
            db.execute(TABLE)
        except sqlite3.OperationalError:
            return None  # a read-only index: every month counted again
        return cls(db, generation)

    def key(self, commit: str | None, day: str, region: str) -> str:
        """A past commit's month, or (``commit`` None) the records as they are now."""
        return f"{commit or 'now:' + self.generation}|{day}|{region}"

    def get(self, key: str) -> tuple[int, int] | None:
        return self.db.execute("SELECT children, paired FROM month_count WHERE key = ?", (key,)).fetchone()

    def put(self, key: str, children: int, paired: int) -> None:
        try:
            self.db.execute("DELETE FROM month_count WHERE key LIKE 'now:%' AND key NOT LIKE ?",
                            (f"now:{self.generation}|%",))
            self.db.execute("INSERT OR REPLACE INTO month_count VALUES (?, ?, ?)", (key, children, paired))
        except sqlite3.OperationalError:
            pass  # read-only, or another process writing: counted again next time
