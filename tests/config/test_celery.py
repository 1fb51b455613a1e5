"""The broker shim of config/celery.py (issue 18): closing a channel whose connection was already
collected raises a connection error, which the worker's reconnect loop handles, instead of the
AttributeError that killed the worker on a Redis restart. The drill itself (a real worker, a real
Redis killed and restarted) is tests/reliability/test_drills.py."""

from __future__ import annotations

import pytest
import redis
from kombu.transport import redis as kombu_redis

import config.celery  # noqa: F401  (installs the shim)


def test_a_collected_connection_raises_a_connection_error_not_an_attribute_error():
    class Collected:
        client = None

    channel = kombu_redis.Channel.__new__(kombu_redis.Channel)
    channel.connection = Collected()
    with pytest.raises(redis.exceptions.ConnectionError):
        channel._connparams()
    assert redis.exceptions.ConnectionError in kombu_redis.Transport.connection_errors


def _record(exc: BaseException):
    import logging
    import sys

    try:
        raise exc
    except BaseException:
        return logging.LogRecord("celery.app.trace", logging.ERROR, __file__, 1,
                                 "Task %s raised unexpected: %r", ("x", exc), sys.exc_info())


def test_a_task_failed_by_an_outage_is_logged_without_its_traceback():
    from django.db import OperationalError

    record = _record(OperationalError("connection refused"))
    assert config.celery.OutageInOneLine().filter(record) is True
    assert record.exc_info is None
    assert "OperationalError" in record.getMessage()


def test_any_other_task_failure_keeps_its_traceback():
    record = _record(ValueError("a bug"))
    assert config.celery.OutageInOneLine().filter(record) is True
    assert record.exc_info is not None


def test_an_outage_deeper_in_the_chain_counts_too():
    from celery.beat import SchedulingError

    try:
        try:
            raise redis.exceptions.ConnectionError("Error 111 connecting")
        except redis.exceptions.ConnectionError as exc:
            raise SchedulingError("Couldn't apply scheduled task heartbeat") from exc
    except SchedulingError as exc:
        record = _record(exc)
    assert config.celery.OutageInOneLine().filter(record) is True
    assert record.exc_info is None
