"""manage.py import_schools FILE [--commit] [--format json]"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ktpku import intake
from schools import importing


class Command(BaseCommand):
    help = (
        "Load or update the school registry from a CSV or xlsx file with the columns "
        "kode, nama, jenis and kecamatan. Writes only with --commit."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--commit", action="store_true", help="Write the valid rows (in one transaction)."
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, file, commit, format, **options):
        try:
            report = importing.schools_import(file, commit=commit)
        except intake.FileRejected as problem:
            if format == "json":
                self.stdout.write(
                    json.dumps({"file_error": {"code": problem.code, "message": problem.message}})
                )
            raise CommandError(f"{problem.code}: {problem.message}", returncode=2) from None
        if format == "json":
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
            return
        self._write_text(report)

    def _write_text(self, report):
        self.stdout.write(
            _("%(file)s: %(rows)d rows, %(valid)d valid, %(invalid)d invalid.") % report.as_dict()
        )
        counts = (
            _("created %(created)d, updated %(updated)d, unchanged %(unchanged)d")
            % report.as_dict()
        )
        if report.committed:
            self.stdout.write(self.style.SUCCESS(_("Saved: %(counts)s.") % {"counts": counts}))
        else:
            self.stdout.write(
                _("Nothing was written (add --commit to save): %(counts)s.") % {"counts": counts}
            )
        for issue in report.issues:
            self.stdout.write(_("Row %(row)d, %(column)s: %(message)s [%(code)s]") % issue)
