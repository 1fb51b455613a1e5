import pytest

from apps.play.scoring import answer_points, speed_points, streak_bonus


@pytest.mark.parametrize(("elapsed", "limit", "points"), [
    (0, 20, 1000), (5, 20, 875), (10, 20, 750), (20, 20, 500), (25, 20, 500), (-1, 20, 1000),
    (1.0, 15, 967),
])
def test_speed_points_follow_the_kahoot_formula(elapsed, limit, points):
    assert speed_points(elapsed=elapsed, limit=limit) == points


@pytest.mark.parametrize(("streak", "bonus"), [(0, 0), (1, 0), (2, 100), (3, 200), (6, 500),
                                               (10, 500)])
def test_the_streak_bonus_grows_to_500(streak, bonus):
    assert streak_bonus(streak) == bonus


def test_the_issue_example_scores_1075():
    assert answer_points(mode="speed", correct=True, elapsed=5, limit=20, streak=3) == 1075


def test_accuracy_mode_has_no_speed_or_streak_component():
    assert answer_points(mode="accuracy", correct=True, elapsed=19, limit=20, streak=5) == 1000


def test_a_wrong_answer_scores_nothing():
    assert answer_points(mode="speed", correct=False, elapsed=1, limit=20, streak=0) == 0


def test_a_zero_limit_is_refused():
    with pytest.raises(ValueError):
        speed_points(elapsed=1, limit=0)


def test_accuracy_mode_gives_a_wrong_answer_its_partial_credit():
    assert answer_points(mode="accuracy", correct=False, elapsed=1, limit=20, streak=0,
                         credit=0.75) == 750


def test_speed_mode_ignores_partial_credit():
    assert answer_points(mode="speed", correct=False, elapsed=1, limit=20, streak=0,
                         credit=0.75) == 0
