"""The message catalog (issue 16): every registered rule and every key the code uses has its text
in English and in Chinese, with the same placeholders; each key is defined in one module, and a
rule's messages are in the module of its capability.

The keys used in code are read from the source with ``ast``, so that a key nobody has written a
text for is found without running the command that prints it.
"""

from __future__ import annotations

import ast
import functools
import itertools
import re
import string
from pathlib import Path

import aimama_cli
from aimama_cli.history import diff as record_diff
from aimama_cli.messages import MESSAGES, PARTS
from aimama_cli.rules import REGISTRY  # importing the rules registers all of them
from aimama_cli.store import layout

PACKAGE = Path(aimama_cli.__file__).parent
CATALOG = PACKAGE / "messages"
CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

# Calls whose first argument is a message key: t(), AimamaError and every subclass of it (found
# in the source below, so a new one counts), and store.values.ValueProblem (a value that does not
# fit its field, carried as a catalog message).
KEY_CALLS = {"t", "AimamaError", "ValueProblem"}

# Keys built at run time, written with {} for the part that varies, and the values that part
# takes.  A key built in a comprehension over a literal tuple (or a module constant holding one),
# e.g. ``[t(f"duty.col.{h}") for h in ("pairing", "child")]``, is enumerated from the source and
# needs no entry here; any other f-string or ``"prefix." + x`` key must be listed, or the test
# fails and names it.
_KINDS = ("child", "volunteer", "team")  # cli/record_commands.py: the three record commands
DYNAMIC: dict[str, tuple] = {
    "{}.rule": tuple(REGISTRY),  # check --list-rules: every registered code
    "severity.{}": ("error", "warning"),  # core/problems.py ERROR, WARNING
    # cli/record_commands.py
    "{}.help": _KINDS, "{}.add.help": _KINDS, "{}.list.help": _KINDS, "{}.show.help": _KINDS,
    "{}.edit.help": _KINDS, "{}.close.help": _KINDS, "kind.{}": _KINDS,
    "{}.merge.help": ("child", "volunteer"),  # record_commands.merge_command
    "{}.example": _KINDS, "{}.arg.id": _KINDS,  # messages/help.py: the groups' examples, ID's help
    "{}.dry_run": ("add.done", "edit.done", "log.added", "pledge.signed", "refer.done", "case.added",
                   "pair.created", "team.activity.added", "training.added",
                   "support.added"),  # _report(saved, done_key, dry_run) in cli/
    "vet.status.{}": ("approve", "reject", "suspend"),  # the --approve|--reject|--suspend actions
    "commit.imported.{}": ("child", "volunteer"),  # domain/roster_import.py: the kinds a roster imports
    "list.opt.{}": ("status", "category", "risk", "kind", "vetting", "team", "level"),  # LIST_FILTERS
    "list.col.{}": ("id", "name", "gender", "age", "village", "categories", "risk_level", "priority",
                    "paired", "status", "kind", "team", "vetting.status", "load", "level", "region",
                    "parent"),  # reports/views.py COLUMNS
    # cli/duty.py, reports/case_duties.py
    "duty.status.{}": ("met", "due", "overdue", "not_applicable"),  # model/duties.py
    "duty.remind.{}": ("due", "overdue"),  # model/duties.remind: item["what"] ("silent" apart)
    "case.item.{}": ("met", "due", "overdue"),  # model/case_duties.py
    "case.remind.{}": ("due", "overdue"),
    # store/transaction.py: git states a change is refused in, interrupted changes settled
    "git.in_progress.{}": ("merge", "rebase", "cherry_pick", "revert", "bisect", "index_lock"),
    "write.settled.{}": ("finished", "dropped", "left"),
    "federation.page.band.{}": ("high", "middle", "low", "none"),  # reports/charts.py BANDS
    # cli/import_.py, cli/export.py, cli/pledge.py
    "import.kind.{}": ("child", "volunteer"),
    "pledge.reason.{}": ("not_signed", "term_ends"),  # domain/pledges.due
    # cli/pair.py, domain/pairing.py
    "pair.tier.{}": ("village", "township", "county", "city", "province"),
    "pair.part.{}": ("distance", "needs", "capacity", "completeness", "risk"),
    # history/
    "diff.kind.{}": (*layout.FOLDERS.values(), *layout.SINGLETONS.values(), "config"),  # every kind
    "diff.count.{}": record_diff.SECTIONS,
    "diff.section.{}": record_diff.SECTIONS,
    "diff.col.{}": ("kind", "record", "old", "status", "other_changes", "pairing", "volunteer",
                    "started_on", "year", "entries_added", "entries_changed", "entries_removed",
                    "pledges_added", "pledges_changed", "path", "child", "ended_on", "reason", "id",
                    "name", "field", "new", "on", "role", "side", "problem"),  # DiffText.rows_*
    "diff.side.{}": ("base", "head"),
    "history.note.{}": ("new", "old"),
    "audit.kind.{}": ("unknown_author", "vetting_not_allowed", "roster_not_allowed", "record_deleted",
                      "closed_record_changed", "outside_region", "unreadable_record", "unsigned",
                      "committer_not_author", "bad_signature", "signer_not_author"),  # history/audit.py KINDS
    "check.scope.{}": ("file", "repository"),  # core/registry.py FILE, REPOSITORY
    "audit.{}.unknown": ("vetting_not_allowed", "roster_not_allowed"),  # history/audit.py allowed()
    "audit.{}.role": ("vetting_not_allowed", "roster_not_allowed"),
    "audit.{}.region": ("vetting_not_allowed", "roster_not_allowed"),
    # reports/
    "report.col.{}": ("code", "name", "children", "paired", "coverage", "priority",
                      "priority_paired", "no_local_volunteer", "volunteers", "volunteers_active",
                      "volunteers_vetted", "volunteers_pledged", "volunteers_pairing",
                      "children_per_volunteer", "programme", "duty", "label", "met", "due",
                      "overdue", "not_applicable", "completion", "pairings", "pairings_overdue",
                      "volunteer", "volunteer_name", "team_name", "active", "withdrawn",
                      "expiring", "expired", "pledged", "pledge_rate", "hours", "serving",
                      "vetting.pending", "vetting.approved", "vetting.rejected",
                      "vetting.suspended"),  # the columns of reports/coverage, duties, volunteers
    "dashboard.section.{}": ("coverage", "duties", "volunteers"),
    "dashboard.figure.{}.{}": (("coverage", "total.children"), ("coverage", "total.paired"),
                               ("coverage", "total.coverage"), ("coverage", "total.priority_paired"),
                               ("coverage", "total.priority"),
                               ("coverage", "total.no_local_volunteer"),
                               ("volunteers", "total.active"), ("volunteers", "total.pledged"),
                               ("volunteers", "total.vetting.pending"),
                               ("volunteers", "total.hours"), ("duties", "total.completion"),
                               ("duties", "total.overdue")),  # reports/dashboard.py FIGURES
    "report.teamwork.col.{}": ("team", "name", "kind", "activities", "children", "hours", "id",
                               "child", "village", "volunteers", "trained", "share", "sessions",
                               "year", "entries", "pledged", "received", "outstanding",
                               "for_whom", "giver", "description"),  # reports/teamwork.py
    "report.cases.col.{}": ("team", "name", "kind", "opened", "open", "closed", "high_risk",
                            "steps", "hours", "overdue"),  # reports/cases.py
}

