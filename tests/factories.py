from __future__ import annotations

from pathlib import Path

import factory
from django.conf import settings
from django.contrib.auth import get_user_model

from apps.accounts.models import Profile
from apps.accounts.services import instructor_grant
from apps.bank.bankfile import read_bank
from apps.curation.services import bank_load

PASSWORD = "correct horse battery staple"
FIXTURE_BANK = Path(__file__).parent / "fixtures" / "bank"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)
    profile = factory.RelatedFactory("tests.factories.ProfileFactory", factory_related_name="user")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ("user",)


class InstructorFactory(UserFactory):
    @factory.post_generation
    def instructor(obj, create, extracted, **kwargs):
        if create:
            instructor_grant(user=obj)


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


def write_bank(folder: Path, questions_yaml: str, name: str = "questions.yaml") -> Path:
    """A bank folder with the repository's topics and resources and the given questions."""
    folder.mkdir(parents=True, exist_ok=True)
    for registry in ("resources.yaml", "topics.yaml"):
        (folder / registry).write_text((settings.BANK_DIR / registry).read_text())
    (folder / name).write_text(questions_yaml)
    return folder


def load_small_bank():
    return bank_load(bank=read_bank(FIXTURE_BANK))


HANDS_ON_BANK = FIXTURE_BANK.parent / "bank-hands-on"


def load_hands_on_bank():
    """Two "find the line" questions (one key line, two key lines) and one "order the steps"
    (tests/fixtures/bank-hands-on), loaded through the service."""
    return bank_load(bank=read_bank(HANDS_ON_BANK))


def load_small_bank_with_atlas(folder: Path, atlas: dict[str, list[str]]):
    """The fixture bank with MITRE ATLAS ids added to some of its questions, loaded through the
    service: {question id: [ATLAS ids]}."""
    import re
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    for name in ("resources.yaml", "topics.yaml"):
        shutil.copy(FIXTURE_BANK / name, folder / name)
    blocks = re.split(r"(?m)^(?=- id: )", (FIXTURE_BANK / "questions.yaml").read_text())
    out = []
    for block in blocks:
        qid = block[len("- id: "):].split("\n", 1)[0] if block.startswith("- id: ") else ""
        if qid in atlas:
            block = block.rstrip("\n") + f"\n  atlas: [{', '.join(atlas[qid])}]\n"
        out.append(block)
    (folder / "questions.yaml").write_text("".join(out))
    return bank_load(bank=read_bank(folder))
