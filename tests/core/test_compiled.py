"""apps.core.compiled: a queryset shape compiled once, run with new values, must send the ORM's
own statement and give back what the ORM gives (values converted, related rows attached), on
SQLite and on PostgreSQL alike (the suite runs on both)."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models.functions import Length
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken

from apps.core.compiled import CompiledQuery
from apps.quiz.models import QuizAttempt
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def _fields(obj) -> dict:
    return {k: v for k, v in obj.__dict__.items() if not k.startswith("_")}


def _tokens_query() -> CompiledQuery:
    return CompiledQuery(lambda key: AuthToken.objects.filter(token_key=key)
                         .select_related("user").order_by("pk"), "\x1fkey-marker\x1f")


def test_it_returns_what_the_orm_returns_with_the_related_rows_attached():
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    token_a = AuthToken.objects.create(user=alice)[0]
    AuthToken.objects.create(user=bob)
    query = _tokens_query()
    for token in (token_a, AuthToken.objects.get(user=bob)):
        found = query.fetch(token.token_key)
        expected = list(AuthToken.objects.filter(token_key=token.token_key)
                        .select_related("user").order_by("pk"))
        assert [_fields(t) for t in found] == [_fields(t) for t in expected]
        with CaptureQueriesContext(connection) as ctx:  # the user came with the token
            assert [_fields(t.user) for t in found] == [_fields(t.user) for t in expected]
        assert len(ctx) == 0
    assert query.fetch("no-such-key") == []


def test_it_sends_the_orm_statement_with_the_new_values():
    token = AuthToken.objects.create(user=UserFactory())[0]
    query = _tokens_query()
    query.fetch("warm-up")  # compiled on first use
    with CaptureQueriesContext(connection) as ours:
        query.fetch(token.token_key)
    with CaptureQueriesContext(connection) as orm:
        list(AuthToken.objects.filter(token_key=token.token_key).select_related("user")
             .order_by("pk"))
    assert [q["sql"] for q in ours.captured_queries] == [q["sql"] for q in orm.captured_queries]


def test_it_converts_uuids_datetimes_and_annotations_as_the_orm_does():
    user = UserFactory()
    attempt = QuizAttempt.objects.create(user=user, seconds_per_question=20)
    query = CompiledQuery(lambda public_id, user_id: QuizAttempt.objects.filter(
        public_id=public_id, user_id=user_id).annotate(label_length=Length("focus_label")),
        uuid.UUID("00000000-0000-4000-8000-0000000000aa"), 2_000_000_003)
    (found,) = query.fetch(attempt.public_id, user.pk)
    expected = QuizAttempt.objects.annotate(label_length=Length("focus_label")).get(
        pk=attempt.pk)
    assert _fields(found) == _fields(expected)
    assert isinstance(found.public_id, uuid.UUID) and found.created_at.tzinfo is not None
    assert found.label_length == len("Mixed")
    # A string form of the UUID finds the same row; another owner finds nothing.
    assert [a.pk for a in query.fetch(str(attempt.public_id), user.pk)] == [attempt.pk]
    assert query.fetch(attempt.public_id, user.pk + 1) == []


@pytest.mark.django_db(transaction=True)  # autocommit outside atomic(), as in production
def test_a_locking_query_runs_only_inside_a_transaction():
    user = UserFactory()
    query = CompiledQuery(lambda pk: User.objects.select_for_update().filter(pk=pk),
                          2_000_000_004)
    with pytest.raises(TransactionManagementError):  # not even compiled outside atomic()
        query.fetch(user.pk)
    with transaction.atomic():
        assert [u.pk for u in query.fetch(user.pk)] == [user.pk]
    with pytest.raises(TransactionManagementError):  # nor run outside it once compiled
        query.fetch(user.pk)


def test_it_refuses_markers_it_cannot_place():
    with pytest.raises(ValueError, match="distinct"):
        CompiledQuery(lambda a, b: User.objects.filter(pk__in=[a, b]), 7, 7)
    unused = CompiledQuery(lambda pk: User.objects.all(), 2_000_000_005)
    with pytest.raises(ValueError, match="appears 0 times"):
        unused.fetch(1)
    twice = CompiledQuery(lambda pk: User.objects.filter(pk=pk) | User.objects.filter(id=pk),
                          2_000_000_006)
    with pytest.raises(ValueError, match="appears 2 times"):
        twice.fetch(1)
    with pytest.raises(TypeError, match="expected 1 values"):
        _tokens_query().fetch("a", "b")


def test_a_values_queryset_gives_the_dicts_the_orm_gives():
    users = [UserFactory(username=name) for name in ("ann", "ben")]
    query = CompiledQuery(lambda pk: User.objects.filter(pk__gte=pk).order_by("pk").values(
        "id", "username", "date_joined"), 2_000_000_007)
    expected = list(User.objects.filter(pk__gte=users[0].pk).order_by("pk").values(
        "id", "username", "date_joined"))
    assert query.fetch(users[0].pk) == expected and len(expected) == 2


def test_it_refuses_a_queryset_shape_it_does_not_build():
    flat = CompiledQuery(lambda pk: User.objects.filter(pk=pk).values_list("pk", flat=True),
                         2_000_000_008)
    with pytest.raises(TypeError, match="model instances or .values"):
        flat.fetch(1)