# Strings of the source shaped like a key (``word.word``) of a namespace the catalog uses that are
# not keys: file names, and what is built from one of these namespaces for another use.
NOT_KEYS = re.compile(r".*\.(yaml|yml|j2|json|csv|xlsx|html|md|py|txt)")
BUILT_NOT_KEYS = {
    "kind.{}",  # reports/coverage.py: the report's columns per volunteer kind, labelled by the schema
    "commit.gpgsign",  # history/signing.py, store/gitio.py: git's own setting, beside the commit.* summaries
}


# --- reading the source -----------------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def _sources() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8"), str(path))
            for path in sorted(PACKAGE.rglob("*.py")) if CATALOG not in path.parents}


def _name(node) -> str | None:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None


@functools.lru_cache(maxsize=None)
def _key_calls() -> frozenset[str]:
    """KEY_CALLS and every class in the source derived from one of them."""
    names, grown = set(KEY_CALLS), True
    while grown:
        grown = False
        for tree in _sources().values():
            for node in ast.walk(tree):
                if (isinstance(node, ast.ClassDef) and node.name not in names
                        and any(_name(b) in names - {"t"} for b in node.bases)):
                    names.add(node.name)
                    grown = True
    return frozenset(names)


def _strings(node) -> list[str] | None:
    """The strings a literal tuple, list or set holds (None if it is anything else)."""
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and all(
            isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
        return [e.value for e in node.elts]
    return None


def _constant(name: str, parents: list) -> list[str] | None:
    """The strings of ``name = ("a", "b")``, assigned once in the nearest enclosing function or,
    failing that, in the module."""
    for scope in reversed([p for p in parents if isinstance(p, (ast.Module, ast.FunctionDef))]):
        found = [node.value for node in ast.walk(scope) if isinstance(node, ast.Assign)
                 and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)]
        if found:
            return _strings(found[0]) if len(found) == 1 else None
    return None


