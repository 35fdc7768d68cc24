"""Model fields for what people type, with the checks of `conect.core.validators`.

Forms built from the models (the pages and the admin) and DRF's ModelSerializers inherit
them, and so does every service that calls `full_clean()`."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import models

from .validators import (
    HTML_MARKUP_ALLOWANCE,
    MarkupLengthValidator,
    VisibleTextLengthValidator,
    normalize_url,
    validate_url,
)


class SafeURLFormField(forms.URLField):
    """A web address, normalised (see `normalize_url`) before it is checked."""

    default_validators = [validate_url]

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize_url(super().to_python(value))


class SafeURLField(models.URLField):
    """A URLField that takes only http and https addresses of a real host, and stores
    them normalised, with what must be quoted percent-encoded."""

    default_validators = [validate_url]

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_url(value) if value else value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SafeURLFormField, **kwargs})


class LimitedTextField(models.TextField):
    """A TextField whose `max_length` is checked by `full_clean()` as well (Django checks
    a TextField's max_length only in form fields and DRF serializers).

    With `html=True` the field stores the HTML the services make of what was typed
    (paragraphs, escaped characters, links' rel): the limit then counts the characters a
    reader sees, so a text accepted by the form is not refused once formatted, and the
    markup is bounded by a wider limit of its own."""

    def __init__(self, *args, max_length: int, html: bool = False, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        self.html = html
        if html:
            self.validators.extend(
                [
                    VisibleTextLengthValidator(self.max_length),
                    MarkupLengthValidator(self.max_length * HTML_MARKUP_ALLOWANCE),
                ]
            )
        else:
            self.validators.append(MaxLengthValidator(self.max_length))

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.html:
            kwargs["html"] = True
        return name, path, args, kwargs
