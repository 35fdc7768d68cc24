"""Choice fields of the registry's reference records (domains, counties), drawn from keys
and names (conect.core.fields)."""

from conect.core.fields import KeyLabelChoiceField, KeyLabelMultipleChoiceField

from .models import translated_name


class DomainLabels:
    """A domain's label as Domain.name gives it: the English name in English when there is
    one, else the Romanian."""

    label_fields = ("name_ro", "name_en")

    def label_from_values(self, values) -> str:
        return translated_name(*values)


class DomainsField(DomainLabels, KeyLabelMultipleChoiceField):
    pass


class CountyField(KeyLabelChoiceField):
    pass


class CountiesField(KeyLabelMultipleChoiceField):
    pass