def _loop_values(name: str, parents: list) -> list[str] | None:
    """The values ``name`` takes when it is the variable of an enclosing comprehension or for
    loop over a literal tuple, or over a name assigned one."""
    loops = []
    for node in parents:
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            loops += node.generators
        elif isinstance(node, ast.For):
            loops.append(node)
    for loop in loops:
        if isinstance(loop.target, ast.Name) and loop.target.id == name:
            it = loop.iter
            return _constant(it.id, parents) if isinstance(it, ast.Name) else _strings(it)
    return None


def _patterns(node, parents) -> list[tuple[str, list]]:
    """The keys an expression can be, as (pattern, parts): the pattern has {} where a value is
    filled in at run time; parts are the values each {} takes, or None when not known here."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [(node.value, [])]
    if isinstance(node, ast.IfExp):
        return _patterns(node.body, parents) + _patterns(node.orelse, parents)
    if isinstance(node, ast.JoinedStr):
        pieces = []
        for part in node.values:  # constants and {expression}s
            if isinstance(part, ast.Constant):
                pieces.append([(part.value, [])])
            elif isinstance(part.value, ast.Name):
                pieces.append(_patterns(part.value, parents))
            else:
                pieces.append([("{}", [None])])
        return [("".join(p for p, _ in combo), [x for _, xs in combo for x in xs])
                for combo in itertools.product(*pieces)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [(a + b, xs + ys) for (a, xs), (b, ys) in
                itertools.product(_patterns(node.left, parents), _patterns(node.right, parents))]
    values = _loop_values(node.id, parents) if isinstance(node, ast.Name) else None
    return [("{}", [values])]


def _walk(node, parents=()):
    yield node, list(parents)
    for child in ast.iter_child_nodes(node):
        yield from _walk(child, (*parents, node))


def _fill(pattern: str, value) -> str:
    return pattern.format(*(value if isinstance(value, tuple) else (value,)))


def _expand(pattern: str, parts: list) -> list[str] | None:
    """The keys a pattern stands for; None when the values of its {} are not known."""
    if "{}" not in pattern:
        return [pattern]
    if all(p is not None for p in parts):
        return [pattern.format(*combo) for combo in itertools.product(*parts)]
    if pattern in DYNAMIC:
        return [_fill(pattern, value) for value in DYNAMIC[pattern]]
    return None


def _where(path: Path, node) -> str:
    return f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"


@functools.lru_cache(maxsize=None)
def _used() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The keys given to a call of KEY_CALLS, each with where it is used, and the keys built at
    run time whose values are not known (pattern: where)."""
    used: dict[str, list[str]] = {}
    unknown: dict[str, list[str]] = {}
    calls = _key_calls()
    for path, tree in _sources().items():
        for node, parents in _walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in calls and node.args:
                for pattern, parts in _patterns(node.args[0], parents):
                    if pattern == "{}":
                        continue  # a key held in a variable: its literal is found by its shape
                    keys = _expand(pattern, parts)
                    if keys is None:
                        unknown.setdefault(pattern, []).append(_where(path, node))
                    for key in keys or ():
                        used.setdefault(key, []).append(_where(path, node))
    return used, unknown


