from odoo.addons.sms.tools.sms_api import SmsApiBase


class SmsApiGammu(SmsApiBase):
    """Odoo's SMS provider for a gammu-smsd gateway: sms.sms._split_by_api routes a company's SMS to it,
    sms.sms._send_with_api hands them to helpdesk.sms.gateway._push_to_outbox after the commit.

    Their outcome arrives later, from sentitems (helpdesk.sms.gateway._sync_status).
    """

    def __init__(self, env, gateway):
        super().__init__(env)
        self.gateway = gateway
        self.company = gateway.company_id
