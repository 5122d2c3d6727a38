from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ktpku import backup


class Command(BaseCommand):
    help = "Load a file written by `backup` into the (empty) database DATABASE_URL names."

    def add_arguments(self, parser):
        parser.add_argument("dump", help="the file `manage.py backup` wrote")

    def handle(self, *args, dump, **options):
        try:
            backup.restore(settings.DATABASES["default"], dump)
        except backup.NotEmpty as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(f"restored {dump}")
