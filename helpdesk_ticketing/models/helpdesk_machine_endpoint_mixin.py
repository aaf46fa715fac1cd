import hmac
import secrets

from odoo import api, fields, models
from odoo.exceptions import AccessError

# The routes machines call: no Odoo user, no session cookie, no CSRF token (the bearer token is the
# credential). Use as ``@http.route(path, methods=[...], **MACHINE_ROUTE)``.
MACHINE_ROUTE = {"type": "http", "auth": "public", "csrf": False, "save_session": False}


class HelpdeskMachineEndpointMixin(models.AbstractModel):
    """A machine that talks to Odoo without an Odoo user (SMS modem hook, PBX webhook, LTSP server).

    Its record's token is its credential, sent only in an "Authorization: Bearer" header (a URL or a
    form ends up in access and proxy logs) and compared in constant time; an unknown record, an
    archived one and a wrong token get the same answer. Only managers see and replace tokens.
    """

    _name = "helpdesk.machine.endpoint.mixin"
    _description = "Helpdesk Machine Endpoint"
    # Tokens the regenerate action replaces (a model may have more than one, each for its own callers).
    _endpoint_token_fields = ("token",)

    token = fields.Char(
        copy=False,
        readonly=True,
        groups="helpdesk_ticketing.group_helpdesk_manager",
        default=lambda self: self._new_token(),
        help="Secret the machine sends as “Authorization: Bearer <token>”.",
    )
    last_contact_date = fields.Datetime(
        string="Last Contact", readonly=True, copy=False, help="Last exchange with the machine that worked."
    )
    last_error = fields.Text(readonly=True, copy=False)
    last_error_date = fields.Datetime(readonly=True, copy=False)

    @staticmethod
    def _new_token():
        return secrets.token_urlsafe(32)

    def action_regenerate_token(self):
        """Replace the tokens: the machines are refused until they are given the new ones."""
        if not self.env.user.has_group("helpdesk_ticketing.group_helpdesk_manager"):
            raise AccessError(self.env._("Only helpdesk managers can replace the token of a machine."))
        self.check_access("write")
        for record in self:
            record.write({field_name: self._new_token() for field_name in self._endpoint_token_fields})
        return True

    @api.model
    def _endpoint_for_request(self, record_id, httprequest, token_field="token"):
        """The active record record_id (as superuser) if the request's Bearer header carries its
        token_field; else an empty recordset, whatever was wrong."""
        header = httprequest.headers.get("Authorization", "")
        token = header[7:].strip() if header[:7].lower() == "bearer " else ""
        # sudo: the caller is a machine without an Odoo user; the token compared below is its credential
        record = self.sudo().browse(record_id).exists()
        expected = (record[token_field] or "") if record and record.active else ""
        if token and expected and hmac.compare_digest(expected.encode(), token.encode()):
            return record
        return record.browse()

    def _record_contact(self, error=False):
        """Store the outcome of an exchange: its date when it worked, else the error and its date."""
        now = fields.Datetime.now()
        if error:
            self.write({"last_error": error, "last_error_date": now})
        else:
            self.write({"last_contact_date": now, "last_error": False})
