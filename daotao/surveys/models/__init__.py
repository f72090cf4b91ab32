"""The surveys app's records: the evaluation of training (evaluation.py) and the career
outcomes of graduates (career.py)."""

from daotao.surveys.models.evaluation import (
    ANSWER_TEXT_MAX,
    FEWEST_ANSWERS_SHOWN,
    PERCENT,
    Answer,
    Audience,
    EvaluationRules,
    Invitation,
    InvitationQuerySet,
    Phase,
    Question,
    QuestionKind,
    Questionnaire,
    QuestionnaireVersion,
    Response,
    RoundQuerySet,
    SealedResponse,
    Section,
    Subject,
    SurveyRound,
    default_bands,
)

# isort: split
# The career events after the evaluation: the models register (``apps.get_models``, the
# order of a backup) as they did when both were one module.
from daotao.surveys.models.career import ADVANCEMENT_KINDS, CareerEvent, CareerEventKind, CareerEventQuerySet

__all__ = [
    "ADVANCEMENT_KINDS",
    "ANSWER_TEXT_MAX",
    "FEWEST_ANSWERS_SHOWN",
    "PERCENT",
    "Answer",
    "Audience",
    "CareerEvent",
    "CareerEventKind",
    "CareerEventQuerySet",
    "EvaluationRules",
    "Invitation",
    "InvitationQuerySet",
    "Phase",
    "Question",
    "QuestionKind",
    "Questionnaire",
    "QuestionnaireVersion",
    "Response",
    "RoundQuerySet",
    "SealedResponse",
    "Section",
    "Subject",
    "SurveyRound",
    "default_bands",
]
