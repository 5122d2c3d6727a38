import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from schools import regions
from schools.models import Region


class Command(BaseCommand):
    help = "Load or update the Kemendagri region codes from the bundled CSV (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--file",
            default=str(regions.REGIONS_CSV),
            help="Another copy of kode_wilayah_kemendagri.csv.",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        created, updated = regions.load(Region, options["file"])
        total = Region.objects.count()
        if options["format"] == "json":
            self.stdout.write(
                json.dumps({"created": created, "updated": updated, "regions": total})
            )
            return
        self.stdout.write(
            _("Regions: %(created)d new, %(updated)d renamed, %(total)d in all.")
            % {"created": created, "updated": updated, "total": total}
        )
