"""The outbox recipe of docs/outbox.md, run for real: two Syncthing instances on this
machine (loopback only: no discovery, relays or NAT), a kiosk laptop's outbox as a
"Send Only" folder, the coordinator's copy as "Receive Only", then ``kiosk merge``.
"""

from __future__ import annotations

import shutil
import socket
import sqlite3
import subprocess
import time
import xml.etree.ElementTree as ET
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import run_kiosk

pytestmark = pytest.mark.slow
FOLDER_ID = "stellingenkiosk"


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def generate(home: Path) -> str:
    subprocess.run(["syncthing", "generate", "--home", str(home), "--no-default-folder"],
                   check=True, capture_output=True, timeout=60)
    return subprocess.run(["syncthing", "--home", str(home), "--device-id"], check=True,
                          capture_output=True, text=True, timeout=60).stdout.strip()


def configure(home: Path, me: str, port: int, peer: str, peer_port: int, folder: Path,
              kind: str) -> None:
    """Loopback only, the peer at a fixed address, one shared folder of ``kind``."""
    path = home / "config.xml"
    root = ET.parse(path).getroot()
    options = root.find("options")
    for name, value in (("listenAddress", f"tcp://127.0.0.1:{port}"),
                        ("globalAnnounceEnabled", "false"), ("localAnnounceEnabled", "false"),
                        ("relaysEnabled", "false"), ("natEnabled", "false"),
                        ("urAccepted", "-1"), ("autoUpgradeIntervalH", "0"),
                        ("crashReportingEnabled", "false"), ("startBrowser", "false")):
        element = options.find(name)
        if element is None:
            element = ET.SubElement(options, name)
        element.text = value
    for old in root.findall("folder"):
        root.remove(old)
    peer_device = ET.SubElement(root, "device", id=peer, name="peer", compression="metadata",
                                introducer="false", skipIntroductionRemovals="false",
                                introducedBy="")
    ET.SubElement(peer_device, "address").text = f"tcp://127.0.0.1:{peer_port}"
    ET.SubElement(peer_device, "autoAcceptFolders").text = "false"
    shared = ET.Element("folder", id=FOLDER_ID, label=FOLDER_ID, path=str(folder), type=kind,
                        rescanIntervalS="2", fsWatcherEnabled="false", ignorePerms="false",
                        autoNormalize="true")
    for device in (me, peer):
        ET.SubElement(shared, "device", id=device, introducedBy="")
    ET.SubElement(shared, "filesystemType").text = "basic"
    root.insert(0, shared)
    ET.ElementTree(root).write(path)


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.5)  # polling another program's files: there is no signal to wait on


def same_file(a: Path, b: Path) -> bool:
    return b.is_file() and b.stat().st_size == a.stat().st_size and \
        b.read_bytes() == a.read_bytes()


def test_the_syncthing_recipe_carries_the_outbox_to_the_coordinator(tmp_path: Path) -> None:
    assert shutil.which("syncthing"), "make test installs syncthing (scripts/system-deps.sh)"
    laptop_home, coordinator_home = tmp_path / "st-laptop", tmp_path / "st-coordinator"
    outbox, received = tmp_path / "outbox", tmp_path / "Sync" / "stellingenkiosk"
    outbox.mkdir()
    received.mkdir(parents=True)
    (outbox / ".stignore").write_text("*.tmp*\n", encoding="utf-8")
    laptop, coordinator = generate(laptop_home), generate(coordinator_home)
    laptop_port, coordinator_port = free_port(), free_port()
    configure(laptop_home, laptop, laptop_port, coordinator, coordinator_port, outbox,
              "sendonly")
    configure(coordinator_home, coordinator, coordinator_port, laptop, laptop_port, received,
              "receiveonly")
    processes = [
        subprocess.Popen(["syncthing", "serve", "--home", str(home), "--no-browser",
                          "--no-restart", f"--gui-address=127.0.0.1:{free_port()}"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for home in (laptop_home, coordinator_home)
    ]
    try:
        data = tmp_path / "laptop"
        made = run_kiosk("simulate", "--visits", "3", "--seed", "1", "--no-speech", "--size",
                         "1024x768", "--data-dir", str(data), "--outbox", str(outbox),
                         timeout=300)
        assert made.returncode == 0, made.stderr
        (snapshot,) = outbox.glob("kiosk-*.db")
        wait_for(lambda: same_file(snapshot, received / snapshot.name), 180,
                 "Syncthing to carry the snapshot")
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    central = tmp_path / "centraal"
    merged = run_kiosk("merge", str(received), "--data-dir", str(central))
    assert merged.returncode == 0, merged.stderr
    with closing(sqlite3.connect(data / "kiosk.db")) as laptop_db, \
            closing(sqlite3.connect(central / "kiosk.db")) as central_db:
        query = "SELECT count(*) FROM answer"
        assert central_db.execute(query).fetchone() == laptop_db.execute(query).fetchone()
