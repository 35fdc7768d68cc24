"""format_datetime writes what Django's dateformat writes: by strftime for formats of
padded numbers, by Django for anything with names or escapes."""

from datetime import datetime

import pytest
from django.utils import dateformat, translation

from conect.core.text import format_datetime

MOMENTS = [datetime(2026, 3, 1, 0, 5, 9), datetime(1999, 12, 31, 23, 59, 59)]
FORMATS = ["d.m.Y H:i", "d/m/Y", "Y-m-d H:i:s", "d.m.y", "j F Y", "N j, Y, P", r"\a\t d.m.Y"]


@pytest.mark.parametrize("format_string", FORMATS)
@pytest.mark.parametrize("language", ["ro", "en"])
def test_same_text_as_djangos_dateformat(format_string, language):
    with translation.override(language):
        for moment in MOMENTS:
            assert format_datetime(moment, format_string) == dateformat.format(
                moment, format_string
            )
