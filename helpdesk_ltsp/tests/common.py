from contextlib import contextmanager

from odoo.tests import TransactionCase


class LtspCase(TransactionCase):
    """A Bandung LTSP server with two terminals, on top of the core's demo users and customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.kominfo = cls.env.ref("helpdesk_ticketing.partner_kominfo_bandung")
        cls.andi = cls.env.ref("helpdesk_ticketing.partner_andi")
        cls.maju = cls.env.ref("helpdesk_ticketing.partner_maju_bersama")
        cls.site = cls.env.ref("helpdesk_ticketing.site_bandung_balai_kota")
        cls.agent = cls.env.ref("helpdesk_ticketing.user_agent")
        cls.leader = cls.env.ref("helpdesk_ticketing.user_leader")
        cls.portal = cls.env.ref("helpdesk_ticketing.user_portal_siti")
        cls.server = cls.env["helpdesk.ltsp.server"].create(
            {
                "name": "LTSP Kecamatan Sukajadi",
                "network": "10.66.0.0/24",
                "server_ip": "10.66.0.1",
                "partner_id": cls.kominfo.id,
                "site_id": cls.site.id,
                "helpdesk_url": "https://helpdesk.example.co.id",
            }
        )
        cls.Terminal = cls.env["helpdesk.ltsp.terminal"]
        cls.loket1, cls.loket2 = cls.Terminal.create(
            [
                {
                    "server_id": cls.server.id,
                    "name": "loket-01",
                    "mac_address": "52:54:00:66:00:01",
                    "ip_mode": "fixed",
                    "ip_address": "10.66.0.21",
                    "location": "Loket 1",
                    "partner_id": cls.kominfo.id,
                    "site_id": cls.site.id,
                },
                {
                    "server_id": cls.server.id,
                    "name": "loket-02",
                    "mac_address": "52:54:00:66:00:02",
                    "location": "Loket 2",
                    "partner_id": cls.kominfo.id,
                },
            ]
        )

    @contextmanager
    def assertRaisesRegex(self, exception, regex):
        """Like assertRaises of Odoo: roll back what the failed operation wrote, so the test can go on."""
        with super().assertRaisesRegex(exception, regex) as context, self.env.cr.savepoint():
            yield context
        self.env.invalidate_all()
