"""Merging and linking tickets on the demo configuration, as each demo role does it in the web client
(SLA policies and approval rules active), and the "Merged Tickets" report."""

import ast

from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, freeze_time, tagged

from .common import WebClientCalls


class DemoMergeCase(WebClientCalls, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.agent = ref("helpdesk_ticketing.user_agent")
        cls.leader = ref("helpdesk_ticketing.user_leader")
        cls.manager = ref("base.user_admin")
        cls.customer = ref("helpdesk_ticketing.user_portal_siti")
        cls.siti = ref("helpdesk_ticketing.partner_siti")
        cls.team_sd = ref("helpdesk_ticketing.team_service_desk")

    def new_ticket_as(self, user, name):
        with Form(self.env["helpdesk.ticket"].with_user(user)) as form:
            form.name = name
            form.partner_id = self.siti
            form.channel = "phone"
        return form.record.with_env(self.env)

    def merge_as(self, user, tickets):
        Wizard = self.env["helpdesk.ticket.merge"].with_user(user).with_context(
            active_model="helpdesk.ticket", active_ids=tickets.ids)
        with Form(Wizard) as wizard:
            target = wizard.target_ticket_id
        wizard.record.action_merge()
        return target.with_env(self.env)


@tagged("post_install", "-at_install")
@freeze_time("2026-11-24 03:00:00")  # Tuesday 10:00 WIB, within the demo calendar's working hours
class TestDemoRolesMerge(DemoMergeCase):
    def test_agent_links_leader_merges_manager_reports(self):
        first = self.new_ticket_as(self.agent, "Printer kasir 3 macet")
        second = self.new_ticket_as(self.agent, "Printer kasir 3 tidak mau cetak")
        self.assertEqual(first.team_id, self.team_sd)

        # The agent links them (both forms show it) but may not merge them.
        with Form(second.with_user(self.agent)) as form:
            form.related_ticket_ids.add(first)
        self.assertEqual(first.related_ticket_ids, second)
        with self.assertRaises(AccessError):
            self.merge_as(self.agent, first | second)
        with self.assertRaisesRegex(AccessError, "Only team leaders"):
            second.with_user(self.agent)._merge_into(first)

        survivor = self.merge_as(self.leader, first | second)
        self.assertEqual(survivor, first)
        self.assertEqual(second.merged_into_id, first)
        self.assertEqual(second.stage_kind, "cancelled")
        self.assertEqual(first.sla_status, "on_track", "the ticket that stays keeps its SLA")

        # The manager's report: merged tickets by team and month, drilled down to the tickets.
        action = self.env.ref("helpdesk_ticketing.helpdesk_ticket_merged_action")
        Ticket = self.env["helpdesk.ticket"].with_user(self.manager)
        domain = ast.literal_eval(action.domain)
        groups = Ticket.formatted_read_group(domain, ["team_id", "merge_date:month"], ["__count"])
        mine = [g for g in groups if g["team_id"] and g["team_id"][0] == self.team_sd.id
                and g["merge_date:month"][1] == "November 2026"]
        self.assertEqual(len(mine), 1)
        self.assertGreaterEqual(mine[0]["__count"], 1)
        self.assertIn(second, Ticket.search(domain + mine[0]["__extra_domain"]))


@tagged("post_install", "-at_install")
class TestDemoPortalMerge(DemoMergeCase):
    def test_merge_button_only_reads(self):
        """Opening the merge wizard from a ticket is served read-only (a replica may take it)."""
        ticket = self.env.ref("helpdesk_ticketing.ticket_printer")
        self.authenticate("leader", "leader")
        action = self.call_button_read_only("helpdesk.ticket", "action_open_merge_wizard", ticket.ids)
        self.assertEqual((action["res_model"], action["context"]["default_ticket_ids"]),
                         ("helpdesk.ticket.merge", ticket.ids))

    def test_customer_opening_the_old_ticket_sees_the_surviving_one(self):
        first = self.new_ticket_as(self.agent, "Internet cabang putus")
        second = self.new_ticket_as(self.agent, "Internet cabang putus lagi")
        self.merge_as(self.leader, first | second)
        self.authenticate(self.customer.login, self.customer.login)
        response = self.url_open(f"/my/tickets/{second.id}")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.url.endswith(f"/my/tickets/{first.id}"))
        self.assertIn(first.code, response.text)
