from odoo.tests import tagged

from .common import LtspCase


@tagged("post_install", "-at_install")
class TestMergeLtsp(LtspCase):
    """The surviving ticket names the terminal of a merged ticket when it named none."""

    def test_surviving_ticket_takes_the_terminal(self):
        survivor = self.ticket(name="Layar loket gelap")
        merged = self.ticket(name="Loket 1 tidak bisa login", terminal_id=self.loket1.id)
        merged.with_user(self.leader)._merge_into(survivor)
        self.assertEqual(survivor.terminal_id, self.loket1)
        self.assertEqual(self.loket1.ticket_ids.filtered(lambda t: not t.merged_into_id), survivor)

    def test_surviving_ticket_keeps_its_own_terminal(self):
        survivor = self.ticket(name="Loket 2 hang", terminal_id=self.loket2.id)
        merged = self.ticket(name="Loket 1 hang", terminal_id=self.loket1.id)
        merged.with_user(self.leader)._merge_into(survivor)
        self.assertEqual(survivor.terminal_id, self.loket2)
