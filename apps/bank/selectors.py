"""Reads from the question bank. Learners are only ever served questions through
`published_versions()`."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet

from apps.bank.models import AtlasReference, Question, QuestionVersion, Resource, Topic


def atlas_match(atlas_id: str, *, through: str = "") -> Q:
    """Versions about `atlas_id`; a technique also matches its sub-techniques (AML.T0010 finds
    AML.T0010.003). `through` is the path to the version, e.g. "current_version__"."""
    field = f"{through}atlas_refs__atlas_id"
    match = Q(**{field: atlas_id})
    if atlas_id.count(".") == 1 and atlas_id.startswith("AML.T"):
        match |= Q(**{f"{field}__startswith": atlas_id + "."})
    return match


def published_versions(
    *, topic: str | None = None, resource: str | None = None, difficulty: int | None = None,
    atlas: str | None = None,
) -> QuerySet[QuestionVersion]:
    """The current versions of published questions, optionally narrowed to a focus."""
    qs = QuestionVersion.objects.filter(
        question__status=Question.Status.PUBLISHED, question__current_version=F("id")
    )
    if topic:
        qs = qs.filter(topics__slug=topic)
    if resource:
        qs = qs.filter(citations__resource__slug=resource)
    if difficulty:
        qs = qs.filter(difficulty=difficulty)
    if atlas:
        qs = qs.filter(atlas_match(atlas))
    return qs.distinct()


def atlas_ids_in_use() -> list[str]:
    """ATLAS ids of published questions, with the parent technique of each sub-technique
    (a learner may want every AI Supply Chain Compromise question), sorted."""
    ids = set(AtlasReference.objects.filter(
        version__question__status=Question.Status.PUBLISHED,
        version__question__current_version=F("version")).values_list("atlas_id", flat=True))
    ids |= {i.rsplit(".", 1)[0] for i in ids if i.count(".") == 2}
    return sorted(ids)


def resources_with_counts() -> QuerySet[Resource]:
    """Curated resources with how many published questions cite them."""
    return Resource.objects.annotate(
        question_count=Count(
            "citations__version",
            filter=Q(citations__version__question__status=Question.Status.PUBLISHED)
            & Q(citations__version__question__current_version=F("citations__version")),
            distinct=True,
        )
    ).order_by("position", "slug")  # Meta.ordering does not apply to aggregate queries


def topics_with_counts() -> QuerySet[Topic]:
    """Topics with how many published questions they cover."""
    return Topic.objects.annotate(
        question_count=Count(
            "question_versions",
            filter=Q(question_versions__question__status=Question.Status.PUBLISHED)
            & Q(question_versions__question__current_version=F("question_versions")),
            distinct=True,
        )
    ).order_by("position", "slug")


def atlas_coverage() -> dict:
    """Published questions per MITRE ATLAS id (one query): each technique counts the questions
    citing it or one of its sub-techniques. `{"rows": [{"entry", "count", "depth"}], "tagged",
    "total"}`, techniques first with their sub-techniques under them, then mitigations and case
    studies."""
    from apps.bank import atlas

    published = QuestionVersion.objects.filter(question__status=Question.Status.PUBLISHED,
                                               question__current_version=F("id"))
    pairs = list(AtlasReference.objects.filter(version__in=published)
                 .values_list("atlas_id", "version_id"))
    versions: dict[str, set[int]] = {}
    for atlas_id, version_id in pairs:
        versions.setdefault(atlas_id, set()).add(version_id)
        if atlas_id.count(".") == 2:  # a sub-technique counts for its technique too
            versions.setdefault(atlas_id.rsplit(".", 1)[0], set()).add(version_id)
    order = {"technique": 0, "sub-technique": 0, "mitigation": 1, "case-study": 2}
    rows = [{"entry": e, "count": len(versions[e.id]), "depth": e.id.count(".") - 1}
            for e in atlas.entries_for(sorted(versions, key=lambda i: (order[atlas.kind_of(i)], i)))]
    return {"rows": rows, "tagged": len({v for _, v in pairs}), "total": published.count()}
