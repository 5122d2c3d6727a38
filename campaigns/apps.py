from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self):
        from ktpku import exports

        from .list_exports import CARD_EXPORT, VISIT_EXPORT

        exports.register(VISIT_EXPORT)
        exports.register(CARD_EXPORT)
