"""Fixtures of the production set-up test: deploy/start.sh (nginx in front of Odoo in prefork mode)
on the test database, and the Odoo data it needs committed (removed afterwards).
"""


import pytest
from hd_deploy_support import start_production, stop_production


@pytest.fixture
def quiet_crons(committed_env):
    """The test database is shared with the rest of the suite: the set-up's cron worker must not run
    the scheduled actions of the demo data (SLA escalation, imports...). They are postponed for the
    test and given back their schedule afterwards; a test triggers the job it wants run."""

    def postpone(env):
        env.cr.execute("SELECT id, nextcall FROM ir_cron WHERE active")
        saved = env.cr.fetchall()
        env.cr.execute("UPDATE ir_cron SET nextcall = now() at time zone 'UTC' + interval '1 year' WHERE active")
        return saved

    saved = committed_env(postpone)
    yield

    def restore(env):
        for cron_id, nextcall in saved:
            env.cr.execute("UPDATE ir_cron SET nextcall = %s WHERE id = %s", (nextcall, cron_id))

    committed_env(restore)


@pytest.fixture
def webhook_pbx(committed_env):
    """A webhook PBX of the Service Desk, with its token; its calls and the PBX removed afterwards."""

    def create(env):
        pbx = env["helpdesk.voip.pbx"].create(
            {
                "name": "PBX of the production set-up test",
                "kind": "webhook",
                "team_id": env.ref("helpdesk_ticketing.team_service_desk").id,
            }
        )
        return {"id": pbx.id, "token": pbx.token}

    pbx = committed_env(create)
    yield pbx

    def cleanup(env):
        calls = env["helpdesk.voip.call"].with_context(active_test=False).search([("pbx_id", "=", pbx["id"])])
        env["mail.activity"].search([("res_model", "=", "helpdesk.voip.call"), ("res_id", "in", calls.ids)]).unlink()
        calls.unlink()
        env["helpdesk.voip.pbx"].browse(pbx["id"]).unlink()

    committed_env(cleanup)


@pytest.fixture
def portal_tickets(committed_env):
    """portal_tickets(subject) -> subject: the tickets of that subject are deleted after the test, once the
    set-up is stopped (its cron worker acts on new tickets). Request it before the set-up's fixture."""
    subjects = []

    def register(subject):
        subjects.append(subject)
        return subject

    yield register
    if subjects:
        committed_env(lambda env: env["helpdesk.ticket"].search([("name", "in", subjects)]).unlink())


@pytest.fixture
def production(quiet_crons, start_program, tmp_path):
    """One node: nginx, Odoo prefork with 2 HTTP workers, the gevent process and 1 cron worker."""
    production = start_production(
        start_program, tmp_path / "run", HELPDESK_NODES="1", HELPDESK_WORKERS="2", HELPDESK_CRON_WORKERS="1"
    )
    yield production
    stop_production(production)


@pytest.fixture
def scaled_out(quiet_crons, start_program, tmp_path):
    """Two nodes behind nginx (each prefork with 2 HTTP workers, gevent and a cron worker) and a
    streaming replica of PostgreSQL serving their read-only routes."""
    production = start_production(
        start_program,
        tmp_path / "run",
        HELPDESK_NODES="2",
        HELPDESK_WORKERS="2",
        HELPDESK_CRON_WORKERS="1",
        HELPDESK_REPLICA="1",
    )
    yield production
    stop_production(production)


@pytest.fixture
def two_nodes(quiet_crons, start_program, tmp_path):
    """Two nodes behind nginx, each prefork with 2 HTTP workers, its gevent process and a cron worker."""
    production = start_production(
        start_program, tmp_path / "run", HELPDESK_NODES="2", HELPDESK_WORKERS="2", HELPDESK_CRON_WORKERS="1"
    )
    yield production
    stop_production(production)
