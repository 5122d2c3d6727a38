"""PDFs are tested by their text, read back with poppler's pdftotext."""

import subprocess

PDFTOTEXT = "/usr/bin/pdftotext"


def pdf_to_text(content):
    """The PDF's text, its whitespace runs made single spaces."""
    done = subprocess.run(  # noqa: S603 - a fixed program reading our own bytes
        [PDFTOTEXT, "-layout", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(done.stdout.decode().split())
