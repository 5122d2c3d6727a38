import datetime
import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from students import dates
from students.retention import personal_data_purge


class Command(BaseCommand):
    help = (
        "Anonymise the students whose card was handed over, or whose record was closed, more "
        "than PERSONAL_DATA_RETENTION_MONTHS ago (counts stay). Celery beat runs it nightly."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="YYYY-MM-DD (default: today in WITA)")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        try:
            today = datetime.date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError as exc:
            raise CommandError(_("--today must be a date as YYYY-MM-DD.")) from exc
        today = today or dates.today()
        ids = personal_data_purge(today=today)
        months = settings.PERSONAL_DATA_RETENTION_MONTHS
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "today": today.isoformat(),
                        "retention_months": months,
                        "anonymised": len(ids),
                        "student_ids": ids,
                    }
                )
            )
            return
        self.stdout.write(
            _(
                "%(count)d students anonymised (handed over or closed more than "
                "%(months)d months ago)."
            )
            % {"count": len(ids), "months": months}
        )
