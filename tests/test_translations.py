from conect.core.i18n_check import CATALOGUES, missing_translations


def test_romanian_catalogue_exists():
    """The Romanian catalogue ships with the code."""
    assert CATALOGUES[0].exists()


def test_every_string_has_a_romanian_translation():
    """No user-facing string reaches a Romanian reader untranslated or fuzzy."""
    assert missing_translations() == []
