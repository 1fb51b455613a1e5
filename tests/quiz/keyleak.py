"""The key-leak check: nothing in a response may reveal which choice of an open question is
correct: no explanation, no misconception, no correctness marker in attributes, JSON or comments."""

from __future__ import annotations

import json
import re

from apps.quiz.models import AttemptQuestion

ATTRIBUTE_MARKER = re.compile(r"""(class|data-[a-z-]+|aria-label)\s*=\s*["'][^"']*(correct|key\b)""",
                              re.I)


def assert_no_key_leak(body: bytes | str, open_question: AttemptQuestion) -> None:
    text = body.decode() if isinstance(body, bytes) else body
    version = open_question.version
    explanation = version.explanation.strip()
    assert explanation[:60] not in text, "explanation leaked"
    for choice in version.choices.all():
        if choice.misconception:
            assert choice.misconception not in text, "misconception leaked"
    for comment in re.findall(r"<!--(.*?)-->", text, re.S):
        assert "correct" not in comment.lower()
    assert not ATTRIBUTE_MARKER.search(text), ATTRIBUTE_MARKER.search(text).group(0)
    if text.lstrip().startswith("{"):
        data = json.loads(text)
        current = data.get("current") or {}
        if current.get("number") == open_question.number:
            assert current.get("result") is None
            for choice in current.get("choices", []):
                assert set(choice) == {"key", "text"}
        for result in data.get("results", []):
            assert result["number"] != open_question.number
