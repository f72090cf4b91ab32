"""The form a respondent fills: one field per question of the round's version."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _

from daotao.surveys.models import ANSWER_TEXT_MAX, Question, QuestionKind


class ScaleSelect(forms.RadioSelect):
    template_name = "surveys/widgets/scale.html"


def _field(question: Question) -> forms.Field:
    common = {"label": question.text, "required": question.required}
    if question.kind == QuestionKind.RATING:
        scale = [(str(score), str(score)) for score in range(question.scale_min, question.scale_max + 1)]
        return forms.TypedChoiceField(choices=scale, coerce=int, empty_value=None, widget=ScaleSelect, **common)
    if question.kind == QuestionKind.SINGLE:
        options = [(str(index), text) for index, text in enumerate(question.choices)]
        return forms.TypedChoiceField(choices=options, coerce=int, empty_value=None, widget=forms.RadioSelect, **common)
    if question.kind == QuestionKind.MULTIPLE:
        options = [(str(index), text) for index, text in enumerate(question.choices)]
        return forms.TypedMultipleChoiceField(
            choices=options, coerce=int, widget=forms.CheckboxSelectMultiple, **common
        )
    if question.kind == QuestionKind.NUMBER:
        return forms.DecimalField(
            max_digits=12,
            decimal_places=2,
            localize=True,
            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            **common,
        )
    return forms.CharField(max_length=ANSWER_TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}), **common)


class AnswerForm(forms.Form):
    def __init__(self, questions: list[Question], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            field = _field(question)
            if question.required:
                field.error_messages["required"] = _("Please answer this question.")
            self.fields[f"q{question.pk}"] = field

    def sections(self):
        """(section title or "", [bound fields]) in the questionnaire's order."""
        groups: list[tuple[str, list]] = []
        for question in self.questions:
            title = question.section.title if question.section_id else ""
            if not groups or groups[-1][0] != title:
                groups.append((title, []))
            groups[-1][1].append(self[f"q{question.pk}"])
        return groups

    def values(self) -> dict:
        """Question id -> value, as ``services.response_submit`` takes them."""
        result = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if value in (None, "", []):
                continue
            if isinstance(value, Decimal) and question.kind == QuestionKind.RATING:
                value = int(value)
            result[question.pk] = value
        return result
