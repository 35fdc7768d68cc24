"""The guide's help links: the stable section keys other pages link to, and their
labels. `{% load guide_tags %}{% guide_link "consultations" %}` renders a link to the
section with that key in the current edition, without a query (the label is known
here), so the pages that carry it keep their query counts.

Keys (each must be the `key` of a section of the guide):
- "consultations": how a public consultation works (consultation pages);
- "recommendations": how to write a recommendation (recommendation form);
- "debates": how public debates work (debate pages);
- "questionnaires": how questionnaires work (questionnaire pages, issue 20);
- "proposals": how citizens' proposals work (proposal pages, issue 19).
A key not listed here gets the generic label "Read the participation guide".
"""

from django.utils.translation import gettext_lazy as _

HELP_KEYS = {
    "consultations": _("How a public consultation works"),
    "recommendations": _("How to write a useful recommendation"),
    "debates": _("How public debates work"),
    "questionnaires": _("How questionnaires work"),
    "proposals": _("How citizens' proposals work"),
}
GENERIC_LABEL = _("Read the participation guide")


def help_label(key: str):
    return HELP_KEYS.get(key, GENERIC_LABEL)
