import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from campaigns.services import PrivacyNotReady, campaign_plan


class Command(BaseCommand):
    help = (
        "Propose the visit plan of a campaign. Without --commit the proposal is only shown; "
        "with it, the old proposal is replaced (accepted visits stay)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, required=True)
        parser.add_argument("--commit", action="store_true")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        campaign = Campaign.objects.filter(pk=options["campaign"]).first()
        if campaign is None:
            raise CommandError(_("There is no campaign %(id)s.") % {"id": options["campaign"]})
        try:
            report = campaign_plan(campaign=campaign, commit=options["commit"])
        except PrivacyNotReady as refused:
            raise CommandError(str(refused)) from refused
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        for visit in report["visits"]:
            self.stdout.write(
                f"{visit['date']}  {visit['team']:<12} {visit['school']:<14} {visit['expected']:>4}"
            )
        self.stdout.write(
            _("%(days)d team-days (lower bound %(bound)d); %(missing)d students not covered.")
            % {
                "days": report["team_days"],
                "bound": report["lower_bound"],
                "missing": sum(u["students"] for u in report["uncovered"]),
            }
        )
        if not options["commit"]:
            self.stdout.write(_("Nothing saved: run again with --commit to save the proposal."))
