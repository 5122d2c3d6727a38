import pytest


@pytest.fixture(autouse=True)
def _english(english):
    """The school tests compare messages and pages in their English source text."""
