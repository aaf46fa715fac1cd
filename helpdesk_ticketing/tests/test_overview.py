"""The overview: counts per team that open exactly their tickets, for each role; the home action."""


from lxml import etree

from odoo.tests import HttpCase, tagged
from odoo.tools.safe_eval import safe_eval

from .common import HelpdeskCase, WebClientCalls


@tagged("post_install", "-at_install")
class TestOverview(HelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category_permit = cls.env["helpdesk.category"].create({"name": "Izin Kerja"})
        cls.env["helpdesk.approval.rule"].create({
            "name": "Izin kunjungan", "kind": "validation", "approver": "leader",
            "category_ids": [(6, 0, cls.category_permit.ids)],
        })

        def ticket(name, **vals):
            return cls.env["helpdesk.ticket"].create(
                {"name": name, "partner_id": cls.contact.id, "team_id": cls.team_sd.id, **vals})

        cls.mine_urgent = ticket("Server mati", user_id=cls.agent_a.id, priority="3")
        cls.mine_at_risk = ticket("Printer macet", user_id=cls.agent_a.id)
        cls.unassigned = ticket("Kunjungan DC", category_id=cls.category_permit.id)
        cls.colleague_breached = ticket("Wi-Fi lambat", user_id=cls.agent_b.id)
        cls.mine_closed = ticket("Sudah beres", user_id=cls.agent_a.id, priority="3")
        cls.mine_closed.stage_id = cls.stage_cancelled
        cls.other_team = ticket("Switch rusak", team_id=cls.team_net.id, user_id=cls.agent_net.id)
        # What the SLA cron job would have found (the SLA computation is tested elsewhere).
        cls.mine_at_risk.sla_status = "at_risk"
        cls.colleague_breached.sla_status = "breached"

    def overview(self, user):
        """The counts as the overview's kanban reads them (web_search_read as the user)."""
        fields = ["open_ticket_count", "my_ticket_count", "unassigned_ticket_count", "urgent_ticket_count",
                  "at_risk_ticket_count", "breached_ticket_count", "approval_to_decide_count"]
        result = self.env["helpdesk.team"].with_user(user).web_search_read(
            [("id", "=", self.team_sd.id)], {name: {} for name in fields},
        )
        return {key: value for key, value in result["records"][0].items() if key != "id"}

    def opened_tickets(self, user, method):
        """The tickets a click on a count shows: the action's domain with its default filters."""
        action = getattr(self.team_sd.with_user(user), method)()
        self.assertEqual(action["res_model"], "helpdesk.ticket")
        context = action["context"]
        search_view = etree.fromstring(self.env.ref("helpdesk_ticketing.helpdesk_ticket_view_search").arch)
        domain = list(action["domain"])
        for search_filter in search_view.iter("filter"):
            if context.get(f"search_default_{search_filter.get('name')}"):
                domain += safe_eval(search_filter.get("domain"), {"uid": user.id})
        return self.env["helpdesk.ticket"].with_user(user).search(domain)

    def test_agent_counts_open_their_tickets(self):
        counts = self.overview(self.agent_a)
        self.assertEqual(counts, {
            "open_ticket_count": 4, "my_ticket_count": 2, "unassigned_ticket_count": 1, "urgent_ticket_count": 1,
            "at_risk_ticket_count": 1, "breached_ticket_count": 1, "approval_to_decide_count": 0,
        })
        expected = {
            "action_view_tickets": self.mine_urgent | self.mine_at_risk | self.unassigned | self.colleague_breached,
            "action_view_my_tickets": self.mine_urgent | self.mine_at_risk,
            "action_view_unassigned_tickets": self.unassigned,
            "action_view_urgent_tickets": self.mine_urgent,
            "action_view_at_risk_tickets": self.mine_at_risk,
            "action_view_breached_tickets": self.colleague_breached,
            "action_view_approvals_to_decide": self.env["helpdesk.ticket"],
        }
        for method, tickets in expected.items():
            with self.subTest(method=method):
                self.assertEqual(self.opened_tickets(self.agent_a, method), tickets)

    def test_leader_sees_the_approvals_waiting_for_them(self):
        self.assertEqual(self.unassigned.approval_state, "pending")
        counts = self.overview(self.leader)
        self.assertEqual(counts["approval_to_decide_count"], 1)
        self.assertEqual(counts["my_ticket_count"], 0)
        self.assertEqual(self.opened_tickets(self.leader, "action_view_approvals_to_decide"), self.unassigned)
        # Another leader has nothing to decide on this team.
        self.assertEqual(self.overview(self.leader_other)["approval_to_decide_count"], 0)

    def test_zero_counts_are_not_red(self):
        arch = self.env["helpdesk.team"].with_user(self.agent_a).get_views([(False, "kanban")])["views"]["kanban"]
        self.assertNotIn('class="text-danger"', arch["arch"])
        self.assertIn("record.breached_ticket_count.raw_value ? 'text-danger'", arch["arch"])


@tagged("post_install", "-at_install")
class TestHomeAction(WebClientCalls, HttpCase):
    """Helpdesk users start in the Helpdesk after login, not in Discuss."""

    def test_helpdesk_staff_land_in_the_helpdesk(self):
        overview = self.env.ref("helpdesk_ticketing.helpdesk_team_action_dashboard")
        agent = self.env["res.users"].create({
            "name": "Agen Baru", "login": "hd_new_agent", "password": "hd_new_agent_pw",
            "group_ids": [(6, 0, self.env.ref("helpdesk_ticketing.group_helpdesk_user").ids)],
        })
        self.assertEqual(agent.action_id.id, overview.id)
        # Employees outside the helpdesk keep Odoo's default; a home action chosen by hand stays.
        employee = self.env["res.users"].create({
            "name": "Pegawai", "login": "hd_employee", "group_ids": [(6, 0, self.env.ref("base.group_user").ids)],
        })
        self.assertFalse(employee.action_id)
        discuss = self.env.ref("mail.action_discuss")
        employee.action_id = discuss.id
        employee.group_ids = [(4, self.env.ref("helpdesk_ticketing.group_helpdesk_user").id)]
        self.assertEqual(employee.action_id.id, discuss.id)

        self.authenticate("hd_new_agent", "hd_new_agent_pw")
        self.assertEqual(self.home_action_id(), overview.id)
