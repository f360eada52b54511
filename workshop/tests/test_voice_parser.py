"""The command parser on the evaluation set and on the ways a speech model mishears names."""
from datetime import datetime

from workshop.voice.evaluation import accuracy, load
from workshop.voice.parser import Names, parse, parse_best
from workshop.voice.words import best_match, normalize

NAMES = Names(machines=["Printer 1", "Printer 2", "Laser cutter"], devices=["Laser cutter"], rooms=["Laser room"],
              materials=["PLA", "Plywood 3 mm"])
NOW = datetime(2026, 11, 30, 10, 0)


def test_evaluation_set_has_forty_commands_and_parses_at_least_nine_in_ten():
    now, names, commands = load()
    assert len(commands) >= 40
    score, misses = accuracy(lambda text: parse(text, names, now), commands, now)
    assert score == 1.0, misses


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


def test_the_held_out_set_parses_as_written_too():
    now, names, commands = load("held_out")
    assert len(commands) >= 20 and not set(names.machines) & set(load()[1].machines), "another lab's names"
    score, misses = accuracy(lambda text: parse(text, names, now), commands, now)
    assert score == 1.0, misses


def test_a_number_heard_as_a_word_is_the_name_with_that_number():
    assert best_match("printer to", NAMES.machines) == ("Printer 2", 0.97)
    assert best_match("printer won", NAMES.machines)[0] == "Printer 1"
    assert parse("pause printer too", NAMES, NOW).slots == {"machine": "Printer 2"}
    # "to" before a number is the word "to", not a name's digit
    assert parse("set the bed of printer 1 to 60", NAMES, NOW).slots["target"] == 60


def test_names_split_joined_or_sounding_alike_still_match_but_two_alike_names_ask():
    assert best_match("printroom", ["Print room", "Laser room"])[0] == "Print room"
    assert best_match("light wood", NAMES.materials)[0] == "Plywood 3 mm"
    name, score = best_match("printer", NAMES.machines)
    assert score < 0.8, "printer 1 or printer 2: the command must ask which"


def test_two_hundred_ten_in_two_pieces_is_one_number():
    assert normalize("set the nozzle of Printer 2, to 200, 10") == "set the nozzle of printer 2 to 210"
    assert normalize("at 10 30") == "at 10 30", "only hundreds take the next number in"


def test_a_misheard_part_or_verb_is_guessed_by_sound_and_asks_first():
    intent = parse("set, Printer 2, LED to 70", NAMES, NOW)
    assert (intent.name, intent.slots) == ("set_temperature", {"heater": "bed", "target": 70, "machine": "Printer 2"})
    assert not intent.clear
    intent = parse("Curl down, Printer 1", NAMES, NOW)
    assert intent.name == "set_temperature" and intent.slots["target"] == 0 and not intent.clear


def test_the_best_reading_is_the_first_that_makes_a_sure_command():
    readings = ["Resume printer too.", "resume printer to", "Resume Printer 2."]
    intent = parse_best(readings, NAMES, NOW)
    assert (intent.name, intent.slots) == ("resume_job", {"machine": "Printer 2"})
    assert parse_best(["make me a sandwich", "make me a sand wedge"], NAMES, NOW).name == "unknown"
    assert parse_best(["pause printer 1", "pause printer 2"], NAMES, NOW).slots == {"machine": "Printer 1"}


def test_only_lights_dim():
    names = Names(rooms=["Print room"])
    assert parse("dim the print room lights to 40 percent", names, NOW).name == "dim"
    assert parse("set the print room fans to 50 percent", names, NOW).name != "dim"
