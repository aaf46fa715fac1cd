from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# Rating values of Odoo's rating mixin (unhappy, neutral, happy).
PORTAL_RATINGS = (1, 3, 5)


class HelpdeskTicket(models.Model):
    """What customers get from a ticket: reopening, rating, work permits, and the service report
    (what was done, printed once the work is signed off)."""

    _inherit = "helpdesk.ticket"

    portal_reopen_deadline = fields.Datetime(
        compute="_compute_portal_reopen_deadline",
        string="Reopen Until",
        help="Until when the customer may reopen the closed ticket from the portal.",
    )

    portal_rating_id = fields.Many2one(
        "rating.rating",
        string="Rating of the Resolution",
        compute="_compute_portal_rating_id",
        store=True,
        readonly=False,
        copy=False,
        help="The customer's rating of the current resolution. A reopened ticket is rated again once solved.",
    )

    @api.depends("reopen_count")
    def _compute_portal_rating_id(self):
        """Reset when the ticket is reopened; a closed ticket keeps its latest rating (tickets rated before
        this field existed)."""
        for ticket in self:
            ratings = ticket.rating_ids.filtered("consumed") if ticket.is_closed else ticket.rating_ids.browse()
            ticket.portal_rating_id = ratings.sorted("write_date", reverse=True)[:1]

    @api.depends("is_closed", "date_closed", "company_id.helpdesk_reopen_days")
    def _compute_portal_reopen_deadline(self):
        for ticket in self:
            days = ticket.company_id.helpdesk_reopen_days
            if ticket.is_closed and ticket.date_closed and days > 0:
                ticket.portal_reopen_deadline = ticket.date_closed + timedelta(days=days)
            else:
                ticket.portal_reopen_deadline = False

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.code or self.name

    # ------------------------------------------------------------------
    # Portal actions (called sudo by the portal controller after its access check)
    # ------------------------------------------------------------------
    def _portal_can_reopen(self, now=None):
        self.ensure_one()
        now = now or fields.Datetime.now()
        return bool(self.stage_kind == "solved" and self.portal_reopen_deadline and now <= self.portal_reopen_deadline)

    def _portal_reopen(self, reason, author):
        """The customer disagrees with the resolution: back to work, with their reason in the chatter."""
        self.ensure_one()
        if not (reason or "").strip():
            raise UserError(
                self.env._("Tell us why you reopen the ticket, so the technician knows what is still wrong.")
            )
        if not self.is_closed:
            raise UserError(self.env._("Ticket %(code)s is still open.", code=self.code))
        if not self._portal_can_reopen():
            if self.stage_kind != "solved":
                raise UserError(
                    self.env._("Ticket %(code)s was cancelled: create a new ticket instead.", code=self.code)
                )
            raise UserError(
                self.env._(
                    "Ticket %(code)s was closed more than %(days)s days ago and can no longer be reopened: "
                    "create a new ticket and mention %(code)s.",
                    code=self.code,
                    days=self.company_id.helpdesk_reopen_days,
                )
            )
        stages = self.env["helpdesk.stage"]._of_team(self.team_id, kinds=["in_progress", "new"])
        stage = stages.filtered(lambda s: s.kind == "in_progress")[:1] or stages[:1]
        self.write({"stage_id": stage.id})
        self.message_post(
            body=Markup("<p><b>%s</b></p><p>%s</p>") % (self.env._("Reopened by the customer"), reason.strip()),
            author_id=author.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return True

    def _portal_rate(self, score, feedback, partner):
        """Feedback on the resolution, stored with Odoo's rating mixin (visible to agents and managers)."""
        self.ensure_one()
        if score not in PORTAL_RATINGS:
            raise UserError(self.env._("Choose one of the proposed ratings."))
        if self.stage_kind != "solved":
            raise UserError(self.env._("You can rate a ticket once it is solved."))
        # Two submissions at once (a double click, a replayed request) wait for each other on the
        # ticket's row; the later one then fails to serialize, and Odoo replays its request, which
        # finds the first rating. (The ORM's lock helpers skip locked rows instead of waiting.)
        self.env.cr.execute(SQL("SELECT id FROM helpdesk_ticket WHERE id = %s FOR NO KEY UPDATE", self.id))
        if self.portal_rating_id:
            raise UserError(
                self.env._(
                    "You already rated the resolution of ticket %(code)s. If the problem is back, reopen the ticket: "
                    "you can rate it again once it is solved.",
                    code=self.code,
                )
            )
        token = self._rating_get_access_token(partner=partner)
        self.portal_rating_id = self.rating_apply(score, token=token, feedback=(feedback or "").strip() or False)
        return self.portal_rating_id

    @api.readonly
    def action_open_ratings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("helpdesk_ticketing.helpdesk_ticket_rating_action")
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id), ("consumed", "=", True)]
        return action

    def _portal_work_permits(self):
        """Approved visit validations: the letters the customer may download."""
        self.ensure_one()
        return self.approval_ids.filtered(
            lambda a: a.kind == "validation" and a.state == "approved" and a.visit_date_from
        )

    def _message_post_after_hook(self, message, msg_vals):
        """A customer answering a ticket that waits for them puts it back to work."""
        result = super()._message_post_after_hook(message, msg_vals)
        author_users = message.author_id.user_ids
        # The subtype's id from the registry's cache (see helpdesk_ticket._message_post_after_hook).
        if (
            message.message_type == "comment"
            and message.subtype_id.id == self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
            and message.author_id
            and message.author_id.commercial_partner_id in self.commercial_partner_id
            and (not author_users or all(author_users.mapped("share")))
        ):
            waiting = self.filtered(lambda t: t.stage_kind == "waiting")
            for ticket in waiting:
                stage = self.env["helpdesk.stage"]._of_team(ticket.team_id, kinds=["in_progress"], limit=1)
                if stage:
                    # The customer may not write tickets; the move is what their answer means.
                    ticket.sudo().stage_id = stage
        return result

    # ------------------------------------------------------------------
    # Service report
    # ------------------------------------------------------------------
    service_report_printable = fields.Boolean(
        compute="_compute_service_report_printable",
        help="Solved, and its resolution sign-off approved where a sign-off rule applies.",
    )

    @api.depends("stage_id", "approval_ids.state", "team_id", "category_id")
    def _compute_service_report_printable(self):
        for ticket in self:
            ticket.service_report_printable = not ticket._service_report_blocker()

    def _service_report_signoff(self):
        """The approved sign-off the report names as approver (empty without sign-off)."""
        self.ensure_one()
        return self._latest_approvals("signoff").filtered(lambda a: a.state == "approved")[-1:]

    def _service_report_blocker(self):
        """Why the service report cannot be printed yet, or False: the customer signs a report
        of finished work, which a leader signed off where a rule asks for it."""
        self.ensure_one()
        if missing := self._signoff_missing().get(self):
            pending = missing[1].filtered(lambda a: a.state == "pending")
            if pending:
                return self.env._(
                    "The service report of ticket %(code)s can be printed once %(approvers)s approve its "
                    "resolution sign-off.",
                    code=self.code,
                    approvers=", ".join(pending.approver_ids.mapped("name")) or self.env._("a manager"),
                )
            return self.env._(
                "The service report of ticket %(code)s can be printed once its resolution sign-off is approved: "
                "use “Request Sign-off”.",
                code=self.code,
            )
        if self.stage_kind != "solved":
            return self.env._("The service report of ticket %(code)s can be printed once the ticket is solved.",
                              code=self.code)
        return False

    def _check_service_report_printable(self):
        for ticket in self:
            blocker = ticket._service_report_blocker()
            if blocker:
                raise UserError(blocker)

    @api.readonly
    def action_print_service_report(self):
        self._check_service_report_printable()
        return self.env.ref("helpdesk_ticketing.action_report_service").report_action(self)
