"""The forms of questionnaires: the author's (the survey, a question, the roster, the
deadline) and the respondent's answer form, built from the questions and drawn by
Django's renderer. The answer form works without JavaScript: every question is in the
page and the server drops the answers to questions whose condition is not met
(surveys/answers.py); static/js/surveys-form.js hides them as one answers."""

import datetime
import decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conect.core.forms import AutocompleteChoiceField, BootstrapFormMixin
from registry.models import County, Domain, Institution, Region

from . import answers as answer_rules
from .models import TEXT_LANGUAGES, Question, Survey, translated

FILE_MAX_BYTES = 5 * 1024 * 1024
LANGUAGE_NAMES = {"ro": _("Romanian"), "en": _("English"), "hu": _("Hungarian")}


# --- Texts in several languages --------------------------------------------------------


def add_translated_fields(form, name: str, label, *, required=True, textarea=False, max_length=500):
    """Fields `<name>_ro`, `<name>_en` (required when `required`) and `<name>_hu`
    (always optional)."""
    for language in TEXT_LANGUAGES:
        widget = forms.Textarea(attrs={"rows": 3}) if textarea else forms.TextInput
        form.fields[f"{name}_{language}"] = forms.CharField(
            label=gettext("%(label)s (%(language)s)")
            % {"label": label, "language": LANGUAGE_NAMES[language]},
            required=required and language != "hu",
            max_length=max_length,
            widget=widget,
        )


def translated_initial(name: str, value: dict) -> dict:
    return {f"{name}_{language}": (value or {}).get(language, "") for language in TEXT_LANGUAGES}


def collect(cleaned: dict, name: str) -> dict:
    return {
        lang: cleaned[f"{name}_{lang}"].strip()
        for lang in TEXT_LANGUAGES
        if cleaned.get(f"{name}_{lang}", "").strip()
    }


def parse_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- The author's forms ----------------------------------------------------------------


class SurveyForm(BootstrapFormMixin, forms.Form):
    audience = forms.ChoiceField(label=_("Who answers"), choices=Survey.Audience.choices)
    roster_kind = forms.ChoiceField(
        label=_("The roster is made of"),
        choices=[("", "—"), *Survey.RosterKind.choices],
        required=False,
        help_text=_("Only for a questionnaire sent to a roster."),
    )
    is_anonymous = forms.BooleanField(
        label=_("Anonymous: keep no link between an answer and who gave it"),
        required=False,
        help_text=_("Only for a questionnaire open to anyone."),
    )
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reminder_days = forms.CharField(
        label=_("Reminders, in days before the deadline"),
        required=False,
        initial="7, 2",
        help_text=_("Numbers separated by commas, for example 7, 2."),
    )

    def __init__(self, *args, survey: Survey | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        add_translated_fields(self, "title", gettext("Title"), max_length=300)
        add_translated_fields(
            self, "intro", gettext("Introduction"), required=False, textarea=True, max_length=5000
        )
        order = [f"title_{lang}" for lang in TEXT_LANGUAGES] + [
            f"intro_{lang}" for lang in TEXT_LANGUAGES
        ]
        self.order_fields(order)
        if survey is not None and not self.is_bound:
            self.initial.update(translated_initial("title", survey.title))
            self.initial.update(translated_initial("intro", survey.intro))
            self.initial.update(
                audience=survey.audience,
                roster_kind=survey.roster_kind,
                is_anonymous=survey.is_anonymous,
                deadline=survey.deadline,
                reminder_days=", ".join(str(d) for d in survey.reminder_days),
            )

    def clean_reminder_days(self):
        try:
            days = sorted(
                {
                    int(part)
                    for part in self.cleaned_data["reminder_days"].replace(";", ",").split(",")
                    if part.strip()
                },
                reverse=True,
            )
        except ValueError:
            raise ValidationError(
                gettext("Write whole numbers of days, separated by commas.")
            ) from None
        if any(day < 1 or day > 90 for day in days):
            raise ValidationError(
                gettext("Each reminder is between 1 and 90 days before the deadline.")
            )
        return days

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "title": collect(data, "title"),
            "intro": collect(data, "intro"),
            "audience": data["audience"],
            "roster_kind": data["roster_kind"],
            "is_anonymous": data["is_anonymous"],
            "deadline": data["deadline"],
            "reminder_days": data["reminder_days"],
        }


class QuestionForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=Question.Kind.choices)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    allow_other = forms.BooleanField(label=_("Offer “other”, with a text"), required=False)
    max_choices = forms.IntegerField(
        label=_("At most this many choices"), required=False, min_value=1
    )
    min_length = forms.IntegerField(
        label=_("At least this many characters"), required=False, min_value=0
    )
    max_length = forms.IntegerField(
        label=_("At most this many characters"), required=False, min_value=1
    )
    min_value = forms.DecimalField(label=_("Smallest number"), required=False)
    max_value = forms.DecimalField(label=_("Largest number (for a scale: 5 or 10)"), required=False)
    condition_question = forms.ModelChoiceField(
        label=_("Show only if the answer to the question"),
        queryset=Question.objects.none(),
        required=False,
    )
    condition_value = forms.CharField(
        label=_("is"),
        required=False,
        max_length=200,
        help_text=_("A choice as written in Romanian, a number, or yes or no."),
    )

    def __init__(self, *args, survey: Survey, question: Question | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.question = question
        add_translated_fields(
            self, "text", gettext("Question or title"), textarea=True, max_length=2000
        )
        add_translated_fields(self, "help", gettext("Help text"), required=False, max_length=1000)
        for name, label in (
            ("choices", gettext("Choices, one a line")),
            ("rows", gettext("Rows of the matrix, one a line")),
        ):
            for language in TEXT_LANGUAGES:
                self.fields[f"{name}_{language}"] = forms.CharField(
                    label=gettext("%(label)s (%(language)s)")
                    % {"label": label, "language": LANGUAGE_NAMES[language]},
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    max_length=5000,
                )
        add_translated_fields(
            self, "low", gettext("Label of the lowest value"), required=False, max_length=100
        )
        add_translated_fields(
            self, "high", gettext("Label of the highest value"), required=False, max_length=100
        )
        earlier = survey.questions.exclude(kind=Question.Kind.SECTION)
        if question is not None:
            earlier = earlier.filter(position__lt=question.position)
        self.fields["condition_question"].queryset = earlier
        self.fields["condition_question"].label_from_instance = lambda q: translated(q.text)
        if question is not None and not self.is_bound:
            self.initial.update(translated_initial("text", question.text))
            self.initial.update(translated_initial("help", question.help_text))
            self.initial.update(translated_initial("low", question.low_label))
            self.initial.update(translated_initial("high", question.high_label))
            for name in ("choices", "rows"):
                for language in TEXT_LANGUAGES:
                    items = getattr(question, name)
                    self.initial[f"{name}_{language}"] = "\n".join(
                        i["label"].get(language, "") for i in items
                    )
            for name in (
                "kind",
                "required",
                "allow_other",
                "max_choices",
                "min_length",
                "max_length",
                "min_value",
                "max_value",
                "condition_value",
            ):
                self.initial[name] = getattr(question, name)
            self.initial["condition_question"] = question.condition_question_id

    @staticmethod
    def items(data: dict, name: str) -> list[dict]:
        """Lines of each language, zipped: [{"ro": ..., "en": ..., "hu": ...}]."""
        by_language = {lang: parse_lines(data.get(f"{name}_{lang}", "")) for lang in TEXT_LANGUAGES}
        count = len(by_language["ro"])
        if len(by_language["en"]) != count:
            raise ValidationError(
                {f"{name}_en": gettext("Write as many lines in English as in Romanian.")}
            )
        if by_language["hu"] and len(by_language["hu"]) != count:
            raise ValidationError(
                {f"{name}_hu": gettext("Write as many lines in Hungarian as in Romanian, or none.")}
            )
        return [
            {lang: by_language[lang][i] for lang in TEXT_LANGUAGES if by_language[lang]}
            for i in range(count)
        ]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        data["choices_list"] = self.items(data, "choices")
        data["rows_list"] = self.items(data, "rows")
        return data

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "text": collect(data, "text"),
            "help_text": collect(data, "help"),
            "required": data["required"],
            "choice_labels": data["choices_list"],
            "row_labels": data["rows_list"],
            "allow_other": data["allow_other"],
            "max_choices": data["max_choices"],
            "min_length": data["min_length"],
            "max_length": data["max_length"],
            "min_value": data["min_value"],
            "max_value": data["max_value"],
            "low_label": collect(data, "low"),
            "high_label": collect(data, "high"),
            "condition_question": data["condition_question"],
            "condition_value": data["condition_value"].strip(),
        }


