"""The people, teams and customers of the unit tests of every helpdesk addon, made by the tests themselves.

No demo record is used: the unit tests pass on a database without demo data. The scenario suites that
prove the demo configuration works for each role (test_demo_roles*.py, the tours) run on the demo data.
Other addons import from here (``from odoo.addons.helpdesk_ticketing.tests.common import HelpdeskCase``)
and add their own records in a small subclass.
"""
import email
import email.policy
import json
import socketserver
import threading
import time
from contextlib import contextmanager

import psycopg2.errors

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, Form, TransactionCase, new_test_user
from odoo.tests.common import get_db_name
from odoo.tools import mute_logger

AGENT = "helpdesk_ticketing.group_helpdesk_user"
LEADER = "helpdesk_ticketing.group_helpdesk_leader"
MANAGER = "helpdesk_ticketing.group_helpdesk_manager"
EMPLOYEE = "base.group_user"
PORTAL = "base.group_portal"


def create_staff(env, login, groups, name, **values):
    """An internal user working in Jakarta, with an e-mail address; the password is the login (new_test_user)."""
    values.setdefault("email", f"{login}@example.co.id")
    return new_test_user(env, login=login, groups=groups, name=name, tz="Asia/Jakarta", **values)


def create_portal_user(env, login, contact, **values):
    """The portal user of a customer's contact, who keeps the contact's name and e-mail address."""
    return new_test_user(env, login=login, groups=PORTAL, partner_id=contact.id, name=contact.name,
                         email=contact.email, **values)


class HelpdeskCase(TransactionCase):
    """Two teams (L1 service desk → L2 network), their people, two customers with a portal user each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, tracking_disable=False, mail_create_nolog=False))
        cls.env = env
        # Customers and staff read English, whatever language the database speaks by default.
        env["res.lang"]._activate_lang("en_US")
        env["ir.default"].set("res.partner", "lang", "en_US")
        cls.stage_new = env.ref("helpdesk_ticketing.stage_new")
        cls.stage_progress = env.ref("helpdesk_ticketing.stage_in_progress")
        cls.stage_waiting = env.ref("helpdesk_ticketing.stage_waiting")
        cls.stage_solved = env.ref("helpdesk_ticketing.stage_solved")
        cls.stage_cancelled = env.ref("helpdesk_ticketing.stage_cancelled")
        # Rules and SLAs of the database (demo data) would interfere with the scenarios: tests set their own.
        env["helpdesk.approval.rule"].search([]).active = False
        env["helpdesk.sla"].search([]).active = False

        cls.agent_a = create_staff(env, "t_agent_a", AGENT, "Agen Ayu")
        cls.agent_b = create_staff(env, "t_agent_b", AGENT, "Agen Bagus")
        cls.agent_net = create_staff(env, "t_agent_net", AGENT, "Agen Jaringan")
        cls.leader = create_staff(env, "t_leader", LEADER, "Ketua Tim")
        cls.leader_other = create_staff(env, "t_leader2", LEADER, "Ketua Lain")
        cls.manager = create_staff(env, "t_manager", MANAGER, "Manajer")
        cls.team_net = env["helpdesk.team"].create({
            "name": "Tim Jaringan",
            "level": "2",
            "leader_id": cls.leader_other.id,
            "assignment_method": "manual",
            "member_line_ids": [(0, 0, {"user_id": cls.agent_net.id})],
        })
        cls.team_sd = env["helpdesk.team"].create({
            "name": "Tim Layanan",
            "level": "1",
            "leader_id": cls.leader.id,
            "escalation_team_id": cls.team_net.id,
            "assignment_method": "manual",
            "member_line_ids": [
                (0, 0, {"user_id": cls.agent_a.id, "region": "Jakarta"}),
                (0, 0, {"user_id": cls.agent_b.id, "region": "Bandung"}),
            ],
        })
        Partner = env["res.partner"]
        cls.customer = Partner.create({"name": "PT Sentosa Abadi", "is_company": True})
        # Mobile numbers no demo contact has: calls and SMS from them find these contacts only.
        cls.contact = Partner.create({
            "name": "Wahyu Hidayat", "parent_id": cls.customer.id, "email": "wahyu@sentosa.example.co.id",
            "phone": "+62 812 7777 1111",
        })
        cls.portal_user = create_portal_user(env, "t_portal", cls.contact)
        cls.other_customer = Partner.create({"name": "CV Lain Sendiri", "is_company": True})
        cls.other_contact = Partner.create({
            "name": "Yanti Kusuma", "parent_id": cls.other_customer.id, "email": "yanti@lain.example.co.id",
            "phone": "+62 813 7777 2222",
        })
        cls.other_portal_user = create_portal_user(env, "t_portal_other", cls.other_contact)
        cls.category = env["helpdesk.category"].create({"name": "Perangkat Keras"})

    @classmethod
    def create_work_permit_rule(cls, supervisor, **category_values):
        """A data-centre site and a visit category whose tickets wait for the site supervisor's work permit."""
        site = cls.env["helpdesk.site"].create({"name": "DC Cibitung", "supervisor_id": supervisor.id})
        visit = cls.env["helpdesk.category"].create({"name": "Kunjungan DC", "requires_visit": True,
                                                     **category_values})
        cls.env["helpdesk.approval.rule"].create({
            "name": "Izin kerja DC", "kind": "validation", "category_ids": [(6, 0, visit.ids)],
            "approver": "site_supervisor",
        })
        return site, visit

    def ticket(self, **vals):
        values = {"name": "Laptop mati total", "partner_id": self.contact.id, "team_id": self.team_sd.id}
        values.update(vals)
        return self.env["helpdesk.ticket"].create(values)

    def ticket_opened_at(self, when, **vals):
        """A ticket as if opened at `when` (UTC), its SLA deadlines planned from then."""
        ticket = self.ticket(**vals)
        self.env.flush_all()
        self.env.cr.execute("UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s", [when, ticket.id])
        ticket.invalidate_recordset(["create_date"])
        ticket._apply_sla()
        return ticket

    def decide(self, approval, user, decision, comment=None):
        """Approve or reject through the decision wizard, as the web client does."""
        action = approval.with_user(user).with_context(decision=decision).action_open_decision_wizard()
        with Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"])) as wizard:
            if comment:
                wizard.comment = comment
        return wizard.record.action_confirm()


