"""Item analysis on a built data set whose statistics are known by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apps.insights.analysis import Answer, analyse, first_attempts

T0 = datetime(2026, 1, 1, tzinfo=UTC)
Q, QV, P, PV = 1, 10, 2, 20
CHOICES = [(0, "key", True), (1, "tempting", False), (2, "absurd", False)]


def _answers(pick_for_strong: int, pick_for_weak: int) -> list[Answer]:
    """Ten learners: 6..10 answered the other question right (strong), 1..5 wrong (weak)."""
    out = []
    for n, user in enumerate(range(1, 11)):
        strong = user > 5
        out.append(Answer(user, P, PV, (0,), strong, 1000, T0 + timedelta(seconds=n)))
        pick = pick_for_strong if strong else pick_for_weak
        out.append(Answer(user, Q, QV, (pick,), pick == 0, 2000 + 100 * user,
                          T0 + timedelta(minutes=1, seconds=n)))
    return out


def _stats(answers, min_answers=10):
    return analyse(first_attempts(answers), version_id=QV, question_id=Q, choices=CHOICES,
                   min_answers=min_answers)


def test_it_computes_facility_discrimination_picks_and_time():
    stats = _stats(_answers(pick_for_strong=0, pick_for_weak=1))
    assert stats.answers == 10 and stats.correct == 5
    assert stats.facility == 0.5
    assert stats.discrimination == 1.0  # top 3 all right, bottom 3 all wrong
    assert [c.picks for c in stats.choices] == [5, 5, 0]
    assert [c.upper_picks for c in stats.choices] == [3, 0, 0]
    assert stats.mean_ms == 2000 + 100 * 5.5
    assert stats.flags == ["distractor nobody picks: 'absurd'"]


def test_it_flags_a_likely_wrong_key_and_negative_discrimination():
    stats = _stats(_answers(pick_for_strong=1, pick_for_weak=0))
    assert stats.facility == 0.5
    assert stats.discrimination == -1.0
    assert "weak discrimination: -1.00 is below 0.2" in stats.flags
    assert ("likely wrong key: strong learners pick 'tempting' more than the key"
            in stats.flags)


def test_it_flags_questions_that_are_too_easy_or_too_hard():
    easy = _stats(_answers(pick_for_strong=0, pick_for_weak=0))
    assert easy.facility == 1.0
    assert easy.flags[0] == "too easy: facility 100% is above 90%"
    hard = _stats(_answers(pick_for_strong=2, pick_for_weak=1))
    assert hard.facility == 0.0
    assert hard.flags[0] == "too hard: facility 0% is below 20%"


def test_it_counts_only_each_learners_first_attempt():
    answers = _answers(pick_for_strong=0, pick_for_weak=1)
    # weak learners come back later and get it right: that must not move the statistics
    answers += [Answer(u, Q, QV, (0,), True, 500, T0 + timedelta(hours=1)) for u in range(1, 6)]
    stats = _stats(answers)
    assert stats.answers == 10 and stats.facility == 0.5
    assert stats.mean_ms == 2000 + 100 * 5.5


def test_it_raises_no_flags_below_the_minimum_number_of_answers():
    stats = _stats(_answers(pick_for_strong=1, pick_for_weak=0), min_answers=11)
    assert stats.discrimination == -1.0 and stats.flags == []


def test_it_reports_nothing_for_an_unanswered_question():
    stats = _stats([])
    assert (stats.answers, stats.facility, stats.discrimination, stats.flags) == (0, None, None, [])


def test_it_counts_every_position_picked_in_a_multiple_answer_question():
    answers = [Answer(1, Q, QV, (0, 1), False, 1000, T0), Answer(2, Q, QV, (0,), True, 1000, T0)]
    stats = _stats(answers)
    assert [c.picks for c in stats.choices] == [2, 1, 0]


def _answer(user: int, picked: tuple[int, ...], correct: bool, at: int = 0) -> Answer:
    return Answer(user_id=user, question_id=7, version_id=70, picked=picked, is_correct=correct,
                  elapsed_ms=3000, at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=at))


def test_an_ordering_question_counts_how_often_each_step_was_out_of_place():
    steps = [(0, "fetch", True), (1, "verify", True), (2, "admit", True)]
    answers = [_answer(1, (0, 1, 2), True), _answer(2, (1, 0, 2), False),
               _answer(3, (0, 2, 1), False), _answer(4, (1, 0, 2), False)]
    stats = analyse(answers, version_id=70, question_id=7, choices=steps, min_answers=1,
                    question_type="ordering")
    assert [c.picks for c in stats.choices] == [2, 3, 1]  # "verify" goes wrong most
    assert not any("nobody picks" in f for f in stats.flags)  # steps are no distractors


def test_a_hotspot_counts_picks_per_line_and_does_not_flag_lines_nobody_picks():
    lines = [(n, f"line {n}", n == 2) for n in range(6)]
    answers = [_answer(u, (2,), True) for u in range(1, 4)] + [_answer(9, (4,), False)]
    stats = analyse(answers, version_id=70, question_id=7, choices=lines, min_answers=1,
                    question_type="hotspot")
    assert [c.picks for c in stats.choices] == [0, 0, 3, 0, 1, 0]
    assert not any("nobody picks" in f for f in stats.flags)
