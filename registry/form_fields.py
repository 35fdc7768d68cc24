"""Choice fields of the registry's reference records (domains, counties), drawn from keys
and names (conect.core.fields)."""

from django.utils.translation import get_language

from conect.core.fields import KeyLabelChoiceField, KeyLabelMultipleChoiceField


class DomainLabels:
    """A domain's label as Domain.name gives it: the English name in English when there is
    one, else the Romanian."""

    label_fields = ("name_ro", "name_en")

    def label_from_values(self, values) -> str:
        name_ro, name_en = values
        if (get_language() or "ro").startswith("en"):
            return name_en or name_ro
        return name_ro


class DomainsField(DomainLabels, KeyLabelMultipleChoiceField):
    pass


class CountyField(KeyLabelChoiceField):
    pass


class CountiesField(KeyLabelMultipleChoiceField):
    pass
