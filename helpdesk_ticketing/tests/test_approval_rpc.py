import json

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestApprovalOverRpc(HttpCase):
    """The approval gate holds for a real JSON-RPC call from a logged-in agent."""

    def test_rpc_write_cannot_pass_pending_validation(self):
        env = self.env
        agent = new_test_user(env, login="t_rpc_agent", password="t_rpc_agent_pw",
                              groups="helpdesk_ticketing.group_helpdesk_user")
        supervisor = new_test_user(env, login="t_rpc_sup", groups="helpdesk_ticketing.group_helpdesk_leader")
        team = env["helpdesk.team"].create({"name": "Tim RPC", "member_line_ids": [(0, 0, {"user_id": agent.id})]})
        site = env["helpdesk.site"].create({"name": "DC RPC", "supervisor_id": supervisor.id})
        category = env["helpdesk.category"].create({"name": "Kunjungan RPC"})
        env["helpdesk.approval.rule"].create({
            "name": "Izin RPC", "kind": "validation", "category_ids": [(6, 0, category.ids)],
            "approver": "site_supervisor",
        })
        customer = env["res.partner"].create({"name": "PT RPC"})
        ticket = env["helpdesk.ticket"].create({
            "name": "Kunjungan lewat RPC", "partner_id": customer.id, "team_id": team.id,
            "category_id": category.id, "site_id": site.id, "user_id": agent.id,
        })
        self.assertEqual(ticket.approval_state, "pending")
        in_progress = env.ref("helpdesk_ticketing.stage_in_progress")
        self.authenticate("t_rpc_agent", "t_rpc_agent_pw")

        def call(model, method, args):
            return self.url_open(
                "/web/dataset/call_kw",
                data=json.dumps({
                    "jsonrpc": "2.0", "method": "call", "id": 1,
                    "params": {"model": model, "method": method, "args": args, "kwargs": {}},
                }),
                headers={"Content-Type": "application/json"},
            ).json()

        answer = call("helpdesk.ticket", "write", [[ticket.id], {"stage_id": in_progress.id}])
        self.assertIn("error", answer)
        self.assertIn("waiting for", answer["error"]["data"]["message"])
        answer = call("helpdesk.approval", "write", [ticket.approval_ids.ids, {"state": "approved"}])
        self.assertIn("error", answer)
        answer = call("helpdesk.approval", "action_approve", [ticket.approval_ids.ids])
        self.assertIn("error", answer)
        ticket.invalidate_recordset()
        self.assertEqual(ticket.stage_id, env.ref("helpdesk_ticketing.stage_new"))
        self.assertEqual(ticket.approval_ids.state, "pending")
