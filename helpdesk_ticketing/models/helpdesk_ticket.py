from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL, email_normalize, is_html_empty

from ..tools.ticket_code import CODE_NUMBER_SQL, code_number
from .helpdesk_team import SUPPORT_LEVELS

PRIORITIES = [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Urgent")]

CHANNELS = [
    ("portal", "Portal"),
    ("email", "E-mail"),
    ("phone", "Phone"),
    ("sms", "SMS"),
    ("walk_in", "Walk-in"),
    ("internal", "Internal"),
]
SLA_STATUSES = [
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("breached", "Breached"),
    ("met", "Met"),
]


class HelpdeskTicket(models.Model):
    """A customer's request or incident, worked through a team's queue."""

    _name = "helpdesk.ticket"
    _description = "Helpdesk Ticket"
    _inherit = ["portal.mixin", "mail.thread.cc", "mail.activity.mixin", "rating.mixin"]
    # FIFO queue: most urgent first, then oldest first.
    _order = "priority desc, create_date asc, id asc"
    _rec_names_search = ["code", "name"]
    _primary_email = "partner_email"
    _mail_post_access = "read"
    # The companies of the check_company fields are checked by orm_speedups/company_check.py.
    _check_company_auto = False

    code = fields.Char(
        string="Code", readonly=True, copy=False, index="btree", default="/", tracking=True
    )
    name = fields.Char(string="Subject", required=True, tracking=True)
    description = fields.Html()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, precompute=True, index=True,
        string="Customer Company",
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact Person",
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
        index="btree_not_null",  # deleting a contact looks its tickets up
        help="Who at the customer reported or follows the ticket.",
    )
    # The customer's contact details, shown and editable on the ticket. Unlike related fields they
    # write to the contact only when changed: the form sends them with every new ticket, and agents
    # may not edit contacts.
    partner_email = fields.Char(
        string="Customer E-mail", compute="_compute_partner_contact_details", inverse="_inverse_partner_email",
        search="_search_partner_email",
    )
    partner_phone = fields.Char(
        string="Customer Phone", compute="_compute_partner_contact_details", inverse="_inverse_partner_phone",
    )
    channel = fields.Selection(CHANNELS, required=True, default="internal", tracking=True)
    team_id = fields.Many2one("helpdesk.team", string="Team", tracking=True, check_company=True)
    user_id = fields.Many2one(
        "res.users",
        string="Assigned To",
        tracking=True,
        domain=[("share", "=", False)],
        check_company=True,
    )
    stage_id = fields.Many2one(
        "helpdesk.stage",
        string="Stage",
        tracking=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_stage_ids",
        domain="['|', ('team_ids', '=', False), ('team_ids', 'in', team_id)]",
    )
    stage_kind = fields.Selection(related="stage_id.kind", string="Stage Kind")
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True, precompute=True, index=True, string="Closed")
    priority = fields.Selection(PRIORITIES, default="1", required=True, tracking=True)
    category_id = fields.Many2one(
        "helpdesk.category", string="Category", index=True, tracking=True, check_company=True
    )
    tag_ids = fields.Many2many("helpdesk.tag", string="Tags")
    site_id = fields.Many2one(
        "helpdesk.site",
        string="Site / Branch",
        index="btree_not_null",
        check_company=True,
        domain="['|', ('partner_id', '=', False), ('partner_id', '=', commercial_partner_id)]",
    )
    progress = fields.Integer(
        compute="_compute_progress", store=True, readonly=False, precompute=True, tracking=True, aggregator="avg"
    )
    solution = fields.Html(help="What the technician did to solve the problem.")
    root_cause = fields.Text(help="Why the problem happened.")
    color = fields.Integer()
    level = fields.Selection(SUPPORT_LEVELS, string="Support Level", default="1", required=True, tracking=True)
    date_assigned = fields.Datetime(readonly=True, copy=False)
    date_closed = fields.Datetime(readonly=True, copy=False, index=True)
    date_last_stage_update = fields.Datetime(readonly=True, copy=False, default=fields.Datetime.now)
    first_response_date = fields.Datetime(readonly=True, copy=False)
    reopen_count = fields.Integer(readonly=True, copy=False)

    escalation_ids = fields.One2many("helpdesk.escalation", "ticket_id", string="Escalations")
    escalation_count = fields.Integer(readonly=True, copy=False, help="Kept up to date by the escalation history.")

    approval_ids = fields.One2many("helpdesk.approval", "ticket_id", string="Approvals")
    approval_state = fields.Selection(
        [("none", "Not Needed"), ("pending", "Awaiting Approval"), ("approved", "Approved"), ("rejected", "Rejected")],
        compute="_compute_approval_state",
        store=True,
        precompute=True,
        index=True,
        string="Approval",
    )
    approval_count = fields.Integer(
        compute="_compute_approval_state", store=True, precompute=True, string="# Approvals",
        help="Stored for the analysis report, which sums it over all tickets.",
    )

    sla_id = fields.Many2one(
        "helpdesk.sla", string="SLA Policy", readonly=True, copy=False, index="btree_not_null", check_company=True
    )
    sla_response_deadline = fields.Datetime(string="Response Deadline", readonly=True, copy=False)
    sla_resolve_deadline = fields.Datetime(string="Resolution Deadline", readonly=True, copy=False, index=True)
    sla_at_risk_date = fields.Datetime(readonly=True, copy=False)
    sla_status = fields.Selection(SLA_STATUSES, string="SLA Status", readonly=True, copy=False, index=True)
    sla_response_breached = fields.Boolean(readonly=True, copy=False)
    sla_resolve_breached = fields.Boolean(readonly=True, copy=False)
    sla_response_escalated = fields.Boolean(readonly=True, copy=False)
    sla_resolve_escalated = fields.Boolean(readonly=True, copy=False)

    assignee_to_notify = fields.Boolean(
        readonly=True, copy=False, help="Automatically assigned; the assignee is told by a cron job right after."
    )

    # A new ticket has no rating yet: computed before the insert instead of an UPDATE after it.
    rating_last_value = fields.Float(compute="_compute_rating_last_value", precompute=True, store=True)

    _code_company_uniq = models.Constraint(
        "unique (company_id, code)", "A ticket with this code already exists in this company."
    )
    _progress_range = models.Constraint(
        "CHECK (progress >= 0 AND progress <= 100)", "Progress must be between 0 and 100%."
    )
    # The FIFO queue and "take next" read unassigned open tickets of a team in queue order, the first ones
    # straight from this index. The predicate is the one the ORM writes for the queue's domain.
    _queue_idx = models.Index(
        "(team_id, priority DESC, create_date, id) WHERE user_id IS NULL AND active IS TRUE AND is_closed IS NOT TRUE"
    )
    _assignee_to_notify_idx = models.Index("(id) WHERE assignee_to_notify")
    # The ticket list opens on open tickets in the model's order: its first page is read from this index
    # instead of sorting every open ticket. The predicate is the one the ORM writes for the domain.
    _open_order_idx = models.Index("(priority DESC, create_date, id) WHERE active IS TRUE AND is_closed IS NOT TRUE")
    # Counts by stage, assignee and team (dashboards, reports) read these indexes only; they also
    # serve the foreign keys.
    _stage_active_idx = models.Index("(stage_id, company_id, active)")
    _user_active_idx = models.Index("(user_id, company_id, active)")
    # create_date too: the analysis report groups by team and month with an index-only scan.
    _team_created_idx = models.Index("(team_id, company_id, active, create_date)")
    # Customers' ticket lists (backend smart button and portal) in queue order.
    _partner_queue_idx = models.Index("(commercial_partner_id, priority DESC, create_date, id)")
    # Short codes in SMS and e-mails (HD42) name a ticket by the number part of its code.
    _code_number_idx = models.Index(f"(({CODE_NUMBER_SQL % 'code'}))")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("approval_ids.state", "approval_ids.kind", "approval_ids.rule_id")
    def _compute_approval_state(self):
        """Where the approvals stand: the latest request of each rule counts."""
        for ticket in self:
            ticket.approval_count = len(ticket.approval_ids)
            states = set((ticket._latest_approvals("validation") | ticket._latest_approvals("signoff")).mapped("state"))
            if not states:
                ticket.approval_state = "none"
            elif "pending" in states:
                ticket.approval_state = "pending"
            elif "rejected" in states:
                ticket.approval_state = "rejected"
            else:
                ticket.approval_state = "approved"

    @api.depends("stage_id")
    def _compute_progress(self):
        """A solved ticket is done; otherwise the technician sets the progress."""
        for ticket in self:
            ticket.progress = 100 if ticket.stage_id.kind == "solved" else ticket.progress or 0

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for ticket in self:
            ticket.access_url = f"/my/tickets/{ticket.id}"

    @api.depends("partner_id.email", "partner_id.phone")
    def _compute_partner_contact_details(self):
        for ticket in self:
            ticket.partner_email = ticket.partner_id.email
            ticket.partner_phone = ticket.partner_id.phone

    def _inverse_partner_email(self):
        for ticket in self:
            partner = ticket.partner_id
            if partner and email_normalize(ticket.partner_email or "") != email_normalize(partner.email or ""):
                ticket._update_customer_contact_detail("email", ticket.partner_email)

    def _inverse_partner_phone(self):
        for ticket in self:
            partner = ticket.partner_id
            if partner and (ticket.partner_phone or "").strip() != (partner.phone or "").strip():
                ticket._update_customer_contact_detail("phone", ticket.partner_phone)

    def _update_customer_contact_detail(self, field_name, value):
        """Change the customer's e-mail or phone from the ticket, for users who may edit contacts."""
        partner = self.partner_id
        if not partner.has_access("write"):
            if field_name == "email":
                message = self.env._(
                    "You may not change the e-mail address of %(customer)s: only users who manage contacts can. "
                    "Ask one of them, or write the new address in the ticket.", customer=partner.display_name)
            else:
                message = self.env._(
                    "You may not change the phone number of %(customer)s: only users who manage contacts can. "
                    "Ask one of them, or write the new number in the ticket.", customer=partner.display_name)
            raise UserError(message)
        partner[field_name] = (value or "").strip() or False

    def _search_partner_email(self, operator, value):
        return [("partner_id.email", operator, value)]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for ticket in self:
            ticket.display_name = f"{ticket.code} {ticket.name}" if ticket.code and ticket.code != "/" else ticket.name

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        """The kanban shows every stage of the team it is opened for (the shared ones without team)."""
        team = self.env["helpdesk.team"].browse(self.env.context.get("default_team_id"))
        return stages.search(stages._team_domain(team))

    @api.onchange("category_id")
    def _onchange_category_id(self):
        if self.category_id.team_id and not self.team_id:
            self.team_id = self.category_id.team_id

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.contact_id and self.contact_id.commercial_partner_id != self.partner_id.commercial_partner_id:
            self.contact_id = False

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        """New tickets get everything they need before the insert (team, stage, code, assignee,
        SLA deadlines), so that a batch costs a constant number of queries."""
        self._check_create_values(vals_list)
        teams = self._prepare_team(vals_list)
        self._prepare_company_level_stage(vals_list, teams)
        self._assign_codes(vals_list)
        self._auto_assign(vals_list, teams)
        self._prepare_sla_values(vals_list, teams, self.env.cr.now())
        self._prepare_assignment_flags(vals_list)
        # Followers of the new tickets are inserted in one batch below, not ticket by ticket.
        tickets = super(HelpdeskTicket, self.with_context(
            mail_auto_subscribe_no_notify=True, mail_create_nosubscribe=True, helpdesk_followers_on_create=True,
        )).create(vals_list)
        tickets = tickets.with_env(self.env)
        tickets._subscribe_new_tickets()
        if any(vals.get("assignee_to_notify") for vals in vals_list):
            tickets._trigger_assignee_notification()
        tickets._request_validations(new=True)._check_approval_gate()
        tickets.filtered("is_closed")._close_new_tickets()
        return tickets

    @api.model
    def _create_with_first_message(self, vals_list):
        """Tickets whose customer's first message the caller posts right after (an SMS, as Odoo's mail
        gateway does for an e-mail): no "Ticket created" log before it, that message starts the
        conversation."""
        return self.with_context(mail_create_nolog=True).create(vals_list)

    def _prepare_team(self, vals_list):
        """The team of each new ticket: given, else its category's, else its company's triage team
        (so that every open ticket is in some team's queue). Returns the teams involved."""
        categories = self.env["helpdesk.category"].browse(
            {vals["category_id"] for vals in vals_list if vals.get("category_id")}
        )
        teams = self.env["helpdesk.team"].browse(
            {vals["team_id"] for vals in vals_list if vals.get("team_id")} | set(categories.team_id.ids)
        )
        triage_teams = self.env["res.company"].browse(
            {vals.get("company_id") or self.env.company.id for vals in vals_list}
        ).helpdesk_triage_team_id
        for vals in vals_list:
            if not vals.get("team_id") and vals.get("category_id"):
                vals["team_id"] = categories.browse(vals["category_id"]).team_id.id
            if not vals.get("team_id"):
                company_id = vals.get("company_id") or self.env.company.id
                vals["team_id"] = triage_teams.filtered(lambda t, c=company_id: t.company_id.id == c)[:1].id
        return teams | triage_teams

    def _prepare_company_level_stage(self, vals_list, teams):
        """The team's company and support level, the first stage of its pipeline, a trimmed subject."""
        first_stages = self.env["helpdesk.stage"]._first_stage_ids(teams.ids)
        for vals in vals_list:
            team = teams.browse(vals.get("team_id"))
            if not vals.get("company_id"):
                vals["company_id"] = team.company_id.id or self.env.company.id
            if team and "level" not in vals:
                vals["level"] = team.level
            if not vals.get("stage_id"):
                vals["stage_id"] = first_stages.get(team.id) or first_stages.get(False)
            vals["name"] = vals["name"].strip()

    def _prepare_assignment_flags(self, vals_list):
        """Assigned tickets record when; an assignee other than the author is told by a cron job
        triggered now, in one message per person and batch, outside the request that creates the
        ticket (portal, e-mail, SMS, imports)."""
        now = fields.Datetime.now()
        for vals in vals_list:
            if vals.get("user_id"):
                vals.setdefault("date_assigned", now)
                if vals["user_id"] != self.env.uid:
                    vals["assignee_to_notify"] = True

    def _trigger_assignee_notification(self):
        # Scheduling the notification job is a technical side effect any creator may cause.
        # The cron's id comes from the registry cache (env.ref would check it exists with a query).
        cron_id = self.env["ir.model.data"]._xmlid_to_res_id("helpdesk_ticketing.ir_cron_helpdesk_notify_assignees")
        self.env["ir.cron"].sudo().browse(cron_id)._trigger()

    def _close_new_tickets(self):
        """Tickets created in a closing stage (imports, walk-ins solved on the spot) are closed now."""
        if not self:
            return
        now = fields.Datetime.now()
        self._check_signoff()
        self.date_closed = now
        self._close_sla(now)

    def _check_create_values(self, vals_list):
        """Turn bad input into clear, translated errors before anything is written."""
        category_ids = {vals["category_id"] for vals in vals_list if vals.get("category_id")}
        existing = set(self.env["helpdesk.category"].browse(category_ids).exists().ids)
        for vals in vals_list:
            if not (vals.get("name") or "").strip():
                raise ValidationError(self.env._("A ticket needs a subject: describe the problem in a few words."))
            if not vals.get("partner_id"):
                raise ValidationError(
                    self.env._("Ticket “%(subject)s” has no customer: choose the customer who reported it.",
                               subject=vals["name"].strip())
                )
            if vals.get("category_id") and vals["category_id"] not in existing:
                raise ValidationError(
                    self.env._("Category #%(id)s does not exist (it may have been deleted): choose another category.",
                               id=vals["category_id"])
                )

    def _assign_codes(self, vals_list):
        by_company = defaultdict(list)
        for vals in vals_list:
            if not vals.get("code") or vals["code"] == "/":
                by_company[vals.get("company_id") or self.env.company.id].append(vals)
        for company_id, company_vals in by_company.items():
            codes = self.env["res.company"].browse(company_id)._helpdesk_next_ticket_codes(len(company_vals))
            for vals, code in zip(company_vals, codes, strict=True):
                vals["code"] = code

    def _auto_assign(self, vals_list, teams):
        """Fill user_id of new tickets by their team's assignment method, before the insert."""
        sites = self.env["helpdesk.site"].browse({vals["site_id"] for vals in vals_list if vals.get("site_id")})
        closed = self.env["helpdesk.stage"]._closed_stage_ids()
        by_team = defaultdict(list)
        for index, vals in enumerate(vals_list):
            team = teams.browse(vals.get("team_id"))
            if vals.get("user_id") or not team or team.assignment_method == "manual":
                continue
            if vals.get("stage_id") in closed:
                continue
            region = sites.browse(vals["site_id"]).region if vals.get("site_id") else False
            by_team[team].append((index, region, vals.get("category_id")))
        for team, requests in by_team.items():
            for index, user_id in team._assign_users(requests).items():
                vals_list[index]["user_id"] = user_id

    @api.model
    def _cron_notify_assignees(self, batch_size=1000):
        """Tell each assignee about their automatically assigned tickets: Odoo's usual
        assignment message for one ticket, a summary for several. Rows are claimed with the ORM's
        try_lock_for_update (SKIP LOCKED), so two workers never send the same notification twice."""
        # Twice the batch is read, so that a second worker running at once claims the next rows.
        tickets = self.search(
            [("assignee_to_notify", "=", True)], order="id", limit=2 * batch_size
        ).try_lock_for_update(limit=batch_size)
        tickets.assignee_to_notify = False
        by_user = defaultdict(lambda: self.browse())
        for ticket in tickets.filtered(lambda t: t.user_id.active):
            by_user[ticket.user_id] |= ticket
        for user, user_tickets in by_user.items():
            if len(user_tickets) == 1:
                user_tickets._message_auto_subscribe_notify(user.partner_id.ids, "mail.message_user_assigned")
                continue
            items = Markup("").join(
                Markup('<li><a href="/odoo/helpdesk.ticket/%s">%s</a></li>') % (t.id, t.display_name)
                for t in user_tickets
            )
            user_tickets[0].with_context(lang=user.lang).message_notify(
                partner_ids=user.partner_id.ids,
                subject=self.env._("%(count)s new tickets assigned to you", count=len(user_tickets)),
                body=Markup("<p>%s</p><ul>%s</ul>") % (
                    self.env._("You have been assigned %(count)s new tickets:", count=len(user_tickets)), items
                ),
            )
        return len(tickets)

    def _message_auto_subscribe(self, updated_values, followers_existing_policy="skip"):
        if self.env.context.get("helpdesk_followers_on_create"):
            return True  # create() inserts the followers of the whole batch at once
        return super()._message_auto_subscribe(updated_values, followers_existing_policy=followers_existing_policy)

    def _message_auto_subscribe_followers(self, updated_values, default_subtype_ids):
        """A new customer or contact person follows the ticket (public subtypes only)."""
        result = super()._message_auto_subscribe_followers(updated_values, default_subtype_ids)
        customers = [updated_values[f] for f in ("partner_id", "contact_id") if updated_values.get(f)]
        if customers:
            subtypes = self.env["mail.message.subtype"].browse(default_subtype_ids)
            public = subtypes.filtered(lambda s: not s.internal).ids
            result += [(partner_id, public, False) for partner_id in customers]
        return result

    def _subscribe_new_tickets(self):
        """The author, the assignee, the customer and the contact person follow each new ticket,
        customers with public subtypes only: followers and their subtypes in one statement.

        A new ticket has no follower yet and nothing computes from followers' subtypes, so the rows
        are inserted directly instead of through mail.followers' generic create (one ORM record and
        a many2many write per follower, a third of the cost of creating a ticket one by one)."""
        all_subtypes, _internal, public_subtypes = self.env["mail.message.subtype"]._default_subtypes(self._name)
        author = self.env.user
        rows = []
        for ticket in self:
            staff = ticket.user_id.filtered("active")
            if author.active and not author.share:
                staff |= author
            followers = {user.partner_id.id: all_subtypes for user in staff}
            for customer in ticket.partner_id | ticket.contact_id:
                followers.setdefault(customer.id, public_subtypes)
            rows += [
                (ticket.id, partner_id, subtype) for partner_id, subtypes in followers.items() for subtype in subtypes
            ]
        if not rows:
            return
        res_ids, partner_ids, subtype_ids = zip(*rows, strict=True)
        self.env.cr.execute(SQL(
            """WITH wanted AS (SELECT * FROM unnest(%s::int[], %s::int[], %s::int[])
                                   AS w(res_id, partner_id, subtype_id)),
                    inserted AS (
                        INSERT INTO mail_followers (res_model, res_id, partner_id)
                        SELECT DISTINCT %s, res_id, partner_id FROM wanted
                        RETURNING id, res_id, partner_id)
               INSERT INTO mail_followers_mail_message_subtype_rel (mail_followers_id, mail_message_subtype_id)
               SELECT inserted.id, wanted.subtype_id
                 FROM inserted JOIN wanted USING (res_id, partner_id)""",
            list(res_ids), list(partner_ids), list(subtype_ids), self._name,
        ))
        self.invalidate_recordset(["message_follower_ids", "message_partner_ids"])

    def write(self, vals):
        if "name" in vals and not (vals["name"] or "").strip():
            raise ValidationError(self.env._("A ticket needs a subject: describe the problem in a few words."))
        if "partner_id" in vals and not vals["partner_id"]:
            raise ValidationError(self.env._("A ticket cannot lose its customer."))
        now = fields.Datetime.now()
        stage = self.env["helpdesk.stage"].browse(vals.get("stage_id"))
        if "stage_id" in vals:
            vals["date_last_stage_update"] = now
            if stage.is_closed:
                vals.setdefault("date_closed", now)
            else:
                vals["date_closed"] = False
        if vals.get("user_id"):
            vals.setdefault("date_assigned", now)
        reopened = self.filtered("is_closed") if "stage_id" in vals and not stage.is_closed else self.browse()
        result = super().write(vals)
        if "stage_id" in vals:
            self._check_approval_gate()
            if stage.is_closed:
                self._check_signoff()
                self._close_sla(now)
            for ticket in reopened:
                ticket.reopen_count += 1
            if reopened:
                reopened._apply_sla()
        if {"team_id", "priority", "category_id"} & set(vals):
            # sudo: approvals and SLA deadlines follow from the new team's configuration, whoever
            # moved the ticket; an agent escalating or handing it over has just lost access to it.
            moved = self.sudo()
            if {"team_id", "category_id"} & set(vals):
                moved.filtered(lambda t: t.stage_kind == "new")._request_validations()
            moved.filtered(lambda t: not t.is_closed)._apply_sla()
        return result

    # ------------------------------------------------------------------
    # Codes
    # ------------------------------------------------------------------
    @api.model
    def _find_by_code_reference(self, text):
        """The ticket a free text refers to (SMS, e-mail subject), by full or short code."""
        return self._find_by_code_references([text]).get(text, self.browse())

    @api.model
    def _find_by_code_references(self, texts, company=None):
        """{text: ticket} for the texts naming a ticket by full code (HD/2026/00042) or short code
        (HD42: the newest ticket with that number), in one query on indexed columns; a merged ticket's
        code names its surviving ticket. Codes are read as the companies' ticket sequences write them
        (prefix, padding), see tools/ticket_code.py."""
        formats = (company or self.env["res.company"])._helpdesk_ticket_code_formats()
        wanted = {}
        for text in texts:
            for code_format in formats:
                if match := code_format.full_re.search(text or ""):
                    wanted[text] = ("full", code_format.full_code(match).upper())
                    break
            else:
                for code_format in formats:
                    if code_format.short_re and (match := code_format.short_re.search(text or "")):
                        wanted[text] = ("short", (code_format.head, str(int(match.group(1)))))
                        break
        if not wanted:
            return {}
        full = {code for kind, code in wanted.values() if kind == "full"}
        conditions = [[("code", "in", sorted(full))]] if full else []
        short = defaultdict(set)
        for kind, code in wanted.values():
            if kind == "short":
                short[code[0]].add(code[1])
        for head, numbers in short.items():
            conditions.append(Domain.custom(to_sql=lambda model, alias, query, head=head, numbers=numbers: SQL(
                "(%s IN %s AND %s ILIKE %s)",
                SQL(CODE_NUMBER_SQL, model._field_to_sql(alias, "code", query)), tuple(sorted(numbers)),
                model._field_to_sql(alias, "code", query), f"{head}%",
            )))
        domain = Domain.OR(conditions)
        if company:
            domain &= Domain("company_id", "=", company.id)
        tickets = self.with_context(active_test=False).search_fetch(domain, ["code", "merged_into_id"], order="id desc")
        by_full, by_short = {}, {}
        for ticket in tickets:
            by_full.setdefault(ticket.code.upper(), ticket)
            for head in short:
                if ticket.code.upper().startswith(head):
                    by_short.setdefault((head, code_number(ticket.code)), ticket)  # newest first
        # A merged ticket's code names the ticket it was merged into.
        return {
            text: ticket._surviving_ticket()
            for text, (kind, code) in wanted.items()
            if (ticket := (by_full if kind == "full" else by_short).get(code))
        }

    # ------------------------------------------------------------------
    # Queue
    # ------------------------------------------------------------------
    @api.model
    def _queue_domain(self, teams=None):
        """The queue of the current user: unassigned open tickets of their teams. The Queue menu
        lists exactly these and Take Next serves them, in queue order.

        The teams are named by id, not through their members: PostgreSQL then knows how many tickets
        wait and reads the first ones from `_queue_idx` in order instead of sorting the whole queue.
        """
        teams = self.env.user.helpdesk_team_ids if teams is None else teams
        return [
            ("team_id", "in", teams.ids),
            ("user_id", "=", False),
            ("is_closed", "=", False),
        ]

    @api.model
    @api.readonly
    def action_open_queue(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Queue"),
            "res_model": self._name,
            "views": [(False, "list"), (False, "form")],
            "domain": self._queue_domain(),
            "context": {"create": False},
            "help": Markup("<p class='o_view_nocontent_smiling_face'>%s</p><p>%s</p>") % (
                self.env._("The queue is empty"),
                self.env._("Unassigned open tickets of your teams appear here, most urgent and oldest first."),
            ),
        }

    @api.model
    def action_take_next(self):
        """Give the current agent the next ticket of their queue.

        The row is claimed with the ORM's try_lock_for_update (SKIP LOCKED) so two agents
        pressing the button at once always get different tickets.
        """
        ticket = self._take_next_ticket()
        if not ticket:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "info",
                    "message": self.env._("No ticket is waiting in your teams' queue."),
                    "sticky": False,
                },
            }
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": ticket.id,
            "views": [(False, "form")],
            "target": "current",
        }

    @api.model
    def _take_next_ticket(self):
        teams = self.env.user.helpdesk_team_ids
        if not teams:
            raise UserError(self.env._("You are not a member of any helpdesk team."))
        ticket = self.browse()
        offset, page = 0, 20
        while not ticket:
            candidates = self.search(self._queue_domain(teams), offset=offset, limit=page)
            if not candidates:
                return ticket
            ticket = candidates.try_lock_for_update(limit=1)
            offset += page
        ticket.write({"user_id": self.env.uid})
        ticket.message_post(
            body=self.env._("Taken from the queue by %(user)s.", user=self.env.user.name),
            subtype_xmlid="mail.mt_note",
        )
        return ticket

    # ------------------------------------------------------------------
    # Approvals
    # ------------------------------------------------------------------
    def _applicable_rules(self, kind):
        Rule = self.env["helpdesk.approval.rule"]
        return {
            ticket: Rule.browse(Rule._matching_ids(kind, ticket.company_id.id, ticket.team_id.id,
                                                   ticket.category_id.id))
            for ticket in self
        }

    def _request_validations(self, new=False):
        """Ask the validations that apply; returns the tickets that got a request."""
        vals_list = []
        requested_tickets = self.browse()
        for ticket, rules in self._applicable_rules("validation").items():
            if not rules:
                continue
            requested = self.env["helpdesk.approval.rule"] if new else ticket.approval_ids.filtered(
                lambda a: a.kind == "validation").rule_id
            for rule in rules - requested:
                vals_list.append(ticket._prepare_approval(rule))
                requested_tickets |= ticket
        if vals_list:
            self.env["helpdesk.approval"]._create_requests(vals_list)
        return requested_tickets

    def _prepare_approval(self, rule, previous=None):
        """Values of a new request for rule. A request that replaces a rejected one (previous) keeps
        its visit, which stays editable until the decision."""
        approvers = rule._approvers_for(self) if rule else previous.approver_ids
        vals = {
            "ticket_id": self.id,
            "rule_id": rule.id,
            "kind": rule.kind or previous.kind,
            "approver_ids": [(6, 0, approvers.ids)],
        }
        if previous:
            vals.update({field: previous[field] for field in ("visit_date_from", "visit_date_to", "visitor_names")})
        return vals

    def _latest_approvals(self, kind):
        """The latest request of each rule: a new request replaces the ones before it."""
        self.ensure_one()
        latest = {}
        for approval in self.approval_ids.filtered(lambda a: a.kind == kind).sorted("id"):
            latest[approval.rule_id] = approval
        return self.env["helpdesk.approval"].union(*latest.values())

    def _check_approval_gate(self):
        """No ticket works past a validation that is pending or rejected, whoever writes."""
        for ticket in self:
            if ticket.stage_kind in ("new", "cancelled"):
                continue
            blocking = ticket._latest_approvals("validation").filtered(lambda a: a.state in ("pending", "rejected"))
            if blocking:
                approval = blocking[0]
                if approval.state == "pending":
                    raise UserError(
                        self.env._(
                            "Ticket %(code)s is waiting for “%(rule)s” approval by %(approvers)s: "
                            "it cannot move to “%(stage)s” before that.",
                            code=ticket.code,
                            rule=approval.rule_id.name or approval.display_name,
                            approvers=", ".join(approval.approver_ids.mapped("name")) or self.env._("a team leader"),
                            stage=ticket.stage_id.name,
                        )
                    )
                raise UserError(
                    self.env._(
                        "Ticket %(code)s was rejected (%(reason)s): it cannot move to “%(stage)s”. "
                        "Request a new validation or cancel the ticket.",
                        code=ticket.code,
                        reason=approval.comment or "-",
                        stage=ticket.stage_id.name,
                    )
                )

    def _check_signoff(self):
        """Solving needs an approved resolution sign-off where a rule asks for one: the latest request
        of each sign-off rule approved."""
        to_solve = self.filtered(lambda t: t.stage_kind == "solved")
        for ticket, (rules, _signoffs) in to_solve._signoff_missing().items():
            raise UserError(
                self.env._(
                    "Ticket %(code)s needs a resolution sign-off by %(approvers)s before it can be solved. "
                    "Use “Request Sign-off”.",
                    code=ticket.code,
                    approvers=", ".join(rules[0]._approvers_for(ticket).mapped("name"))
                    or self.env._("a team leader"),
                )
            )

    def _signoff_missing(self):
        """{ticket: (sign-off rules, latest sign-offs)} for the tickets that a rule asks to be signed off
        and whose latest sign-offs are not all approved."""
        missing = {}
        for ticket, rules in self._applicable_rules("signoff").items():
            signoffs = ticket._latest_approvals("signoff") if rules else None
            if rules and (not signoffs or any(a.state != "approved" for a in signoffs)):
                missing[ticket] = (rules, signoffs)
        return missing

    def action_request_signoff(self):
        self.check_access("write")
        vals_list = []
        for ticket, rules in self._applicable_rules("signoff").items():
            if not rules:
                raise UserError(self.env._("No sign-off rule applies to ticket %(code)s: you can solve it directly.",
                                           code=ticket.code))
            if ticket.approval_ids.filtered(lambda a: a.kind == "signoff" and a.state == "pending"):
                raise UserError(self.env._("A sign-off is already pending on ticket %(code)s.", code=ticket.code))
            # The approval solves the ticket: what was done must be written first.
            ticket._check_solution()
            vals_list.append(ticket._prepare_approval(rules[0]))
        self.env["helpdesk.approval"]._create_requests(vals_list)
        return True

    def _validations_to_request(self):
        """(rule, rejected request) pairs to ask now: the rules whose latest request was rejected, and
        the rules that apply but were never asked (the category changed after the ticket left "new")."""
        self.ensure_one()
        latest = {approval.rule_id: approval for approval in self._latest_approvals("validation")}
        todo = [(approval.rule_id, approval) for approval in latest.values() if approval.state == "rejected"]
        if self._origin:  # a new ticket asks its validations when it is saved
            todo += [(rule, None) for rule in self._applicable_rules("validation")[self] if rule not in latest]
        return todo

    def action_request_validation(self):
        """Ask again after a rejection (e.g. a corrected work permit); opens the new request, whose
        visit dates and visitors the agent may still correct."""
        self.check_access("write")
        vals_list = []
        for ticket in self:
            todo = ticket._validations_to_request()
            if not todo:
                if ticket.approval_ids.filtered(lambda a: a.kind == "validation" and a.state == "pending"):
                    raise UserError(
                        self.env._("A validation is already pending on ticket %(code)s.", code=ticket.code)
                    )
                if not ticket._applicable_rules("validation")[ticket]:
                    raise UserError(self.env._("No validation rule applies to ticket %(code)s.", code=ticket.code))
                raise UserError(self.env._("The validations of ticket %(code)s are approved.", code=ticket.code))
            vals_list += [ticket._prepare_approval(rule, previous) for rule, previous in todo]
        requests = self.env["helpdesk.approval"]._create_requests(vals_list)
        return requests._get_records_action(name=self.env._("Validation Request"), target="new", context={})

    signoff_requestable = fields.Boolean(
        string="Sign-off Can Be Requested",
        compute="_compute_requestable",
        help="A sign-off rule applies and no sign-off is pending.",
    )
    validation_requestable = fields.Boolean(
        string="Validation Can Be Requested",
        compute="_compute_requestable",
        help="A validation was rejected, or a rule applies that was never asked.",
    )

    @api.depends("company_id", "team_id", "category_id", "is_closed", "approval_ids.state", "approval_ids.rule_id")
    def _compute_requestable(self):
        signoff_rules = self._applicable_rules("signoff")
        for ticket in self:
            ticket.signoff_requestable = bool(
                signoff_rules[ticket]
                and not ticket.is_closed
                and not ticket.approval_ids.filtered(lambda a: a.kind == "signoff" and a.state == "pending")
            )
            ticket.validation_requestable = bool(ticket._validations_to_request())

    def _solution_missing(self):
        """Tickets whose team asks for the solution (all without team) and that have none."""
        return self.filtered(
            lambda t: (not t.team_id or t.team_id.solution_required) and is_html_empty(t.solution)
        )

    def _check_solution(self):
        missing = self._solution_missing()
        if missing:
            raise ValidationError(
                self.env._(
                    "Ticket %(code)s cannot be solved without a solution: describe what was done in the "
                    "“Solution” tab first.",
                    code=missing[0].code,
                )
            )

    @api.constrains("stage_id", "solution")
    def _check_solution_when_solved(self):
        self.filtered(lambda t: t.stage_kind == "solved")._check_solution()

    def _solved_stage(self):
        self.ensure_one()
        return self.env["helpdesk.stage"]._of_team(self.team_id, kinds=["solved"], limit=1)

    # ------------------------------------------------------------------
    # Escalation and hand-over
    # ------------------------------------------------------------------
    def _escalate(self, kind, reason, team=None, user=None):
        """Escalate (next level) or hand over each ticket; record and notify.

        kind: 'escalation' (manual), 'sla' (automatic) or 'handover'.
        """
        if not (reason or "").strip():
            raise UserError(self.env._("Give a reason for the escalation or hand-over."))
        history, moves = [], []
        for ticket in self:
            from_team, from_user, from_level = ticket.team_id, ticket.user_id, ticket.level
            to_team, to_user, to_level = team or from_team, user, from_level
            if kind in ("escalation", "sla"):
                if not team and from_team.escalation_team_id:
                    to_team = from_team.escalation_team_id
                next_level = int(from_level) + 1
                if to_team != from_team:
                    to_level = max(to_team.level, str(min(next_level, 3)))
                elif next_level <= 3:
                    to_level = str(next_level)
                elif kind == "escalation":
                    raise UserError(
                        self.env._("Ticket %(code)s is already at the highest support level (L3).", code=ticket.code)
                    )
                if not to_user:
                    to_user = to_team.leader_id
            elif not team and not user:
                raise UserError(self.env._("Choose the team or the person to hand the ticket over to."))
            if to_team == from_team and to_user == from_user and to_level == from_level:
                raise UserError(self.env._("Ticket %(code)s would not change hands.", code=ticket.code))
            history.append({
                "ticket_id": ticket.id,
                "kind": kind,
                "from_team_id": from_team.id,
                "to_team_id": to_team.id,
                "from_user_id": from_user.id,
                "to_user_id": to_user.id if to_user else False,
                "from_level": from_level,
                "to_level": to_level,
                "reason": reason.strip(),
            })
            notified = to_user.partner_id if to_user else to_team.leader_id.partner_id
            if notified:
                ticket.message_subscribe(partner_ids=notified.ids)
            label = dict(self.env["helpdesk.escalation"]._fields["kind"]._description_selection(self.env))[kind]
            ticket.message_post(
                body=Markup("<p><b>%s</b>: %s → %s</p><p>%s</p>") % (
                    label,
                    " / ".join(filter(None, [from_team.name, from_user.name, f"L{from_level}"])),
                    " / ".join(filter(None, [to_team.name, to_user.name if to_user else "", f"L{to_level}"])),
                    reason.strip(),
                ),
                subtype_xmlid="mail.mt_note",
                partner_ids=notified.ids,
            )
            moves.append((ticket, {"team_id": to_team.id, "user_id": to_user.id if to_user else False,
                                   "level": to_level}))
        escalations = self.env["helpdesk.escalation"].create(history)
        # Moving the ticket comes last: its author may lose access to it (another team's queue).
        for ticket, vals in moves:
            ticket.write(vals)
        return escalations

    @api.readonly
    def action_open_escalation_wizard(self):
        handover = self.env.context.get("mode") == "handover"
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Hand Over Ticket") if handover else self.env._("Escalate Ticket"),
            "res_model": "helpdesk.escalation.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_ids": self.ids, "default_mode": self.env.context.get("mode", "escalation")},
        }

    # ------------------------------------------------------------------
    # SLA
    # ------------------------------------------------------------------
    def _apply_sla(self):
        """Find each ticket's policy and store its deadlines, counted from the ticket's creation
        in working hours of the policy's calendar. Without a matching policy (e.g. after a
        hand-over to another team) the promise made to the customer stays.
        """
        by_vals = defaultdict(lambda: self.browse())
        plans = {}
        Sla = self.env["helpdesk.sla"]
        for ticket in self:
            policy = Sla._match(ticket.company_id.id, ticket.team_id.id, ticket.priority, ticket.category_id.id)
            if not policy:
                continue
            calendar = self._sla_calendar(policy, ticket.team_id, ticket.company_id)
            start = ticket.create_date or self.env.cr.now()
            key = (policy, calendar.id, start)
            if key not in plans:
                plans[key] = Sla._plan(policy, calendar, start)
            response, resolve, at_risk = plans[key]
            vals = {"sla_id": policy.id, "sla_resolve_deadline": resolve, "sla_at_risk_date": at_risk}
            if not ticket.first_response_date:
                vals["sla_response_deadline"] = response
            by_vals[tuple(vals.items())] |= ticket
        for vals, tickets in by_vals.items():
            tickets.write(dict(vals))
        self.filtered("sla_id")._refresh_sla_status(fields.Datetime.now())

    @api.model
    def _sla_calendar(self, policy, team, company):
        if policy.calendar_id:
            return self.env["resource.calendar"].browse(policy.calendar_id)
        return team.resource_calendar_id or company.resource_calendar_id

    def _prepare_sla_values(self, vals_list, teams, start):
        """Deadlines of new tickets, computed before the insert (no UPDATE afterwards)."""
        Sla = self.env["helpdesk.sla"]
        companies = self.env["res.company"].browse({vals["company_id"] for vals in vals_list})
        plans = {}
        for vals in vals_list:
            if "sla_id" in vals:
                continue
            team = teams.browse(vals.get("team_id"))
            company = companies.browse(vals["company_id"])
            policy = Sla._match(company.id, team.id, vals.get("priority") or "1", vals.get("category_id"))
            if not policy:
                continue
            calendar = self._sla_calendar(policy, team, company)
            key = (policy, calendar.id)
            if key not in plans:
                plans[key] = Sla._plan(policy, calendar, start)
            response, resolve, at_risk = plans[key]
            vals.update({
                "sla_id": policy.id,
                "sla_response_deadline": response,
                "sla_resolve_deadline": resolve,
                "sla_at_risk_date": at_risk,
                "sla_status": "on_track",
            })

    def _sla_status_at(self, now):
        self.ensure_one()
        if not self.sla_id:
            return False
        response_late = (
            bool(self.sla_response_deadline) and (self._sla_responded_at() or now) > self.sla_response_deadline
        )
        resolve_late = bool(self.sla_resolve_deadline) and (self.date_closed or now) > self.sla_resolve_deadline
        if response_late or resolve_late:
            return "breached"
        if self.is_closed:
            return "met"
        if self.sla_at_risk_date and now >= self.sla_at_risk_date:
            return "at_risk"
        return "on_track"

    def _sla_responded_at(self):
        """When the customer got the first answer; a ticket closed without one (e.g. solved on the
        phone) was answered by closing it."""
        self.ensure_one()
        return self.first_response_date or (self.is_closed and self.date_closed)

    def _refresh_sla_status(self, now):
        groups = defaultdict(lambda: self.browse())
        for ticket in self:
            status = ticket._sla_status_at(now)
            vals = {"sla_status": status}
            if ticket.sla_response_deadline:
                vals["sla_response_breached"] = (ticket._sla_responded_at() or now) > ticket.sla_response_deadline
            if ticket.sla_resolve_deadline:
                vals["sla_resolve_breached"] = (ticket.date_closed or now) > ticket.sla_resolve_deadline
            if any(ticket[f] != v for f, v in vals.items()):
                groups[tuple(sorted(vals.items()))] |= ticket
        for vals, tickets in groups.items():
            tickets.write(dict(vals))

    def _close_sla(self, now):
        self.filtered("sla_id")._refresh_sla_status(now)

    def _set_first_response(self, when=None):
        """Called when the customer gets a first answer (message, SMS, call)."""
        pending = self.filtered(lambda t: not t.first_response_date)
        if pending:
            pending.write({"first_response_date": when or fields.Datetime.now()})
            pending.filtered("sla_id")._refresh_sla_status(fields.Datetime.now())

    @api.model
    def _cron_check_sla(self, batch_size=500):
        """Refresh SLA statuses and escalate each breach once.

        Rows are claimed with the ORM's try_lock_for_update (SKIP LOCKED), so two workers
        running the cron at the same time never escalate the same breach twice.
        """
        now = fields.Datetime.now()
        at_risk = self.search([
            ("is_closed", "=", False), ("sla_status", "=", "on_track"), ("sla_at_risk_date", "<=", now),
        ])
        at_risk._refresh_sla_status(now)
        breached = self.search([
            ("is_closed", "=", False), ("sla_id", "!=", False),
            "|",
            "&", "&", ("sla_response_deadline", "<", now), ("first_response_date", "=", False),
            ("sla_response_escalated", "=", False),
            "&", ("sla_resolve_deadline", "<", now), ("sla_resolve_escalated", "=", False),
        ], order="sla_resolve_deadline", limit=2 * batch_size).try_lock_for_update(limit=batch_size)
        breached._refresh_sla_status(now)
        for ticket in breached:
            response = not ticket.first_response_date and ticket.sla_response_deadline < now \
                and not ticket.sla_response_escalated
            flags = {"sla_response_escalated": True} if response else {}
            if ticket.sla_resolve_deadline < now:
                flags["sla_resolve_escalated"] = True
            ticket.write(flags)
            what = self.env._("first response") if response else self.env._("resolution")
            reason = self.env._("SLA “%(sla)s” breached: %(what)s was due %(deadline)s.",
                                sla=ticket.sla_id.name, what=what,
                                deadline=fields.Datetime.to_string(
                                    ticket.sla_response_deadline if response else ticket.sla_resolve_deadline))
            try:
                with self.env.cr.savepoint():
                    ticket._escalate("sla", reason)
            except UserError:
                # Already at the top level with nobody new to notify: keep the breach flagged.
                ticket.message_post(body=reason, subtype_xmlid="mail.mt_note")
        return len(breached)

    # ------------------------------------------------------------------
    # Mail
    # ------------------------------------------------------------------
    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """E-mail to a team alias: a ticket for the sender, created as a customer."""
        values = dict(custom_values or {})
        if not msg_dict.get("author_id") and msg_dict.get("email_from"):
            author = self.env["mail.thread"]._partner_find_from_emails_single(
                [msg_dict["email_from"]], no_create=False
            )
            msg_dict["author_id"] = author.id
        values.setdefault("name", (msg_dict.get("subject") or "").strip() or self.env._("No Subject"))
        values.setdefault("partner_id", msg_dict.get("author_id"))
        values.setdefault("channel", "email")
        values.setdefault("description", msg_dict.get("body"))
        return super().message_new(msg_dict, custom_values=values)

    def _message_post_after_hook(self, message, msg_vals):
        """A public answer by an internal user is the first response of the SLA."""
        result = super()._message_post_after_hook(message, msg_vals)
        # The subtype's id from the registry's cache: env.ref() would query (exists()) once per message,
        # and an SMS import runs this hook for every reply it logs.
        if (
            message.message_type == "comment"
            and message.subtype_id.id == self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment")
            and message.author_id.user_ids.filtered(lambda u: not u.share)
        ):
            self._set_first_response(message.date)
        return result

    def _notify_thread_by_email(self, message, recipients_data, *, force_send=True, **kwargs):
        """A ticket's e-mails go through the mail queue, sent by a cron worker woken at once, instead of
        during the request: an agent's answer (or a customer's) does not wait for the SMTP server, and
        an HTTP worker is not held by it. ``mail_notify_force_send`` in the context still sends at once."""
        result = super()._notify_thread_by_email(message, recipients_data, force_send=False, **kwargs)
        if not self.env.context.get("mail_notify_force_send") and any(
            recipient["notif"] == "email" for recipient in recipients_data
        ):
            self._wake_mail_queue()
        return result

    def _wake_mail_queue(self):
        """Wake the mail queue's cron when the transaction commits, once however many messages it
        notified (a cron's batch of rating requests too): one trigger, one NOTIFY to the cron workers."""
        precommit = self.env.cr.precommit
        if "helpdesk_wake_mail_queue" in precommit.data:
            return
        precommit.data["helpdesk_wake_mail_queue"] = True
        queue = self.env["ir.cron"].browse(  # by its cached XML id: env.ref() would query
            self.env["ir.model.data"]._xmlid_to_res_id("mail.ir_cron_mail_scheduler_action"))
        precommit.add(queue._trigger)

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "stage_id" in init_values and self.is_closed:
            return self.env.ref("helpdesk_ticketing.mt_ticket_closed")
        if "stage_id" in init_values:
            return self.env.ref("helpdesk_ticketing.mt_ticket_stage")
        return super()._track_subtype(init_values)

    def _track_template(self, changes):
        res = super()._track_template(changes)
        ticket = self[0]
        # A merged ticket closes without its stage's e-mail: the customer's conversation goes on in the
        # surviving ticket, it was not cancelled.
        if "stage_id" in changes and ticket.stage_id.mail_template_id and not ticket.merged_into_id:
            res["stage_id"] = (
                ticket.stage_id.mail_template_id,
                {"auto_delete_keep_log": False, "subtype_id": self.env.ref("mail.mt_note").id,
                 "email_layout_xmlid": "mail.mail_notification_light"},
            )
        return res

    def _get_customer_information(self):
        return {self.partner_id.email_normalized: {}} if self.partner_id.email_normalized else {}

    def _rating_get_partner(self):
        return self.partner_id

    def _rating_get_operator(self):
        return self.user_id.partner_id

    def copy_data(self, default=None):
        vals_list = super().copy_data(default)
        return [
            dict(vals, name=self.env._("%s (copy)", ticket.name))
            for ticket, vals in zip(self, vals_list, strict=True)
        ]

