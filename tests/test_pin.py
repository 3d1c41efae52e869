"""The staff PIN: a salted scrypt hash on disk, weak PINs refused, five wrong tries lock 60 s."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from kiosk.core import pin as pin_module
from kiosk.core.clock import ManualClock
from kiosk.core.pin import (
    LOCK_SECONDS,
    MAX_TRIES,
    SCRYPT_PARAMS,
    PinError,
    PinStore,
    WeakPinError,
    pin_problem,
)

GOOD = "493817"


WALL_CLOCK_START = 1_800_000_000.0  # wall-clock seconds; the clock moves only when told
Clock = ManualClock


@pytest.fixture
def clock() -> Clock:
    return ManualClock(start=WALL_CLOCK_START)


@pytest.fixture
def path(data_dir: Path) -> Path:
    return data_dir / "staff.json"


def test_only_a_salted_scrypt_hash_is_stored(path: Path, clock: Clock, tmp_path: Path) -> None:
    store = PinStore(path, clock)
    assert not store.is_set()
    assert not path.exists()  # nothing written before a PIN is chosen
    store.set_pin(GOOD)
    assert store.is_set()
    text = path.read_text(encoding="utf-8")
    assert GOOD not in text
    record = json.loads(text)["pin"]
    assert record["algorithm"] == "scrypt"
    assert {key: record[key] for key in SCRYPT_PARAMS} == SCRYPT_PARAMS
    assert len(bytes.fromhex(record["salt"])) == 16
    assert len(bytes.fromhex(record["hash"])) == SCRYPT_PARAMS["dklen"]

    other = PinStore(tmp_path / "other.json", clock)
    other.set_pin(GOOD)
    other_record = json.loads((tmp_path / "other.json").read_text(encoding="utf-8"))["pin"]
    assert other_record["salt"] != record["salt"]
    assert other_record["hash"] != record["hash"]

    store.set_pin(GOOD)  # setting the same PIN again draws a new salt
    assert json.loads(path.read_text(encoding="utf-8"))["pin"]["salt"] != record["salt"]


def test_right_pin_passes_wrong_pin_fails(path: Path, clock: Clock) -> None:
    store = PinStore(path, clock)
    store.set_pin(GOOD)
    assert store.check(GOOD)
    assert not store.check("493818")
    assert not store.check("")
    assert not store.check("4938170")
    assert not store.check("é93817")  # not ASCII: refused, counted, no crash
    assert store.tries_left() == MAX_TRIES - 4
    assert store.check(GOOD)
    assert store.tries_left() == MAX_TRIES  # a good entry resets the count
    assert PinStore(path, clock).check(GOOD)  # and the hash reads back from the file


def test_five_wrong_tries_lock_for_60_seconds_across_a_restart(path: Path, clock: Clock) -> None:
    store = PinStore(path, clock)
    store.set_pin(GOOD)
    for _ in range(MAX_TRIES - 1):
        assert not store.check("111111")
    assert store.locked_for() == 0
    assert store.tries_left() == 1
    assert not store.check("111111")
    assert store.locked_for() == pytest.approx(LOCK_SECONDS)

    assert not store.check(GOOD)  # locked: even the right PIN is refused
    clock.advance(59.5)
    assert store.locked_for() == pytest.approx(0.5)

    reopened = PinStore(path, clock)  # the laptop was restarted: still locked
    assert reopened.locked_for() == pytest.approx(0.5)
    assert not reopened.check(GOOD)

    clock.advance(1)
    assert reopened.locked_for() == 0
    assert reopened.tries_left() == MAX_TRIES
    assert reopened.check(GOOD)


def test_a_clock_set_back_cannot_stretch_the_lock(path: Path, clock: Clock) -> None:
    store = PinStore(path, clock)
    store.set_pin(GOOD)
    for _ in range(MAX_TRIES):
        store.check("000001")
    clock.advance(-3600)  # someone set the clock back an hour
    assert store.locked_for() == pytest.approx(LOCK_SECONDS)
    clock.advance(LOCK_SECONDS + 1)
    assert store.locked_for() == 0
    assert store.check(GOOD)


@pytest.mark.parametrize(("pin", "reason"), [
    ("", "Typ eerst"),
    ("12a456", "alleen cijfers"),
    ("１２３４５６", "alleen cijfers"),  # full-width digits
    ("48271", "minstens 6"),
    ("4827193650271", "hoogstens 12"),
    ("777777", "hetzelfde cijfer"),
    ("123456", "op een rij"),
    ("654321", "op een rij"),
    ("890123", "op een rij"),
    ("121212", "herhaling"),
    ("379379", "herhaling"),
])
def test_weak_pins_are_refused_with_a_dutch_reason(
    path: Path, clock: Clock, pin: str, reason: str
) -> None:
    store = PinStore(path, clock)
    assert reason in (pin_problem(pin) or "")
    with pytest.raises(WeakPinError) as refused:
        store.set_pin(pin)
    assert reason in refused.value.reason
    assert "\n" not in refused.value.reason
    assert not store.is_set()
    assert not path.exists()


@pytest.mark.parametrize("pin", [GOOD, "202612", "135792", "918273", "100000000001"])
def test_good_pins_pass(pin: str) -> None:
    assert pin_problem(pin) is None


def test_the_file_is_private_to_its_owner(path: Path, clock: Clock) -> None:
    private = 0o600 if os.name == "posix" else stat.S_IMODE(0o666)  # Windows: no owner bits
    store = PinStore(path, clock)
    store.set_pin(GOOD)
    assert stat.S_IMODE(path.stat().st_mode) == private
    store.check("000001")  # rewritten after a wrong try: still private
    assert stat.S_IMODE(path.stat().st_mode) == private
    assert [p.name for p in path.parent.iterdir()] == ["staff.json"]  # no temporary files left


def test_other_keys_in_the_file_are_kept(path: Path, clock: Clock) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"version": 1, "note": "kept"}), encoding="utf-8")
    store = PinStore(path, clock)
    store.set_pin(GOOD)
    assert json.loads(path.read_text(encoding="utf-8"))["note"] == "kept"


def test_old_scrypt_parameters_are_upgraded_on_a_good_entry(
    path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    weaker = {**SCRYPT_PARAMS, "n": 2**12}
    monkeypatch.setattr(pin_module, "SCRYPT_PARAMS", weaker)
    PinStore(path, clock).set_pin(GOOD)
    assert json.loads(path.read_text(encoding="utf-8"))["pin"]["n"] == 2**12
    monkeypatch.undo()
    # a later version raised its parameters but still accepts what an earlier one wrote
    monkeypatch.setattr(pin_module, "MIN_SCRYPT_PARAMS", weaker)

    store = PinStore(path, clock)
    assert store.check(GOOD)  # checked with the parameters stored beside the hash
    record = json.loads(path.read_text(encoding="utf-8"))["pin"]
    assert record["n"] == SCRYPT_PARAMS["n"]
    assert PinStore(path, clock).check(GOOD)


@pytest.mark.parametrize("content", ["not json", "[1, 2]", '{"pin": {"algorithm": "md5"}}',
                                     '{"version": 99}'])
def test_a_broken_file_names_itself_and_the_fix(path: Path, clock: Clock, content: str) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PinError) as error:
        PinStore(path, clock)
    assert str(path) in str(error.value)
    assert "verwijder het bestand" in str(error.value)  # Dutch, with the way to reset it


def test_a_damaged_hash_record_is_an_error_not_a_pass(path: Path, clock: Clock) -> None:
    store = PinStore(path, clock)
    store.set_pin(GOOD)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["pin"]["salt"] = "zz"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PinError):
        PinStore(path, clock).check(GOOD)


def test_checking_before_a_pin_is_set_is_an_error(path: Path, clock: Clock) -> None:
    with pytest.raises(PinError, match="nog geen pincode"):
        PinStore(path, clock).check(GOOD)


def test_a_failed_write_keeps_the_old_file(
    path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = PinStore(path, clock)
    store.set_pin(GOOD)
    before = path.read_bytes()

    def fail(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pin_module.os, "replace", fail)
    with pytest.raises(PinError, match="Kan het pincodebestand"):
        store.set_pin("918273")
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == ["staff.json"]


def _good_file(path: Path, clock: Clock) -> dict:
    PinStore(path, clock).set_pin(GOOD)
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("change", "why"), [
    (lambda d: "{garbage", "geen geldig JSON"),
    (lambda d: "", "geen geldig JSON"),  # truncated to nothing
    (lambda d: json.dumps(d)[:40], "geen geldig JSON"),  # truncated halfway
    (lambda d: "[" * 3000 + "]" * 3000, "geen geldig JSON"),  # nesting: RecursionError
    (lambda d: "[]", "geen pincodebestand"),
    (lambda d: json.dumps({**d, "version": "1"}), "versienummer"),
    (lambda d: json.dumps({**d, "version": True}), "versienummer"),
    (lambda d: json.dumps({**d, "version": 99}), "nieuwere versie"),
    (lambda d: json.dumps({**d, "locked_until": "morgen"}), "geen tijd"),
    (lambda d: json.dumps({**d, "locked_until": 1e400}), "geen tijd"),
    (lambda d: json.dumps({**d, "failed_tries": -3}), "teller"),
    (lambda d: json.dumps({**d, "pin": {**d["pin"], "n": 2}}), "zwakker"),
    (lambda d: json.dumps({**d, "pin": {**d["pin"], "r": 1}}), "zwakker"),
    (lambda d: json.dumps({**d, "pin": {**d["pin"], "n": 2**30}}), "onmogelijke"),
    (lambda d: json.dumps({**d, "pin": {**d["pin"], "n": "16384"}}), "instelling n"),
    (lambda d: json.dumps({**d, "pin": {**d["pin"], "salt": "zz"}}), "salt"),
    (lambda d: json.dumps({**d, "pin": {**d["pin"], "hash": "ab"}}), "hash"),
    (lambda d: json.dumps({**d, "pin": "123456"}), "scrypt"),
])
def test_a_damaged_or_edited_pin_file_is_refused_in_dutch(
        path: Path, clock: Clock, change, why: str) -> None:
    data = _good_file(path, clock)
    path.write_text(change(data), encoding="utf-8")
    with pytest.raises(PinError) as error:
        PinStore(path, clock)
    message = str(error.value)
    assert message.startswith(f"Het pincodebestand {path} is beschadigd")
    assert why in message
    assert "verwijder het bestand" in message


def test_bytes_that_are_not_text_are_refused(path: Path, clock: Clock) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(PinError, match="beschadigd"):
        PinStore(path, clock)


def test_the_lock_grows_with_each_lock_in_a_row_and_survives_restarts(
        path: Path, clock: Clock) -> None:
    PinStore(path, clock).set_pin(GOOD)
    for minutes in (1, 5, 15, 60, 60):
        store = PinStore(path, clock)  # a restart between the locks changes nothing
        for _ in range(MAX_TRIES):
            assert not store.check("000001")
        assert PinStore(path, clock).locked_for() == pytest.approx(minutes * 60)
        clock.advance(minutes * 60 + 1)
    store = PinStore(path, clock)
    assert store.check(GOOD)  # the right PIN: the next lock is short again
    for _ in range(MAX_TRIES):
        store.check("000001")
    assert store.locked_for() == pytest.approx(60)


def test_a_clock_set_back_cannot_stretch_a_long_lock(path: Path, clock: Clock) -> None:
    store = PinStore(path, clock)
    store.set_pin(GOOD)
    for _ in range(2):
        for _ in range(MAX_TRIES):
            store.check("000001")
        clock.advance(61)
    assert store.locked_for() == pytest.approx(300 - 61)
    clock.advance(-86400)
    assert store.locked_for() == pytest.approx(300)
