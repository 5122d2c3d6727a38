"""manage.py import_roster FILE --school CODE [--commit] [--format json]

Reads and checks a roster exactly as the upload page does (students.roster.services),
and writes only with --commit, which checks and saves in one go, under lock, as confirming
an upload does (roster_import_save). An unreadable file exits with status 2.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from ktpku import intake
from schools.models import School
from students.roster import services


class Command(BaseCommand):
    help = "Read and check a school roster (xlsx or csv); save it with --commit."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--school", required=True, help="the school's NPSN, NSM or NSPP")
        parser.add_argument("--commit", action="store_true", help="save the valid rows")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, file, school, commit, format, **options):
        found = School.objects.filter(Q(npsn=school) | Q(nsm=school) | Q(nspp=school)).first()
        if found is None:
            raise CommandError(f"No school has the code {school}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file at {file}.")
        try:
            with path.open("rb") as fileobj:
                if commit:
                    saved = services.roster_import_save(
                        fileobj=fileobj, filename=path.name, school=found
                    )
                else:
                    preview = services.roster_preview(
                        fileobj=fileobj, filename=path.name, school=found
                    )
        except intake.FileRejected as exc:
            self._emit(format, {"file_error": {"code": exc.code, "message": exc.message}})
            sys.exit(2)
        self._emit(format, _saved(saved, path, school) if commit else _read(preview, path, school))

    def _emit(self, format, data):
        if format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        if "file_error" in data:
            self.stdout.write(f"{data['file_error']['code']}: {data['file_error']['message']}")
            return
        self.stdout.write(
            f"{data['file']} ({data['layout']}) for {data['school']}: {data['rows']} rows, "
            f"{data['valid']} valid, {data['invalid']} refused; "
            f"new {data['preview']['new']}, changed {data['preview']['changed']}, "
            f"unchanged {data['preview']['unchanged']}, possible moves "
            f"{data['preview']['moves']}"
        )
        for issue in data["issues"]:
            self.stdout.write(
                f"  row {issue['row']} [{issue['column']}] {issue['severity']} "
                f"{issue['code']}: {issue['message']}"
            )
        if data["committed"]:
            self.stdout.write(
                f"Saved: {data['created']} created, {data['updated']} updated, "
                f"{data['unchanged']} unchanged."
            )
        else:
            self.stdout.write("Nothing saved (use --commit to save the valid rows).")


def _read(preview, path, school):
    counts = preview.counts
    return {
        "file": path.name,
        "school": school,
        "layout": preview.layout,
        "rows": counts["rows"],
        "valid": counts["valid"],
        "invalid": counts["invalid"],
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "committed": False,
        "preview": {key: counts[key] for key in ("new", "changed", "unchanged", "moves")},
        "ignored_columns": preview.ignored_columns,
        "issues": preview.issues,
    }


def _saved(roster_import, path, school):
    """The same contract for a saved upload: what the commit found is the preview."""
    return {
        "file": path.name,
        "school": school,
        "layout": roster_import.layout,
        "rows": roster_import.row_count,
        "valid": roster_import.valid_count,
        "invalid": roster_import.invalid_count,
        "created": roster_import.created_count,
        "updated": roster_import.updated_count,
        "unchanged": roster_import.unchanged_count,
        "committed": True,
        "preview": {
            "new": roster_import.new_count,
            "changed": roster_import.changed_count,
            "unchanged": roster_import.unchanged_count,
            "moves": roster_import.move_count,
        },
        "ignored_columns": roster_import.ignored_columns,
        "issues": roster_import.issues,
    }
