from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from ktpku import backup


class Command(BaseCommand):
    help = "Write the database to a file (pg_dump -Fc, or a copy of the SQLite file), mode 600."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="file to write (default var/backups/ktpku-<time>)")

    def handle(self, *args, output=None, **options):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        target = output or settings.VAR_DIR / "backups" / f"ktpku-{stamp}.dump"
        written = backup.backup(settings.DATABASES["default"], target)
        self.stdout.write(str(written))
