from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class KtpkuConfig(AppConfig):
    name = "ktpku"
    verbose_name = _("KTPku")

    def ready(self):
        check_openpyxl_uses_defusedxml()


def check_openpyxl_uses_defusedxml():
    """Refuse to start when openpyxl would parse uploaded workbooks without defusedxml.

    Without it, an xlsx whose XML declares entities (billion laughs, SYSTEM "file://...")
    is expanded by the standard library parser (SECURITY.md UP-03). openpyxl falls back
    silently when defusedxml is missing or OPENPYXL_DEFUSEDXML is not "True".
    """
    from openpyxl import xml as openpyxl_xml

    if openpyxl_xml.DEFUSEDXML is not True:
        raise ImproperlyConfigured(
            "openpyxl is not using defusedxml: install the defusedxml package and leave "
            "OPENPYXL_DEFUSEDXML unset (or set it to True). Uploaded workbooks must not be "
            "parsed without it (SECURITY.md UP-03)."
        )
