import pytest


@pytest.fixture(autouse=True)
def english(settings):
    # The Indonesian catalogue comes later; the tests read the English source text.
    settings.LANGUAGE_CODE = "en"
