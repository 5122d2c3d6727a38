"""Plain factories for the tests: real rows, valid by default."""

import datetime
import itertools

import factory
from django.contrib.auth.models import Group, User

from schools.models import BlackoutPeriod, Region, School
from students import nik as nik_rules
from students.models import Student

_serials = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    password = factory.django.Password("kata-sandi-uji-123")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))
            if extracted == "admin":
                self.is_staff = True
                self.save(update_fields=["is_staff"])


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"SMA Negeri {n} Contoh")
    kind = School.Kind.SMA
    npsn = factory.Sequence(lambda n: f"3030{n:04d}")
    kecamatan = factory.LazyFunction(lambda: Region.objects.get(code="63.11.06"))

    @factory.post_generation
    def coordinators(self, create, extracted, **kwargs):
        if create and extracted:
            self.coordinators.add(*extracted)


def make_nik(birth_date, sex, region="631106"):
    return nik_rules.build(region, birth_date, sex, next(_serials))


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    name = factory.Sequence(lambda n: f"Siswa Nomor {n}")
    sex = "L"
    birth_place = "Paringin"
    birth_date = datetime.date(2010, 5, 17)
    nik = factory.LazyAttribute(lambda o: make_nik(o.birth_date, o.sex))
    school = factory.SubFactory(SchoolFactory)
    class_name = "X IPA 1"


class BlackoutPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlackoutPeriod

    school = factory.SubFactory(SchoolFactory)
    start = datetime.date(2026, 12, 1)
    end = datetime.date(2026, 12, 12)
    reason = "Ujian semester ganjil"