class RosterForm(BootstrapFormMixin, forms.Form):
    """Who is invited: all institutions of a kind, a chosen list of institutions, or the
    verified organisations of a domain or a county, or a chosen list (by fiscal code)."""

    institution_kind = forms.ChoiceField(
        label=_("All the institutions of this kind"),
        choices=[
            ("", "—"),
            (Institution.Kind.MINISTRY, _("all ministries")),
            (Institution.Kind.PREFECTURE, _("all prefectures")),
            *Institution.Kind.choices,
        ],
        required=False,
    )
    # Among thousands: suggested as one types (surveys:institution-options), one at a time.
    institution = AutocompleteChoiceField(
        Institution.objects.only("pk", "name"),
        label=_("This institution"),
        help_text=_("Type a few letters of its name and choose it among the suggestions."),
        required=False,
    )
    domain = forms.ModelChoiceField(
        label=_("The verified organisations of this domain"),
        queryset=Domain.objects.filter(is_active=True),
        required=False,
    )
    county = forms.ModelChoiceField(
        label=_("The verified organisations of this county"),
        queryset=County.objects.order_by("name"),
        required=False,
    )
    fiscal_codes = forms.CharField(
        label=_("These organisations, by fiscal code (one a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
    )

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        if survey.roster_kind == Survey.RosterKind.INSTITUTIONS:
            for name in ("domain", "county", "fiscal_codes"):
                del self.fields[name]
            self.fields["institution"].url = reverse(
                "surveys:institution-options", args=[survey.pk]
            )
        else:
            for name in ("institution_kind", "institution"):
                del self.fields[name]

    def clean_fiscal_codes(self):
        return parse_lines(self.cleaned_data["fiscal_codes"].replace(",", "\n"))

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in self.fields) and not self.errors:
            raise ValidationError(gettext("Choose who to add to the roster."))
        if "institution" in self.fields:
            chosen = data.pop("institution", None)
            data["institutions"] = [chosen] if chosen else []
        return data


class ExtendForm(BootstrapFormMixin, forms.Form):
    deadline = forms.DateTimeField(
        label=_("New deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class ResultsFilterForm(BootstrapFormMixin, forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.order_by("name"),
        required=False,
        to_field_name="code",
    )
    county = forms.ModelChoiceField(
        label=_("County"),
        queryset=County.objects.order_by("name"),
        required=False,
        to_field_name="code",
    )
    institution_kind = forms.ChoiceField(
        label=_("Kind of institution"),
        choices=[("", "—"), *Institution.Kind.choices],
        required=False,
    )
    domain = forms.ModelChoiceField(
        label=_("Domain of the organisation"),
        queryset=Domain.objects.filter(is_active=True),
        required=False,
        to_field_name="slug",
    )


class AnswerSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the answers"), required=False, max_length=100)


# --- The respondent's form -------------------------------------------------------------


class LabelledMultiWidget(forms.MultiWidget):
    """One control per row (a matrix's rows, a ranking's items), each with its label."""

    template_name = "surveys/widgets/labelled_multi.html"

    def __init__(self, widgets, labels, *, grouped: bool):
        self.labels = labels
        self.grouped = grouped
        super().__init__(widgets)

    def get_context(self, name, value, attrs):
        # Each control gets its own Bootstrap class, not the group's.
        attrs = {k: v for k, v in (attrs or {}).items() if k != "class"}
        for widget in self.widgets:
            widget.attrs["class"] = (
                "form-select"
                if isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect)
                else "form-check-input"
            )
        context = super().get_context(name, value, attrs)
        context["widget"]["rows"] = list(
            zip(self.labels, context["widget"]["subwidgets"], strict=True)
        )
        context["widget"]["grouped"] = self.grouped
        return context

    def decompress(self, value):
        return list(value) if value else [None] * len(self.widgets)


