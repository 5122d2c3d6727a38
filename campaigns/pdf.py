"""A4 PDFs from HTML templates, with WeasyPrint (imported here only: it is slow to load)."""

import gc

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


def html_pdf(html):
    """The PDF (bytes) of a rendered print template.

    WeasyPrint leaves a quarter of a million cyclic objects behind for a 25-page list, so
    the garbage collector makes full passes during the render, and each walks everything
    the process holds (Django, the templates, the request). Frozen, the process's own
    objects sit those passes out: the 600-row receipt takes about a tenth less CPU time.
    Unfrozen afterwards, whatever of them became garbage meanwhile is collected as before.
    """
    gc.freeze()
    try:
        return document(html).write_pdf()
    finally:
        gc.unfreeze()


def render_pdf(template, context):
    """The PDF (bytes) of one template."""
    return html_pdf(render_html(template, context))
