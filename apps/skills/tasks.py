"""Celery is one more door onto the services: tasks take ids and call an idempotent service."""

from celery import shared_task

from apps.skills import services


@shared_task(name="skills.record_quiz_question")
def record_quiz_question_task(attempt_question_id: int) -> None:
    services.skill_record_quiz_question(attempt_question_id=attempt_question_id)


@shared_task(name="skills.record_quiz_timeouts")
def record_quiz_timeouts_task(attempt_id: int) -> None:
    services.skill_record_quiz_timeouts(attempt_id=attempt_id)


@shared_task(name="skills.record_round")
def record_round_task(round_id: int) -> None:
    services.skill_record_round(round_id=round_id)


# The two below are what record_round does; they stay registered for tasks already queued.
@shared_task(name="skills.record_match_answer")
def record_match_answer_task(round_answer_id: int) -> None:
    services.skill_record_match_answer(round_answer_id=round_answer_id)


@shared_task(name="skills.record_round_misses")
def record_round_misses_task(round_id: int) -> None:
    services.skill_record_round_misses(round_id=round_id)
