import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from students.roster.services import roster_imports_purge


class Command(BaseCommand):
    help = (
        "Erase the kept rows of roster uploads older than ROSTER_RETENTION_DAYS "
        "(the counts stay). Celery beat runs it nightly."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        purged = roster_imports_purge()
        if options["format"] == "json":
            self.stdout.write(
                json.dumps({"purged": purged, "retention_days": settings.ROSTER_RETENTION_DAYS})
            )
            return
        self.stdout.write(
            _("%(count)d roster uploads erased (older than %(days)d days).")
            % {"count": purged, "days": settings.ROSTER_RETENTION_DAYS}
        )
