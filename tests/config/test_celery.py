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
