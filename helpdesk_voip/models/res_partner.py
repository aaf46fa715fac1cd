from odoo import api, fields, models


class ResPartner(models.Model):
    """Calls on the customer: their own and, for a company, its contacts'."""

    _inherit = "res.partner"

    voip_call_ids = fields.One2many("helpdesk.voip.call", "partner_id", string="Calls")
    voip_call_count = fields.Integer(compute="_compute_voip_call_count", string="Call Count")

    def _compute_voip_call_count(self):
        counts = dict(self.env["helpdesk.voip.call"]._read_group(
            [("commercial_partner_id", "in", self.commercial_partner_id.ids)], ["commercial_partner_id"], ["__count"]
        ))
        per_partner = dict(self.env["helpdesk.voip.call"]._read_group(
            [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
        ))
        for partner in self:
            if partner.is_company or partner == partner.commercial_partner_id:
                partner.voip_call_count = counts.get(partner, 0)
            else:
                partner.voip_call_count = per_partner.get(partner, 0)

    @api.readonly
    def action_view_voip_calls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("helpdesk_voip.helpdesk_voip_call_action")
        if self.is_company or self == self.commercial_partner_id:
            action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        else:
            action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
