from celery import shared_task


# Sent through the outbox (apps.core.outbox): a failure raises, and the outbox runs it again with
# exponential backoff; score_send itself decides when to give up.
@shared_task(name="lti.send_score")
def send_score_task(score_id: int) -> str:
    from apps.lti.grades import score_send

    return score_send(score_id=score_id)
