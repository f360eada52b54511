"""The command parser on the evaluation set and on the ways a speech model mishears names."""
from datetime import datetime

from workshop.voice.evaluation import accuracy, load
from workshop.voice.parser import Names, parse
from workshop.voice.words import best_match, normalize

NAMES = Names(machines=["Printer 1", "Printer 2", "Laser cutter"], devices=["Laser cutter"], rooms=["Laser room"],
              materials=["PLA", "Plywood 3 mm"])
NOW = datetime(2026, 11, 30, 10, 0)


def test_evaluation_set_has_forty_commands_and_parses_at_least_nine_in_ten():
    now, names, commands = load()
    assert len(commands) >= 40
    score, misses = accuracy(lambda text: parse(text, names, now), commands, now)
    assert score >= 0.9, misses


def test_numbers_spoken_or_written_are_the_same():
    assert normalize("Set the bed of Printer One to sixty-five.") == "set the bed of printer 1 to 65"
    assert normalize("two hundred ten") == "210"
    assert normalize("at 3 p.m.") == "at 3 pm"


def test_a_misheard_name_still_matches_but_another_number_does_not():
    assert best_match("laser cuter", NAMES.machines)[0] == "Laser cutter"
    name, score = best_match("printer 3", NAMES.machines)
    assert score < 0.8, "printer 3 is not printer 1 or 2"


def test_weak_match_is_unclear_and_unknown_words_are_unknown():
    intent = parse("pause the lazer", NAMES, NOW)
    assert intent.name == "pause_job" and not intent.clear
    assert parse("make me a sandwich", NAMES, NOW).name == "unknown"


def test_booking_without_a_length_asks_for_one():
    intent = parse("book the laser cutter tomorrow at 3 pm", NAMES, NOW)
    assert intent.name == "book" and intent.slots["start"] == datetime(2026, 12, 1, 15, 0)
    assert intent.missing and "how long" in intent.missing[0]


def test_risky_commands_are_marked():
    assert parse("cancel printer 1", NAMES, NOW).risky
    assert parse("set the bed of printer 1 to 60", NAMES, NOW).risky
    assert not parse("pause printer 1", NAMES, NOW).risky
