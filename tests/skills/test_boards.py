"""Leaderboards of other apps reach the skills pages through apps.skills.boards, so the skills
app (a lower layer) does not import apps.matches. (Its views still import apps.quiz to start a
review quiz: a door, not a read.)"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from apps.skills import boards, selectors

HIGHER = ("apps.matches", "apps.live")


def test_the_skills_app_imports_neither_matches_nor_live():
    found = []
    for path in (Path(__file__).resolve().parents[2] / "apps" / "skills").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [(path.name, n) for n in names if n.startswith(HIGHER)]
    assert found == []


def test_the_rating_boards_are_registered_before_the_topics(db):
    kinds = [k["kind"] for k in selectors.leaderboard_kinds([])]
    assert kinds[:2] == ["rating", "rating-week"]


def test_a_topic_board_cannot_be_registered_by_another_app():
    with pytest.raises(ValueError):
        boards.register(boards.Board("topic-x", "X", "points", lambda **_: []))
    assert boards.get("topic-x") is None
