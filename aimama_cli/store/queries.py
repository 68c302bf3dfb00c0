"""The query API of the record index: what commands, reports and rules ask of the records,
so that none of them needs to know the index's tables.  :class:`Index` inherits it; the SQL
stays in the store."""

from __future__ import annotations

import json

from aimama_cli.store import layout
from aimama_cli.store.index_rows import ID_NUMBER

# ids wanted: from so many on, reading every record of their kind (a range of the index's key)
# and keeping theirs costs less than looking each one up: half a province's volunteers' pledges
# took 0.54 s looked up, 0.37 s read whole; their unreadable logs 0.38 s against 0.06 s
MANY_IDS = 10_000


def in_counties(counties: tuple | None, first: int) -> tuple[str, list]:
    """The SQL (`` AND …``, its parameters numbered from ``first``) that keeps the records whose
    village lies in ``counties`` as :meth:`Queries.fields` takes them; nothing for None."""
    if counties is None:
        return "", []
    county = "substr(coalesce(json_extract(fields, '$.village'), ''), 1, 6)"
    where = f" AND ({county} IN (SELECT value FROM json_each(?{first}))"
    where += f" OR {county} NOT IN (SELECT value FROM json_each(?{first + 1})))" if counties[1] is not None else ")"
    return where, [json.dumps(sorted(codes)) for codes in counties if codes is not None]


