from odoo.addons.helpdesk_ticketing.tests.common import HelpdeskCase


class HelpdeskVoipCase(HelpdeskCase):
    """The service desk's agents on extensions 2101 and 2102 (the demo's are 1001-1003), in a company whose
    national numbers (0812…) are Indonesian; the leader also works in the network team."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.id")
        cls.agent_a.sip_extension = "2101"
        cls.agent_b.sip_extension = "2102"
        cls.team_net.member_line_ids = [(0, 0, {"user_id": cls.leader.id})]
