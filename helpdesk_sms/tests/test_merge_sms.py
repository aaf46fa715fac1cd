"""SMS of merged tickets: they move with the merge, and an SMS quoting an old code lands on the surviving
ticket exactly once, also while the merge runs (two real connections)."""

import itertools
import threading

import psycopg2.errors

from odoo import api
from odoo.addons.helpdesk_ticketing.tests.common import MANAGER, CommittedCase, create_staff
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..tools.gammu_store import InboxRow
from .common import HelpdeskSmsCase

INBOX_IDS = itertools.count(1)


def inbox_group(gateway, sender, text, inbox_id=None):
    """One received SMS as the importer reads it from gammu-smsd's inbox."""
    row = InboxRow((inbox_id or next(INBOX_IDS), sender, "Default_No_Compression", "", "", text, 0))
    return gateway._make_group([row])


def short_code(ticket):
    return f"HD{int(ticket.code.rsplit('/', 1)[1])}"


@tagged("post_install", "-at_install")
class TestMergeSms(HelpdeskSmsCase):
    def test_sms_move_with_the_merge_and_old_codes_reach_the_surviving_ticket(self):
        old = self.env["helpdesk.ticket"].create({
            "name": "Printer rusak lagi", "partner_id": self.contact.id, "team_id": self.team.id,
        })
        Sms = self.env["helpdesk.sms.message"]
        Sms._import_groups(self.gateway, [inbox_group(self.gateway, "+6281277771111", f"{short_code(old)} kertas")])
        received = Sms.search([("ticket_id", "=", old.id)])
        self.assertEqual(len(received), 1)
        sent = self.env["sms.sms"].create({
            "number": "+6281277771111", "body": "Teknisi menuju lokasi", "helpdesk_ticket_id": old.id,
            "gammu_gateway_id": self.gateway.id, "state": "sent",
        })

        old.with_user(self.leader)._merge_into(self.ticket)
        self.assertEqual(received.ticket_id, self.ticket)
        self.assertEqual(received.mail_message_id.res_id, self.ticket.id)
        self.assertEqual(sent.helpdesk_ticket_id, self.ticket)
        self.assertEqual(self.ticket.sms_count, 1)

        Sms._import_groups(self.gateway, [inbox_group(self.gateway, "+6281277771111",
                                                      f"{short_code(old)} masih rusak")])
        reply = Sms.search([("body", "=", f"{short_code(old)} masih rusak")])
        self.assertEqual(reply.ticket_id, self.ticket, "the old code names the surviving ticket")
        self.assertFalse(old.message_ids.filtered(lambda m: "masih rusak" in str(m.body)))


@tagged("post_install", "-at_install")
class TestMergeSmsConcurrency(CommittedCase):
    """A merge and an SMS quoting the merged ticket's code, in two transactions at the same time."""

    def setUp(self):
        super().setUp()
        with self.committed_env(tracking_disable=True) as env:
            team = env["helpdesk.team"].create({"name": "Tim Gabung SMS", "assignment_method": "manual"})
            self.remember(team)
            self.manager = self.remember(create_staff(env, "t_merge_sms_manager", MANAGER, "Manajer Gabung"))[0]
            customer = env["res.partner"].create({"name": "PT Dua Pesan", "is_company": True})
            contact = env["res.partner"].create({
                "name": "Rudi Pesan", "parent_id": customer.id, "phone": "+62 812 5555 0101",
                "country_id": env.ref("base.id").id,
            })
            self.remember(customer | contact)
            gateway = env["helpdesk.sms.gateway"].create({
                "name": "Modem Gabung", "dsn": "host=/var/run/postgresql dbname=hd_sms_merge_no_such_db",
                "country_id": env.ref("base.id").id, "polling": False, "team_id": team.id,
            })
            self.gateway = self.remember(gateway)[0]
            Ticket = env["helpdesk.ticket"]
            self.survivor = self.remember(Ticket.create({"name": "Kasir mati", "partner_id": contact.id,
                                                         "team_id": team.id}))[0]
            merged = Ticket.create({"name": "Kasir mati lagi", "partner_id": contact.id, "team_id": team.id})
            self.merged = self.remember(merged)[0]
            self.text = f"{short_code(merged)} kasir masih mati"
        self.addCleanup(self._delete_sms)

    def _delete_sms(self):
        with self.committed_env() as env:
            env["helpdesk.sms.message"].search([("gateway_id", "=", self.gateway)]).unlink()

    def receive(self, env, inbox_id):
        gateway = env["helpdesk.sms.gateway"].browse(self.gateway)
        env["helpdesk.sms.message"]._import_groups(gateway, [inbox_group(gateway, "+6281255550101", self.text,
                                                                          inbox_id)])

    def merge(self, env):
        Ticket = env["helpdesk.ticket"].with_user(self.manager)
        Ticket.browse(self.merged)._merge_into(Ticket.browse(self.survivor))

    def assert_landed_once_on_survivor(self, inbox_id):
        with self.committed_env() as env:
            sms = env["helpdesk.sms.message"].search([("gateway_id", "=", self.gateway), ("gammu_id", "=", inbox_id)])
            self.assertEqual(len(sms), 1)
            self.assertEqual(sms.ticket_id.id, self.survivor)
            Ticket = env["helpdesk.ticket"]
            self.assertEqual(Ticket.browse(self.merged).merged_into_id.id, self.survivor)
            on_survivor = Ticket.browse(self.survivor).message_ids.filtered(lambda m: self.text in str(m.body))
            self.assertEqual(len(on_survivor), 1)
            self.assertFalse(Ticket.browse(self.merged).message_ids.filtered(lambda m: self.text in str(m.body)))

    def test_sms_arriving_during_the_merge_waits_and_lands_on_the_surviving_ticket(self):
        outcome = {}

        def sms_intake():
            outcome["first"] = self.attempt(self.receive, 9101)

        with self.registry.cursor() as cr:
            self.merge(api.Environment(cr, self.manager, {}))
            intake = threading.Thread(target=sms_intake)
            intake.start()
            self.wait_for_lock_waiter()  # the SMS waits for the merge's rows
        intake.join(10)
        self.assertEqual(outcome["first"], "SerializationFailure")
        # The importer tries the batch again (helpdesk.sms.gateway._import_inbox): now it knows the merge.
        self.assertEqual(self.attempt(self.receive, 9101), "done")
        self.assert_landed_once_on_survivor(9101)

    def test_merge_during_an_sms_import_waits_then_moves_the_sms(self):
        with self.registry.cursor() as cr:
            self.receive(api.Environment(cr, api.SUPERUSER_ID, {}), 9102)
            # The merge cannot take the rows the import holds: the leader is asked to try again.
            self.assertEqual(self.attempt(self.merge), "UserError")
        self.assertEqual(self.attempt(self.merge), "done")
        self.assert_landed_once_on_survivor(9102)

    def test_merge_that_started_before_the_sms_is_replayed_and_moves_it(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, self.manager, {})
            env["helpdesk.ticket"].browse(self.merged).read(["code"])  # the merge's snapshot is taken here
            self.assertEqual(self.attempt(self.receive, 9103), "done")
            with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.SerializationFailure):
                self.merge(env)
            cr.rollback()
        # Odoo replays the request on a serialization failure: the merge then sees the SMS and moves it.
        self.assertEqual(self.attempt(self.merge), "done")
        self.assert_landed_once_on_survivor(9103)
