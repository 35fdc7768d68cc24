"""Romanian alphabetical order, everywhere a list is sorted by name. In Romanian "ă"
and "â" come after "a" and before "b", "î" after "i", "ș" after "s" and "ț" after "t":
Călărași before Covasna; Satu Mare, Sălaj, Sibiu, Suceava, then Șoimuș; Teleorman, then
Țăndărei.

On PostgreSQL, the ICU collation `ro-x-icu` (shipped with PostgreSQL's ICU support);
on SQLite (the demo, `make run`), a collation of the same name registered on every new
connection, with the same order (`romanian_key`). So `by_name("name")` sorts alike on
both, in a query, and `sorted(rows, key=...)` with `romanian_key` sorts a cached list
the same way."""

from django.db.backends.signals import connection_created
from django.db.models import F
from django.db.models.functions import Collate

from .text import fix_diacritics

COLLATION = "ro-x-icu"

# The Romanian alphabet, with its letters with diacritics at their place.
_ALPHABET = "aăâbcdefghiîjklmnopqrsștțuvwxyz"
_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
_DIGITS = {str(digit): -10 + digit for digit in range(10)}


def romanian_key(text: str) -> tuple:
    """A sort key in Romanian alphabetical order: letters by the Romanian alphabet
    (case and cedilla forms ignored), digits before letters, spaces and punctuation
    before both; ties broken by the text itself, so that the order is total."""
    folded = fix_diacritics(text or "").casefold()
    primary = []
    for char in folded:
        if char in _RANK:
            primary.append(_RANK[char])
        elif char in _DIGITS:
            primary.append(_DIGITS[char])
        elif char.isalpha():
            primary.append(100 + ord(char))  # other alphabets after Romanian letters
        else:
            primary.append(-20)  # spaces and punctuation first
    return (tuple(primary), text or "")


def by_name(field: str = "name", *, descending: bool = False):
    """An order_by() expression sorting `field` in Romanian alphabetical order."""
    expression = Collate(F(field), COLLATION)
    return expression.desc() if descending else expression.asc()


def _compare(left: str, right: str) -> int:
    a, b = romanian_key(left), romanian_key(right)
    return (a > b) - (a < b)


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    """Give every new SQLite connection the `ro-x-icu` collation PostgreSQL has."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(COLLATION, _compare)


connection_created.connect(register_sqlite_collation, dispatch_uid="conect-ro-collation")

# The orderings by a name that an OrderingFilter sorts in Romanian order.
COLLATED_FIELDS = frozenset({"name", "name_ro", "name_en", "institution__name"})


def collated_ordering(fields: list[str]) -> list:
    """order_by() arguments for `fields` ("name", "-created_at"...), names in Romanian
    order."""
    ordering = []
    for field in fields:
        name = field.lstrip("-")
        if name in COLLATED_FIELDS:
            ordering.append(by_name(name, descending=field.startswith("-")))
        else:
            ordering.append(field)
    return ordering
