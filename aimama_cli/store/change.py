"""Changing records: every command that writes goes through one :class:`Change`.

A change loads the records it edits for a round trip (comments and key order kept), creates
new ones in schema order with fresh ids, and on :meth:`Change.save` is judged on the record
index as if written — the same rules as ``check``, for the files written and every record
linked to them.  Only when it adds no error are the files written (each atomically) and
committed together, with a message that names the command and every record touched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from aimama_cli.core import ids
from aimama_cli.core.errors import Refused, UsageError
from aimama_cli.core.problems import make
from aimama_cli.store import gitio, layout, naming, transaction
from aimama_cli.store.index import Index
from aimama_cli.store.yamlio import YamlProblem, decode, dump_roundtrip, load_roundtrip, load_roundtrip_text, parse

# the field whose county an id carries
COUNTY_FIELD = {"child": "village", "volunteer": "village", "team": "region"}
# kinds whose files are named by another field than a new id: a volunteer's activity log
NAMED_BY = {"activity": "volunteer"}


@dataclass
class Saved:
    paths: list[str]
    records: list[str]
    commit: str | None
    unchanged: bool = False  # every file already held what the change would write


class _Taken:
    """Ids already defined, looked up in the index one at a time."""

    def __init__(self, index: Index, extra: set[str]):
        self.index, self.extra = index, extra

    def __bool__(self):
        return True

    def __contains__(self, rid: str) -> bool:
        return rid in self.extra or self.index.defined(rid)


# (index, {path: new bytes or None}, as_of) -> the errors the change would add: the checker's
# change_problems, given by the layer above (the store knows no rule)
Judge = Callable[[Index, dict, dt.date], list]


class Records:
    """The records of one repository, read through an up-to-date index: what listing and
    showing commands use (they never open a :class:`Change`)."""

    def __init__(self, root: Path, index: Index, *, as_of: dt.date | None = None):
        self.root = Path(root).resolve()
        self.index = index
        self.as_of = as_of or dt.date.today()
        self.docs: dict[str, object] = {}  # path -> round-trip document (a change's edits)
        self.kinds: dict[str, str] = {}  # path -> kind
        self._paths: dict[str, str] = {}  # id -> file, for the records in hand
        self.within: tuple[str, ...] = ()  # region code prefixes names are looked for in (--in)

    def id_of(self, text: str, kind: str | None = None) -> str:
        """The id of the record ``text`` stands for: an id, or the exact name of a child,
        volunteer, team, coordinator or case (store/naming.py).  Unknown, or a name several
        records share: exit 2.  A command that writes an id it was given asks this first."""
        if text in self._paths:
            return text
        return naming.resolve(self.index, text, kind, self.within)

    def merged_into(self, rid: str, kind: str | None = None) -> str | None:
        """The record kept that ``rid``, a duplicate, was merged into (None: not merged)."""
        return None if rid in self._paths else naming.merged_into(self.index, rid, kind)

    def path_of(self, rid: str, kind: str | None = None) -> str:
        """The file of record ``rid`` (an id, or a name: :meth:`id_of`); an unknown id is a
        usage error (exit 2)."""
        path = self._paths.get(rid)
        if path and (kind is None or self.kinds[path] == kind):
            return path
        found = self.index.path_of(rid, kind)
        if found is None:
            rid = self.id_of(rid, kind)
            found = self._paths.get(rid) or self.index.path_of(rid, kind)
        if found is None:
            raise UsageError("id.unknown", id=rid, kind=kind or "record")
        return found

    def read(self, rid: str, kind: str | None = None) -> dict:
        """Record ``rid`` as plain data, for reading only."""
        path = self.path_of(rid, kind)
        if path in self.docs:
            return self.docs[path]
        return parse(decode((self.root / path).read_bytes())).data

    def indexed(self, rid: str, kind: str) -> dict:
        """The indexed fields of record ``rid`` (name, village, status …): no file is read,
        which matters when a plan pairs 100,000 children.  Unknown ids: exit 2."""
        if rid in self._paths:
            return self.read(rid, kind)
        fields = self.index.fields_of(rid, kind)
        if fields is None:
            fields = self.index.fields_of(self.id_of(rid, kind), kind)
        if fields is None:
            raise UsageError("id.unknown", id=rid, kind=kind)
        return fields


class Change(Records):
    """Edits to records, judged by ``judge`` before anything is written."""

    def __init__(self, root: Path, command: str, *, index: Index, judge: Judge,
                 as_of: dt.date | None = None):
        super().__init__(root, index, as_of=as_of)
        self.command = command
        self.judge_with = judge
        self.created: list[str] = []
        self.order: list[str] = []  # record ids in the order they were touched
        self.new_ids: set[str] = set()  # ids given to records created in this change
        self._touched: set[str] = set()
        self._created_set: set[str] = set()
        self.files: dict[str, str] = {}  # other files written with the records (keys.yaml, CODEOWNERS)

    # --- finding and loading --------------------------------------------------------------

    def load(self, rid: str, kind: str | None = None):
        """Record ``rid`` for editing; edits are kept until :meth:`save`."""
        rid = self.id_of(rid, kind)  # a name: the commit names the record by its id
        path = self.path_of(rid, kind)
        self._paths.setdefault(rid, path)
        return self.load_file(path, rid)

    def load_file(self, path: str, name: str | None = None):
        """The record in file ``path`` for editing, also one named by something other than an
        id (an activity log: its volunteer, in its year's folder)."""
        if path not in self.docs:
            try:
                self.docs[path] = load_roundtrip(self.root / path)
            except YamlProblem as exc:
                raise UsageError("record.unreadable", path=path, line=exc.line) from None
            except OSError as exc:
                raise UsageError("record.unreadable", path=path, line=0) from exc
            self.kinds[path] = layout.classify(path)[0]
        elif isinstance(self.docs[path], str):  # edited as text so far (:meth:`set_text`)
            self.docs[path] = load_roundtrip_text(self.docs[path])
        self._touch(name or layout.stem(path))
        return self.docs[path]

    def text_of(self, path: str) -> str | None:
        """The text of file ``path`` as this change would write it, when it is to be edited as
        text (not loaded for a round trip, nor new); None otherwise, or when it cannot be read."""
        doc = self.docs.get(path)
        if doc is not None:
            return doc if isinstance(doc, str) else None
        try:
            return decode((self.root / path).read_bytes())
        except (OSError, YamlProblem):
            return None

    def set_text(self, path: str, text: str, name: str | None = None) -> None:
        """File ``path`` (a record) to be written as ``text``, edited by the caller on the text
        itself (log entries spliced in: store/editing.py ``insert_dated_text``)."""
        self.docs[path] = text
        self.kinds[path] = layout.classify(path)[0]
        self._touch(name or layout.stem(path))

    def put_text(self, rid: str, text: str, kind: str | None = None) -> None:
        """Replace record ``rid`` with ``text`` as written by hand (in an editor): kept byte for
        byte; a file that cannot be read is refused, naming its line."""
        path = self.path_of(rid, kind)
        try:
            data = parse(text).data
        except YamlProblem as exc:
            problem = make(exc.code, path, exc.line, exc.column, **exc.params)
            raise Refused("change.refused", [problem], self.root, {path: text}, count=1) from None
        if data.get("id") != rid:
            raise UsageError("edit.id_fixed")
        self.docs[path] = text
        self.kinds[path] = layout.classify(path)[0]
        self._paths[rid] = path
        self._touch(rid)

    def put_file(self, path: str, text: str) -> None:
        """Write ``path`` (not a record: keys.yaml, CODEOWNERS …) with the records, in the same
        commit; the rules judge the records it goes with."""
        self.files[path] = text

    def mention(self, rid: str) -> None:
        """Name record ``rid`` in the commit message without editing it (a coordinator whose key
        was added)."""
        self._touch(rid)

    def _touch(self, rid: str) -> None:
        if rid not in self._touched:
            self._touched.add(rid)
            self.order.append(rid)

    # --- creating -------------------------------------------------------------------------

    def new_id(self, kind: str, county: str) -> str:
        return ids.new_id(kind, county, _Taken(self.index, self.new_ids))

    def create(self, kind: str, data: dict, *, county: str | None = None,
               names: dict | None = None) -> str:
        """Add a record of ``kind``; it gets a fresh id unless ``data`` has one (an activity log
        is named by its volunteer: :data:`NAMED_BY`).  ``names``
        ({field: name}) are written as comments beside the ids they explain."""
        data = dict(data)
        named_by = NAMED_BY.get(kind, "id")
        if named_by == "id" and not data.get("id"):
            county = county or str(data.get(COUNTY_FIELD.get(kind, ""), ""))[:6]
            if not (len(county) == 6 and county.isdigit()):
                raise UsageError("record.no_county", kind=kind, field=COUNTY_FIELD.get(kind, "village"))
            data = {"id": self.new_id(kind, county), **data}
        path = record_path(kind, data)
        if (self.root / path).exists() or path in self.docs:
            raise UsageError("record.exists", id=data[named_by], path=path)

        from aimama_cli.store import editing  # ruamel: for the commands that write

        self.docs[path] = editing.new_document(kind, data)
        editing.name_comments(self.docs[path], names or {})
        self.kinds[path] = kind
        self.created.append(path)
        self._created_set.add(path)
        if named_by == "id":
            self.new_ids.add(data["id"])
            self._paths[data["id"]] = path
        self._touch(data[named_by])
        return data[named_by]

    # --- saving ---------------------------------------------------------------------------

    def texts(self) -> dict[str, str]:
        from aimama_cli.store.sealing.seal import seal_change

        seal_change(self)  # an encrypted repository: sensitive values written as ENC[…]
        return {path: self._text(path, doc) for path, doc in self.docs.items()}

    def _text(self, path: str, doc) -> str:
        """A hand-typed text as it is; a new record by the fast writer when it reads back as
        the same data (a province's plan writes 100,000 files); else ruamel's round trip."""
        if isinstance(doc, str):
            return doc
        if path in self._created_set:
            from aimama_cli.store import editing

            text = editing.emit(doc)
            if text is not None:
                try:
                    if parse(text).data == _plain(doc):
                        return text
                except YamlProblem:
                    pass
        return dump_roundtrip(doc)

    def problems(self, texts: dict[str, str] | None = None):
        """The errors this change would add to the repository."""
        texts = texts if texts is not None else self.texts()
        return self.judge_with(self.index, {p: t.encode("utf-8") for p, t in texts.items()},
                               self.as_of)

    def judge(self, texts: dict[str, str] | None = None) -> None:
        """:class:`Refused`, with the problems, if the change would add an error."""
        texts = texts if texts is not None else self.texts()
        problems = self.problems(texts)
        if problems:
            raise Refused("change.refused", problems, self.root, texts, count=len(problems))

    def save(self, summary: str, *, commit: bool = True, force: bool = False,
             dry_run: bool = False, branch: str | None = None) -> Saved:
        """Judge, write and commit the change; :class:`Refused` (nothing written) if it would
        break a rule or touch a record with hand edits not yet committed.  With ``branch``, the
        change is committed on that new branch and the work tree is left as it is."""
        texts = self.texts()
        if not force and branch is None:
            dirty = gitio.uncommitted(self.root, [p for p in texts if p not in self.created],
                                      self.index.git_view())
            if dirty:
                raise Refused("change.uncommitted", paths=", ".join(dirty))
        self.judge(texts)
        texts.update(self.files)
        records = list(self.order)
        if dry_run:
            return Saved(sorted(texts), records, None)
        if branch is not None:
            sha = gitio.commit_to_branch(self.root, branch, texts, self.message(summary))
            return Saved(sorted(texts), records, sha)
        if all(_holds(self.root / path, text) for path, text in texts.items()):
            return Saved(sorted(texts), records, None, unchanged=True)  # nothing to write or commit
        message = self.message(summary) if commit else None
        sha = transaction.write(self.root, texts, message, self.command)
        if sha:
            self.index.followed(sha, texts)
        return Saved(sorted(texts), records, sha)

    def message(self, summary: str) -> str:
        return commit_message(self.command, summary, self.order)


def commit_message(command: str, summary: str, records: list[str]) -> str:
    """The structured message of every commit aimama makes: which command, which records."""
    trailers = [f"Aimama-Command: {command}"] + [f"Aimama-Record: {r}" for r in records]
    return f"aimama {command}: {summary}\n\n" + "\n".join(trailers) + "\n"


def _holds(path: Path, text: str) -> bool:
    try:
        return path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def _plain(value):
    """ruamel's round-trip containers and strings as plain Python values, to compare."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def record_path(kind: str, data: dict) -> str:
    folder = f"{layout.RECORDS}/{layout.FOLDER_OF[kind]}"
    if layout.FOLDER_OF[kind] in layout.YEAR_FOLDERS:
        folder += f"/{layout.record_year(kind, data)}"
    return f"{folder}/{data[NAMED_BY.get(kind, 'id')]}.yaml"
