from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestActionsClientSide(TransactionCase):
    """The web client evaluates window actions' contexts and domains itself, where the XML loader's ref()
    does not exist: such an action breaks its screen with a console error."""

    def test_window_actions_evaluate_in_the_browser(self):
        addons = ("helpdesk_ticketing", "helpdesk_sms", "helpdesk_voip", "helpdesk_ltsp")
        data = self.env["ir.model.data"].search([("module", "in", addons), ("model", "=", "ir.actions.act_window")])
        actions = self.env["ir.actions.act_window"].browse(data.mapped("res_id"))
        self.assertTrue(actions)
        for action in actions:
            for expression in (action.context or "", action.domain or ""):
                self.assertNotIn("ref(", expression, f"{action.xml_id}: ref() is unknown to the web client")
