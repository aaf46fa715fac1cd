"""What agents see of the SLA: each deadline's state, the targets as durations, labelled groupings."""

from datetime import datetime, timedelta

from lxml import etree

from odoo.tests import Form, freeze_time, tagged

from .common import HelpdeskCase

OPENED = datetime(2026, 11, 24, 3, 0)  # Tuesday 10:00 WIB


@tagged("post_install", "-at_install")
class TestSlaDisplay(HelpdeskCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Round-the-clock hours keep the arithmetic readable: 2 h to answer, 4 h to solve, at risk at half time.
        cls.team_sd.resource_calendar_id = False
        cls.env.company.resource_calendar_id = False
        cls.sla = cls.env["helpdesk.sla"].create({
            "name": "Standar", "team_id": cls.team_sd.id, "response_hours": 2, "resolution_hours": 4,
            "at_risk_percent": 50,
        })

    def opened(self, **vals):
        """A ticket opened at OPENED, its deadlines planned from then."""
        with freeze_time(OPENED):
            return self.ticket_opened_at(OPENED, **vals)

    def states(self, ticket, at):
        """The two deadline states as the agent's list reads them at a given time."""
        with freeze_time(at):
            ticket.invalidate_recordset()
            [values] = ticket.with_user(self.agent_a).web_read({"sla_response_state": {}, "sla_resolve_state": {}})
        return values["sla_response_state"], values["sla_resolve_state"]

    def test_deadlines_turn_orange_then_red(self):
        ticket = self.opened(user_id=self.agent_a.id)
        self.assertEqual(ticket.sla_response_deadline, OPENED + timedelta(hours=2))
        self.assertEqual(self.states(ticket, OPENED + timedelta(minutes=30)), ("on_track", "on_track"))
        self.assertEqual(self.states(ticket, OPENED + timedelta(minutes=70)), ("at_risk", "on_track"))
        self.assertEqual(self.states(ticket, OPENED + timedelta(minutes=150)), ("breached", "at_risk"))
        self.assertEqual(self.states(ticket, OPENED + timedelta(hours=5)), ("breached", "breached"))
        # A late answer does not make the response deadline met.
        with freeze_time(OPENED + timedelta(hours=5)):
            ticket.with_user(self.agent_a).message_post(body="Sedang kami periksa.", message_type="comment",
                                                        subtype_xmlid="mail.mt_comment")
        self.assertEqual(self.states(ticket, OPENED + timedelta(hours=6)), ("breached", "breached"))

    def test_deadlines_met_in_time_stay_green(self):
        ticket = self.opened(user_id=self.agent_a.id)
        with freeze_time(OPENED + timedelta(minutes=20)):
            ticket.with_user(self.agent_a).message_post(body="Kami segera datang.", message_type="comment",
                                                        subtype_xmlid="mail.mt_comment")
        self.assertEqual(self.states(ticket, OPENED + timedelta(minutes=150)), ("met", "at_risk"))
        with freeze_time(OPENED + timedelta(hours=3)):
            ticket.with_user(self.agent_a).write({"stage_id": self.stage_cancelled.id})
        # Days later the deadlines are still met: closing in time is what counts.
        self.assertEqual(self.states(ticket, OPENED + timedelta(days=3)), ("met", "met"))

    def test_closed_without_an_answer_is_no_pending_response(self):
        """Solved on the phone before anyone wrote: no "answer within 2 hours" on a closed ticket."""
        ticket = self.opened(user_id=self.agent_a.id)
        with freeze_time(OPENED + timedelta(minutes=40)):
            ticket.with_user(self.agent_a).write({"solution": "<p>Dijawab lewat telepon</p>",
                                                  "stage_id": self.stage_solved.id})
        self.assertEqual(self.states(ticket, OPENED + timedelta(minutes=50)), ("met", "met"))
        late = self.opened(user_id=self.agent_a.id)
        with freeze_time(OPENED + timedelta(hours=3)):
            late.with_user(self.agent_a).write({"solution": "<p>Diganti</p>", "stage_id": self.stage_solved.id})
        self.assertEqual(self.states(late, OPENED + timedelta(hours=4)), ("breached", "met"))
        # The stored status that filters and reports use says the same, also when it is refreshed later.
        self.assertEqual((ticket.sla_status, late.sla_status), ("met", "breached"))
        with freeze_time(OPENED + timedelta(days=2)):
            (ticket | late)._refresh_sla_status(datetime.now())
        self.assertEqual((ticket.sla_status, late.sla_status), ("met", "breached"))
        self.assertEqual((ticket.sla_response_breached, late.sla_response_breached), (False, True))

    def test_no_policy_no_state(self):
        self.sla.active = False
        ticket = self.opened()
        self.assertEqual(self.states(ticket, OPENED), (False, False))

    def test_deadlines_show_in_lists_cards_and_form_header(self):
        views = self.env["helpdesk.ticket"].with_user(self.agent_a).get_views(
            [(False, "list"), (False, "kanban"), (False, "form")])["views"]
        for view_type in ("list", "kanban", "form"):
            arch = etree.fromstring(views[view_type]["arch"])
            for deadline, state in (("sla_response_deadline", "sla_response_state"),
                                    ("sla_resolve_deadline", "sla_resolve_state")):
                with self.subTest(view=view_type, field=deadline):
                    [node] = [node for node in arch.iter("field")
                              if node.get("name") == deadline and node.get("widget") == "helpdesk_sla_deadline"]
                    self.assertIn(state, node.get("options"))
                    self.assertNotIn("page", [parent.tag for parent in node.iterancestors()])
        self.assertNotIn("remaining_days", views["list"]["arch"] + views["kanban"]["arch"])

    def test_targets_read_as_hours_not_clock_times(self):
        views = self.env["helpdesk.sla"].with_user(self.manager).get_views([(False, "list"), (False, "form")])["views"]
        for view_type in ("list", "form"):
            arch = etree.fromstring(views[view_type]["arch"])
            widgets = {node.get("name"): node.get("widget") for node in arch.iter("field")}
            self.assertEqual(widgets["response_hours"], "helpdesk_hours")
            self.assertEqual(widgets["resolution_hours"], "helpdesk_hours")
        with Form(self.env["helpdesk.sla"].with_user(self.manager)) as sla:
            sla.name = "Cepat"
            sla.response_hours = 1.5
            sla.resolution_hours = 24
        self.assertEqual((sla.record.response_hours, sla.record.resolution_hours), (1.5, 24))


@tagged("post_install", "-at_install")
class TestLabelledGroupings(HelpdeskCase):
    def test_pivots_group_by_named_values_not_yes_no(self):
        for model in ("helpdesk.ticket", "helpdesk.ticket.report"):
            descriptions = self.env[model].with_user(self.leader).fields_get(attributes=["type", "groupable"])
            booleans = [name for name, field in descriptions.items()
                        if field["type"] == "boolean" and field["groupable"]]
            self.assertFalse(booleans, f"{model}: groupings that would read Yes/No")
        report = self.env["helpdesk.ticket.report"].with_user(self.leader)
        outcomes = dict(report._fields["outcome"]._description_selection(report.env))
        self.assertEqual(outcomes, {"open": "Still open", "solved": "Solved", "closed": "Closed without solution"})
        ticket = self.ticket()
        ticket.stage_id = self.stage_cancelled
        self.ticket(name="Masih jalan")
        self.env.flush_all()
        groups = report.formatted_read_group([("team_id", "=", self.team_sd.id)], ["outcome"], ["__count"])
        self.assertEqual({group["outcome"]: group["__count"] for group in groups}, {"closed": 1, "open": 1})
