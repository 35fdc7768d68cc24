"""Fails when a Romanian translation is missing or fuzzy: `python -m conect.core.i18n_check`.

Used by `make messages-check` and by the test suite, so that no user-facing string reaches
a Romanian reader in English.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent.parent
CATALOGUES = [
    ROOT / "locale" / "ro" / "LC_MESSAGES" / "django.po",
    ROOT / "locale" / "ro" / "LC_MESSAGES" / "djangojs.po",
]


def missing_translations() -> list[str]:
    problems = []
    for path in CATALOGUES:
        if not path.exists():
            continue
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            if entry.fuzzy:
                problems.append(f"{path.name}: fuzzy: {entry.msgid!r}")
            elif entry.msgid_plural:
                if not all(entry.msgstr_plural.values()):
                    problems.append(f"{path.name}: untranslated plural: {entry.msgid!r}")
            elif not entry.msgstr:
                problems.append(f"{path.name}: untranslated: {entry.msgid!r}")
    return problems


def main() -> int:
    problems = missing_translations()
    for line in problems:
        print(line)
    print(f"{len(problems)} Romanian translation(s) missing")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
