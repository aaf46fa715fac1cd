from odoo.addons.helpdesk_ticketing.tests.common import HelpdeskCase


class HelpdeskSmsCase(HelpdeskCase):
    """The service desk answers SMS through a gateway (never connected), its customer has a mobile number;
    the network team is the other team."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.indonesia = cls.env.ref("base.id")
        cls.agent, cls.other_agent, cls.portal = cls.agent_a, cls.agent_net, cls.portal_user
        cls.team, cls.other_team = cls.team_sd, cls.team_net
        (cls.customer | cls.contact).country_id = cls.indonesia
        cls.gateway = cls.env["helpdesk.sms.gateway"].create({
            "name": "Modem Test", "dsn": "host=/var/run/postgresql dbname=hd_sms_unit_no_such_db",
            "country_id": cls.indonesia.id, "polling": False,
        })
        cls.team.sms_gateway_id = cls.gateway
        cls.ticket = cls.env["helpdesk.ticket"].create({
            "name": "Printer rusak", "partner_id": cls.contact.id, "team_id": cls.team.id,
        })
