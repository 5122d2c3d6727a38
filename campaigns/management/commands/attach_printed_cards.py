import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from campaigns.cards.batches import attach_printed


class Command(BaseCommand):
    help = (
        "Put printed cards into their school's handover batch for the next visit within "
        "CARD_HANDOVER_WITHIN_DAYS, and move cards waiting for a visit to one planned since. "
        "Celery beat runs it nightly (WITA)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        placed = attach_printed()
        if options["format"] == "json":
            self.stdout.write(json.dumps({"placed": placed}))
            return
        self.stdout.write(
            _("%(count)d printed cards placed in handover batches.") % {"count": placed}
        )
