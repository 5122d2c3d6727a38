"""The handover receipt list (tanda terima): an A4 PDF with a QR code to the batch's page."""

import segno
from django.utils import translation

from students import dates

from ..pdf import html_pdf, render_html
from .queue import batch_items


def receipt_html(batch, *, page_url):
    """School, date, team; per student name, class, masked NIK, birth date and a signature
    box; a QR code that opens the batch's page (`page_url`, absolute) for staff."""
    qr = segno.make(page_url, error="m").svg_data_uri(scale=3, border=2)
    with translation.override("id"):
        return render_html(
            "campaigns/print/handover_receipt.html",
            {
                "batch": batch,
                "items": list(batch_items(batch)),
                "qr": qr,
                "page_url": page_url,
                "printed": dates.today(),
            },
        )


def receipt_pdf(batch, *, page_url):
    """The receipt as an A4 PDF (bytes)."""
    return html_pdf(receipt_html(batch, page_url=page_url))
