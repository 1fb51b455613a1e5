"""Celery is just another door onto the services: tasks take ids, load rows, call a service."""

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
