"""A4 PDFs from HTML templates, with WeasyPrint (imported here only: it is slow to load)."""

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template, context, *, request=None):
    """The PDF (bytes) of one template under templates/campaigns/print/."""
    from weasyprint import HTML

    html = render_to_string(
        template,
        {
            "office_name": settings.OFFICE_NAME,
            "office_regency_name": settings.OFFICE_REGENCY_NAME,
            **context,
        },
        request=request,
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
