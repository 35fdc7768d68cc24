from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.ro import cui


def normalize_fiscal_code(value: str) -> str:
    """Strip spaces and the optional RO (VAT) prefix from a fiscal code."""
    value = (value or "").strip().upper().replace(" ", "")
    if value.startswith("RO"):
        value = value[2:]
    return value


def validate_fiscal_code(value: str) -> None:
    """A Romanian CUI/CIF: 2 to 10 digits whose last digit is the control digit."""
    code = normalize_fiscal_code(value)
    if not code.isdigit() or not 2 <= len(code) <= 10:
        raise ValidationError(
            _("Enter a fiscal code of 2 to 10 digits (the RO prefix is optional)."),
            code="fiscal_code_format",
        )
    if not cui.is_valid(code):
        raise ValidationError(
            _("This fiscal code is not valid: its control digit does not match."),
            code="fiscal_code_checksum",
        )
