from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudentsConfig(AppConfig):
    name = "students"
    verbose_name = _("Students")

    def ready(self):
        from ktpku import exports

        # Registers the Celery tasks in every process, the web one included: the services
        # send them by name and never import the task module.
        from . import tasks  # noqa: F401
        from .list_export import STUDENT_EXPORT

        exports.register(STUDENT_EXPORT)
