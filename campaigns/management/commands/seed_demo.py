import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from campaigns.demo.seeding import seed_demo


class Command(BaseCommand):
    help = "Load the Balangan demo: schools, pesantren, students and one user per role."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--logins", action="store_true", help="Print the demo logins as a table."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo although DEBUG is off (a demo server).",
        )

    def handle(self, *args, **options):
        # The demo users have a published password: never on a real office's server.
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                _(
                    "The demo has users with a published password: it loads "
                    "only with DEBUG on, or with --force on a demo server."
                )
            )
        summary = seed_demo()
        if options["format"] == "json":
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
            return
        self.stdout.write(
            _("Demo loaded: %(schools)d schools, %(students)d students (%(created)d new).")
            % {
                "schools": len(summary["schools"]),
                "students": summary["students"],
                "created": summary["students_created"],
            }
        )
        if options["logins"]:
            self.stdout.write(
                _("Demo logins (password for all: %(password)s):")
                % {"password": summary["users"][0]["password"]}
            )
            for user in summary["users"][:5]:
                self.stdout.write(f"  {user['role']:<12} {user['username']}")
            self.stdout.write(
                _("  …and %(count)d school coordinators (koord_<school code>).")
                % {"count": len(summary["users"]) - 5}
            )