@functools.lru_cache(maxsize=None)
def _handed_on() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Keys handed on before they reach t(): ``_option("--kind", "support.opt.kind")``,
    ``reasons.append("pair.why.closed")``, ``self.found(kind, path, f"audit.{kind}.role")``.
    Every string of the source, written out or built, shaped like a key of a namespace the
    catalog uses (``pair.why.closed``: pair), or like a problem code; as _used()."""
    namespaces = {key.split(".")[0] for key in MESSAGES if "." in key}
    shaped = re.compile(r"[a-z_{}]+(\.[a-z0-9_{}]+)+|AM\d{3}")
    found: dict[str, list[str]] = {}
    unknown: dict[str, list[str]] = {}
    for path, tree in _sources().items():
        for node, parents in _walk(tree):
            if parents and isinstance(parents[-1], (ast.JoinedStr, ast.BinOp)):
                continue  # a part of a string built: the whole is looked at
            if not (isinstance(node, (ast.JoinedStr, ast.BinOp))
                    or isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            for pattern, parts in _patterns(node, parents):
                if (not shaped.fullmatch(pattern) or NOT_KEYS.fullmatch(pattern)
                        or pattern in BUILT_NOT_KEYS
                        or not (pattern.startswith("AM") or pattern.split(".")[0] in namespaces)):
                    continue
                keys = _expand(pattern, parts)
                if keys is None:
                    unknown.setdefault(pattern, []).append(_where(path, node))
                for key in keys or ():
                    found.setdefault(key, []).append(_where(path, node))
    return found, unknown


def _fields(text: str) -> set[str]:
    return {re.split(r"[.\[]", name)[0] for _, name, _, _ in string.Formatter().parse(text)
            if name is not None}


def _complete(key: str) -> bool:
    entry = MESSAGES.get(key)
    return (isinstance(entry, tuple) and len(entry) == 2
            and all(isinstance(text, str) and text.strip() for text in entry))


# --- the tests ----------------------------------------------------------------------------------

def test_every_rule_has_its_message_and_description_in_english_and_chinese():
    assert len(REGISTRY) > 80  # all rule modules were imported
    gaps = []
    for code in sorted(REGISTRY):
        for key in (code, f"{code}.rule"):
            if not _complete(key):
                gaps.append(f"{key}: missing or empty")
            elif not CHINESE.search(MESSAGES[key][1]):
                gaps.append(f"{key}: the Chinese text has no Chinese: {MESSAGES[key][1]!r}")
    assert not gaps, "\n".join(gaps)


def test_every_problem_key_belongs_to_a_registered_rule():
    """AM301, AM301.hint, AM301.rule: no message left behind by a rule that is gone."""
    orphans = sorted(k for k in MESSAGES if re.match(r"AM\d{3}\b", k) and k[:5] not in REGISTRY)
    assert not orphans, orphans


def _missing(used: dict[str, list[str]]) -> list[str]:
    return [f"{key}  ({', '.join(where[:3])})" for key, where in sorted(used.items())
            if not _complete(key)]


def _unknown(unknown: dict[str, list[str]]) -> str:
    return ("keys built at run time whose values are not known here: list them in DYNAMIC\n"
            + "\n".join(f"{p}  ({', '.join(w)})" for p, w in sorted(unknown.items())))


def test_every_key_used_in_the_code_has_both_texts():
    used, unknown = _used()
    assert len(used) > 300  # the source was read
    assert not unknown, _unknown(unknown)
    missing = _missing(used)
    assert not missing, "keys used in code without an English and a Chinese text:\n" + "\n".join(missing)


def test_every_key_handed_on_in_the_code_has_both_texts():
    found, unknown = _handed_on()
    assert "support.opt.kind" in found and "AM101" in found  # the source was read
    assert not unknown, _unknown(unknown)
    missing = _missing(found)
    assert not missing, "strings shaped like keys that are not in the catalog:\n" + "\n".join(missing)


def test_the_run_time_keys_listed_are_in_the_catalog():
    """DYNAMIC is kept honest: no value there that the catalog does not know."""
    missing = [_fill(pattern, value) for pattern, values in DYNAMIC.items() for value in values]
    assert not [key for key in missing if not _complete(key)]


def test_english_and_chinese_have_the_same_placeholders():
    mismatched = []
    for key, (english, chinese) in sorted(MESSAGES.items()):
        try:
            en, zh = _fields(english), _fields(chinese)
        except ValueError as exc:  # a stray { or }: t() would print the text unformatted
            mismatched.append(f"{key}: not a format string: {exc}")
            continue
        if en != zh:
            mismatched.append(f"{key}: English {sorted(en)}, Chinese {sorted(zh)}")
    assert not mismatched, "\n".join(mismatched)


def test_the_hint_of_am811_names_the_folder_of_the_entrys_year():
    """It named records/activities/{year}/, the folder of the log the entry is already in."""
    for text in MESSAGES["AM811.hint"]:
        hint = text.format(date="2025-12-30", year=2026)
        assert "records/activities/2025/" in hint and "2026" not in hint


def _module_keys(path: Path) -> list[str]:
    """The keys of the MESSAGES dict literal of one catalog module, as written (repeats kept: a
    dict literal keeps only the last of two equal keys, silently)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        target = node.target if isinstance(node, ast.AnnAssign) else (
            node.targets[0] if isinstance(node, ast.Assign) else None)
        if isinstance(target, ast.Name) and target.id == "MESSAGES":
            assert isinstance(node.value, ast.Dict), f"{path.name}: MESSAGES is not a dict literal"
            keys = node.value.keys
            assert all(isinstance(k, ast.Constant) for k in keys), f"{path.name}: keys are written out"
            return [k.value for k in keys]
    raise AssertionError(f"{path.name} has no MESSAGES")


