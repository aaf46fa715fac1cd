from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, is_html_empty

LEADER_GROUP = "helpdesk_ticketing.group_helpdesk_leader"
# Open tickets created this long before a major incident may be offered as its affected tickets.
SIMILAR_WINDOW = timedelta(hours=4)


class HelpdeskTicket(models.Model):
    """Major incidents: one ticket (the parent) stands for a fault that many customers reported; the
    tickets of those customers are its children, solved with it and told through their own channel."""

    _inherit = "helpdesk.ticket"

    is_major_incident = fields.Boolean(
        string="Major Incident", copy=False, tracking=True,
        help="This ticket stands for a fault many customers reported: their tickets are attached to it "
        "and solved with it.",
    )
    major_incident_id = fields.Many2one(
        "helpdesk.ticket", string="Part of Major Incident", copy=False, tracking=True, index="btree_not_null",
        ondelete="set null", domain="[('is_major_incident', '=', True), ('is_closed', '=', False)]",
        readonly=True,
    )
    child_incident_ids = fields.One2many("helpdesk.ticket", "major_incident_id", string="Affected Tickets")
    visible_child_incident_ids = fields.Many2many(
        "helpdesk.ticket", compute="_compute_visible_child_incident_ids", string="Affected Tickets You Can See",
        help="The affected tickets the user may read: an agent sees those of their own teams.",
    )
    child_incident_count = fields.Integer(compute="_compute_child_incident_count", string="# Affected Tickets")
    major_incident_public_note = fields.Text(
        string="Public Status",
        help="What the customers of the affected tickets read about the incident on their portal "
        "(no customer names: every affected customer reads it).",
    )
    major_incident_candidate_ids = fields.Many2many(
        "helpdesk.ticket", compute="_compute_major_incident_candidate_ids", string="Similar Open Tickets",
        help="Open tickets that look like this major incident and are not attached yet.",
    )
    major_incident_notice_pending = fields.Boolean(
        readonly=True, copy=False,
        help="Solved with its major incident; its customer is told by a cron job right after.",
    )
    major_incident_public_status = fields.Char(
        compute="_compute_major_incident_public_status", compute_sudo=True,
        help="The stage of the major incident this ticket is part of, as its customer may read it.",
    )

    _major_incident_notice_pending_idx = models.Index("(id) WHERE major_incident_notice_pending")
    # Agents' record rule and the "Major Incidents" filter look the few incidents up among all tickets.
    _major_incident_idx = models.Index("(team_id, company_id) WHERE is_major_incident")

    @api.depends("child_incident_ids")
    def _compute_child_incident_count(self):
        counts = dict(self._read_group(
            [("major_incident_id", "in", self.filtered("is_major_incident").ids)], ["major_incident_id"], ["__count"]
        )) if self.ids else {}
        for ticket in self:
            ticket.child_incident_count = counts.get(ticket, 0)

    @api.depends("is_major_incident", "child_incident_ids")
    def _compute_visible_child_incident_ids(self):
        # Only a major incident has affected tickets: other forms skip the read and its access check.
        for ticket in self:
            ticket.visible_child_incident_ids = (
                ticket.child_incident_ids._filtered_access("read") if ticket.is_major_incident else False
            )

    @api.depends("is_major_incident", "team_id", "category_id", "site_id")
    def _compute_major_incident_candidate_ids(self):
        for ticket in self:
            ticket.major_incident_candidate_ids = (
                ticket._major_incident_candidates() if ticket.is_major_incident and ticket.id else False
            )

    @api.depends("major_incident_id.stage_id", "major_incident_id.major_incident_public_note")
    def _compute_major_incident_public_status(self):
        # compute_sudo: the incident is often another customer's ticket; only its stage is shown.
        for ticket in self:
            parent = ticket.major_incident_id
            ticket.major_incident_public_status = parent.stage_id.name if parent else False

    def _major_incident_candidates(self, limit=20):
        """Open tickets that look like this major incident, created in the hours before it or since: of
        the same team, category and site, or with a subject alike (pg_trgm's similarity, across teams
        and customers: the fault is the same, the reporters differ)."""
        self.ensure_one()
        since = (self.create_date or fields.Datetime.now()) - SIMILAR_WINDOW
        same_place = Domain("team_id", "=", self.team_id.id)
        if self.category_id:
            same_place &= Domain("category_id", "=", self.category_id.id)
        if self.site_id:
            same_place &= Domain("site_id", "=", self.site_id.id)
        alike = same_place
        if self.name:
            alike |= Domain.custom(to_sql=lambda model, alias, query: SQL(
                "%s %% %s", model._field_to_sql(alias, "name", query), self.name))
        return self.search(Domain([
            ("id", "!=", self.id),
            ("company_id", "=", self.company_id.id),
            ("is_closed", "=", False),
            ("is_major_incident", "=", False),
            ("major_incident_id", "=", False),
            ("create_date", ">=", since),
        ]) & alike, limit=limit)

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    @api.constrains("major_incident_id", "company_id", "is_major_incident")
    def _check_major_incident(self):
        for ticket in self.filtered("major_incident_id"):
            parent = ticket.major_incident_id
            if not parent.is_major_incident:
                raise ValidationError(self.env._(
                    "Ticket %(parent)s is not a major incident: declare it one before attaching %(code)s to it.",
                    parent=parent.display_name, code=ticket.code))
            if parent.company_id != ticket.company_id:
                raise ValidationError(self.env._(
                    "Ticket %(code)s belongs to %(company)s and major incident %(parent)s to %(parent_company)s: "
                    "only tickets of the incident's company can be attached.",
                    code=ticket.code, company=ticket.company_id.name, parent=parent.display_name,
                    parent_company=parent.company_id.name))
        for ticket in self.filtered("child_incident_ids"):
            if not ticket.is_major_incident:
                raise ValidationError(self.env._(
                    "Ticket %(code)s has affected tickets attached: detach them before it stops being a major "
                    "incident.", code=ticket.code))
        if self.filtered("major_incident_id")._has_cycle("major_incident_id"):  # only attached tickets can loop
            raise ValidationError(self.env._(
                "A major incident cannot be attached under itself or under one of its own affected tickets."))

    def _check_major_incident_manager(self):
        """Declaring and attaching are the team leaders' and managers' decisions."""
        if not self.env.su and not self.env.user.has_group(LEADER_GROUP):
            raise AccessError(self.env._(
                "Only team leaders and managers can declare major incidents and attach tickets to them."))

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_declare_major_incident(self):
        self._check_major_incident_manager()
        self.check_access("write")
        for ticket in self:
            if ticket.is_closed:
                raise UserError(self.env._(
                    "Ticket %(code)s is closed: only an open ticket can become a major incident.", code=ticket.code))
            if ticket.is_major_incident:
                raise UserError(self.env._("Ticket %(code)s is already a major incident.", code=ticket.code))
        self.write({"is_major_incident": True})
        for ticket in self:
            ticket.message_post(
                body=self.env._("Declared a major incident by %(user)s.", user=self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _attach_to_major_incident(self, parent):
        """Attach the tickets of self to the major incident parent; bad input raises before any change."""
        self._check_major_incident_manager()
        parent.ensure_one()
        parent.check_access("read")
        self.check_access("write")
        if not parent.is_major_incident:
            raise UserError(self.env._(
                "Ticket %(parent)s is not a major incident: declare it one before attaching tickets to it.",
                parent=parent.display_name))
        if parent.is_closed:
            raise UserError(self.env._(
                "Major incident %(parent)s is closed: tickets can only be attached to an open major incident.",
                parent=parent.display_name))
        if parent in self:
            raise UserError(self.env._("Major incident %(parent)s cannot be attached to itself.",
                                       parent=parent.display_name))
        ancestor = parent.sudo().major_incident_id  # sudo: only the chain of ids is followed
        while ancestor:
            if ancestor in self:
                raise UserError(self.env._(
                    "Major incident %(code)s cannot be attached under %(parent)s, which is already part of it.",
                    code=ancestor.code, parent=parent.display_name))
            ancestor = ancestor.major_incident_id
        for ticket in self:
            if ticket.company_id != parent.company_id:
                raise UserError(self.env._(
                    "Ticket %(code)s belongs to %(company)s and major incident %(parent)s to %(parent_company)s: "
                    "only tickets of the incident's company can be attached.",
                    code=ticket.code, company=ticket.company_id.name, parent=parent.display_name,
                    parent_company=parent.company_id.name))
            if ticket.is_closed:
                raise UserError(self.env._(
                    "Ticket %(code)s is closed: only open tickets can be attached to a major incident.",
                    code=ticket.code))
        tickets = self.filtered(lambda t: t.major_incident_id != parent)
        if not tickets:
            return self.browse()
        previous = tickets.major_incident_id
        tickets.write({"major_incident_id": parent.id})  # the constraint catches cycles
        for ticket in tickets:
            ticket.message_post(
                body=Markup(self.env._("Attached to major incident %(parent)s by %(user)s.")) % {
                    "parent": parent._get_html_link(), "user": self.env.user.name},
                subtype_xmlid="mail.mt_note",
            )
        parent.message_post(
            body=Markup(self.env._("%(count)s ticket(s) attached by %(user)s: %(tickets)s")) % {
                "count": len(tickets), "user": self.env.user.name,
                "tickets": Markup(", ").join(t._get_html_link() for t in tickets)},
            subtype_xmlid="mail.mt_note",
        )
        if previous:
            previous.message_post(
                body=self.env._("%(count)s ticket(s) moved to major incident %(parent)s.",
                                count=len(tickets), parent=parent.display_name),
                subtype_xmlid="mail.mt_note",
            )
        return tickets

    def action_detach_from_major_incident(self):
        """The ticket is not part of the incident after all: it goes on (or is reopened) on its own."""
        self._check_major_incident_manager()
        self.check_access("write")
        for ticket in self:
            if not ticket.major_incident_id:
                raise UserError(self.env._("Ticket %(code)s is not attached to a major incident.", code=ticket.code))
        by_parent = defaultdict(lambda: self.browse())
        for ticket in self:
            by_parent[ticket.major_incident_id] |= ticket
        self.write({"major_incident_id": False})
        for parent, tickets in by_parent.items():
            parent.message_post(
                body=self.env._("%(tickets)s detached by %(user)s.", user=self.env.user.name,
                                tickets=", ".join(tickets.mapped("display_name"))),
                subtype_xmlid="mail.mt_note",
            )
            for ticket in tickets:
                ticket.message_post(
                    body=self.env._("Detached from major incident %(parent)s by %(user)s: handled on its own now.",
                                    parent=parent.display_name, user=self.env.user.name),
                    subtype_xmlid="mail.mt_note",
                )
        return True

    def action_open_major_incident_attach(self):
        """The attach wizard for the tickets selected in the list: it asks for the major incident."""
        self._check_major_incident_manager()
        return self._major_incident_attach_wizard({"default_ticket_ids": self.ids})

    def action_attach_similar_tickets(self):
        """The attach wizard from the major incident's form, offering the open tickets that look alike."""
        self.ensure_one()
        self._check_major_incident_manager()
        return self._major_incident_attach_wizard({
            "default_major_incident_id": self.id, "default_ticket_ids": self.major_incident_candidate_ids.ids,
        })

    def _major_incident_attach_wizard(self, context):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Attach to Major Incident"),
            "res_model": "helpdesk.ticket.major.attach",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }

    def action_view_child_incidents(self):
        self.ensure_one()
        return self.child_incident_ids._get_records_action(
            name=self.env._("Affected Tickets of %(incident)s", incident=self.display_name),
            context={"create": False},
        )

    # ------------------------------------------------------------------
    # Solving the incident solves its children
    # ------------------------------------------------------------------
    def write(self, vals):
        if {"major_incident_id", "is_major_incident"} & set(vals):
            self._check_major_incident_manager()
        result = super().write(vals)
        if vals.get("stage_id") and self.env["helpdesk.stage"].browse(vals["stage_id"]).kind == "solved":
            self.filtered("is_major_incident")._solve_child_incidents()
        return result

    def _solve_child_incidents(self):
        """Solve the open children of the solved major incidents of self with the incident's solution;
        each child's customer is told by a cron job right after (nothing is rendered or sent inside the
        request). Children held by their own approvals, or still without a solution where their team asks
        for one, stay open (listed on the incident)."""
        # sudo: solving the incident solves its affected tickets, which a leader attached and which the
        # person solving the incident (often in another team) may not otherwise write.
        parents = self.sudo()
        children = parents.child_incident_ids.filtered(lambda t: not t.is_closed)
        if not children:
            return children
        for parent in parents:
            missing = (children & parent.child_incident_ids).filtered(lambda t: is_html_empty(t.solution))
            if missing and not is_html_empty(parent.solution):
                missing.write({"solution": parent.solution})
        held = children._held_by_approvals() | children._solution_missing()
        for parent in parents:
            held_here = held & parent.child_incident_ids
            if held_here:
                parent.message_post(
                    body=self.env._(
                        "These affected tickets stay open, waiting for their own approvals or a solution: %(tickets)s",
                        tickets=", ".join(held_here.mapped("display_name"))),
                    subtype_xmlid="mail.mt_note",
                )
        to_solve = children - held
        by_stage = defaultdict(lambda: self.browse().sudo())
        stages = {}
        for child in to_solve:
            if child.team_id not in stages:
                stages[child.team_id] = child._solved_stage()
            if stages[child.team_id]:
                by_stage[stages[child.team_id]] |= child
        solved = self.browse().sudo()
        for stage, tickets in by_stage.items():
            # The stage change is told by the incident notice, not by the usual tracking message.
            tickets.with_context(mail_notrack=True).write({"stage_id": stage.id, "major_incident_notice_pending": True})
            solved |= tickets
        if solved:
            self._trigger_major_incident_notices()
        return solved

    def _trigger_major_incident_notices(self):
        # Scheduling the notice job is a technical side effect of solving, whoever solves.
        cron_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "helpdesk_ticketing.ir_cron_helpdesk_major_incident_notices")
        self.env["ir.cron"].sudo().browse(cron_id)._trigger()

    @api.model
    def _cron_notify_major_incident_solved(self, batch_size=200):
        """Tell the customers of tickets solved with their major incident, a batch at a time, outside the
        request that solved it. Rows are claimed with the ORM's try_lock_for_update (SKIP LOCKED), so two
        workers never tell a customer twice; a full batch schedules the next one."""
        tickets = self.search(
            [("major_incident_notice_pending", "=", True)], order="id", limit=2 * batch_size
        ).try_lock_for_update(limit=batch_size)
        tickets.major_incident_notice_pending = False
        tickets.with_context(mail_notify_force_send=False)._notify_major_incident_solved()
        if len(tickets) == batch_size:
            self._trigger_major_incident_notices()
        return len(tickets)

    def _held_by_approvals(self):
        """Tickets that may not be solved now: a validation pending or rejected, or a sign-off missing."""
        signoff_rules = self._applicable_rules("signoff")
        held = self.browse()
        for ticket in self:
            validations = ticket._latest_approvals("validation")
            if validations.filtered(lambda a: a.state in ("pending", "rejected")):
                held |= ticket
            elif signoff_rules[ticket]:
                signoffs = ticket._latest_approvals("signoff")
                if not signoffs or any(a.state != "approved" for a in signoffs):
                    held |= ticket
        return held

    def _notify_major_incident_solved(self):
        """Tell the customers of these children, solved with their major incident, through the channel
        they used, in their language. Here: a public message (on the portal, e-mailed to the customer
        through the mail queue). Addons of other channels take their children out first (super on the
        rest)."""
        for lang, tickets in self.grouped(lambda t: t.partner_id.lang or "en_US").items():
            for ticket in tickets.with_context(lang=lang):
                # Written on behalf of the incident's technician (the job runs as the system).
                author = ticket.major_incident_id.user_id.partner_id or ticket.company_id.partner_id
                ticket.message_post(
                    body=ticket._major_incident_notice_body(),
                    author_id=author.id,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    partner_ids=ticket.partner_id.ids,
                    notify_skip_followers=True,
                )

    def _major_incident_notice_body(self):
        """The notice to the customer, in the language of the environment (the customer's)."""
        self.ensure_one()
        body = Markup("<p>%s</p>") % self.env._(
            "Your ticket %(code)s is now “%(stage)s”: it was part of a wider incident, which has been solved.",
            code=self.code, stage=self.stage_id.name,
        )
        if not is_html_empty(self.solution):
            body += Markup("<p><b>%s</b></p>%s") % (self.env._("Solution:"), self.solution)
        return body

    def _merge_move_records(self, target):
        """A merged major incident's affected tickets follow it: the ticket that stays becomes the major
        incident they are part of (no longer one of them, if it was)."""
        result = super()._merge_move_records(target)
        # sudo: _check_merge_into checked that the user may write every merged ticket
        children = self.sudo().child_incident_ids - target
        if children:
            target.sudo().write({"is_major_incident": True, "major_incident_id": False})
            children.write({"major_incident_id": target.id})
        return result
