import threading

import psycopg2.errors

from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests import BaseCase, new_test_user, tagged
from odoo.tests.common import get_db_name


@tagged("post_install", "-at_install")
class TestPortalRatingConcurrency(BaseCase):
    """The same rating submitted twice at once (a double click, a replay) on two real connections."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            customer = env["res.partner"].create({"name": "PT Dua Klik"})
            self.portal = new_test_user(env, login="t_rating_twice", groups="base.group_portal",
                                        partner_id=customer.id).id
            ticket = env["helpdesk.ticket"].create({"name": "Dinilai dua kali", "partner_id": customer.id})
            ticket.write({"solution": "<p>Selesai</p>", "stage_id": env.ref("helpdesk_ticketing.stage_solved").id})
            self.ticket, self.customer = ticket.id, customer.id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["rating.rating"].search([("res_model", "=", "helpdesk.ticket"), ("res_id", "=", self.ticket)]).unlink()
            env["helpdesk.ticket"].browse(self.ticket).unlink()
            env["res.users"].browse(self.portal).unlink()
            env["res.partner"].browse(self.customer).unlink()

    def test_second_submission_waits_and_does_not_rate_again(self):
        first_rated = threading.Event()
        outcome = {}

        def rate(index, score, wait_for_other):
            try:
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, self.portal, {})
                    if wait_for_other:
                        first_rated.wait(10)
                    partner = env.user.partner_id
                    # As the portal controller does after its access check.
                    env["helpdesk.ticket"].sudo().browse(self.ticket)._portal_rate(score, "", partner)
                    if not wait_for_other:
                        first_rated.set()
                        second.join(2)  # the second submission is now waiting for this row
                outcome[index] = "rated"
            except psycopg2.errors.SerializationFailure:
                outcome[index] = "replayed"  # Odoo's HTTP layer replays it: see below

        second = threading.Thread(target=rate, args=(1, 1, True))
        second.start()
        rate(0, 5, False)
        second.join(10)
        self.assertEqual(outcome, {0: "rated", 1: "replayed"})
        with self.registry.cursor() as cr:
            env = api.Environment(cr, self.portal, {})
            ticket = env["helpdesk.ticket"].sudo().browse(self.ticket)
            with self.assertRaisesRegex(Exception, "already rated"):
                ticket._portal_rate(1, "", env.user.partner_id)  # the replay finds the first rating
            ratings = env["rating.rating"].sudo().search(
                [("res_model", "=", "helpdesk.ticket"), ("res_id", "=", self.ticket), ("consumed", "=", True)])
            self.assertEqual(ratings.mapped("rating"), [5.0])
