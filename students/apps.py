from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudentsConfig(AppConfig):
    name = "students"
    verbose_name = _("Students")

    def ready(self):
        # Registers the Celery tasks in every process, the web one included: the services
        # send them by name and never import the task module.
        from . import tasks  # noqa: F401
