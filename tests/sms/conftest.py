"""Fixtures of the SMS end-to-end tests: a gammu database, a committed gateway and a real gammu-smsd."""
import os
import secrets

import psycopg2
import pytest
from e2e_support import wait_for
from hd_sms_support import PHONE_ID, SOCKET, GammuDb, Modem, load_schema, smsd_config

from odoo import SUPERUSER_ID, api


@pytest.fixture
def gammu_db():
    name = f"hd_sms_gammu_{secrets.token_hex(4)}"
    admin = psycopg2.connect(host=SOCKET, dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cr:
        cr.execute(f'CREATE DATABASE "{name}"')
    with psycopg2.connect(host=SOCKET, dbname=name) as conn, conn.cursor() as cr:
        cr.execute(load_schema())
    conn.close()
    yield GammuDb(name)
    with admin.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture
def committed_env(odoo_registry):
    """Run a function in its own committed Odoo transaction: committed_env(lambda env: ...)."""

    def run(function):
        with odoo_registry.cursor() as cr:
            return function(api.Environment(cr, SUPERUSER_ID, {}))

    return run


@pytest.fixture
def gateway(gammu_db, committed_env):
    """A committed gateway on the test's gammu database and a team that answers by SMS.

    Everything the test creates in Odoo (tickets, contacts, SMS) is removed afterwards.
    """

    def setup(env):
        marks = {model: env[model].search([], order="id desc", limit=1).id
                 for model in ("helpdesk.ticket", "res.partner", "helpdesk.sms.message", "sms.sms")}
        # The importer writes in the company's language; the texts checked here are English.
        env["res.lang"]._activate_lang("en_US")
        company_partner = env.company.partner_id
        marks["lang"] = company_partner.lang
        company_partner.lang = "en_US"
        team = env["helpdesk.team"].create({"name": f"SMS Test {gammu_db.name}", "assignment_method": "manual"})
        gw = env["helpdesk.sms.gateway"].create({
            "name": f"Test modem {gammu_db.name}",
            "dsn": gammu_db.dsn,
            "phone_id": PHONE_ID,
            "team_id": team.id,
            "country_id": env.ref("base.id").id,
            "polling": False,
            "delivery_report": False,
        })
        team.write({"sms_gateway_id": gw.id, "sms_notify_created": True})
        return gw.id, team.id, marks, gw.token

    gateway_id, team_id, marks, token = committed_env(setup)
    yield {"id": gateway_id, "team_id": team_id, "token": token, "db": gammu_db}

    def cleanup(env):
        env["helpdesk.ticket"].with_context(active_test=False).search(
            [("id", ">", marks["helpdesk.ticket"])]).unlink()
        env["helpdesk.sms.message"].search([("id", ">", marks["helpdesk.sms.message"])]).unlink()
        env["sms.sms"].search([("id", ">", marks["sms.sms"])]).unlink()
        env["helpdesk.team"].browse(team_id).write({"sms_gateway_id": False})
        env["helpdesk.sms.gateway"].browse(gateway_id).unlink()
        env["helpdesk.team"].browse(team_id).unlink()
        env["res.partner"].with_context(active_test=False).search([("id", ">", marks["res.partner"])]).unlink()
        env.company.partner_id.lang = marks["lang"]

    committed_env(cleanup)


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
