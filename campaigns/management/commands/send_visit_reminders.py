import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from campaigns.notifications import visit_reminders_send


class Command(BaseCommand):
    help = (
        "E-mail the reminders for accepted visits 7 days and 1 day ahead, each once. "
        "Celery beat runs it every morning (WITA)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="YYYY-MM-DD; default: today in WITA")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError as error:
                raise CommandError(_("--today must be a date as YYYY-MM-DD.")) from error
        sent = visit_reminders_send(today)
        if options["format"] == "json":
            self.stdout.write(
                json.dumps({"sent": [{"visit": pk, "days_before": days} for pk, days in sent]})
            )
            return
        self.stdout.write(_("%(count)d visit reminders sent.") % {"count": len(sent)})