class KeyedMultiValueField(forms.MultiValueField):
    def __init__(self, *, keys, fields, widget, kind, **kwargs):
        kwargs.setdefault("template_name", "surveys/forms/multi_field.html")
        self.keys = keys
        self.kind = kind
        super().__init__(fields=fields, widget=widget, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list:
            return None
        if self.kind == Question.Kind.RANKING:
            ranks = {key: rank for key, rank in zip(self.keys, data_list, strict=True) if rank}
            if not ranks:
                return None
            if len(ranks) != len(self.keys):
                raise ValidationError(gettext("Give every item a different rank."))
            if sorted(int(r) for r in ranks.values()) != list(range(1, len(self.keys) + 1)):
                raise ValidationError(gettext("Give every item a different rank."))
            return [key for key, _rank in sorted(ranks.items(), key=lambda kv: int(kv[1]))]
        return {
            key: value
            for key, value in zip(self.keys, data_list, strict=True)
            if value not in answer_rules.EMPTY
        } or None


def _decimal_or_none(value):
    return decimal.Decimal(value) if value is not None else None


def field_for(question: Question, language: str):
    """The form field of one question (no field for a section)."""
    Kind = Question.Kind
    common = {
        "label": translated(question.text, language),
        "required": False,
        "help_text": translated(question.help_text, language),
    }
    choices = [(c["key"], translated(c["label"], language)) for c in question.choices]
    if question.allow_other and question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        choices.append(("other", gettext("Other")))
    if question.kind == Kind.SHORT_TEXT:
        return forms.CharField(
            max_length=question.max_length or 500, min_length=question.min_length, **common
        )
    if question.kind == Kind.LONG_TEXT:
        return forms.CharField(
            max_length=question.max_length or 10000,
            min_length=question.min_length,
            widget=forms.Textarea(attrs={"rows": 5}),
            **common,
        )
    if question.kind == Kind.SINGLE:
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if question.kind == Kind.MULTIPLE:
        field = forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
        if question.max_choices:
            limit = question.max_choices

            def at_most(value, limit=limit):
                if len(value) > limit:
                    raise ValidationError(gettext("Choose at most %(limit)s.") % {"limit": limit})

            field.validators.append(at_most)
        return field
    if question.kind == Kind.YES_NO:
        return forms.ChoiceField(
            choices=[("yes", gettext("Yes")), ("no", gettext("No"))],
            widget=forms.RadioSelect,
            **common,
        )
    if question.kind == Kind.SCALE:
        top = int(question.max_value or 5)
        low, high = (
            translated(question.low_label, language),
            translated(question.high_label, language),
        )
        if low or high:
            ends = gettext("1 means “%(low)s”, %(top)s means “%(high)s”.") % {
                "low": low,
                "top": top,
                "high": high,
            }
            common["help_text"] = f"{common['help_text']} {ends}".strip()
        return forms.TypedChoiceField(
            choices=[(str(n), str(n)) for n in range(1, top + 1)],
            coerce=int,
            widget=forms.RadioSelect,
            **common,
        )
    if question.kind == Kind.NUMBER:
        return forms.DecimalField(
            min_value=_decimal_or_none(question.min_value),
            max_value=_decimal_or_none(question.max_value),
            **common,
        )
    if question.kind == Kind.DATE:
        return forms.DateField(
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common
        )
    if question.kind == Kind.FILE:
        return forms.FileField(**common)
    if question.kind in Question.MATRIX_KINDS:
        single = question.kind == Kind.MATRIX_SINGLE
        field_class = forms.ChoiceField if single else forms.MultipleChoiceField
        widget_class = forms.RadioSelect if single else forms.CheckboxSelectMultiple
        rows = question.rows
        return KeyedMultiValueField(
            keys=[r["key"] for r in rows],
            fields=[field_class(choices=choices, required=False) for _r in rows],
            widget=LabelledMultiWidget(
                [widget_class(choices=choices) for _r in rows],
                [translated(r["label"], language) for r in rows],
                grouped=True,
            ),
            kind=question.kind,
            **common,
        )
    if question.kind == Kind.RANKING:
        ranks = [("", "—")] + [(str(n), str(n)) for n in range(1, len(choices) + 1)]
        return KeyedMultiValueField(
            keys=[key for key, _label in choices],
            fields=[forms.ChoiceField(choices=ranks, required=False) for _c in choices],
            widget=LabelledMultiWidget(
                [forms.Select(choices=ranks) for _c in choices],
                [label for _key, label in choices],
                grouped=False,
            ),
            kind=question.kind,
            **common,
        )
    return None


def to_json(question: Question, value):
    """A cleaned value as it is stored in Response.answers."""
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def to_initial(question: Question, value):
    if question.kind in Question.MATRIX_KINDS and isinstance(value, dict):
        return [value.get(r["key"]) for r in question.rows]
    if question.kind == Question.Kind.RANKING and isinstance(value, list):
        keys = [c["key"] for c in question.choices]
        return [str(value.index(k) + 1) if k in value else "" for k in keys]
    if question.kind == Question.Kind.FILE:
        return None
    return value


class AnswerForm(BootstrapFormMixin, forms.Form):
    """The answer form of a survey: a field `q<id>` per question (and `q<id>_other`), an
    optional county for an anonymous questionnaire. `answers()` gives what to store."""

    def __init__(
        self,
        *args,
        survey: Survey,
        questions,
        saved: dict | None = None,
        language: str = "ro",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.questions = list(questions)
        self.saved = saved or {}
        self.language = language
        self.items = []
        for question in self.questions:
            field = field_for(question, language)
            name = f"q{question.pk}"
            if field is not None:
                self.fields[name] = field
                if question.required:
                    field.widget.attrs["aria-required"] = "true"
                if question.key in self.saved:
                    self.initial[name] = to_initial(question, self.saved[question.key])
                if question.allow_other and question.kind in (
                    Question.Kind.SINGLE,
                    Question.Kind.MULTIPLE,
                ):
                    self.fields[f"{name}_other"] = forms.CharField(
                        label=gettext("Other (write it)"), required=False, max_length=500
                    )
                    self.initial[f"{name}_other"] = self.saved.get(f"{question.key}_other", "")
            self.items.append({"question": question, "name": name})
        if survey.is_anonymous:
            self.fields["county"] = forms.ModelChoiceField(
                label=_("Your county (optional)"),
                queryset=County.objects.order_by("name"),
                required=False,
                help_text=_(
                    "Only used to count the answers by county; "
                    "groups of fewer than 5 are never shown."
                ),
            )

    def field_items(self):
        """(question, bound field, bound "other" field, the condition in words) in
        order, for the template."""
        by_pk = {q.pk: q for q in self.questions}
        for item in self.items:
            name = item["name"]
            question = item["question"]
            condition = by_pk.get(question.condition_question_id)
            condition_text = ""
            if condition is not None:
                value = dict(condition.value_choices(self.language)).get(
                    question.condition_value, question.condition_value
                )
                condition_text = gettext("Only if the answer to “%(question)s” is “%(value)s”.") % {
                    "question": translated(condition.text, self.language),
                    "value": value,
                }
            yield {
                "question": question,
                "text": translated(question.text, self.language),
                "help": translated(question.help_text, self.language),
                "field": self[name] if name in self.fields else None,
                "other": self[f"{name}_other"] if f"{name}_other" in self.fields else None,
                "condition": condition_text,
            }

    def raw_answers(self) -> dict:
        answers = {}
        for question in self.questions:
            name = f"q{question.pk}"
            if name not in self.cleaned_data:
                continue
            value = self.cleaned_data[name]
            if question.kind == Question.Kind.FILE:
                if value:
                    if value.size > FILE_MAX_BYTES:
                        self.add_error(name, gettext("The file is larger than 5 MB."))
                        continue
                    answers[question.key] = value  # an UploadedFile: the service stores it
                elif question.key in self.saved:
                    answers[question.key] = self.saved[question.key]
                continue
            answers[question.key] = to_json(question, value)
            other = self.cleaned_data.get(f"{name}_other")
            if other:
                answers[f"{question.key}_other"] = other
        return answers

    def answers(self, *, complete: bool) -> dict | None:
        """The answers to store, or None (with the errors on the form)."""
        answers = self.raw_answers()
        if self.errors:
            return None
        try:
            return answer_rules.prune(self.questions, answers, complete=complete)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field, messages)
            return None

    def conditions(self) -> dict:
        """What surveys-form.js needs to hide and show the questions."""
        return {
            "questions": [
                {
                    "id": q.pk,
                    "section": q.is_section,
                    "on": q.condition_question_id,
                    "value": q.condition_value,
                }
                for q in self.questions
            ]
        }


def language_of(request, survey: Survey | None = None) -> str:
    """The language of the author's texts on a page: the reader's, or Hungarian when the
    questionnaire has a Hungarian version and the reader asked for it (`?lang=hu`)."""
    if survey is not None and request.GET.get("lang") == "hu" and survey.title.get("hu"):
        return "hu"
    return (getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE)[:2]