class Queries:
    """Read-only questions over ``self.db`` (an SQLite connection to the index)."""

    def count(self, where: str = "", params=()) -> int:
        return self.db.execute(f"SELECT count(*) FROM files {where}", params).fetchone()[0]

    def paths(self):
        return (p for (p,) in self.db.execute("SELECT path FROM files ORDER BY path"))

    def briefs(self, kind: str, ids: set | None = None):
        """(id, brief line) of every record of ``kind`` (of ``ids`` only), in path order: the
        values of BRIEF[kind] joined by tabs ("" for missing; a list's codes joined by "+").
        Callers tally the lines as they are and split each distinct one once."""
        return self._lines("brief", "rid, traits", kind, ids)

    def listings(self, kind: str, ids: set | None = None):
        """(path, id, listing line) of every record of ``kind`` (of ``ids`` only) in path order:
        the values of listing.LISTED[kind] joined by tabs, each read back by listing.listed_value."""
        return self._lines("listing", "path, rid, line", kind, ids)

    def _lines(self, table: str, columns: str, kind: str, ids: set | None):
        """``columns`` of ``table`` (a line a record, keyed by path) for ``kind`` (``ids`` only)."""
        if ids is None:
            folder = f"{layout.RECORDS}/{layout.FOLDER_OF[kind]}/"  # a range of the primary key: only this kind's rows
            return self.db.execute(f"SELECT {columns} FROM {table} WHERE path >= ? AND path < ? AND kind = ?",
                                   (folder, folder[:-1] + "0", kind))
        return self.db.execute(
            f"SELECT {columns} FROM {table} WHERE kind = ? AND path IN (SELECT path FROM files WHERE +kind = ? "
            "AND rid IN (SELECT value FROM json_each(?))) ORDER BY path", (kind, kind, json.dumps(sorted(ids))))

    def fields(self, kind: str, names: tuple | None = None, counties: tuple | None = None):
        """(path, id, indexed fields) of every record of ``kind``; only ``names`` if given
        (SQLite picks them out: far cheaper than decoding every field at 100,000 records).
        ``counties`` = (codes, others): only the records whose village lies in one of ``codes``
        (6-digit county codes) or, ``others`` being a list too, in none of ``others``."""
        where, params = in_counties(counties, 2)
        params = [kind, *params]
        if names is None:
            for path, rid, fields in self.db.execute(
                    f"SELECT path, rid, fields FROM files WHERE kind = ?1{where} ORDER BY path", params):
                yield path, rid, json.loads(fields)
            return
        # two paths or more make json_extract return one JSON array (one would give a bare value)
        paths = ", ".join("'$.\"%s\"'" % n for n in (names * 2 if len(names) == 1 else names))
        for path, rid, picked in self.db.execute(
                f"SELECT path, rid, json_extract(fields, {paths}) FROM files WHERE kind = ?1{where} "
                "ORDER BY path", params):
            values = json.loads(picked)
            yield path, rid, {n: v for n, v in zip(names, values) if v is not None}

    def counties(self, kind: str) -> dict[str, int]:
        """{county code: records of ``kind`` whose id was made there} (an id names its county)."""
        return dict(self.db.execute("SELECT substr(rid, 2, 6), count(*) FROM files WHERE kind = ? GROUP BY 1",
                                    (kind,)))

    def in_force(self, kind: str, day: str, names: tuple):
        """(id, *values of ``names``) of every record of ``kind`` in force on ``day`` (ISO): begun
        on or before it and not ended by then, as core.dates.active_on judges.  SQLite compares
        the dates and picks the values out, so a province's 116,000 pairings are not decoded one
        by one; ``names`` must be fields holding text (a list would come back as JSON)."""
        picked = "".join(", json_extract(fields, '$.\"%s\"')" % n for n in names)
        return self.db.execute(
            f"""SELECT rid{picked} FROM files WHERE kind = ?1
                AND coalesce(json_extract(fields, '$.started_on'), '') <= ?2
                AND (coalesce(json_extract(fields, '$.ended_on'), '') = ''
                     OR json_extract(fields, '$.ended_on') > ?2)
                ORDER BY path""", (kind, day))

    def singleton(self, kind: str) -> dict | None:
        row = self.db.execute("SELECT fields FROM files WHERE kind = ? LIMIT 1", (kind,)).fetchone()
        return json.loads(row[0]) if row else None

    def path_of(self, rid: str, kind: str | None = None) -> str | None:
        """The file that defines record ``rid`` (of ``kind``, if given)."""
        row = self.db.execute(
            "SELECT path FROM ids WHERE id = ? AND (?2 IS NULL OR kind = ?2) "
            "AND field = 'id' ORDER BY path LIMIT 1", (rid, kind)).fetchone()
        return row[0] if row else None

    def defined(self, rid: str, kind: str | None = None) -> bool:
        """Whether any record (of ``kind``, if given) defines id ``rid`` (ids are never reused)."""
        return self.db.execute("SELECT 1 FROM ids WHERE id = ? AND (?2 IS NULL OR kind = ?2) LIMIT 1",
                               (rid, kind)).fetchone() is not None

    def fields_of(self, rid: str, kind: str) -> dict | None:
        """The indexed fields of record ``rid`` of ``kind`` (no file is read)."""
        row = self.db.execute("SELECT fields FROM files WHERE rid = ? AND kind = ?",
                              (rid, kind)).fetchone()
        return json.loads(row[0]) if row else None

    def names(self, ids) -> dict[str, str]:
        """{id: name} of the records ``ids`` (only those: a province holds 400,000)."""
        return dict(self.db.execute(
            "SELECT rid, json_extract(fields, '$.name') FROM files WHERE rid IN "
            "(SELECT value FROM json_each(?))", (json.dumps(sorted(set(ids))),)))

    def naming(self, rid: str, kind: str, field: str | None = None) -> list[tuple[str, dict]]:
        """(id, indexed fields) of every record of ``kind`` that names ``rid`` (in ``field``, if
        given), in file order."""
        rows = self.db.execute(
            """SELECT DISTINCT f.path, f.rid, f.fields FROM refs r JOIN files f ON f.path = r.path
               WHERE r.target = ?1 AND f.kind = ?2 AND (?3 IS NULL OR r.field = ?3) ORDER BY f.path""",
            (rid, kind, field))
        return [(found, json.loads(fields)) for _path, found, fields in rows]

    def children_paired_with(self, volunteer: str, day: str) -> list[tuple[str, str | None, str | None]]:
        """(id, name, village) of the children paired with ``volunteer`` on ``day`` (ISO), by id."""
        return list(self.db.execute(
            """SELECT c.rid, json_extract(c.fields, '$.name'), json_extract(c.fields, '$.village')
               FROM refs r JOIN files p ON p.path = r.path AND p.kind = 'pairing'
               JOIN ids i ON i.id = json_extract(p.fields, '$.child') AND i.kind = 'child'
               JOIN files c ON c.path = i.path
               WHERE r.target = :v AND r.field = 'volunteer'
                 AND json_extract(p.fields, '$.started_on') <= :day
                 AND coalesce(json_extract(p.fields, '$.ended_on') > :day, 1)
               ORDER BY c.rid""", {"v": volunteer, "day": day}))

    def identities(self, kind: str):
        """(id, ID number as compared — its blind index where encrypted —, name, birth date) of
        every record of ``kind``, in file order: what tells a person already on record."""
        return self.db.execute(
            f"SELECT rid, {ID_NUMBER}, json_extract(fields, '$.name'), "
            "json_extract(fields, '$.birth_date') FROM files WHERE kind = ? ORDER BY path", (kind,))

    def holder(self, rid: str) -> tuple[str, str] | None:
        """(path, field) of the file that defines id ``rid``: the record itself, else the entry of
        a record that carries it (an activity log's entry)."""
        return self.db.execute("SELECT path, field FROM ids WHERE id = ? ORDER BY field != 'id', path LIMIT 1",
                               (rid,)).fetchone()

    def named_after(self, rid: str) -> str | None:
        """A file named ``<rid>.yaml`` (one that does not parse now has no id in the index)."""
        row = self.db.execute("SELECT path FROM files WHERE substr(path, -length(?1) - 6) = '/' || ?1 || '.yaml'"
                              " ORDER BY path LIMIT 1", (rid,)).fetchone()
        return row[0] if row else None

    def deletions_of(self, rid: str) -> list[tuple[str, str]]:
        """(last path, commit that deleted it) of record ``rid``, deleted in git history."""
        return self.db.execute("SELECT path, git_commit FROM deleted WHERE id = ?", (rid,)).fetchall()

    def files_of_kinds(self, kinds) -> list[tuple[str, str]]:
        """(path, kind) of every record file of ``kinds``, in path order."""
        marks = ",".join("?" * len(kinds))
        return list(self.db.execute(
            f"SELECT path, kind FROM files WHERE kind IN ({marks}) ORDER BY path", tuple(kinds)))

    def referring(self, rid: str) -> list[tuple[str, str]]:
        """(path, kind) of every record file that names ``rid`` in one of its references, in
        path order (what a merge rewrites)."""
        return list(self.db.execute(
            "SELECT DISTINCT f.path, f.kind FROM refs r JOIN files f ON f.path = r.path "
            "WHERE r.target = ? ORDER BY f.path", (rid,)))

    # --- names: finding people and teams as coordinators call them ---------------------------

    def named(self, name: str, kinds, within=()) -> list[tuple]:
        """(kind, id, name, place, about) of every record of ``kinds`` whose name is ``name``
        exactly; a case goes by its child's name.  ``within``: region code prefixes the place
        must start with (none: anywhere)."""
        return self._names("n.name = :name", {"name": name}, kinds, within)

    def search_names(self, text: str, kinds, places=(), within=(), limit: int = 50) -> list[tuple]:
        """(kind, id, name, place, about) of records of ``kinds`` whose name holds ``text``,
        whose pinyin holds it or whose pinyin initials start with it (``text`` in lower case
        Latin letters), whose id starts with it, or who are in one of ``places`` (region
        codes): exact names first, then names that start with it, then the rest."""
        spelled = text.lower()
        where = ("(instr(n.name, :text) OR (:latin AND (instr(n.spelled, :spelled) OR n.initials LIKE :spelled || '%'))"
                 " OR n.rid LIKE :id || '%' OR n.place IN (SELECT value FROM json_each(:places)))")
        params = {"text": text, "spelled": spelled, "latin": spelled.isascii() and spelled.isalpha(),
                  "id": text.upper(), "places": json.dumps(list(places))}
        return self._names(where, params, kinds, within, limit,
                           "ORDER BY n.name != :text, NOT instr(n.name, :text) = 1, n.initials != :spelled, "
                           "n.place, n.name, n.rid")

    def _names(self, where: str, params: dict, kinds, within=(), limit: int = -1, order: str = "ORDER BY n.rid"):
        kinds = list(kinds)
        params = {**params, "within": json.dumps(list(within)), "kinds": json.dumps(kinds), "limit": limit}
        inside = "(:within = '[]' OR EXISTS (SELECT 1 FROM json_each(:within) w WHERE n.place LIKE w.value || '%'))"
        found = list(self.db.execute(
            f"SELECT n.kind, n.rid, n.name, n.place, n.about FROM names n WHERE {where} AND {inside} "
            f"AND n.kind IN (SELECT value FROM json_each(:kinds)) {order} LIMIT :limit", params))
        if "case" in kinds:  # a case by its child: the child's name and village, the case's kind
            found += list(self.db.execute(
                f"""SELECT 'case', f.rid, n.name, n.place, json_extract(f.fields, '$.kind') FROM names n
                    JOIN refs r ON r.target = n.rid AND r.field = 'child' JOIN files f ON f.path = r.path
                    WHERE f.kind = 'case' AND n.kind = 'child' AND {where} AND {inside} {order} LIMIT :limit""",
                params))
        return found

    def name_of(self, rid: str) -> tuple | None:
        """(kind, id, name, place, about) of record ``rid`` (a person, a team or a coordinator)."""
        return self.db.execute("SELECT kind, rid, name, place, about FROM names WHERE rid = ? LIMIT 1",
                               (rid,)).fetchone()
