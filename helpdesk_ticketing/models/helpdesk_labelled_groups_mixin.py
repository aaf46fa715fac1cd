from odoo import api, models


class HelpdeskLabelledGroupsMixin(models.AbstractModel):
    """No grouping by yes/no fields in pivots and the search bar's custom groups.

    A boolean group's header reads "Yes" or "No" without saying of what. The models offer
    selections whose values name themselves instead (SLA status, outcome, stage kind).
    """

    _name = "helpdesk.labelled.groups.mixin"
    _description = "Helpdesk Labelled Groups"

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        descriptions = super().fields_get(allfields, attributes)
        for description in descriptions.values():
            if description.get("type") == "boolean" and "groupable" in description:
                description["groupable"] = False
        return descriptions
