"""A4 PDFs from HTML templates, with WeasyPrint (imported here only: it is slow to load)."""

from django.conf import settings
from django.template.loader import render_to_string


def render_html(template, context):
    """One template under templates/campaigns/print/, with the office's letterhead."""
    return render_to_string(
        template,
        {
            "office_name": settings.OFFICE_NAME,
            "office_regency_name": settings.OFFICE_REGENCY_NAME,
            **context,
        },
    )


def render_pdf(template, context):
    """The PDF (bytes) of one template."""
    from weasyprint import HTML

    return HTML(string=render_html(template, context), base_url=str(settings.BASE_DIR)).write_pdf()
