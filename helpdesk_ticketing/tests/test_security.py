from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import EMPLOYEE, HelpdeskCase, create_staff


@tagged("post_install", "-at_install")
class TestSecurity(HelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Ticket = cls.env["helpdesk.ticket"]
        cls.t_sd = Ticket.create({"name": "Tiket layanan", "partner_id": cls.contact.id, "team_id": cls.team_sd.id})
        cls.t_net = Ticket.create({"name": "Tiket jaringan", "partner_id": cls.contact.id, "team_id": cls.team_net.id})
        cls.t_other = Ticket.create(
            {"name": "Tiket pelanggan lain", "partner_id": cls.other_customer.id, "team_id": cls.team_sd.id}
        )

    def visible(self, user):
        return self.env["helpdesk.ticket"].with_user(user).search(
            [("id", "in", (self.t_sd | self.t_net | self.t_other).ids)]
        )

    def test_agent_sees_only_own_teams(self):
        self.assertEqual(self.visible(self.agent_a), self.t_sd | self.t_other)
        self.assertEqual(self.visible(self.agent_net), self.t_net)
        with self.assertRaises(AccessError):
            self.t_net.with_user(self.agent_a).read(["name"])
        with self.assertRaises(AccessError):
            self.t_net.with_user(self.agent_a).write({"name": "dibajak"})

    def test_team_membership_changes_what_an_agent_sees_at_once(self):
        """The rules name the agent's teams by id and are cached per user: joining or leaving a team, from the
        team's form, takes effect on the agent's next read."""
        self.assertNotIn(self.t_net, self.visible(self.agent_a))
        with Form(self.team_net.with_user(self.manager)) as team, team.member_line_ids.new() as line:
            line.user_id = self.agent_a
        self.assertIn(self.t_net, self.visible(self.agent_a))
        self.assertEqual(self.t_net.with_user(self.agent_a).name, "Tiket jaringan")
        self.team_net.with_user(self.manager).member_line_ids.filtered(lambda m: m.user_id == self.agent_a).unlink()
        self.assertNotIn(self.t_net, self.visible(self.agent_a))
        self.t_net.invalidate_recordset()
        with self.assertRaises(AccessError):
            self.t_net.with_user(self.agent_a).read(["name"])

    def test_agent_sees_ticket_assigned_to_them_outside_team(self):
        self.t_net.user_id = self.agent_a
        self.assertIn(self.t_net, self.visible(self.agent_a))

    def test_agent_cannot_delete_or_configure(self):
        with self.assertRaises(AccessError):
            self.t_sd.with_user(self.agent_a).unlink()
        with self.assertRaises(AccessError):
            self.team_sd.with_user(self.agent_a).write({"assignment_method": "round_robin"})
        with self.assertRaises(AccessError):
            self.env["helpdesk.sla"].with_user(self.agent_a).create({"name": "curang", "resolution_hours": 1})
        with self.assertRaises(AccessError):
            self.env["helpdesk.stage"].with_user(self.leader).create({"name": "Baru", "kind": "new"})

    def test_leader_sees_led_teams(self):
        self.assertEqual(self.visible(self.leader), self.t_sd | self.t_other)
        self.assertEqual(self.visible(self.leader_other), self.t_net)
        # A leader manages members of the teams they lead, not of other teams.
        self.team_sd.member_line_ids[:1].with_user(self.leader).region = "Surabaya"
        with self.assertRaises(AccessError):
            self.team_net.member_line_ids[:1].with_user(self.leader).region = "Surabaya"
        with self.assertRaises(AccessError):
            self.env["helpdesk.team.member"].with_user(self.leader).create(
                {"team_id": self.team_net.id, "user_id": self.agent_a.id}
            )

    def test_manager_sees_everything(self):
        self.assertEqual(self.visible(self.manager), self.t_sd | self.t_net | self.t_other)
        self.t_other.with_user(self.manager).unlink()

    def test_portal_user_sees_own_company_only(self):
        own = self.visible(self.portal_user)
        self.assertEqual(own, self.t_sd | self.t_net)
        with self.assertRaises(AccessError):
            self.t_other.with_user(self.portal_user).read(["name"])
        with self.assertRaises(AccessError):
            self.t_sd.with_user(self.portal_user).write({"priority": "3"})
        with self.assertRaises(AccessError):
            self.env["helpdesk.ticket"].with_user(self.portal_user).create(
                {"name": "langsung", "partner_id": self.contact.id}
            )
        with self.assertRaises(AccessError):
            self.env["helpdesk.escalation"].with_user(self.portal_user).search([])

    def test_employee_without_helpdesk_group_has_no_access(self):
        clerk = create_staff(self.env, "t_clerk", EMPLOYEE, "Pegawai Kantor")
        with self.assertRaises(AccessError):
            self.env["helpdesk.ticket"].with_user(clerk).search([])

    def test_multi_company_isolation(self):
        company_b = self.env["res.company"].create({"name": "PT Anak Perusahaan"})
        team_b = self.env["helpdesk.team"].create({"name": "Tim B", "company_id": company_b.id})
        ticket_b = self.env["helpdesk.ticket"].create(
            {"name": "Tiket B", "partner_id": self.contact.id, "team_id": team_b.id}
        )
        self.assertEqual(ticket_b.company_id, company_b)
        self.assertTrue(ticket_b.code.startswith("HD/"))
        manager = self.manager.with_context(allowed_company_ids=self.env.company.ids)
        self.assertFalse(self.env["helpdesk.ticket"].with_user(manager).search([("id", "=", ticket_b.id)]))
        self.manager.write({"company_ids": [(4, company_b.id)]})
        visible = self.env["helpdesk.ticket"].with_user(self.manager).with_context(
            allowed_company_ids=[self.env.company.id, company_b.id]
        ).search([("id", "=", ticket_b.id)])
        self.assertEqual(visible, ticket_b)

    def test_cross_company_assignment_refused(self):
        company_b = self.env["res.company"].create({"name": "PT Anak Perusahaan"})
        team_b = self.env["helpdesk.team"].create({"name": "Tim B", "company_id": company_b.id})
        agent_b = new_test_user(self.env, login="t_agent_company_b", groups="helpdesk_ticketing.group_helpdesk_user",
                                company_id=company_b.id, company_ids=[(6, 0, company_b.ids)])
        self.manager.write({"company_ids": [(4, company_b.id)]})
        both = self.env["helpdesk.ticket"].with_user(self.manager).with_context(
            allowed_company_ids=[self.env.company.id, company_b.id]
        )
        ticket = both.browse(self.t_sd.id)
        with self.assertRaises(UserError):
            ticket.write({"team_id": team_b.id})
        with self.assertRaises(UserError):
            ticket.write({"user_id": agent_b.id})
        with self.assertRaises(UserError):
            both.create({"name": "Tiket silang", "partner_id": self.contact.id, "team_id": self.team_sd.id,
                         "company_id": company_b.id})
        with self.assertRaises(UserError):
            self.team_sd.with_user(self.manager).escalation_team_id = team_b
        self.assertEqual((ticket.team_id, ticket.user_id, ticket.company_id),
                         (self.team_sd, self.env["res.users"], self.env.company))
