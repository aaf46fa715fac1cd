import logging

from odoo import http
from odoo.addons.helpdesk_ticketing.tools.machine_auth import record_for_token
from odoo.http import request

_logger = logging.getLogger(__name__)


class HelpdeskSmsController(http.Controller):
    @http.route(
        "/helpdesk_sms/gateway/<int:gateway_id>/received",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def received(self, gateway_id, **kwargs):
        """gammu-smsd's RunOnReceive hook: import this gateway's inbox now, not at the next poll.

        The caller proves itself with the gateway's token (header X-Helpdesk-SMS-Token or field
        "token"); the import is idempotent, so extra or concurrent calls are harmless.
        """
        token = request.httprequest.headers.get("X-Helpdesk-SMS-Token") or kwargs.get("token") or ""
        gateway = record_for_token(request.env["helpdesk.sms.gateway"], gateway_id, token)
        if not gateway:
            _logger.warning("SMS gateway %s: RunOnReceive call with a wrong token refused", gateway_id)
            return request.make_json_response({"error": "invalid gateway or token"}, status=403)
        imported = gateway._run()
        gateway.invalidate_recordset(["last_error"])
        if gateway.last_error:
            return request.make_json_response({"imported": imported, "error": gateway.last_error}, status=503)
        return request.make_json_response({"imported": imported})
