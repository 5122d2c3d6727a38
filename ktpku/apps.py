from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KtpkuConfig(AppConfig):
    name = "ktpku"
    verbose_name = _("KTPku")
