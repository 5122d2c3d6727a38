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


def document(html):
    """WeasyPrint's document of `html`, which loads nothing from anywhere (EXP-03).

    Only data: addresses (the QR codes) are read; any other (http:, file:, ...) is refused
    and left out, so text that reaches a template as markup can never make the server
    connect somewhere or read a file.
    """
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"}))


def render_pdf(template, context):
    """The PDF (bytes) of one template."""
    return document(render_html(template, context)).write_pdf()
