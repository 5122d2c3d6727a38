"""Factories for campaigns, teams and visits: real rows, valid by default."""

import datetime

import factory
from django.utils import timezone

from campaigns.models import CalendarDay, Campaign, Team, Visit
from tests.factories import SchoolFactory


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Kampanye Perekaman {n}")
    year = 2027
    school_year = "2026/2027"
    first_day = datetime.date(2027, 1, 4)
    last_day = datetime.date(2027, 3, 31)
    fridays_half_day = False
    legal_basis = "UU 24/2013 tentang Administrasi Kependudukan"
    consent_confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def schools(self, create, extracted, **kwargs):
        if create and extracted:
            self.schools.add(*extracted)


class CalendarDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarDay

    campaign = factory.SubFactory(CampaignFactory)
    date = datetime.date(2027, 1, 5)
    kind = CalendarDay.Kind.CLOSED
    name = "Rapat kantor"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"Tim {n}")
    kits = 1
    per_kit_per_day = 60
    weekdays = "12345"

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        if create and extracted:
            self.members.add(*extracted)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit
        skip_postgeneration_save = True

    campaign = factory.SubFactory(CampaignFactory)
    team = factory.SubFactory(TeamFactory, campaign=factory.SelfAttribute("..campaign"))
    school = factory.SubFactory(SchoolFactory)
    date = datetime.date(2027, 1, 6)
    expected = 0
    status = Visit.Status.ACCEPTED

    @factory.post_generation
    def students(self, create, extracted, **kwargs):
        if create and extracted:
            self.students.add(*extracted)
            self.expected = len(extracted)
            self.save(update_fields=["expected"])
