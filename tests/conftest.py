"""Shared fixtures for the end-to-end tests against real external programs.

The pytest-odoo plugin has already loaded the registry of the test database;
programs are started on 127.0.0.1 in temporary folders and stopped by PID.
"""
import os
import secrets

import psycopg2
import pytest
from e2e_support import Program, require_program
from hd_sms_support import PHONE_ID, SOCKET, GammuDb, load_schema

import odoo
from odoo import SUPERUSER_ID, api


@pytest.fixture
def start_program(tmp_path):
    """start_program(args, name=...) -> Program; every program is stopped after the test."""
    programs = []

    def start(args, name=None, **kwargs):
        require_program(args[0])
        log_path = tmp_path / f"{name or os.path.basename(args[0])}-{len(programs)}.log"
        program = Program(args, log_path=str(log_path), **kwargs)
        programs.append(program)
        return program

    yield start
    for program in reversed(programs):
        program.stop()


@pytest.fixture
def odoo_registry():
    from odoo.tests.common import get_db_name

    return odoo.modules.registry.Registry(get_db_name())


@pytest.fixture
def odoo_env(odoo_registry):
    """An environment on its own cursor, rolled back after the test."""
    with odoo_registry.cursor() as cr:
        yield api.Environment(cr, SUPERUSER_ID, {})
        cr.rollback()


@pytest.fixture
def odoo_url():
    """Base URL of the Odoo HTTP server that pytest-odoo started (--odoo-http)."""
    return f"http://127.0.0.1:{odoo.tools.config['http_port']}"


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
