"""What the speed-ups of models/orm_speedups rely on in Odoo and PostgreSQL. An Odoo upgrade that
changes any of it fails here, before the speed-up silently gives wrong groups or codes."""
import inspect
from unittest.mock import patch

from odoo import models
from odoo.tests import tagged

from ..models.orm_speedups.group_order import HelpdeskGroupOrderMixin
from .common import HelpdeskCase


@tagged("post_install", "-at_install")
class TestOrmSpeedups(HelpdeskCase):
    def test_private_grouping_methods_keep_their_signatures(self):
        signatures = {
            "_read_group": ["self", "domain", "groupby", "aggregates", "having", "offset", "limit", "order"],
            "_read_grouping_sets": ["self", "domain", "grouping_sets", "aggregates", "order"],
            "_read_group_groupby": ["self", "alias", "groupby_spec", "query"],
        }
        for name, parameters in signatures.items():
            with self.subTest(name):
                self.assertEqual(list(inspect.signature(getattr(models.BaseModel, name)).parameters), parameters)

    def test_grouped_views_ask_the_order_the_speed_up_handles(self):
        """The web client's grouped views ask groups in the groupby's order: the speed-up engages."""
        for index in range(3):
            self.ticket(name=f"Tiket {index}", team_id=(self.team_sd if index % 2 else self.team_net).id,
                        user_id=self.agent_a.id if index else False)
        engaged = []
        original = HelpdeskGroupOrderMixin._group_order_in_python

        def spy(model, *args):
            engaged.append(original(model, *args))
            return engaged[-1]

        Ticket = self.env["helpdesk.ticket"].with_user(self.manager)
        Report = self.env["helpdesk.ticket.report"].with_user(self.manager)
        with patch.object(HelpdeskGroupOrderMixin, "_group_order_in_python", spy):
            Ticket.formatted_read_group([], ["stage_id"], ["__count"])
            Report.formatted_read_grouping_sets([], [["create_date:month", "team_id"], ["team_id"]], ["__count"])
        self.assertEqual(engaged, [True, True])

    def test_groups_and_their_order_are_the_orms(self):
        """Rows as tuples in groupby order, many2ones as records, and the ORM's own order of groups."""
        for index in range(4):
            self.ticket(name=f"Tiket {index}", team_id=(self.team_sd if index % 2 else self.team_net).id,
                        user_id=(self.agent_a.id, self.agent_b.id, False, self.agent_a.id)[index])
        for model in ("helpdesk.ticket", "helpdesk.ticket.report"):
            Model = self.env[model].with_user(self.manager).with_context(tz="Asia/Jakarta")
            for groupby in (["team_id"], ["user_id", "stage_id"], ["create_date:month", "team_id"]):
                with self.subTest(model=model, groupby=groupby):
                    order = ", ".join(groupby)
                    ours = Model._read_group([], groupby, ["__count"], order=order)
                    orm = models.BaseModel._read_group(Model, [], groupby, ["__count"], order=order)
                    self.assertEqual(ours, orm)

    def test_orm_checks_companies_only_when_asked(self):
        """Tickets check their companies per combination of values (company_check.py), not the ORM."""
        self.assertFalse(self.env["helpdesk.ticket"]._check_company_auto)
        for method in (models.BaseModel.create, models.BaseModel.write):
            with self.subTest(method.__name__):
                self.assertIn("_check_company_auto", inspect.getsource(method))

    def test_odoo_standard_sequence_is_the_postgresql_sequence_drawn_directly(self):
        sequence = self.env["ir.sequence"].create({
            "name": "Pin", "code": "helpdesk.pin", "prefix": "PIN/%(year)s/", "padding": 4,
            "implementation": "standard", "use_date_range": False,
        })
        first = sequence._next()
        self.env.cr.execute("SELECT nextval(%s)", [f"ir_sequence_{sequence.id:03d}"])
        (drawn,) = self.env.cr.fetchone()
        second = sequence._next()
        prefix, suffix = sequence._get_prefix_suffix()
        self.assertEqual((prefix, suffix), (first[:-4], ""))
        self.assertEqual(int(second[-4:]), drawn + 1)
        self.assertEqual(int(first[-4:]), drawn - 1)

    def test_ticket_codes_of_a_batch_follow_the_sequence(self):
        tickets = self.env["helpdesk.ticket"].create([
            {"name": f"Tiket {index}", "partner_id": self.contact.id} for index in range(3)
        ])
        sequence = self.env.company._helpdesk_ticket_sequence()
        numbers = [int(code.rsplit("/", 1)[1]) for code in tickets.mapped("code")]
        self.assertEqual(numbers, list(range(numbers[0], numbers[0] + 3)))
        self.assertEqual(sequence.number_next_actual, numbers[-1] + 1)

    def test_period_statistics_exist_on_the_grouped_expressions(self):
        self.env.cr.execute(
            "SELECT pg_get_statisticsobjdef(oid) FROM pg_statistic_ext WHERE stxname = 'helpdesk_ticket_period_utc'"
        )
        (definition,) = self.env.cr.fetchone()
        self.assertIn("date_trunc('month'::text, create_date)", definition)

    def test_round_robin_turns_survive_rollbacks_and_follow_the_team(self):
        team = self.env["helpdesk.team"].create({"name": "Tim Giliran"})
        name = team._round_robin_sequence()
        self.env.cr.execute("SELECT 1 FROM pg_class WHERE relkind = 'S' AND relname = %s", [name])
        self.assertTrue(self.env.cr.fetchone())
        with self.assertRaises(ZeroDivisionError), self.env.cr.savepoint():
            team._next_turns(2)
            raise ZeroDivisionError
        self.assertEqual(team._next_turns(1), [3])  # turns drawn by rolled-back creators are not given again
        team.unlink()
        self.env.cr.execute("SELECT 1 FROM pg_class WHERE relkind = 'S' AND relname = %s", [name])
        self.assertFalse(self.env.cr.fetchone())
