from odoo import api, models


class HelpdeskConfigCacheMixin(models.AbstractModel):
    """Configuration read on every ticket creation is kept in the registry cache
    (``tools.ormcache``); any change to it clears that cache, in every worker."""

    _name = "helpdesk.config.cache.mixin"
    _description = "Helpdesk configuration kept in the registry cache"

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()
