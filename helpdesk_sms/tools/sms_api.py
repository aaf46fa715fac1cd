from odoo.addons.sms.tools.sms_api import SmsApiBase


class SmsApiGammu(SmsApiBase):
    """Odoo's SMS provider interface on a gammu-smsd gateway: "sending" queues the SMS in gammu's outbox.

    sms.sms answers of this provider arrive later, from sentitems (helpdesk.sms.gateway._sync_status).
    """

    def __init__(self, env, gateway):
        super().__init__(env)
        self.gateway = gateway
        self.company = gateway.company_id

    def _send_sms_batch(self, messages, delivery_reports_url=False):
        uuids = [number["uuid"] for message in messages for number in message["numbers"]]
        # sudo: sms.sms is technical, as in Odoo's own sending
        sms = self.env["sms.sms"].sudo().search([("uuid", "in", uuids)])
        return self.gateway._push_to_outbox(sms)
