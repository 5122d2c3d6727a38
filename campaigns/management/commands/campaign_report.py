import json

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from campaigns.figures import current_campaign
from campaigns.yearly import year_figures
from students import dates


class Command(BaseCommand):
    help = (
        "The figures of a campaign year: schools served, students recorded, cards printed "
        "and handed over, per kecamatan and per kind of school. Without --year, the year of "
        "the current campaign."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int)
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        year = options["year"]
        if year is None:
            campaign = current_campaign()
            year = campaign.year if campaign else dates.today().year
        report = year_figures([year])[year]
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        self.stdout.write(_("Campaign year %(year)d") % {"year": year})
        for label, key in [
            (_("Schools served"), "schools_served"),
            (_("Students recorded"), "students_recorded"),
            (_("Cards printed"), "cards_printed"),
            (_("Cards handed over"), "cards_handed_over"),
        ]:
            self.stdout.write(f"  {label:<24} {report[key]:>7}")
        for row in report["by_kecamatan"]:
            self.stdout.write(
                f"  {row['kecamatan']:<24} {row['schools_served']:>3} {row['students_recorded']:>7}"
            )
