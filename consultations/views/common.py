"""Helpers shared by the views: permission answers and error display."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404

from ..models import Consultation


def denied(request):
    """403 for a signed-in user; the sign-in page for an anonymous one."""
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.get_full_path())


def get_consultation(pk: int) -> Consultation:
    return get_object_or_404(Consultation.objects.select_related("institution"), pk=pk)


def error_messages(error: ValidationError) -> list[str]:
    return list(error.messages)


def show_errors(request, error: ValidationError) -> None:
    for message in error_messages(error):
        messages.error(request, message)


def apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when there is one."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


def csv_delimiter(request) -> str:
    """`;` for a Romanian reader (what a spreadsheet set to Romanian expects, the comma
    being its decimal separator), `,` otherwise."""
    return ";" if (getattr(request, "LANGUAGE_CODE", "") or "").startswith("ro") else ","
