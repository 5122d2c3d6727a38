import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from students import flagging
from students.lifecycle import TransitionRefused


def _day(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            _("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": value}
        ) from exc


class Command(BaseCommand):
    help = (
        "Flag print-ready students who are 17 (or married) on the day as due for print, and "
        "students 17 or older still not recorded as overdue. Celery beat runs it nightly (WITA)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=str, help="the office day, YYYY-MM-DD (default: today, WITA)"
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        today = _day(options["today"]) if options["today"] else None
        try:
            result = flagging.flag_due_cards(today)
        except TransitionRefused as exc:
            raise CommandError(str(exc)) from exc
        if options["format"] == "json":
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(
            _("%(day)s: %(due)d cards due for print, %(overdue)d students overdue for recording.")
            % {
                "day": result["today"],
                "due": len(result["due_for_print"]),
                "overdue": len(result["overdue_recording"]),
            }
        )
