from odoo import http
from odoo.addons.mail.controllers.thread import ThreadController
from odoo.http import request


class HelpdeskThreadController(ThreadController):
    @http.route()
    def mail_message_post(self, thread_model, thread_id, post_data, context=None, **kwargs):
        """Each message sent with canned replies counts one use of each (Odoo only dates the last use)."""
        result = super().mail_message_post(thread_model, thread_id, post_data, context=context, **kwargs)
        ids = [cid for cid in kwargs.get("canned_response_ids") or [] if isinstance(cid, int)]
        if ids and not request.env.user._is_public():
            # sudo: counting is technical; the user sent the message, which is what counts
            request.env["mail.canned.response"].sudo().browse(ids).exists()._count_use()
        return result
