"""EXP-03: markup in a name is printed as text, and a PDF never loads anything from outside."""

import socket

import pytest
from django.urls import reverse

from campaigns.pdf import document

from .pdftext import pdf_to_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def listener():
    """A local port that records whether anything connected to it."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        server.setblocking(False)
        yield server


def _connections(server):
    try:
        server.accept()[0].close()
    except BlockingIOError:
        return 0
    return 1


def test_a_name_written_as_markup_is_printed_as_text_and_fetched_from_nowhere(
    client, staf, visit, listener
):
    port = listener.getsockname()[1]
    pupil = visit.students.order_by("name").first()
    pupil.name = f'<img src="http://127.0.0.1:{port}/">'
    pupil.save(update_fields=["name"])
    client.force_login(staf)

    response = client.get(reverse("campaigns:visit_pack", args=[visit.pk]))

    text = pdf_to_text(response.content)
    assert response.status_code == 200
    # The name's column is narrow: the literal text wraps after "http://".
    assert '1 <img src="http:// X IPA 1' in text
    assert f'R A 127.0.0.1:{port}/"> G K' in text
    assert _connections(listener) == 0


def test_the_pdf_renderer_refuses_every_address_but_data(listener, tmp_path):
    port = listener.getsockname()[1]
    secret = tmp_path / "secret.css"
    secret.write_text("p::after { content: 'read from the disk'; }")
    html = (
        f'<link rel="stylesheet" href="{secret.as_uri()}">'
        f'<img src="http://127.0.0.1:{port}/x.png">'
        '<img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E">'
        "<p>Daftar</p>"
    )

    text = pdf_to_text(document(html).write_pdf())

    assert text == "Daftar"
    assert _connections(listener) == 0
