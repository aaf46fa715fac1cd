import re

from odoo import models

# A customer's SMS answer to a rating request: a digit 1-5, or (Bahasa Indonesia) "puas" / "tidak puas".
_DIGIT = re.compile(r"^\s*([1-5])\s*[.!]*\s*$")
_WORDS = {
    "puas": 5,
    "sangat puas": 5,
    "tidak puas": 1,
    "tdk puas": 1,
    "gak puas": 1,
    "nggak puas": 1,
    "kurang puas": 2,
}


def rating_score(text):
    """The score an SMS gives (1-5), or 0 when it is no rating answer."""
    match = _DIGIT.match(text or "")
    if match:
        return int(match.group(1))
    words = " ".join(re.sub(r"[^\w\s]", " ", (text or "").lower()).split())
    return _WORDS.get(words, 0)


# Ratings by SMS live apart from the SMS basics of the ticket (helpdesk_ticket.py).
# pylint: disable=consider-merging-classes-inherited
class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    def _rating_can_sms(self):
        self.ensure_one()
        return bool(self._sms_gateway() and self._sms_number())

    def _rating_send_sms_requests(self):
        """An SMS with a link to Odoo's rating page; the customer may also answer with a digit."""
        return self._sms_queue_template("helpdesk_sms.sms_template_rating_request")
