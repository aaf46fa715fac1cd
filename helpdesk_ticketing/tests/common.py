from odoo.tests import TransactionCase, new_test_user


class HelpdeskCase(TransactionCase):
    """Two teams (L1 service desk → L2 network), their people, customers and a portal user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env(context=dict(cls.env.context, tracking_disable=False, mail_create_nolog=False))
        cls.env = env
        cls.stage_new = env.ref("helpdesk_ticketing.stage_new")
        cls.stage_progress = env.ref("helpdesk_ticketing.stage_in_progress")
        cls.stage_waiting = env.ref("helpdesk_ticketing.stage_waiting")
        cls.stage_solved = env.ref("helpdesk_ticketing.stage_solved")
        cls.stage_cancelled = env.ref("helpdesk_ticketing.stage_cancelled")
        # Demo rules would interfere with the scenarios: tests set their own.
        env["helpdesk.approval.rule"].search([]).active = False
        env["helpdesk.sla"].search([]).active = False

        def user(login, group, name):
            return new_test_user(env, login=login, groups=group, name=name, email=f"{login}@example.co.id",
                                 tz="Asia/Jakarta")

        cls.agent_a = user("t_agent_a", "helpdesk_ticketing.group_helpdesk_user", "Agen Ayu")
        cls.agent_b = user("t_agent_b", "helpdesk_ticketing.group_helpdesk_user", "Agen Bagus")
        cls.agent_net = user("t_agent_net", "helpdesk_ticketing.group_helpdesk_user", "Agen Jaringan")
        cls.leader = user("t_leader", "helpdesk_ticketing.group_helpdesk_leader", "Ketua Tim")
        cls.leader_other = user("t_leader2", "helpdesk_ticketing.group_helpdesk_leader", "Ketua Lain")
        cls.manager = user("t_manager", "helpdesk_ticketing.group_helpdesk_manager", "Manajer")
        cls.team_net = env["helpdesk.team"].create({
            "name": "Tim Jaringan",
            "level": "2",
            "leader_id": cls.leader_other.id,
            "assignment_method": "manual",
            "member_line_ids": [(0, 0, {"user_id": cls.agent_net.id})],
        })
        cls.team_sd = env["helpdesk.team"].create({
            "name": "Tim Layanan",
            "level": "1",
            "leader_id": cls.leader.id,
            "escalation_team_id": cls.team_net.id,
            "assignment_method": "manual",
            "member_line_ids": [
                (0, 0, {"user_id": cls.agent_a.id, "region": "Jakarta"}),
                (0, 0, {"user_id": cls.agent_b.id, "region": "Bandung"}),
            ],
        })
        cls.customer = env["res.partner"].create({"name": "PT Sentosa Abadi", "is_company": True})
        cls.contact = env["res.partner"].create({
            "name": "Wahyu Hidayat", "parent_id": cls.customer.id, "email": "wahyu@sentosa.example.co.id",
        })
        cls.other_customer = env["res.partner"].create({"name": "CV Lain Sendiri", "is_company": True})
        cls.portal_user = new_test_user(
            env, login="t_portal", groups="base.group_portal", name="Wahyu Hidayat",
            email="wahyu@sentosa.example.co.id",
            partner_id=cls.contact.id,
        )
        cls.category = env["helpdesk.category"].create({"name": "Perangkat Keras"})

    def ticket(self, **vals):
        values = {"name": "Laptop mati total", "partner_id": self.contact.id, "team_id": self.team_sd.id}
        values.update(vals)
        return self.env["helpdesk.ticket"].create(values)
