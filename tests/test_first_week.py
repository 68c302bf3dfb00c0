"""Issue 19: what a new coordinator trips over in her first week — CSVs that are not header
first, a trend from before the records began, messages that quote sensitive values in full,
[encrypted] where a key is at hand, a sub-field of an absent object, `init` without a region."""

from __future__ import annotations

import csv
import io

import pytest
from conftest import AS_OF, run

REPORTS = {  # every report with a CSV: its command, and the header of each of its sheets
    "coverage": (["report", "coverage", "--as-of", AS_OF], {"county": "code"}),
    "duties": (["report", "duties", "--as-of", AS_OF],
               {"duties": "programme", "regions": "code", "volunteers": "volunteer"}),
    "volunteers": (["report", "volunteers", "--as-of", AS_OF], {"county": "code"}),
    "cases": (["report", "cases", "--as-of", AS_OF], {"cases": "team"}),
    "activities": (["report", "activities", "--year", "2026"], {"activities": "team", "not_reached": "id"}),
    "training": (["report", "training", "--year", "2026"], {"training": "team"}),
    "support": (["report", "support", "--year", "2026"], {"support": "team", "entries": "id"}),
}


@pytest.mark.parametrize("report", sorted(REPORTS))
def test_every_report_csv_starts_with_its_header(demo, report):
    """Spreadsheets and scripts read a CSV's first line as its header: no title above it, and
    a report of several sheets gives one of them a CSV (--sheet), each header first."""
    args, sheets = REPORTS[report]
    for i, (sheet, first) in enumerate(sheets.items()):
        chosen = [] if i == 0 else ["--sheet", sheet]
        result = run("--root", str(demo), *args, "--format", "csv", *chosen)
        assert result.exit_code == 0, result.stderr
        rows = list(csv.reader(io.StringIO(result.output)))
        assert rows[0][0] == first, (report, sheet, rows[:2])
        assert all(len(row) == len(rows[0]) for row in rows), (report, sheet)
    wrong = run("--root", str(demo), *args, "--format", "csv", "--sheet", "nonesuch")
    assert wrong.exit_code == 2 and ", ".join(sheets) in wrong.stderr
