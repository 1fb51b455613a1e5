from __future__ import annotations

from apps.skills import elo


def test_it_predicts_even_odds_for_an_even_match():
    assert elo.expected(0.5, 0.5) == 0.5
    assert elo.expected(2.0, 0.0) > 0.85 > elo.expected(0.0, 0.0)


def test_it_moves_less_as_evidence_grows():
    assert elo.k_factor(0) > elo.k_factor(10) > elo.k_factor(100) > 0


def test_it_moves_learner_up_and_question_down_on_a_right_answer():
    theta, difficulty, p = elo.update(0.0, 0, 0.0, 0, True)
    assert p == 0.5
    assert theta > 0.0 > difficulty


def test_its_mastery_band_narrows_with_evidence():
    _, new = elo.mastery(0.0, 0, 0.0)
    _, settled = elo.mastery(0.0, 200, 0.0)
    assert new > settled >= 1
    assert elo.mastery(1.0, 10, 0.0)[0] == round(100 * elo.expected(1.0, 0.0))


def test_it_maps_the_prior_back_to_the_author_scale():
    for author in (1, 2, 3):
        assert elo.calibrated_on_author_scale(elo.prior(author)) == author
