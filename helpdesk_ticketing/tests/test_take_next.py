import threading

from odoo import SUPERUSER_ID, api
from odoo.tests import tagged

from .common import AGENT, CommittedCase, create_staff


@tagged("post_install", "-at_install")
class TestTakeNextConcurrency(CommittedCase):
    """Two agents press "Take next ticket" at the same moment, on two real connections."""

    def setUp(self):
        super().setUp()
        with self.committed_env(tracking_disable=True) as env:
            agents = create_staff(env, "t_conc_0", AGENT, "Agen Paralel 0") | create_staff(
                env, "t_conc_1", AGENT, "Agen Paralel 1")
            self.agents = self.remember(agents)
            customer = env["res.partner"].create({"name": "PT Antrian Paralel"})
            self.customer = self.remember(customer)[0]
            self.team = self.remember(env["helpdesk.team"].create({
                "name": "Tim Antrian Paralel",
                "member_line_ids": [(0, 0, {"user_id": uid}) for uid in self.agents],
            }))[0]
            # The tests add the tickets they create to this list: they are deleted with it.
            self.tickets = self.remember(env["helpdesk.ticket"].create([
                {"name": f"Antrian {i}", "partner_id": customer.id, "team_id": self.team} for i in range(3)
            ]))

    def test_two_agents_never_get_the_same_ticket(self):
        first_locked = threading.Event()
        results = {}

        def take(index, wait_for_other):
            with self.registry.cursor() as cr:
                env = api.Environment(cr, self.agents[index], {})
                if wait_for_other:
                    first_locked.wait(10)
                ticket = env["helpdesk.ticket"]._take_next_ticket()
                results[index] = ticket.id
                if not wait_for_other:
                    first_locked.set()
                    # Keep the transaction (and its row lock) open while the other agent takes.
                    second.join(10)

        second = threading.Thread(target=take, args=(1, True))
        second.start()
        take(0, False)
        second.join(10)
        self.assertEqual(len(results), 2)
        self.assertNotEqual(results[0], results[1])
        self.assertEqual(results[0], self.tickets[0], "oldest first")
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            owners = {t.id: t.user_id.id for t in env["helpdesk.ticket"].browse(self.tickets)}
        self.assertEqual(owners[results[0]], self.agents[0])
        self.assertEqual(owners[results[1]], self.agents[1])

    def test_two_creators_share_the_round_robin_without_waiting(self):
        """Round-robin turns come from a sequence, not from a row of the team: a ticket created while
        another creator's transaction is still open neither waits for it nor gets the same agent."""
        with self.registry.cursor() as cr:
            api.Environment(cr, SUPERUSER_ID, {})["helpdesk.team"].browse(self.team).assignment_method = "round_robin"
        first_created = threading.Event()
        results = {}

        def create(index, wait_for_other):
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                if wait_for_other:
                    first_created.wait(10)
                cr.execute("SET LOCAL lock_timeout = '2s'")
                ticket = env["helpdesk.ticket"].create(
                    {"name": f"Paralel {index}", "partner_id": self.customer, "team_id": self.team}
                )
                env.flush_all()
                results[index] = (ticket.id, ticket.user_id.id)
                if not wait_for_other:
                    first_created.set()
                    second.join(10)  # the first transaction stays open meanwhile

        second = threading.Thread(target=create, args=(1, True))
        second.start()
        create(0, False)
        second.join(10)
        self.tickets += [result[0] for result in results.values()]
        self.assertEqual(len(results), 2, "the second creator did not wait for the first one's commit")
        self.assertEqual({results[0][1], results[1][1]}, set(self.agents))
