import logging

from odoo import http
from odoo.addons.helpdesk_ticketing.models.helpdesk_machine_endpoint_mixin import MACHINE_ROUTE
from odoo.http import request

_logger = logging.getLogger(__name__)


class HelpdeskSmsController(http.Controller):
    @http.route("/helpdesk_sms/gateway/<int:gateway_id>/received", methods=["POST"], **MACHINE_ROUTE)
    def received(self, gateway_id, **kwargs):
        """gammu-smsd's RunOnReceive hook: import this gateway's inbox now, not at the next poll.

        The caller proves itself with the gateway's token in an "Authorization: Bearer" header, never
        in the URL or the form (they end up in access and proxy logs); the import is idempotent, so
        extra or concurrent calls are harmless.
        """
        gateway = request.env["helpdesk.sms.gateway"]._endpoint_for_request(gateway_id, request.httprequest)
        if not gateway:
            _logger.warning("SMS gateway %s: RunOnReceive call without the right token refused", gateway_id)
            return request.make_json_response(
                {"error": request.env._("Unknown SMS gateway or wrong token: send the gateway's token in an "
                                        "“Authorization: Bearer” header.")},
                status=401,
            )
        imported = gateway._run()
        gateway.invalidate_recordset(["last_error"])
        if gateway.last_error:
            return request.make_json_response({"imported": imported, "error": gateway.last_error}, status=503)
        return request.make_json_response({"imported": imported})
