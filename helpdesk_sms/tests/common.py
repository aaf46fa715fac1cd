from odoo.tests import TransactionCase, new_test_user


class HelpdeskSmsCase(TransactionCase):
    """Two teams, their agents, a leader, a portal customer and a gateway (never connected)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.indonesia = cls.env.ref("base.id")
        cls.agent = new_test_user(cls.env, "hd_sms_agent", groups="helpdesk_ticketing.group_helpdesk_user",
                                  name="Budi Agent")
        cls.other_agent = new_test_user(cls.env, "hd_sms_other", groups="helpdesk_ticketing.group_helpdesk_user",
                                        name="Agus Other")
        cls.leader = new_test_user(cls.env, "hd_sms_leader", groups="helpdesk_ticketing.group_helpdesk_leader",
                                   name="Rina Leader")
        cls.manager = new_test_user(cls.env, "hd_sms_manager", groups="helpdesk_ticketing.group_helpdesk_manager",
                                    name="Maya Manager")
        cls.customer = cls.env["res.partner"].create({
            "name": "PT Sumber Rejeki", "is_company": True, "country_id": cls.indonesia.id,
        })
        cls.contact = cls.env["res.partner"].create({
            "name": "Siti Rahma", "parent_id": cls.customer.id, "phone": "0812 1111 2222",
            "country_id": cls.indonesia.id,
        })
        cls.portal = new_test_user(cls.env, "hd_sms_portal", groups="base.group_portal", name="Siti Portal",
                                   partner_id=cls.contact.id)
        cls.gateway = cls.env["helpdesk.sms.gateway"].create({
            "name": "Modem Test", "dsn": "host=/var/run/postgresql dbname=hd_sms_unit_no_such_db",
            "country_id": cls.indonesia.id, "polling": False,
        })
        cls.team = cls.env["helpdesk.team"].create({
            "name": "SMS Desk", "leader_id": cls.leader.id, "sms_gateway_id": cls.gateway.id,
            "member_line_ids": [(0, 0, {"user_id": cls.agent.id})],
        })
        cls.other_team = cls.env["helpdesk.team"].create({
            "name": "Other Desk", "member_line_ids": [(0, 0, {"user_id": cls.other_agent.id})],
        })
        cls.ticket = cls.env["helpdesk.ticket"].create({
            "name": "Printer rusak", "partner_id": cls.contact.id, "team_id": cls.team.id,
        })
