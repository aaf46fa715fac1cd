from contextlib import contextmanager

from odoo.addons.helpdesk_ticketing.tests.common import HelpdeskCase


class LtspCase(HelpdeskCase):
    """An LTSP server at the customer's town hall with two counter terminals, and the other customer's
    server with a reception terminal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.kominfo, cls.andi, cls.maju = cls.customer, cls.contact, cls.other_customer
        cls.agent = cls.agent_a
        cls.site = cls.env["helpdesk.site"].create({"name": "Balai Kota Sukajadi", "partner_id": cls.kominfo.id})
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
        cls.maju_server = cls.env["helpdesk.ltsp.server"].create(
            {"name": "LTSP Kantor Pusat", "network": "10.77.0.0/24", "server_ip": "10.77.0.1",
             "partner_id": cls.maju.id}
        )
        cls.resepsionis = cls.Terminal.create(
            {"server_id": cls.maju_server.id, "name": "resepsionis", "mac_address": "52:54:00:77:00:01",
             "location": "Resepsionis", "partner_id": cls.maju.id}
        )

    @contextmanager
    def assertRaisesRegex(self, exception, regex):
        """Like assertRaises of Odoo: roll back what the failed operation wrote, so the test can go on."""
        with super().assertRaisesRegex(exception, regex) as context, self.env.cr.savepoint():
            yield context
        self.env.invalidate_all()
