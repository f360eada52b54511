"""The Marlin driver against a simulated board on a pseudo-terminal, one firmware quirk at a time."""
import time

import pytest

from equipment.drivers.base import DeviceError, DeviceGone, parse_position, parse_temperatures
from equipment.drivers.marlin import MarlinDriver
from equipment.simulators.marlin import MarlinSimulator
from equipment.tests.gateway_helpers import wait_for


@pytest.fixture
def board(request):
    """``board(**quirks)`` starts a simulator and gives a connected driver; both stop after the test."""
    started = []

    def make(**quirks):
        sim = MarlinSimulator(**quirks).start()
        driver = MarlinDriver({"port": sim.port, "baud": 115200})
        started.append((sim, driver))
        driver.connect()
        return sim, driver

    yield make
    for sim, driver in started:
        driver.disconnect()
        sim.stop()


def test_the_handshake_reads_firmware_name_and_capabilities(board):
    sim, driver = board()
    assert driver.info["firmware"].startswith("Marlin 2.1.2.1")
    assert driver.info["capabilities"]["AUTOREPORT_TEMP"] is True
    assert driver.info["capabilities"]["EMERGENCY_PARSER"] is True
    assert sim.received[0].startswith(b"N0 M110 N0*")


def test_lines_carry_numbers_and_checksums_the_firmware_accepts(board):
    sim, driver = board()
    driver.send("G1 X10 Y20\nG1 X30")
    assert sim.executed[-2:] == ["G1 X10 Y20", "G1 X30"]
    numbered = [line for line in sim.received if b"G1 X30" in line][0]
    body, given = numbered.rsplit(b"*", 1)
    expected = 0
    for byte in body:
        expected ^= byte
    assert int(given) == expected and body.startswith(b"N")


@pytest.mark.parametrize("style", ["Resend: ", "Resend:"])
def test_a_garbled_line_is_replayed_from_the_sent_buffer(board, style):
    sim, driver = board(resend_style=style)
    driver.send("G1 X1")
    sim.corrupt_lines.add(driver.line_number + 2)
    driver.send("G1 X2\nG1 X3\nG1 X4")
    assert sim.executed[-4:] == ["G1 X1", "G1 X2", "G1 X3", "G1 X4"]
    assert driver.errors == []  # a repaired transmission error is not the machine's error


def test_busy_lines_keep_a_long_home_alive(board):
    sim, driver = board(busy_seconds=2.5)
    driver.ok_timeout = 1.0
    started = time.monotonic()
    driver.send("G28")
    assert time.monotonic() - started >= 2.4
    assert sim.executed[-1] == "G28"
    assert not [line for line in sim.received if line == b"M105"]  # busy is not silence: no re-ask


def test_wait_lines_while_idle_are_not_answers(board):
    sim, driver = board(wait_when_idle=True)
    time.sleep(1.3)
    assert driver.send("M114").startswith("X:")


def test_temperatures_in_the_ok_form(board):
    sim, driver = board()
    sim.hotend, sim.hotend_target = 205.4, 210.0
    reading = driver.status()
    assert reading["hotend"]["target"] == 210.0 and 190 < reading["hotend"]["actual"] < 211
    assert reading["position"] == {"x": 0.0, "y": 0.0, "z": 0.0, "e": 0.0}


def test_temperatures_from_autoreport_after_m155(board):
    sim, driver = board(temperature_style="report")
    driver.send("M140 S60")
    driver.send("M155 S0.2")
    time.sleep(0.8)
    assert driver.reading["bed"]["target"] == 60.0


@pytest.mark.parametrize(("line", "expected"), [
    ("ok T:21.3 /0.0 B:21.0 /0.0 @:0 B@:0", {"hotend": (21.3, 0.0), "bed": (21.0, 0.0)}),
    ("T:21.30/ 0.00 B:21.30/ 0.00 @:64", {"hotend": (21.3, 0.0), "bed": (21.3, 0.0)}),
    (" T:210.00 /210.00 B:60.00 /60.00 T0:210.00 /210.00 @:127 B@:0 W:?", {"hotend": (210.0, 210.0),
                                                                           "bed": (60.0, 60.0)}),
])
def test_every_temperature_form_firmware_prints_is_read(line, expected):
    found = parse_temperatures(line)
    assert {k: (v["actual"], v["target"]) for k, v in found.items()} == expected


def test_m114_position_ignores_the_step_counts():
    assert parse_position("X:10.00 Y:5.50 Z:0.20 E:1.00 Count X:800 Y:440 Z:80") == {
        "x": 10.0, "y": 5.5, "z": 0.2, "e": 1.0}


def test_an_error_followed_by_ok_does_not_stall(board):
    sim, driver = board()
    answer = driver.send("M9999")
    assert "Unknown command" in answer
    assert sim.executed[-1] == "M9999"


def test_an_error_without_ok_is_asked_again_with_m105_not_waited_on(board):
    sim, driver = board(lose_ok_for={"G4"})
    driver.ok_timeout = 0.4
    started = time.monotonic()
    driver.send("G4 P0")
    assert time.monotonic() - started < 2
    assert b"M105" in sim.received
    assert any("Failed to execute" in error for error in driver.errors)
    driver.send("G1 X5")  # and the conversation goes on
    assert sim.executed[-1] == "G1 X5"


def test_banner_bytes_that_are_not_utf8_do_not_break_the_connection(board):
    sim, driver = board(banner_noise=True)
    assert driver.info["firmware"]


def test_the_board_resets_when_the_port_opens_and_the_driver_waits_for_it(board):
    sim, driver = board()
    driver.send("G1 X50")
    driver.disconnect()
    # A pty shows a close only while nobody holds it: let the board see the host go (a real one
    # resets on every open through DTR, however fast the host comes back).
    wait_for(lambda: not sim.held, what="the board to see the port closed")
    again = MarlinDriver({"port": sim.port})
    again.connect()  # the simulator dropped what came during its boot; the driver waited for "start"
    try:
        assert sim.opened == 2 and sim.position["X"] == 0.0  # a reset forgets the position
        assert again.info["firmware"]
    finally:
        again.disconnect()


def test_after_m112_the_firmware_is_silent_and_the_driver_says_so(board):
    sim, driver = board()
    driver.send("M112")
    time.sleep(0.2)
    assert sim.halted
    with pytest.raises(DeviceError, match="halted"):
        driver.send("M105")


def test_a_board_that_stops_answering_is_reported_gone(board):
    sim, driver = board()
    driver.ok_timeout, driver.max_reasks = 0.2, 2
    sim.halted = True  # silent, as after a crash
    with pytest.raises(DeviceGone):
        driver.send("G1 X1")


def test_a_missing_port_is_reported_gone():
    with pytest.raises(DeviceGone, match="cannot open"):
        MarlinDriver({"port": "/dev/does-not-exist"}).connect()