class WebClientCalls:
    """For HttpCase: what the browser asks, pages (url_open) and ORM calls (call_kw); the test's environment
    then forgets what it cached, since the server wrote through an environment of its own."""

    def url_open(self, *args, **kwargs):
        response = super().url_open(*args, **kwargs)
        self.env.invalidate_all()
        return response

    def make_jsonrpc_request(self, *args, **kwargs):
        try:
            return super().make_jsonrpc_request(*args, **kwargs)
        finally:
            self.env.invalidate_all()

    def call_kw(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def call_button_read_only(self, model, method, ids=None):
        """A button of the web client (call_button) that only reads: Odoo serves it in a read-only
        transaction (a replica's, when there is one); a write would fail there and be retried on the
        primary with a warning, which this refuses. ``ids=None`` for a model method. Returns the action."""
        function = getattr(type(self.env[model]), method)
        self.assertTrue(getattr(function, "_readonly", False), f"{model}.{method} is not marked @api.readonly")
        with self.assertNoLogs("odoo.http", "WARNING"):
            return self.make_jsonrpc_request(
                f"/web/dataset/call_button/{model}/{method}",
                {"model": model, "method": method, "args": [] if ids is None else [ids], "kwargs": {}},
            )

    def home_action_id(self):
        """The action the web client opens at /odoo: the session info of the page."""
        response = self.url_open("/odoo")
        self.assertEqual(response.status_code, 200)
        start = response.text.index("odoo.__session_info__ = ") + len("odoo.__session_info__ = ")
        session_info, _end = json.JSONDecoder().raw_decode(response.text, start)
        return session_info["home_action_id"]


class CommittedCase(BaseCase):
    """For what needs two real connections at once (row locks, concurrent creators): the set-up is committed,
    and what a test remembers is deleted after it."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        self._created = []
        self.addCleanup(self._delete_created)

    @contextmanager
    def committed_env(self, uid=SUPERUSER_ID, **context):
        """An environment on a cursor of its own, committed when the block ends."""
        with self.registry.cursor() as cr:
            yield api.Environment(cr, uid, context)

    def remember(self, records):
        """The list of the records' ids, whose records (ids added later included) are deleted after the test,
        the last remembered first."""
        ids = list(records.ids)
        self._created.append((records._name, ids))
        return ids

    def attempt(self, work, *args):
        """Run work(env, *args) in a transaction of its own, as a request or an importer does; its outcome:
        "done", or the name of the serialization failure or user error that ended it."""
        try:
            with mute_logger("odoo.sql_db"), self.committed_env() as env:  # "bad query": the conflict
                work(env, *args)
        except (psycopg2.errors.SerializationFailure, UserError) as error:
            return type(error).__name__
        return "done"

    def wait_for_lock_waiter(self):
        """Until another connection of this database waits for a row lock."""
        for _ in range(100):
            with self.registry.cursor() as cr:
                cr.execute("""SELECT count(*) FROM pg_stat_activity
                               WHERE datname = current_database() AND wait_event_type = 'Lock'""")
                if cr.fetchone()[0]:
                    return
            time.sleep(0.1)
        self.fail("nobody waits for the lock")

    def _delete_created(self):
        with self.committed_env() as env:
            for model, ids in reversed(self._created):
                env[model].browse(ids).exists().unlink()


class _SmtpSession(socketserver.StreamRequestHandler):
    """One SMTP conversation (RFC 5321's minimum: EHLO, MAIL, RCPT, DATA, QUIT); each message is kept
    as the server received it."""

    def reply(self, line):
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        self.reply("220 127.0.0.1 helpdesk test SMTP")
        envelope = {"rcpt": []}
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self.reply("250-127.0.0.1")
                self.reply("250 8BITMIME")
            elif verb == "MAIL":
                envelope = {"from": command[10:].strip("<> "), "rcpt": []}
                self.reply("250 OK")
            elif verb == "RCPT":
                envelope["rcpt"].append(command[8:].strip("<> "))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                envelope["message"] = email.message_from_bytes(b"".join(data), policy=email.policy.default)
                self.server.received.append(envelope)
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:  # RSET, NOOP, HELO...
                self.reply("250 OK")


@contextmanager
def smtp_server():
    """A real SMTP server on 127.0.0.1 (a free port) for as long as the block runs; yields the
    ir.mail_server values that reach it and the list the received messages go to. Odoo does not send
    e-mail while tests run (``ir.mail_server._disable_send``): tests using this allow it."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpSession)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"name": "Test SMTP", "smtp_host": "127.0.0.1", "smtp_port": server.server_address[1],
               "smtp_encryption": "none"}, server.received
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
