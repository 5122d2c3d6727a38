"""The five roles of the office, as Django groups with their permissions.

This module names permissions by their "app_label.codename" strings and never imports the
apps, so the apps can depend on it and a migration can apply it with the historical
models it is given.
"""

from django.utils.translation import gettext_lazy as _

ADMIN = "admin"
STAF = "staf"
PETUGAS = "petugas"
KOORDINATOR = "koordinator"
PIMPINAN = "pimpinan"

ROLE_LABELS = {
    ADMIN: _("Administrator"),
    STAF: _("Office staff"),
    PETUGAS: _("Recording team member"),
    KOORDINATOR: _("School coordinator"),
    PIMPINAN: _("Head of office"),
}

ROLE_ORDER = [ADMIN, STAF, PETUGAS, KOORDINATOR, PIMPINAN]

# The apps whose every permission the admin role holds.
ADMIN_APPS = [
    "auth",
    "schools",
    "students",
    "campaigns",
    "django_celery_beat",
    "django_celery_results",
    "axes",
    "audit",
]
# A lost phone: the admin sees the user's second-factor devices and deletes them; the user
# enrols again. Never adding or changing one (a device with a key the admin knows would be
# the admin's second factor for that user); the keys are never shown
# (OTP_ADMIN_HIDE_SENSITIVE_DATA).
ADMIN_DEVICE_PERMISSIONS = [
    "otp_totp.view_totpdevice",
    "otp_totp.delete_totpdevice",
    "otp_static.view_staticdevice",
    "otp_static.delete_staticdevice",
]

_STAFF_WORK = [
    "schools.view_all_schools",
    "schools.view_school",
    "schools.add_school",
    "schools.change_school",
    "schools.view_region",
    "schools.view_blackoutperiod",
    "schools.add_blackoutperiod",
    "schools.change_blackoutperiod",
    "schools.delete_blackoutperiod",
    "students.view_student",
    "students.add_student",
    "students.change_student",
    "students.view_full_nik",
    "students.record_event",
    "students.view_statistics",
    "students.view_studentevent",
    "students.upload_roster",
    "students.view_rosterimport",
    "students.decide_school_move",
    "students.view_schoolmoverequest",
    "campaigns.view_campaign",
    "campaigns.add_campaign",
    "campaigns.change_campaign",
    "campaigns.plan_campaign",
    "campaigns.view_calendarday",
    "campaigns.add_calendarday",
    "campaigns.change_calendarday",
    "campaigns.delete_calendarday",
    "campaigns.view_team",
    "campaigns.add_team",
    "campaigns.change_team",
    "campaigns.view_visit",
    "campaigns.add_visit",
    "campaigns.change_visit",
    "campaigns.manage_cards",
    "campaigns.view_handoverbatch",
    "campaigns.view_regencycoverage",
    "campaigns.add_regencycoverage",
    "campaigns.change_regencycoverage",
]

ROLE_PERMISSIONS = {
    STAF: _STAFF_WORK,
    PETUGAS: [
        "schools.view_school",
        "students.view_student",
        "students.record_event",
        "students.view_studentevent",
        "campaigns.view_visit",
        "campaigns.view_team",
    ],
    KOORDINATOR: [
        "schools.view_school",
        "schools.view_blackoutperiod",
        "students.view_student",
        "students.view_studentevent",
        "students.upload_roster",
        "students.view_rosterimport",
        "campaigns.view_visit",
        "campaigns.answer_visit",
        "campaigns.view_handoverbatch",
    ],
    PIMPINAN: ["students.view_statistics"],
}


def sync_roles(apps, schema_editor=None):
    """Create the groups and give each exactly its permissions. Safe to run again."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        # Historical app configs of a migration have no models module, which makes
        # create_permissions skip them; lend them one for the call.
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        try:
            create_permissions(app_config, verbosity=0, apps=apps)
        finally:
            app_config.models_module = original

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def lookup(dotted):
        app_label, codename = dotted.split(".", 1)
        return Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()

    admin, _created = Group.objects.get_or_create(name=ADMIN)
    devices = [lookup(name) for name in ADMIN_DEVICE_PERMISSIONS]
    admin.permissions.set(
        [
            *Permission.objects.filter(content_type__app_label__in=ADMIN_APPS),
            *(permission for permission in devices if permission),
        ]
    )
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        found = {name: lookup(name) for name in names}
        missing = [name for name, permission in found.items() if permission is None]
        # An early migration runs before the models of a later one exist; that later
        # migration syncs again. Outside a migration every permission must be there.
        if missing and schema_editor is None:
            raise LookupError(f"Unknown permissions: {', '.join(missing)}")
        group.permissions.set([permission for permission in found.values() if permission])


def role_of(user):
    """The user's role name (the first in ROLE_ORDER they belong to), or None."""
    if not user.is_authenticated:
        return None
    names = {group.name for group in user.groups.all()}
    if user.is_superuser:
        return ADMIN
    return next((role for role in ROLE_ORDER if role in names), None)
