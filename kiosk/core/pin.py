"""The staff PIN: a salted scrypt hash in a small JSON file, with a lockout.

Only the hash is stored, never the PIN. The scrypt parameters are written next
to the hash, so a later version can raise them: a PIN checked against old
parameters is re-hashed with the current ones on the next good entry.

Five wrong tries lock entry; each lock in a row lasts longer: 1, 5, 15, then 60
minutes (rate limiting as NIST SP 800-63B asks), until a right PIN resets it.
The counters and the lock's end time are kept in the same file, so switching
the laptop off and on does not lift the lock. The lock uses the wall clock (it
must survive a restart); a clock that jumps back cannot stretch a lock beyond
its own length.

The file comes from outside (it can be damaged, truncated or edited by hand):
everything in it is checked when it is read. It must be a regular file (not a
symlink, FIFO or device: those could hang the start or point elsewhere) of
this user's that nobody else may change (mode ``& 0o022 == 0``), and small.
A file that cannot be trusted (a special file, not JSON, the wrong shape or
version, a lock time that is not a time, scrypt parameters weaker than
:data:`MIN_SCRYPT_PARAMS` or absurdly costly) raises :class:`PinError` with a
Dutch message that says how to reset it.

The file (``<data_dir>/staff.json``) is written atomically (temporary file,
fsync, rename) with mode 0600 where the system has POSIX modes. Keys this
module does not know are kept when it rewrites the file. Forgotten PIN: delete
the file; the kiosk then asks for a new PIN at its next start.

Standard library only; no Qt.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.core.files import write_text
from kiosk.core.safefile import PIN_FILE_LIMIT, UnsafeFile, read_regular

#: The file name in the data folder.
PIN_FILE = "staff.json"
FILE_VERSION = 1
MIN_DIGITS = 6
MAX_DIGITS = 12
MAX_TRIES = 5
#: How long each lock lasts, one after another (the last repeats): 1, 5, 15, 60 minutes.
LOCK_STEPS: tuple[float, ...] = (60.0, 300.0, 900.0, 3600.0)
LOCK_SECONDS = LOCK_STEPS[0]
#: scrypt cost: 2**14 * 8 * 128 bytes = 16 MiB of memory, about 50 ms on a laptop.
SCRYPT_PARAMS: dict[str, int] = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
#: The weakest parameters any kiosk version wrote: a file below them was weakened by
#: hand and is refused. Between these and SCRYPT_PARAMS a good entry re-hashes.
MIN_SCRYPT_PARAMS: dict[str, int] = dict(SCRYPT_PARAMS)
#: Beyond these a hand-edited file would make every check hang or run out of memory.
MAX_SCRYPT_PARAMS: dict[str, int] = {"n": 2**20, "r": 32, "p": 16, "dklen": 64}
SALT_BYTES = 16
#: What staff read when the file cannot be used (the beheerder resets it).
RESET_HINT = ("Zo zet je een nieuwe pincode: verwijder het bestand {path}. De kiosk vraagt "
              "dan bij de volgende start om een nieuwe pincode.")

Wallclock = Callable[[], float]


class PinError(Exception):
    """The PIN file cannot be used; the message names the file and the fix."""


class WeakPinError(ValueError):
    """A PIN that is refused; ``reason`` is one Dutch line for staff."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def pin_problem(pin: str) -> str | None:
    """Why ``pin`` is not a good staff PIN, as one Dutch line; None when it is fine."""
    if not pin:
        return "Typ eerst een pincode."
    if not (pin.isascii() and pin.isdigit()):
        return "Een pincode heeft alleen cijfers."
    if len(pin) < MIN_DIGITS:
        return f"Kies minstens {MIN_DIGITS} cijfers."
    if len(pin) > MAX_DIGITS:
        return f"Kies hoogstens {MAX_DIGITS} cijfers."
    if len(set(pin)) == 1:
        return "Niet steeds hetzelfde cijfer. Kies iets anders."
    steps = {(int(b) - int(a)) % 10 for a, b in zip(pin, pin[1:], strict=False)}
    if steps in ({1}, {9}):
        return "Geen cijfers op een rij, zoals 123456. Kies iets anders."
    for period in (2, 3):
        if len(pin) >= 2 * period and all(
            pin[i] == pin[i % period] for i in range(len(pin))
        ):
            return "Geen herhaling, zoals 121212. Kies iets anders."
    return None


