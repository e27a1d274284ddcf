"""`cces rfid decode|encode|asset-epc`: JSON for programs, words for people, exit code 2 and one
line in Vietnamese and English for a value that does not fit its scheme."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cces.cli import main


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    for name in ("CCES_ASSETS_GS1_COMPANY_PREFIX", "CCES_ASSETS_GID_MANAGER", "CCES_CONFIG"):
        monkeypatch.delenv(name, raising=False)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_decode_json(cli) -> None:
    code, out, _ = cli("rfid", "decode", "3434257BF400000000BC6038", "--json")
    result = json.loads(out)
    assert code == 0
    assert result["scheme"] == "giai-96"
    assert result["tag_uri"] == "urn:epc:tag:giai-96:1.0614141.12345400"
    assert result["pure_uri"] == "urn:epc:id:giai:0614141.12345400"
    assert result["fields"] == {"company_prefix": "0614141", "asset_reference": "12345400"}


def test_decode_for_people(cli) -> None:
    code, out, _ = cli("rfid", "decode", "3074257bf7194e4000001a85")
    assert code == 0
    assert "SGTIN-96" in out and "urn:epc:tag:sgtin-96:3.0614141.812345.6789" in out
    assert "(01)80614141123458(21)6789" in out and "{" not in out


def test_encode_json_upper_case_hex(cli) -> None:
    code, out, _ = cli("rfid", "encode", "urn:epc:tag:sgtin-96:3.0614141.812345.6789", "--json")
    assert code == 0 and json.loads(out)["hex"] == "3074257BF7194E4000001A85"
    code, out, _ = cli("rfid", "encode", "urn:epc:id:giai:0614141.0012", "--filter", "1", "--json")
    assert code == 0 and json.loads(out)["tag_uri"] == "urn:epc:tag:giai-202:1.0614141.0012"


@pytest.mark.parametrize(
    "args",
    [
        ("rfid", "encode", "urn:epc:tag:giai-96:1.0614141.0012"),
        ("rfid", "encode", "urn:epc:tag:sgtin-96:3.0614141.812345.274877906944", "--json"),
        ("rfid", "decode", "2D74257BF4499602D2000000"),
        ("rfid", "decode", "not-hex", "--json"),
        ("rfid", "asset-epc", "HQ 2", "--company-prefix", "8934567"),
        ("rfid", "asset-epc", "HQ2"),  # nothing configured
    ],
)
def test_a_value_that_does_not_fit_is_one_line_and_exit_2(cli, args: tuple[str, ...]) -> None:
    code, out, err = cli(*args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("cces: error: ") and " / " in err


def test_asset_epc_from_the_settings(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CCES_ASSETS_GS1_COMPANY_PREFIX", "8934567")
    code, out, _ = cli("rfid", "asset-epc", "00123", "--json")
    assert code == 0 and json.loads(out)["tag_uri"] == "urn:epc:tag:giai-202:0.8934567.00123"
    code, out, _ = cli("rfid", "asset-epc", "123", "--json")
    assert json.loads(out)["scheme"] == "giai-96" and json.loads(out)["asset_number"] == "123"
    code, out, _ = cli("rfid", "asset-epc", "HQ2", "--gid-manager", "95100000", "--serial", "9", "--json")
    assert json.loads(out)["tag_uri"] == "urn:epc:tag:gid-96:95100000.1.9"


def test_the_real_command_exits_2_without_a_traceback() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "cces", "rfid", "encode", "urn:epc:tag:giai-96:1.0614141.0012", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2 and run.stdout == "" and "Traceback" not in run.stderr
    assert "leading zeros" in run.stderr and "số 0 ở đầu" in run.stderr
    ok = subprocess.run(
        [sys.executable, "-m", "cces", "rfid", "decode", "3474257BF40000000000162E", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0 and json.loads(ok.stdout)["tag_uri"] == "urn:epc:tag:giai-96:3.0614141.5678"


def test_decode_and_encode_run_on_a_device_without_the_hub_dependencies() -> None:
    """A device installs `cces[agent]` only: the codec commands must not need FastAPI, PostgreSQL, fpdf…"""
    blocked = ["fastapi", "psycopg", "psycopg_pool", "nicegui", "amqtt", "pgserver", "fpdf", "qrcode", "openpyxl"]
    code = (
        "import sys\n"
        f"for name in {blocked!r}: sys.modules[name] = None\n"
        "from cces.cli import main\n"
        "assert main(['rfid', 'decode', '350007AB70425D4000000586', '--json']) == 0\n"
        "sys.exit(main(['rfid', 'encode', 'urn:epc:tag:gid-96:31415.271828.1414']))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "urn:epc:id:gid:31415.271828.1414" in run.stdout and "350007AB70425D4000000586" in run.stdout
