"""Celery is just another door onto the services: tasks take ids, load rows, call a service."""

import logging
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _survive_broker_restarts() -> None:
    """Keep the worker alive when Redis restarts (issue 18).

    With celery 5.7.0 / kombu 5.7.0 the worker died on a Redis restart whenever it held an
    unacknowledged message (a countdown task waiting for its time, or a task running under
    acks_late): on "Connection to broker lost" the consumer first `collect()`s the connection,
    which detaches the transport (`transport.client = None`), and then `close()`s it; closing the
    channel tries to put the unacknowledged messages back, which needs a new Redis client, whose
    parameters are read from `transport.client.hostname`: "Unrecoverable error: AttributeError:
    'NoneType' object has no attribute 'hostname'". Only connection errors are ignored there.

    Raising a connection error instead lets the consumer's own reconnect loop take over. The
    messages stay in Redis's unacked set and come back after the visibility timeout; work that
    must happen does not depend on them anyway (apps.core.outbox, the sweeps).
    Remove once the pinned kombu/celery no longer close a collected connection.
    """
    from kombu.transport import redis as kombu_redis

    if kombu_redis.redis is None or getattr(kombu_redis.Channel, "_arena_patched", False):
        return
    original = kombu_redis.Channel._connparams

    def _connparams(self, asynchronous=False):
        if self.connection is None or self.connection.client is None:
            raise kombu_redis.redis.exceptions.ConnectionError(
                "the broker connection was already closed")
        return original(self, asynchronous=asynchronous)

    kombu_redis.Channel._connparams = _connparams
    kombu_redis.Channel._arena_patched = True


_survive_broker_restarts()


class OutageInOneLine(logging.Filter):
    """A task that fails because the database or Redis is down is logged in one line (Celery's
    "Task ... raised unexpected: OperationalError(...)"), and so is a beat entry that could not
    be sent, not with a traceback each: while PostgreSQL or Redis is down every sweep, heartbeat
    and countdown fails the same way, and each is recovered (the next sweep, the outbox). An
    outage anywhere in the exception's chain counts; other failures keep their traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            from apps.core.errors import is_outage

            exc, depth = record.exc_info[1], 0
            while exc is not None and depth < 8:
                if is_outage(exc):
                    record.exc_info = None
                    record.exc_text = None
                    break
                exc, depth = exc.__cause__ or exc.__context__, depth + 1
        return True


for _name in ("celery.app.trace", "celery.beat"):
    logging.getLogger(_name).addFilter(OutageInOneLine())
