import logging

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.baresip_ctrl import SoftphoneError, dial, parse_control_url

_logger = logging.getLogger(__name__)


class ResUsers(models.Model):
    """Each agent's extension and the control address of the softphone on their desk."""

    _inherit = "res.users"

    sip_extension = fields.Char(
        string="SIP Extension", index="btree_not_null", copy=False,
        help="The agent's extension on the PBX (e.g. 1001): calls to it pop up the caller in this user's window.",
    )
    softphone_control_url = fields.Char(
        string="Softphone Control Address", copy=False,
        help="baresip ctrl_tcp address of the agent's softphone, e.g. tcp://127.0.0.1:4444",
    )

    _sip_extension_uniq = models.Constraint(
        "unique (sip_extension)", "This SIP extension already belongs to another user."
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return super().SELF_READABLE_FIELDS + ["sip_extension", "softphone_control_url"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return super().SELF_WRITEABLE_FIELDS + ["softphone_control_url"]

    @api.constrains("softphone_control_url")
    def _check_softphone_control_url(self):
        for user in self.filtered("softphone_control_url"):
            try:
                parse_control_url(user.softphone_control_url)
            except SoftphoneError as error:
                raise ValidationError(self.env._(
                    "“%(address)s” is not a softphone control address: write it like tcp://127.0.0.1:4444.",
                    address=user.softphone_control_url,
                )) from error

    def helpdesk_voip_dial(self, number, res_model=False, res_id=False):
        """Click-to-dial: the current user's softphone calls ``number``; the call is logged at once.

        Only ever dials from the caller's own softphone, whatever ``self`` is.
        """
        user = self.env.user
        Call = self.env["helpdesk.voip.call"]
        target = Call._normalize_number(number)
        if not target:
            raise UserError(self.env._("There is no phone number to call."))
        if not user.softphone_control_url:
            raise UserError(self.env._(
                "Set the control address of your softphone in your preferences (e.g. tcp://127.0.0.1:4444)."
            ))
        partner, ticket = self.env["res.partner"], self.env["helpdesk.ticket"]
        if res_model == "helpdesk.ticket" and res_id:
            ticket = ticket.browse(int(res_id)).exists()
            ticket.check_access("read")
            partner = ticket.partner_id
        elif res_model == "res.partner" and res_id:
            partner = partner.browse(int(res_id)).exists()
            partner.check_access("read")
        try:
            call_id = dial(user.softphone_control_url, target)
        except SoftphoneError as error:
            _logger.info("Click-to-dial of %s to %s failed: %s", user.login, target, error)
            raise UserError(user._softphone_error_message(error, target)) from error
        calls = Call._ingest([{
            "call_id": call_id, "event": "ringing", "direction": "outbound",
            "caller": user.sip_extension, "callee": target, "extension": user.sip_extension,
        }], "softphone")
        vals = {"user_id": user.id}
        if partner:
            vals["partner_id"] = partner.id
        if ticket:
            vals.update(ticket_id=ticket.id, team_id=ticket.team_id.id)
        calls.write(vals)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": self.env._("Calling %(number)s", number=target),
                "message": self.env._("Your softphone is calling; pick up your handset."),
            },
        }

    def _softphone_error_message(self, error, number):
        """What the agent should check when their softphone did not call (never a socket error)."""
        self.ensure_one()
        params = {"user": self.name, "address": self.softphone_control_url, "number": number,
                  "detail": error.detail or self.env._("no reason given")}
        if error.kind == "refused":
            return self.env._(
                "The softphone of %(user)s at %(address)s refused to call %(number)s (%(detail)s): check the "
                "number and the softphone's SIP account.", **params)
        if error.kind == "closed":
            return self.env._(
                "The call to %(number)s ended at once (%(detail)s): check the number, and that the softphone "
                "of %(user)s is registered with the PBX.", **params)
        if error.kind == "silent":
            return self.env._(
                "The softphone of %(user)s at %(address)s started no call: is it baresip with its ctrl_tcp "
                "module, registered with the PBX?", **params)
        return self.env._(
            "The softphone of %(user)s does not answer at %(address)s: is baresip running on that computer, "
            "with its ctrl_tcp module? Check also the softphone control address in your preferences.", **params)
