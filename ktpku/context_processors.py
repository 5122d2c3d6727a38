from django.conf import settings


def office(request):
    return {
        "office_name": settings.OFFICE_NAME,
        "office_regency_name": settings.OFFICE_REGENCY_NAME,
    }
