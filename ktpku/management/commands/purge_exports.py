import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ktpku.exports import export_jobs_purge


class Command(BaseCommand):
    help = (
        "Erase the files of exports made more than EXPORT_KEEP_HOURS ago. "
        "Celery beat runs it every hour."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        purged = export_jobs_purge()
        if options["format"] == "json":
            self.stdout.write(
                json.dumps({"purged": purged, "keep_hours": settings.EXPORT_KEEP_HOURS})
            )
            return
        self.stdout.write(
            _("%(count)d export files erased (older than %(hours)d hours).")
            % {"count": purged, "hours": settings.EXPORT_KEEP_HOURS}
        )
