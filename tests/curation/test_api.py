from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.bank.models import Question
from apps.curation.models import Report
from apps.curation.services import question_create

pytestmark = pytest.mark.django_db

BASE = "/api/v1/curation"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.parametrize("method,url", [
    ("get", "/questions/"), ("post", "/questions/"),
    ("get", "/questions/serialization-fixture-reduce/"),
    ("put", "/questions/serialization-fixture-reduce/"),
    ("post", "/questions/serialization-fixture-reduce/transitions/"),
    ("get", "/questions/serialization-fixture-reduce/versions/"),
    ("get", "/questions/serialization-fixture-reduce/diff/?old=1&new=1"),
    ("get", "/reports/"), ("post", "/reports/1/"), ("get", "/audit/"),
])
def test_it_hides_instructor_endpoints(small_bank, world, method, url):
    assert getattr(api(world["learner"]), method)(BASE + url, {}, format="json").status_code == 404
    assert getattr(api(), method)(BASE + url, {}, format="json").status_code == 401


def test_it_creates_retrieves_and_updates_a_question(small_bank, world, item):
    client = api(world["instructor"])
    response = client.post(f"{BASE}/questions/", item, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["id"], body["status"], body["version"]) == (item["id"], "draft", 1)
    assert body["content"]["choices"][0]["correct"] is True
    item["stem"] = "A new stem?"
    response = client.put(f"{BASE}/questions/{item['id']}/", item, format="json")
    assert response.status_code == 200 and response.json()["version"] == 2
    versions = client.get(f"{BASE}/questions/{item['id']}/versions/").json()["results"]
    assert [v["number"] for v in versions] == [2, 1]
    assert versions[0]["created_by"] == "instructor"
    diff = client.get(f"{BASE}/questions/{item['id']}/diff/", {"old": 1, "new": 2}).json()
    assert "+  A new stem?" in diff["diff"]
    listing = client.get(f"{BASE}/questions/", {"status": "draft"}).json()
    assert [q["id"] for q in listing["results"]] == [item["id"]]
    assert client.get(f"{BASE}/questions/", {"q": "new stem"}).json()["count"] == 1


def test_it_returns_field_errors_and_creates_nothing(small_bank, world, item):
    client = api(world["instructor"])
    item["choices"] = [{"text": "Only one", "correct": True}]
    response = client.post(f"{BASE}/questions/", item, format="json")
    assert response.status_code == 400
    assert "choices" in response.json()["errors"]
    response = client.post(f"{BASE}/questions/", {"topics": [{"a": 1}], "choices": "x"},
                           format="json")
    assert response.status_code == 400
    assert not Question.objects.filter(slug__startswith="dataset-poisoning").exists()


def test_the_api_refuses_self_approval_and_allows_a_second_reviewer(small_bank, world, item,
                                                                    reviewer):
    question_create(user=world["instructor"], item=item)
    url = f"{BASE}/questions/{item['id']}/transitions/"
    author = api(world["instructor"])
    assert author.post(url, {"action": "submit"}, format="json").json() == {
        "id": item["id"], "status": "review", "changed": True}
    response = author.post(url, {"action": "approve"}, format="json")
    assert response.status_code == 409 and "another instructor" in response.json()["detail"]
    assert author.post(url, {"action": "fly"}, format="json").status_code == 400
    response = api(reviewer).post(url, {"action": "approve"}, format="json")
    assert response.json() == {"id": item["id"], "status": "published", "changed": True}
    response = api(reviewer).post(url, {"action": "approve"}, format="json")
    assert response.json()["changed"] is False
    events = api(reviewer).get(f"{BASE}/audit/").json()["results"]
    assert [e["action"] for e in events if e["question"] == item["id"]] == [
        "approve", "submit", "create"]
    create = next(e for e in events if e["question"] == item["id"] and e["action"] == "create")
    assert create["data"] == {"origin": "editor"}


def test_reports_through_the_api(answered, world):
    quiz = str(answered.attempt.public_id)
    learner = api(world["learner"])
    response = learner.post(f"{BASE}/reports/", {"quiz": quiz, "question": 1, "kind": "typo",
                                                 "comment": "Teh"}, format="json")
    assert response.status_code == 201
    assert learner.post(f"{BASE}/reports/", {"quiz": quiz, "question": 1, "kind": "typo",
                                             "comment": "Teh"}, format="json").status_code == 409
    assert api(world["other_learner"]).post(
        f"{BASE}/reports/", {"quiz": quiz, "question": 1, "kind": "typo", "comment": "x"},
        format="json").status_code == 404
    assert learner.post(f"{BASE}/reports/", {"quiz": quiz, "question": 2, "kind": "typo",
                                             "comment": "x"}, format="json").status_code == 404
    report = Report.objects.get()
    instructor = api(world["instructor"])
    queue = instructor.get(f"{BASE}/reports/").json()["results"]
    assert [r["id"] for r in queue] == [report.pk]
    response = instructor.post(f"{BASE}/reports/{report.pk}/",
                               {"state": "resolved", "note": "Fixed."}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "resolved"
    assert instructor.post(f"{BASE}/reports/{report.pk}/", {"state": "dismissed", "note": "n"},
                           format="json").status_code == 409
    mine = learner.get(f"{BASE}/reports/mine/").json()["results"]
    assert [(r["state"], r["note"]) for r in mine] == [("resolved", "Fixed.")]
    assert api(world["other_learner"]).get(f"{BASE}/reports/mine/").json()["results"] == []


def test_it_searches_by_atlas_id(world, tmp_path):
    from tests.factories import load_small_bank_with_atlas

    load_small_bank_with_atlas(tmp_path, {"serialization-fixture-reduce": ["AML.T0010.003"]})
    listing = api(world["instructor"]).get(f"{BASE}/questions/", {"atlas": "AML.T0010"}).json()
    assert [q["id"] for q in listing["results"]] == ["serialization-fixture-reduce"]