def _hash(pin: str, salt: bytes, params: dict[str, int]) -> bytes:
    return hashlib.scrypt(
        pin.encode("ascii"), salt=salt, n=params["n"], r=params["r"], p=params["p"],
        maxmem=256 * 1024 * 1024, dklen=params["dklen"],
    )


class PinStore:
    """The staff PIN and its lockout, kept in ``path``.

    Args:
        path: the JSON file (usually ``<data_dir>/staff.json``); need not exist yet.
        clock: wall-clock seconds (``time.time``); tests pass their own.

    Raises:
        PinError: the file exists but cannot be read or is not a PIN file.
    """

    def __init__(self, path: Path, clock: Wallclock = time.time) -> None:
        self.path = Path(path)
        self._clock = clock
        self._data: dict[str, Any] = self._load()

    # -- reading -------------------------------------------------------------

    def is_set(self) -> bool:
        """Is there a PIN yet? (No: the kiosk asks staff to choose one.)"""
        return isinstance(self._data.get("pin"), dict)

    def locked_for(self) -> float:
        """Seconds until entry opens again; 0.0 when it is open."""
        now = self._clock()
        left = float(self._data.get("locked_until", 0.0)) - now
        longest = self._lock_length(max(int(self._data.get("lockouts", 1)) - 1, 0))
        if left > longest:  # the clock was set back: the lock ends its length from now
            self._data["locked_until"] = now + longest
            left = longest
        return max(left, 0.0)

    @staticmethod
    def _lock_length(index: int) -> float:
        return LOCK_STEPS[min(index, len(LOCK_STEPS) - 1)]

    def tries_left(self) -> int:
        """Wrong tries left before the lock."""
        return max(MAX_TRIES - int(self._data.get("failed_tries", 0)), 0)

    # -- changing ------------------------------------------------------------

    def set_pin(self, pin: str) -> None:
        """Store a new PIN (its salted hash); clears the lockout.

        Raises:
            WeakPinError: the PIN is refused; ``reason`` says why, in Dutch.
        """
        problem = pin_problem(pin)
        if problem is not None:
            raise WeakPinError(problem)
        data = {**self._data, "pin": self._record(pin), "failed_tries": 0, "locked_until": 0.0}
        self._save(data)  # only a PIN that is on disk counts as set
        self._data = data

    def check(self, pin: str) -> bool:
        """True for the right PIN. Wrong tries count; the fifth locks entry for 60 s.

        While locked, every try is refused (and not counted) without looking at it.

        Raises:
            PinError: no PIN has been set yet (ask for one with :meth:`set_pin`).
        """
        if not self.is_set():
            raise PinError(f"Er is nog geen pincode voor medewerkers in {self.path}; kies er "
                           "eerst een.")
        if self.locked_for() > 0:
            return False
        record = self._data["pin"]
        try:
            params = {key: int(record[key]) for key in SCRYPT_PARAMS}
            salt, stored = bytes.fromhex(record["salt"]), bytes.fromhex(record["hash"])
            candidate = _hash(pin, salt, params) if pin.isascii() else b""
        except (KeyError, TypeError, ValueError) as error:
            raise PinError(self._broken_message(
                f"de gegevens van de pincode zijn beschadigd ({error})")) from None
        if hmac.compare_digest(candidate, stored):
            changed = self._data.get("failed_tries", 0) != 0 or self._data.get("lockouts", 0)
            self._data["failed_tries"] = 0
            self._data["lockouts"] = 0
            if params != SCRYPT_PARAMS:  # stronger parameters since: re-hash now
                self._data["pin"] = self._record(pin)
                changed = True
            if changed:
                self._save(self._data)
            return True
        tries = int(self._data.get("failed_tries", 0)) + 1
        if tries >= MAX_TRIES:
            lockouts = int(self._data.get("lockouts", 0))
            self._data["failed_tries"] = 0
            self._data["lockouts"] = lockouts + 1
            self._data["locked_until"] = self._clock() + self._lock_length(lockouts)
        else:
            self._data["failed_tries"] = tries
        # Counted in memory first: if the write fails, the lock still holds in this run.
        self._save(self._data)
        return False

    # -- the file ------------------------------------------------------------

    def _record(self, pin: str) -> dict[str, Any]:
        salt = secrets.token_bytes(SALT_BYTES)
        return {"algorithm": "scrypt", **SCRYPT_PARAMS, "salt": salt.hex(),
                "hash": _hash(pin, salt, SCRYPT_PARAMS).hex()}

    def _broken_message(self, what: str) -> str:
        return (f"Het pincodebestand {self.path} is beschadigd: {what}. "
                + RESET_HINT.format(path=self.path))

    def _load(self) -> dict[str, Any]:
        try:  # a regular file of this user's, that nobody else may change; never a symlink
            raw = read_regular(self.path, PIN_FILE_LIMIT, follow_symlinks=False, private=True)
            text = raw.decode("utf-8")
        except FileNotFoundError:
            return {"version": FILE_VERSION, "failed_tries": 0, "locked_until": 0.0}
        except UnicodeDecodeError:
            raise PinError(self._broken_message("er staan vreemde tekens in")) from None
        except UnsafeFile as error:
            raise PinError(f"Het pincodebestand {self.path} is niet veilig: {error.reason}. "
                           + RESET_HINT.format(path=self.path)) from None
        except OSError as error:
            raise PinError(self._broken_message(
                f"het is niet te lezen ({error.strerror or error})")) from None
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            raise PinError(self._broken_message("het is geen geldig JSON-bestand")) from None
        problem = _file_problem(data)
        if problem is not None:
            raise PinError(self._broken_message(problem))
        return data

    def _save(self, data: dict[str, Any]) -> None:
        """Write ``data`` to the file atomically, readable by its owner only."""
        data["version"] = FILE_VERSION
        text = json.dumps(data, indent=2, sort_keys=True) + "\n"
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            write_text(self.path, text, mode=0o600)  # readable by its owner only
            _fsync_folder(folder)
        except OSError as error:
            raise PinError(
                f"Kan het pincodebestand {self.path} niet schrijven: {error.strerror or error}. "
                "Kijk of je in de gegevensmap mag schrijven."
            ) from None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _file_problem(data: Any) -> str | None:
    """What makes the parsed file untrustworthy, in Dutch; None when it can be used."""
    if not isinstance(data, dict):
        return "het is geen pincodebestand"
    version = data.get("version", FILE_VERSION)
    if not _is_int(version) or version < 1:
        return "het versienummer klopt niet"
    if version > FILE_VERSION:
        return "een nieuwere versie van de kiosk heeft het geschreven"
    for key in ("failed_tries", "lockouts"):
        if key in data and (not _is_int(data[key]) or not 0 <= data[key] <= 10**6):
            return f"de teller {key} klopt niet"
    locked = data.get("locked_until", 0.0)
    if isinstance(locked, bool) or not isinstance(locked, int | float) \
            or not math.isfinite(locked) or locked < 0:
        return "de tijd van de blokkering is geen tijd"
    pin = data.get("pin")
    return None if pin is None else _record_problem(pin)


def _record_problem(pin: Any) -> str | None:
    if not isinstance(pin, dict) or pin.get("algorithm") != "scrypt":
        return "de pincode is niet met scrypt bewaard"
    for key in SCRYPT_PARAMS:
        value = pin.get(key)
        if not _is_int(value):
            return f"de instelling {key} van de pincode klopt niet"
        if value < MIN_SCRYPT_PARAMS[key]:
            return "de pincode is zwakker bewaard dan de kiosk toestaat"
        if value > MAX_SCRYPT_PARAMS[key]:
            return "de pincode is met onmogelijke instellingen bewaard"
    if pin["n"] & (pin["n"] - 1):
        return "de instelling n van de pincode klopt niet"
    for key, size in (("salt", SALT_BYTES), ("hash", pin["dklen"])):
        value = pin.get(key)
        try:
            if not isinstance(value, str) or len(bytes.fromhex(value)) != size:
                return f"de {key} van de pincode klopt niet"
        except ValueError:
            return f"de {key} van de pincode klopt niet"
    return None


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows cannot open folders)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
