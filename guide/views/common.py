"""Helpers shared by the guide's views."""

from django.http import FileResponse, Http404

from conect.core.permissions import denied, permission_required

__all__ = ["apply_errors", "denied", "file_response", "permission_required"]


def apply_errors(form, error) -> None:
    """Put a service's ValidationError on the form: on its field when there is one."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


def file_response(field_file, filename: str, *, as_attachment: bool = True) -> FileResponse:
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=as_attachment, filename=filename)
