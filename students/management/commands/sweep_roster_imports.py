import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from students.roster.services import roster_files_sweep, roster_imports_sweep


class Command(BaseCommand):
    help = (
        "Send again to a worker the roster uploads that none has read: queued for over "
        "two minutes (the broker was down) or whose reading died with its worker; delete "
        "upload files that no upload owns."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        removed = roster_files_sweep()
        swept = roster_imports_sweep()
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "sent": [pk for pk, sent in swept if sent],
                        "not_sent": [pk for pk, sent in swept if not sent],
                        "orphan_files_removed": len(removed),
                    }
                )
            )
            return
        sent = sum(1 for _pk, ok in swept if ok)
        self.stdout.write(
            _("%(sent)d of %(due)d waiting uploads sent to a worker.")
            % {"sent": sent, "due": len(swept)}
        )
