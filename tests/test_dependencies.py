"""The lock files pin the whole tree with hashes and agree with the chosen versions in requirements*.txt."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.db_independent  # no database: the SQLite leg runs it, the PostgreSQL leg need not

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;\\]+)", re.MULTILINE)


def pins(path: Path) -> dict[str, str]:
    return {name.lower().replace("_", "-"): version for name, version in PIN.findall(path.read_text())}


@pytest.mark.parametrize(("chosen", "lock"), [("requirements.txt", "requirements.lock"),
                                               ("requirements-dev.txt", "requirements-dev.lock")])  # fmt: skip
def test_lock_file_pins_every_chosen_package_at_the_chosen_version(chosen, lock):
    locked = pins(ROOT / lock)
    for name, version in pins(ROOT / chosen).items():
        assert locked.get(name) == version, f"{name}=={version} from {chosen} is not in {lock}; run `make lock`"


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_every_locked_package_carries_a_hash(lock):
    blocks = re.split(r"\n(?=[A-Za-z0-9])", (ROOT / lock).read_text())
    packages = [b for b in blocks if PIN.match(b)]
    assert packages and all("--hash=sha256:" in b for b in packages)


def test_the_runtime_lock_is_part_of_the_dev_lock():
    runtime, dev = pins(ROOT / "requirements.lock"), pins(ROOT / "requirements-dev.lock")
    assert {k: dev.get(k) for k in runtime} == runtime
