from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        """The ticket page of the portal shows mail's chatter: load its translations there too
        (a portal without the website app loads only web's and portal's)."""
        return [*super()._get_translation_frontend_modules_name(), "mail"]
