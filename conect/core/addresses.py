"""The addresses of records' pages, reversed once per process.

Reversing a route costs tens of microseconds, and a page links many records (a list, a
detail page's related records, a model's get_absolute_url). The route's address is
reversed once with stand-in keys; each record's keys are then put in their places.
"""

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse

_addresses: dict[tuple, tuple] = {}


RECORD_STAND_IN = 987654321  # a key no address holds otherwise (and the next ones)


def record_url(name: str, *pks) -> str:
    """The address of a record's page (a route with one <int:pk>, or more keys for a
    record within another): reversed once per process with stand-in keys, then the
    record's keys put in their places. For lists and tables that link every row."""
    return record_urls(name, len(pks))(*pks)


def record_urls(name: str, keys: int = 1):
    """record_url for many records of one route: `url_of = record_urls(name)` then
    `url_of(pk)` for each (the prefix and the URLconf are read once); with `keys` > 1,
    `url_of(pk, other_pk)`."""
    key = ("record-url", name, keys, get_script_prefix(), get_urlconf())
    parts = _addresses.get(key)
    if parts is None:
        stand_ins = [RECORD_STAND_IN + index for index in range(keys)]
        rest, pieces = reverse(name, args=stand_ins), []
        for stand_in in stand_ins:
            head, found, rest = rest.partition(str(stand_in))
            if not found:
                raise ValueError(f"The address of {name} does not hold its keys as they are.")
            pieces.append(head)
        parts = _addresses[key] = (*pieces, rest)
    if keys == 1:
        head, tail = parts
        return lambda pk: f"{head}{int(pk)}{tail}"

    def url_of(*pks) -> str:
        if len(pks) != keys:
            raise TypeError(f"{name} takes {keys} keys.")
        return (
            "".join(f"{piece}{int(pk)}" for piece, pk in zip(parts, pks, strict=False)) + parts[-1]
        )

    return url_of


def forget(**kwargs) -> None:
    """Forget every address (a change of settings: another URLconf, say)."""
    _addresses.clear()


setting_changed.connect(forget, dispatch_uid="conect.core.addresses")
