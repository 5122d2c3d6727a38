from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class KtpkuConfig(AppConfig):
    name = "ktpku"
    verbose_name = _("KTPku")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import second_factor, security_events, session_limits

        check_openpyxl_uses_defusedxml()
        user_logged_in.connect(second_factor.remember_at_login, dispatch_uid="ktpku_2fa")
        user_logged_in.connect(session_limits.stamp_at_login, dispatch_uid="ktpku_session")
        security_events.connect()


def check_openpyxl_uses_defusedxml():
    """Refuse to start when openpyxl would read a workbook without defusedxml.

    Uploads are not parsed by openpyxl: the intake's container check refuses XML entity
    declarations before parsing, and its sheet reader (ktpku.intake.sheets) parses the
    small parts of a workbook with defusedxml.
    openpyxl only writes here (templates, workbooks of rows to fix, exports). But whatever
    workbook it is ever given to read, in a shell, a test or a later import, must not expand
    entities (billion laughs, SYSTEM "file://...") through the standard library parser
    (SECURITY.md UP-03); openpyxl falls back to that parser silently when defusedxml is
    missing or OPENPYXL_DEFUSEDXML is not "True".
    """
    from openpyxl import xml as openpyxl_xml

    if openpyxl_xml.DEFUSEDXML is not True:
        raise ImproperlyConfigured(
            "openpyxl is not using defusedxml: install the defusedxml package and leave "
            "OPENPYXL_DEFUSEDXML unset (or set it to True). Uploads are read by "
            "the intake's own reader, but no workbook openpyxl reads may expand XML entities "
            "(SECURITY.md UP-03)."
        )
