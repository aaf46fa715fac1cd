from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# Written by the decision only (see _decide), checked on create and write.
DECISION_FIELDS = ("decided_by_id", "decision_date", "comment")
# What the work-permit letter certifies: fixed once the request is decided.
VISIT_FIELDS = ("visit_date_from", "visit_date_to", "visitor_names")


class HelpdeskApproval(models.Model):
    """One approval asked on a ticket: a request validation (e.g. a work permit) or a sign-off."""

    _name = "helpdesk.approval"
    _description = "Helpdesk Approval"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _rec_name = "ticket_id"
    _check_company_auto = True

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    commercial_partner_id = fields.Many2one(related="ticket_id.commercial_partner_id", store=True, index=True)
    team_id = fields.Many2one(related="ticket_id.team_id", store=True)
    rule_id = fields.Many2one("helpdesk.approval.rule", string="Rule", ondelete="set null", check_company=True)
    kind = fields.Selection(
        [("validation", "Request validation"), ("signoff", "Resolution sign-off")], required=True, readonly=True
    )
    state = fields.Selection(
        [("pending", "Pending"), ("approved", "Approved"), ("rejected", "Rejected")],
        default="pending",
        required=True,
        tracking=True,
        index=True,
    )
    approver_ids = fields.Many2many("res.users", string="Approvers", check_company=True)
    requested_by_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    decided_by_id = fields.Many2one("res.users", readonly=True)
    decision_date = fields.Datetime(readonly=True)
    comment = fields.Text(string="Approver's Comment", readonly=True)
    # Work permit details, when the request is a visit to a site.
    site_id = fields.Many2one(related="ticket_id.site_id")
    visit_date_from = fields.Date(string="Visit From")
    visit_date_to = fields.Date(string="Visit Until")
    visitor_names = fields.Text(string="Visitors", help="One visitor per line (name and ID number).")

    @api.constrains("visit_date_from", "visit_date_to")
    def _check_visit_dates(self):
        for approval in self:
            start, end = approval.visit_date_from, approval.visit_date_to
            if start and end and end < start:
                raise UserError(self.env._("The visit cannot end before it starts."))

    @api.model_create_multi
    def create(self, vals_list):
        """Requests follow the approval rules (see _create_requests); managers may add one by hand.
        Nobody creates a request already decided, or in someone else's name."""
        if not self.env.su and not self.env.user.has_group("helpdesk_ticketing.group_helpdesk_manager"):
            raise AccessError(self.env._(
                "Approvals are requested from the ticket (“Request Sign-off”, “Request Validation”), "
                "as the approval rules say: they cannot be created directly."
            ))
        for vals in vals_list:
            if vals.get("state", "pending") != "pending" or any(vals.get(field) for field in DECISION_FIELDS):
                raise UserError(self.env._("An approval is always created pending; approvers decide afterwards."))
            vals["requested_by_id"] = self.env.uid
        approvals = super().create(vals_list)
        for approval in approvals:
            ticket = approval.ticket_id
            partners = approval.approver_ids.partner_id
            ticket.message_subscribe(partner_ids=partners.ids)
            ticket.message_post(
                body=self.env._("%(kind)s requested from %(approvers)s.",
                                kind=approval._kind_label(),
                                approvers=", ".join(approval.approver_ids.mapped("name")) or "-"),
                subtype_xmlid="helpdesk_ticketing.mt_ticket_approval",
                partner_ids=partners.ids,
            )
            for user in approval.approver_ids:
                ticket.activity_schedule(
                    "helpdesk_ticketing.mail_activity_approval",
                    user_id=user.id,
                    summary=self.env._("Approve: %(kind)s", kind=approval._kind_label()),
                )
        return approvals

    @api.model
    def _create_requests(self, vals_list):
        """Create the requests the approval rules ask for, whoever triggers them: an agent's action,
        a customer's ticket from the portal, the SMS and e-mail gateways. The callers build the values
        (ticket, rule, the rule's approvers); requested_by_id stays the real user."""
        # sudo: requests follow from the rules, not from the user's right to create approvals
        return self.sudo().create(vals_list).sudo(False)

    def write(self, vals):
        if "state" in vals or any(field in vals for field in DECISION_FIELDS):
            self._check_can_decide(vals.get("state"))
        if "requested_by_id" in vals and not self.env.su:
            raise AccessError(self.env._("Who asked for an approval cannot be changed."))
        if {"ticket_id", "kind", "rule_id", "approver_ids"} & set(vals) and not (
            self.env.su or self.env.user.has_group("helpdesk_ticketing.group_helpdesk_manager")
        ):
            raise AccessError(self.env._("Only helpdesk managers can change who approves a request."))
        if any(field in vals for field in VISIT_FIELDS):
            decided = self.filtered(lambda a: a.state != "pending")
            if decided:
                raise UserError(self.env._(
                    "The visit of ticket %(code)s was already decided: to change its dates or visitors, "
                    "request a new validation.",
                    code=decided[0].ticket_id.code,
                ))
        return super().write(vals)

    def _kind_label(self):
        return dict(self._fields["kind"]._description_selection(self.env))[self.kind]

    def _check_can_decide(self, state=None):
        """Only the approvers (or a manager) decide, and nobody approves their own work: the user
        who asked for the request, or the assignee of the ticket."""
        user = self.env.user
        if self.env.su:
            return
        is_manager = user.has_group("helpdesk_ticketing.group_helpdesk_manager")
        for approval in self:
            if not is_manager and user not in approval.approver_ids:
                raise AccessError(
                    self.env._("Only %(approvers)s can decide on this %(kind)s of ticket %(code)s.",
                               approvers=", ".join(approval.approver_ids.mapped("name")) or self.env._("a manager"),
                               kind=approval._kind_label(), code=approval.ticket_id.code)
                )
            if state == "approved" and user in approval.requested_by_id | approval.ticket_id.user_id:
                raise AccessError(
                    self.env._("%(user)s cannot approve this %(kind)s of ticket %(code)s: it is their own work. "
                               "Another approver or a manager decides.",
                               user=user.name, kind=approval._kind_label(), code=approval.ticket_id.code)
                )

    def _decide(self, state, comment):
        for approval in self:
            if approval.state != "pending":
                raise UserError(self.env._("This request was already decided."))
        if state == "rejected" and not (comment or "").strip():
            raise UserError(self.env._("Give the reason for the rejection: the customer will read it."))
        self.write({
            "state": state,
            "comment": (comment or "").strip() or False,
            "decided_by_id": self.env.uid,
            "decision_date": fields.Datetime.now(),
        })
        activity_type = self.env.ref("helpdesk_ticketing.mail_activity_approval")
        for approval in self:
            ticket = approval.ticket_id
            ticket.activity_ids.filtered(lambda a: a.activity_type_id == activity_type).action_feedback(
                feedback=comment or ""
            )
            verdict = self.env._("approved") if state == "approved" else self.env._("rejected")
            body = Markup("<p>%s</p>") % self.env._(
                "%(kind)s %(verdict)s by %(user)s.", kind=approval._kind_label(), verdict=verdict,
                user=self.env.user.name)
            if comment:
                body += Markup("<p>%s</p>") % comment
            # Rejections and validated requests are told to the customer (public message).
            public = approval.kind == "validation"
            ticket.message_post(
                body=body,
                subtype_xmlid="mail.mt_comment" if public else "helpdesk_ticketing.mt_ticket_approval",
                message_type="comment" if public else "notification",
                partner_ids=ticket.partner_id.ids if public else [],
            )
            if approval.kind == "signoff" and state == "approved" and not ticket.is_closed:
                stage = ticket._solved_stage()
                if stage:
                    ticket.stage_id = stage

    def action_approve(self, comment=None):
        self._decide("approved", comment)
        return True

    def action_reject(self, comment=None):
        self._decide("rejected", comment)
        return True

    def action_open_decision_wizard(self):
        rejecting = self.env.context.get("decision") == "rejected"
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject Request") if rejecting else self.env._("Approve Request"),
            "res_model": "helpdesk.approval.decision.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_approval_id": self.id,
                "default_decision": self.env.context.get("decision", "approved"),
            },
        }