def test_no_key_is_defined_twice():
    where: dict[str, list[str]] = {}
    for path in sorted(CATALOG.glob("*.py")):
        if path.name != "__init__.py":
            for key in _module_keys(path):
                where.setdefault(key, []).append(path.stem)
    twice = {key: modules for key, modules in where.items() if len(modules) > 1}
    assert not twice, twice
    assert set(where) == set(MESSAGES)


def test_every_catalog_module_is_listed_and_says_what_it_holds():
    files = {p.stem for p in CATALOG.glob("*.py") if p.name != "__init__.py"}
    listed = {part.__name__.rsplit(".", 1)[1] for part in PARTS}
    assert files == listed, f"not in PARTS: {sorted(files - listed)}; no file: {sorted(listed - files)}"
    assert not [part.__name__ for part in PARTS if not (part.__doc__ or "").strip()]


# A code's messages live in the module named after the rule module that reports it; the codes of
# the reader and the schema (registered with no rule module of their own) are check's.
MODULE_OF_RULES = {"checker": "check", "sealing": "keys"}


def test_a_rules_messages_are_with_its_capability():
    rule_modules = {path.stem: tree for path, tree in _sources().items()
                    if path.parent == PACKAGE / "rules" and path.name != "__init__.py"}
    defined = {key: path.stem for path in CATALOG.glob("*.py") if path.name != "__init__.py"
               for key in _module_keys(path)}
    misplaced = []
    for code in sorted(REGISTRY):
        reporters = sorted(stem for stem, tree in rule_modules.items()
                           if any(isinstance(n, ast.Constant) and n.value == code for n in ast.walk(tree)))
        assert len(reporters) <= 1, f"{code} is in {reporters}"
        expected = MODULE_OF_RULES.get(reporters[0], reporters[0]) if reporters else "check"
        for key in (k for k in defined if k == code or k.startswith(f"{code}.")):
            if defined[key] != expected:
                misplaced.append(f"{key}: in messages/{defined[key]}.py, reported by rules/"
                                 f"{reporters[0] if reporters else '__init__'}.py: messages/{expected}.py")
    assert not misplaced, "\n".join(misplaced)
