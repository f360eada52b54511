"""The offline analyzer: what is an action item, what is a decision, and due dates as people say them."""
from datetime import date

import pytest

from core.ai import MeetingContext, Segment
from core.ai.dates import parse_due
from core.ai.rules import RulesAnalyzer

MONDAY = date(2026, 11, 30)
TEAM = MeetingContext(held_on=MONDAY, attendees=["Priya Shah", "Marco Rossi", "Lena Vogel"])


def analyze(*lines, context=TEAM):
    segments = [Segment(start=float(i * 4), end=float(i * 4 + 4), text=line) for i, line in enumerate(lines)]
    return RulesAnalyzer().analyze(segments, context)


def owners_and_tasks(*lines):
    return [(item.owner, item.task) for item in analyze(*lines).items]


@pytest.mark.parametrize("line", [
    "Priya, can you recalibrate the spectrometer by Friday?",
    "Priya will recalibrate the spectrometer by Friday.",
    "Action item for Priya: recalibrate the spectrometer by Friday.",
    "Priya is going to recalibrate the spectrometer by Friday.",
    "Okay, Priya, please recalibrate the spectrometer by Friday.",
    "We need Priya to recalibrate the spectrometer by Friday.",
])
def test_ways_of_giving_someone_work_become_one_item(line):
    item, = analyze(line).items
    assert item.owner == "Priya Shah" and item.task == "Recalibrate the spectrometer"
    assert item.due == date(2026, 12, 4) and item.start == 0.0 and 0 < item.confidence <= 1


@pytest.mark.parametrize("line", [
    "Priya already recalibrated the spectrometer.",            # done
    "Marco replaced the pump yesterday.",                      # done
    "I think Marco should rewrite the manual.",                # opinion
    "If the laser fails again, Lena will call the vendor.",   # hypothetical
    "Maybe Priya could look at it one day.",                   # hypothetical
    "Will Priya be at the review?",                            # question
    "Someone should clean the fume hood.",                     # no owner
    "Somebody should ask Lena to check the freezer.",          # no owner yet
    "We should clean the fume hood.",                          # no owner
    "Lena could also help if she had time.",                   # counterfactual
])
def test_distractors_are_left_out(line):
    assert analyze(line).items == []


def test_a_declined_offer_or_request_is_left_out_and_an_accepted_one_kept():
    assert owners_and_tasks("Marco here.", "I can order the ethanol if you want.", "No need, we have plenty.") == []
    assert owners_and_tasks("Lena, can you update the rota?", "Sorry, I am away all week.") == []
    assert owners_and_tasks("Marco here.", "I can order the ethanol if you want.", "Yes please.") == [
        ("Marco Rossi", "Order the ethanol")]


def test_i_will_belongs_to_the_speaker_when_the_speaker_said_who_they_are():
    assert owners_and_tasks("I will book the microscope.") == []
    assert owners_and_tasks("Lena here.", "I'll book the microscope tomorrow.") == [
        ("Lena Vogel", "Book the microscope")]


def test_an_address_split_off_by_the_speech_model_still_names_the_owner():
    assert owners_and_tasks("Good morning everyone, Priya.", "Can you check the freezer log?") == [
        ("Priya Shah", "Check the freezer log")]


def test_decisions_are_found_and_undecided_things_are_not():
    found = analyze("We decided to move the safety review to Tuesday.", "We have not decided on the freezer yet.",
                    "Should we switch suppliers?", "We agreed that visitors wear glasses.").decisions
    assert found == ["We decided to move the safety review to Tuesday.", "We agreed that visitors wear glasses."]


def test_the_summary_is_made_of_what_was_said():
    lines = ["The spectrometer drifted again over the weekend.", "The spectrometer calibration needs a new standard.",
             "Lena will order the calibration standard for the spectrometer.", "Thanks everyone."]
    topics, said = analyze(*lines).summary.split(". ", 1)
    assert topics.startswith("Topics: spectrometer, calibration")
    assert all(sentence in lines for sentence in [s.strip() + "." for s in said.split(".") if s.strip()])


@pytest.mark.parametrize(("said", "due"), [
    ("by Friday", date(2026, 12, 4)), ("tomorrow", date(2026, 12, 1)), ("today", MONDAY),
    ("by the end of next week", date(2026, 12, 11)), ("end of this week", date(2026, 12, 4)),
    ("next Tuesday", date(2026, 12, 8)), ("by Monday", date(2026, 12, 7)),
    ("by the end of the month", date(2026, 11, 30)),
    ("on December 15th", date(2026, 12, 15)), ("in two weeks", date(2026, 12, 14)), ("the 3rd", date(2026, 12, 3)),
    ("when you can", None),
])
def test_due_dates_are_real_dates_relative_to_the_meeting(said, due):
    assert parse_due(f"order gloves {said}", MONDAY) == due
