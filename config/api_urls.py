"""Everything under /api/v1/."""

from django.urls import include, path

from apps.accounts import api as accounts_api
from apps.bank import api as bank_api
from apps.cohorts import api as cohorts_api
from apps.insights import api as insights_api
from apps.live import api as live_api
from apps.matches import api as matches_api
from apps.packs import api as packs_api
from apps.quiz import api as quiz_api
from apps.skills import api as skills_api

urlpatterns = [
    path("auth/token/", accounts_api.token, name="api-token"),
    path("me/", accounts_api.me, name="api-me"),
    path("resources/", bank_api.resource_list, name="api-resources"),
    path("topics/", bank_api.topic_list, name="api-topics"),
    path("quizzes/", quiz_api.quiz_list, name="api-quizzes"),
    path("quizzes/<uuid:quiz_id>/", quiz_api.quiz_detail, name="api-quiz"),
    path("quizzes/<uuid:quiz_id>/answers/", quiz_api.quiz_answer, name="api-quiz-answers"),
    path("quizzes/<uuid:quiz_id>/next/", quiz_api.quiz_next, name="api-quiz-next"),
    path("quizzes/<uuid:quiz_id>/results/", quiz_api.quiz_results, name="api-quiz-results"),
    path("live/", live_api.game_create, name="api-live"),
    path("live/join/", live_api.game_join, name="api-live-join"),
    path("live/<uuid:game_id>/", live_api.game_detail, name="api-live-game"),
    path("live/<uuid:game_id>/report/", live_api.game_report, name="api-live-report"),
    path("live/<uuid:game_id>/play/", live_api.game_play, name="api-live-play"),
    path("live/<uuid:game_id>/answers/", live_api.game_answer, name="api-live-answers"),
    path("live/<uuid:game_id>/ticket/", live_api.game_ticket, name="api-live-ticket"),
    path("live/<uuid:game_id>/players/<int:player_id>/remove/", live_api.player_remove,
         name="api-live-remove"),
    path("live/<uuid:game_id>/<str:action>/", live_api.game_control, name="api-live-control"),
    path("matches/queue/", matches_api.queue, name="api-match-queue"),
    path("matches/challenges/", matches_api.challenge_create, name="api-challenges"),
    path("matches/challenges/<str:code>/accept/", matches_api.challenge_accept,
         name="api-challenge-accept"),
    path("matches/bot/", matches_api.bot, name="api-match-bot"),
    path("matches/rating/", matches_api.rating, name="api-match-rating"),
    path("matches/<uuid:match_id>/", matches_api.detail, name="api-match"),
    path("matches/<uuid:match_id>/answers/", matches_api.answer, name="api-match-answers"),
    path("matches/<uuid:match_id>/claim/", matches_api.claim, name="api-match-claim"),
    path("matches/<uuid:match_id>/ticket/", matches_api.ticket, name="api-match-ticket"),
    path("me/skills/", skills_api.my_skills, name="api-my-skills"),
    path("me/history/", skills_api.my_history, name="api-my-history"),
    path("me/review/", skills_api.my_review, name="api-my-review"),
    path("leaderboards/<str:kind>/", skills_api.leaderboard, name="api-leaderboard"),
    path("curation/", include("apps.curation.api_urls")),
    path("packs/imports/", packs_api.import_create, name="api-pack-imports"),
    path("packs/imports/<uuid:public_id>/", packs_api.import_detail, name="api-pack-import"),
    path("packs/imports/<uuid:public_id>/apply/", packs_api.import_apply,
         name="api-pack-import-apply"),
    path("packs/export/", packs_api.export, name="api-pack-export"),
    path("packs/export/preview/", packs_api.export_preview_detail,
         name="api-pack-export-preview"),
    path("insights/questions/", insights_api.question_list, name="api-insights"),
    path("insights/questions/<slug:slug>/", insights_api.question_detail,
         name="api-insights-question"),
    path("cohorts/", cohorts_api.cohort_list, name="api-cohorts"),
    path("cohorts/join/", cohorts_api.join, name="api-cohort-join"),
    path("cohorts/<int:cohort_id>/", cohorts_api.cohort_detail, name="api-cohort"),
    path("cohorts/<int:cohort_id>/assignments/", cohorts_api.assignment_create,
         name="api-cohort-assignments"),
]
