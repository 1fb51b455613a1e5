from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from apps.bank.bankfile import read_bank
from apps.bank.models import Choice, Question, QuestionVersion, Resource, Topic
from apps.bank.services import version_create
from tests.bank.test_bankfile import VALID
from tests.factories import FIXTURE_BANK, write_bank

pytestmark = pytest.mark.django_db


def load(path, *args) -> str:
    out = io.StringIO()
    call_command("loadbank", str(path), *args, stdout=out, stderr=out)
    return out.getvalue()


def test_it_loads_the_fixture_bank_as_published_questions():
    output = load(FIXTURE_BANK)
    assert "6 created" in output
    assert Question.objects.filter(status=Question.Status.PUBLISHED).count() == 6
    question = Question.objects.get(slug="hub-risks-fixture-defences")
    version = question.current_version
    assert version.number == 1
    assert [t.slug for t in version.topics.order_by("slug")] == ["hub-risks", "model-provenance"]
    assert version.main_topic.slug == "hub-risks"
    assert list(version.choices.values_list("is_correct", flat=True)) == [True, True, False]
    assert version.citations.get().resource.slug == "hf-security-docs"


def test_it_is_idempotent():
    load(FIXTURE_BANK)
    counts = (Question.objects.count(), QuestionVersion.objects.count(), Choice.objects.count())
    output = load(FIXTURE_BANK)
    assert "0 created, 0 updated, 6 unchanged" in output
    assert counts == (Question.objects.count(), QuestionVersion.objects.count(),
                      Choice.objects.count())


def test_it_versions_a_changed_question_and_keeps_the_old_version(tmp_path):
    write_bank(tmp_path, VALID)
    load(tmp_path)
    first = Question.objects.get().current_version
    write_bank(tmp_path, VALID.replace("What does the header hold?", "What does a header hold?"))
    output = load(tmp_path)
    assert "1 updated" in output
    question = Question.objects.get()
    assert question.current_version.number == 2
    assert question.current_version.stem.startswith("What does a header hold?")
    first.refresh_from_db()
    assert first.stem.startswith("What does the header hold?")
    assert first.choices.count() == 2  # old attempts keep pointing at intact choices


def test_it_loads_nothing_when_any_file_is_broken(tmp_path):
    write_bank(tmp_path, VALID)
    (tmp_path / "broken.yaml").write_text(
        VALID.replace("serialization-sample-question", "serialization-other")
        .replace("slug: safetensors", "slug: nowhere"))
    with pytest.raises(CommandError, match="nothing was loaded"):
        load(tmp_path)
    assert Question.objects.count() == 0
    assert Topic.objects.count() == 0 and Resource.objects.count() == 0


def test_it_prints_file_line_errors(tmp_path, capsys):
    write_bank(tmp_path, VALID.replace("type: single", "type: essay"))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("loadbank", str(tmp_path), stdout=io.StringIO(), stderr=err)
    assert f"{tmp_path / 'questions.yaml'}:2: question 'serialization-sample-question': type " \
           "must be one of" in err.getvalue()


def test_it_skips_a_question_changed_in_the_site_unless_forced(tmp_path):
    write_bank(tmp_path, VALID)
    load(tmp_path)
    question = Question.objects.get()
    # An instructor edits the question in the site.
    edited = read_bank(tmp_path).questions[0]
    from dataclasses import replace

    site_version = version_create(
        question=question, data=replace(edited, stem="Edited in the site\n"),
        topics={t.slug: t for t in Topic.objects.all()},
        resources={r.slug: r for r in Resource.objects.all()},
    )
    write_bank(tmp_path, VALID.replace("What does the header hold?", "Changed in the repo?"))
    output = load(tmp_path)
    assert "conflict: serialization-sample-question" in output
    question.refresh_from_db()
    assert question.current_version == site_version
    output = load(tmp_path, "--force")
    assert "overwritten: serialization-sample-question" in output
    question.refresh_from_db()
    assert question.current_version.stem.startswith("Changed in the repo?")
    assert question.versions.count() == 3


def test_it_keeps_a_retired_status_from_the_file(tmp_path):
    write_bank(tmp_path, VALID + "  status: retired\n")
    load(tmp_path)
    assert Question.objects.get().status == Question.Status.RETIRED


def test_a_dry_run_changes_nothing():
    output = load(FIXTURE_BANK, "--dry-run")
    assert "would load 6 questions" in output
    assert Question.objects.count() == 0


def test_the_shipped_bank_loads():
    from django.conf import settings

    output = load(settings.BANK_DIR)
    assert "0 conflicts" in output
    assert Question.objects.filter(status=Question.Status.PUBLISHED).count() >= 20


def test_it_stores_each_versions_atlas_ids_as_rows_for_filtering(tmp_path):
    from apps.bank.models import AtlasReference
    from tests.factories import load_small_bank_with_atlas

    load_small_bank_with_atlas(tmp_path, {"serialization-fixture-reduce":
                                          ["AML.T0010.003", "AML.T0011.000", "AML.M0014"]})
    version = Question.objects.get(slug="serialization-fixture-reduce").current_version
    assert list(version.atlas_refs.values_list("atlas_id", flat=True)) == [
        "AML.T0010.003", "AML.T0011.000", "AML.M0014"]
    assert version.content["atlas"] == ["AML.T0010.003", "AML.T0011.000", "AML.M0014"]
    assert AtlasReference.objects.count() == 3


def test_the_migration_backfills_atlas_rows_from_existing_versions(tmp_path):
    from importlib import import_module

    from django.apps import apps as django_apps

    from apps.bank.models import AtlasReference
    from tests.factories import load_small_bank_with_atlas

    load_small_bank_with_atlas(tmp_path, {"serialization-fixture-reduce": ["AML.T0010.003"],
                                          "hub-risks-fixture-defences": ["AML.M0014",
                                                                         "AML.CS0031"]})
    AtlasReference.objects.all().delete()  # as before the migration
    import_module("apps.bank.migrations.0004_atlas_reference").backfill(django_apps, None)
    assert sorted(AtlasReference.objects.values_list("version__question__slug", "atlas_id",
                                                     "position")) == [
        ("hub-risks-fixture-defences", "AML.CS0031", 1),
        ("hub-risks-fixture-defences", "AML.M0014", 0),
        ("serialization-fixture-reduce", "AML.T0010.003", 0)]
