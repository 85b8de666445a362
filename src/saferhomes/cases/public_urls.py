"""Public case pages with no account: the satisfaction survey by private link (included at /survey/)."""

from django.urls import path

from saferhomes.cases.views import survey

app_name = "survey"

urlpatterns = [
    path("thanks/", survey.survey_thanks, name="thanks"),
    path("<str:token>/", survey.SurveyAnswerView.as_view(), name="answer"),
]
