"""Fixtures of the SMS end-to-end tests: a real gammu-smsd (the gammu database and the committed
gateway are in tests/conftest.py, shared with the production set-up test)."""
import os

import pytest
from e2e_support import wait_for
from hd_sms_support import PHONE_ID, Modem, smsd_config


@pytest.fixture
def smsd(gateway, odoo_url, start_program, tmp_path):
    """A real gammu-smsd on the dummy phone and the gateway's database, RunOnReceive calling Odoo."""
    phone = tmp_path / "phone"
    phone.mkdir()
    token_file = tmp_path / "token"
    token_file.write_text(gateway["token"])
    os.chmod(token_file, 0o600)
    url = f"{odoo_url}/helpdesk_sms/gateway/{gateway['id']}/received"
    config = tmp_path / "smsdrc"
    config.write_text(smsd_config(phone, gateway["db"].name, url, token_file))
    daemon = start_program(["gammu-smsd", "-c", str(config)], name="gammu-smsd")
    wait_for(lambda: gateway["db"].query('SELECT 1 FROM phones WHERE "ID" = %s', [PHONE_ID]) or not daemon.alive(),
             timeout=20, message="gammu-smsd to register its phone")
    assert daemon.alive(), daemon.log()
    yield Modem(tmp_path, config)
    assert daemon.alive(), f"gammu-smsd died during the test:\n{daemon.log()}"
