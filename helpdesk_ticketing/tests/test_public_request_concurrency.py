import psycopg2.errors

from odoo import SUPERUSER_ID, api
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CommittedCase

ADDRESS = [("contact", "dua.worker@example.co.id")]


@tagged("post_install", "-at_install")
class TestPublicRequestLimitAcrossWorkers(CommittedCase):
    """Two workers count requests of one address at once, on two real connections."""

    def setUp(self):
        super().setUp()
        self.addCleanup(self._delete_counts)

    def _delete_counts(self):
        with self.committed_env() as env:
            env["helpdesk.public.request.sender"].search([("key", "=", ADDRESS[0][1])]).unlink()

    def count(self, cr):
        env = api.Environment(cr, SUPERUSER_ID, {})
        Sender = env["helpdesk.public.request.sender"]
        exceeded = Sender._count_request(env.company, ADDRESS)
        return exceeded, Sender.search([("key", "=", ADDRESS[0][1])]).request_count

    @mute_logger("odoo.sql_db")
    def test_concurrent_requests_are_counted_exactly(self):
        with self.registry.cursor() as cr_late:
            cr_late.execute("SELECT 1")  # the late worker's snapshot predates the other's commit
            with self.registry.cursor() as cr_first:
                self.assertEqual(self.count(cr_first), ([], 1))
            with self.assertRaises(psycopg2.errors.SerializationFailure):
                self.count(cr_late)
            cr_late.rollback()  # what Odoo does before it replays the request
            self.assertEqual(self.count(cr_late), ([], 2), "the replay counts both requests")
