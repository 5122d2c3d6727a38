from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Region(models.Model):
    """A Kemendagri administrative region: province, regency, kecamatan or village."""

    class Level(models.TextChoices):
        PROVINCE = "provinsi", _("Province")
        REGENCY = "kabupaten_kota", _("Regency or city")
        KECAMATAN = "kecamatan", _("Kecamatan")
        DESA = "desa", _("Village")
        KELURAHAN = "kelurahan", _("Urban village")

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def nik_prefix(self):
        """The six digits a NIK issued in this kecamatan starts with."""
        return self.code.replace(".", "")


class School(models.Model):
    class Kind(models.TextChoices):
        SMA = "SMA", "SMA"
        SMK = "SMK", "SMK"
        MA = "MA", "MA"
        SLB = "SLB", "SLB"
        PESANTREN = "PESANTREN", _("Pesantren")

    class PesantrenLevel(models.TextChoices):
        NONE = "", _("—")
        ULYA = "ulya", _("Ulya")
        WUSTHA = "wustha", _("Wustha")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, db_index=True)
    pesantren_level = models.CharField(
        _("pesantren level"), max_length=10, choices=PesantrenLevel.choices, blank=True
    )
    npsn = models.CharField(_("NPSN"), max_length=8, blank=True)
    nsm = models.CharField(_("NSM"), max_length=12, blank=True)
    nspp = models.CharField(_("NSPP"), max_length=12, blank=True)
    kecamatan = models.ForeignKey(
        Region,
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        related_name="schools",
        limit_choices_to={"level": Region.Level.KECAMATAN},
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    head_name = models.CharField(_("head of school"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinators"),
        blank=True,
        related_name="coordinated_schools",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]
        permissions = [("view_all_schools", _("Can see every school"))]
        constraints = [
            models.CheckConstraint(
                condition=~Q(npsn="") | ~Q(nsm="") | ~Q(nspp=""),
                name="school_has_an_identifier",
            ),
            models.UniqueConstraint(
                fields=["npsn"], condition=~Q(npsn=""), name="school_npsn_unique"
            ),
            models.UniqueConstraint(fields=["nsm"], condition=~Q(nsm=""), name="school_nsm_unique"),
            models.UniqueConstraint(
                fields=["nspp"], condition=~Q(nspp=""), name="school_nspp_unique"
            ),
        ]
        indexes = [models.Index(fields=["kecamatan", "kind"])]

    def __str__(self):
        return self.name

    @property
    def code(self):
        """The identifier people use for this school: NPSN, else NSM, else NSPP."""
        return self.npsn or self.nsm or self.nspp


class BlackoutPeriod(models.Model):
    """Days a school cannot receive a team: exams, pesantren holidays."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="blackouts", verbose_name=_("school")
    )
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("blackout period")
        verbose_name_plural = _("blackout periods")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="blackout_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.school}: {self.start}–{self.end} ({self.reason})"
