from odoo import api, models
from odoo.addons.helpdesk_ticketing.tools import phone


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _find_or_create_from_sms(self, numbers, create_for, lock_numbers=None):
        """{E.164 number: contact} for SMS senders; the numbers of create_for that have no contact get one.

        Numbers without a contact are locked first (lock_numbers) and looked up again: another
        importer may have created their contact meanwhile, and its commit is visible now.
        Contacts made from bare numbers have no chatter history or followers of their own (one
        INSERT per batch).
        """
        partners = phone.partners_by_number(self.env, numbers)
        unknown = set(numbers) - partners.keys()
        if unknown and lock_numbers:
            lock_numbers(unknown)
            partners.update(phone.partners_by_number(self.env, unknown))
        missing = sorted(set(create_for) - partners.keys())
        for partner in self.with_context(tracking_disable=True).create(
            [{"name": number, "phone": number} for number in missing]
        ):
            partners[partner.phone] = partner
        return partners
