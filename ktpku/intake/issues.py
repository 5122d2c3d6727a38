"""The one shape of a problem found in a row: row, column, code, severity, message.

A row with an error is refused; a warning is shown and the row is still saved. Issues are
plain dicts so they go into JSON (kept uploads, `--format json`) as they are.
"""

from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"


@dataclass
class RowResult:
    """One row's cleaned values (what would be saved) and its problems."""

    row: int
    values: dict = field(default_factory=dict)
    issues: list = field(default_factory=list)

    @property
    def is_valid(self):
        return not any(issue["severity"] == ERROR for issue in self.issues)

    def add(self, column, code, severity, message):
        self.issues.append(issue(self.row, column, code, severity, message))


def issue(row, column, code, severity, message):
    return {
        "row": row,
        "column": column,
        "code": code,
        "severity": severity,
        "message": str(message),
    }
