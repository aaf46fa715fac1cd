from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, LockError, UserError
from odoo.fields import Domain
from odoo.tools import SQL

LEADER_GROUP = "helpdesk_ticketing.group_helpdesk_leader"


class HelpdeskTicket(models.Model):
    """Merging tickets about one request, and links between related tickets.

    A merged ticket is closed with a link to the ticket that survives it; its code stays valid
    (lookups, e-mail replies, portal pages land on the surviving ticket).
    """

    _inherit = "helpdesk.ticket"

    merged_into_id = fields.Many2one(
        "helpdesk.ticket", string="Merged Into", readonly=True, copy=False, index="btree_not_null",
        help="The ticket this one was merged into: its messages, attachments and history are there now.",
    )
    merged_ticket_ids = fields.One2many("helpdesk.ticket", "merged_into_id", string="Merged Tickets")
    merge_date = fields.Datetime(string="Merged On", readonly=True, copy=False)
    # Related tickets are symmetric: each pair is one row of the relation table, read both ways.
    related_to_ids = fields.Many2many(
        "helpdesk.ticket", "helpdesk_ticket_related_rel", "ticket_id", "related_id", copy=False,
        string="Links to Tickets",
    )
    related_from_ids = fields.Many2many(
        "helpdesk.ticket", "helpdesk_ticket_related_rel", "related_id", "ticket_id", copy=False,
        string="Links from Tickets",
    )
    related_ticket_ids = fields.Many2many(
        "helpdesk.ticket", string="Related Tickets", compute="_compute_related_ticket_ids",
        inverse="_inverse_related_ticket_ids", search="_search_related_ticket_ids",
        help="Tickets about the same problem or customer; the link shows on both tickets.",
    )

    @api.depends("related_to_ids", "related_from_ids")
    def _compute_related_ticket_ids(self):
        """Saved tickets read both directions of the relation table in one query, and only the
        linked tickets go through the record rules: every form shows this field, mostly empty, and
        the ORM's two reads (each joined with the ticket rules) cost more to plan than to run.
        Records of a form being edited use their links in the cache."""
        saved = self.filtered(lambda ticket: isinstance(ticket.id, int))
        for ticket in self - saved:
            ticket.related_ticket_ids = (ticket.related_to_ids | ticket.related_from_ids) - ticket._origin
        if not saved:
            return
        self.flush_model(["related_to_ids", "related_from_ids"])
        rows = self.env.execute_query(SQL(
            """SELECT ticket_id, related_id FROM helpdesk_ticket_related_rel WHERE ticket_id = ANY(%(ids)s)
               UNION ALL
               SELECT related_id, ticket_id FROM helpdesk_ticket_related_rel WHERE related_id = ANY(%(ids)s)""",
            ids=saved.ids,
        ))
        links = defaultdict(set)
        for ticket_id, other_id in rows:
            links[ticket_id].add(other_id)
        # search: the linked tickets the user may read, active ones, in the tickets' order (as the ORM's read)
        visible = self.search([("id", "in", list(set().union(*links.values())))]) if links else self.browse()
        for ticket in saved:
            others = links[ticket.id] - {ticket.id}
            ticket.related_ticket_ids = visible.browse([other_id for other_id in visible.ids if other_id in others])

    def _inverse_related_ticket_ids(self):
        for ticket in self:
            wanted = ticket.related_ticket_ids - ticket._origin
            removed = (ticket.related_to_ids | ticket.related_from_ids) - wanted
            added = wanted - ticket.related_to_ids - ticket.related_from_ids
            if removed:
                ticket.related_from_ids -= removed
            ticket.related_to_ids = (ticket.related_to_ids - removed) | added

    def _search_related_ticket_ids(self, operator, value):
        return Domain.OR([[("related_to_ids", operator, value)], [("related_from_ids", operator, value)]])

    # ------------------------------------------------------------------
    # Surviving ticket and incoming messages
    # ------------------------------------------------------------------
    def _surviving_ticket(self):
        """The ticket each of these lives on: itself, or the end of its chain of merges."""
        survivors = self.browse()
        # sudo: only the links are followed; what the caller may see of the survivor is its own check
        for ticket in self.sudo():
            seen = ticket
            while ticket.merged_into_id and ticket.merged_into_id not in seen:
                ticket = ticket.merged_into_id
                seen |= ticket
            survivors |= ticket
        return survivors.with_env(self.env)

    def _lock_for_incoming(self):
        """Hold these tickets' rows for a customer message (e-mail, SMS, portal) being added to
        them; returns their surviving tickets, held too.

        The rows are updated, not only locked (the ORM's lock helpers skip locked rows, this must
        wait): a merge holding them makes this wait, and once it commits this transaction fails with
        a serialization error and is replayed (Odoo's request retry, the SMS import's retry), then
        finds the surviving ticket. A merge that started before this message fails the same way on
        these rows, is replayed and moves the message with the others. Either way it lands on the
        surviving ticket exactly once.
        """
        pending, held = self, self.browse()
        while pending:
            self.env.cr.execute(SQL(
                "UPDATE helpdesk_ticket SET write_date = write_date WHERE id IN %s", tuple(pending.ids)
            ))
            pending.invalidate_recordset(["merged_into_id"])
            held |= pending
            # sudo: the ticket a merge chain ends on, whatever the caller may read of the chain
            pending = pending.sudo().merged_into_id.with_env(self.env) - held
        return self._surviving_ticket()

    def _is_incoming_post(self, message_type):
        """Messages of customers (e-mail through the gateway, portal replies) follow a merge."""
        return message_type == "email" or self.env.user.share

    def message_update(self, msg_dict, update_vals=None):
        """An e-mail reply to a merged ticket's thread updates the surviving ticket."""
        survivor = self._lock_for_incoming()
        if survivor != self:
            return survivor.message_update(msg_dict, update_vals=update_vals)
        return super().message_update(msg_dict, update_vals=update_vals)

    def message_post(self, **kwargs):
        """A customer's message to a merged ticket (e-mail reply, portal reply) lands on the surviving one."""
        if len(self) == 1 and self._is_incoming_post(kwargs.get("message_type")):
            survivor = self._lock_for_incoming()
            if survivor != self:
                return survivor.message_post(**kwargs)
        return super().message_post(**kwargs)

    # ------------------------------------------------------------------
    # Merge
    # ------------------------------------------------------------------
    @api.readonly
    def action_open_merge_wizard(self):
        """The merge wizard for these tickets (several selected in the list, or one from its form)."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Merge Tickets"),
            "res_model": "helpdesk.ticket.merge",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_ticket_ids": self.ids},
        }

    def _check_merge_into(self, target):
        """Refuse a merge that cannot be done, before anything is written; returns the tickets still
        to merge (those already merged into target are left as they are)."""
        target.ensure_one()
        if not self.env.user.has_group(LEADER_GROUP):
            raise AccessError(self.env._("Only team leaders and helpdesk managers can merge tickets."))
        tickets = self | target
        tickets.check_access("write")
        todo = self.filtered(lambda t: t.merged_into_id != target)
        if not todo:
            return todo
        if target in todo:
            raise UserError(self.env._("Ticket %(code)s cannot be merged into itself.", code=target.code))
        if target.merged_into_id:
            raise UserError(self.env._(
                "Ticket %(code)s was merged into %(other)s: merge into %(other)s instead.",
                code=target.code, other=target._surviving_ticket().code))
        if target.is_closed:
            raise UserError(self.env._(
                "Ticket %(code)s is closed: choose an open ticket as the one that stays.", code=target.code))
        for ticket in todo:
            if ticket.merged_into_id:
                raise UserError(self.env._(
                    "Ticket %(code)s was already merged into %(other)s.",
                    code=ticket.code, other=ticket.merged_into_id.code))
            if ticket.company_id != target.company_id:
                raise UserError(self.env._(
                    "Ticket %(code)s belongs to %(company)s and ticket %(target)s to %(target_company)s: "
                    "only tickets of the same company can be merged.",
                    code=ticket.code, company=ticket.company_id.name, target=target.code,
                    target_company=target.company_id.name))
            if ticket.commercial_partner_id != target.commercial_partner_id:
                raise UserError(self.env._(
                    "Ticket %(code)s is from %(customer)s and ticket %(target)s from %(target_customer)s: "
                    "only tickets of the same customer can be merged. For one fault affecting several "
                    "customers, use a major incident.",
                    code=ticket.code, customer=ticket.commercial_partner_id.display_name, target=target.code,
                    target_customer=target.commercial_partner_id.display_name))
        return todo

    def _merge_into(self, target):
        """Merge these tickets into target, all or nothing: their messages, attachments, followers
        and history move to it, and they are closed with a link to it.

        Merging again into the same ticket changes nothing. The rows are locked first, so an e-mail
        or SMS arriving meanwhile waits and then lands on target (see _lock_for_incoming).
        """
        todo = self._check_merge_into(target)
        if not todo:
            return target
        try:
            (todo | target).lock_for_update()
        except LockError:
            raise UserError(self.env._(
                "These tickets are being changed by someone else (a reply may be arriving): try again in a "
                "moment.")) from None
        closing = todo.filtered(lambda t: not t.is_closed)._merge_closing_stages()
        todo._merge_move_records(target)
        todo._merge_post_notes(target)
        if any(todo.mapped("access_token")):
            # A customer's link to a merged ticket leads to the surviving one (see the portal controller).
            target._portal_ensure_token()
        vals = {"merged_into_id": target.id, "merge_date": fields.Datetime.now()}
        todo.filtered("is_closed").write(vals)
        for stage, tickets in closing.items():
            tickets.write(dict(vals, stage_id=stage.id))
        return target

    def _merge_closing_stages(self):
        """{cancelled stage: tickets}: merged tickets close in a cancelled stage of their team."""
        result = {}
        for team, tickets in self.grouped("team_id").items():
            stage = self.env["helpdesk.stage"]._of_team(team, kinds=["cancelled"], limit=1)
            if not stage:
                raise UserError(self.env._(
                    "Team %(team)s has no cancelled stage to close merged tickets in: ask a manager to add one.",
                    team=team.name or self.env._("(none)")))
            result[stage] = result.get(stage, self.browse()) | tickets
        return result

    def _merge_move_records(self, target):
        """Move what belongs to these tickets to target, one write per model (constant in the number
        of messages). Each addon extends it for its own records (calls, SMS, terminals...).

        sudo: _check_merge_into checked that the user may write every ticket; the chatter, files
        and history of a ticket follow it, which only administrators may otherwise re-attach.
        """
        domain = [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        # The chatter in one UPDATE, as Odoo's contact merge (base.partner.merge) moves records: the
        # ORM's write would send one UPDATE per 100 messages, and a ticket may have thousands.
        Message = self.env["mail.message"]
        Message.flush_model(["model", "res_id"])
        self.env.cr.execute(SQL("UPDATE mail_message SET res_id = %s WHERE model = %s AND res_id IN %s",
                                target.id, self._name, tuple(self.ids)))
        Message.invalidate_model(["res_id"])
        self.env["ir.attachment"].sudo().search(domain + [("res_field", "=", False)]).write({"res_id": target.id})
        self.env["mail.activity"].sudo().search(domain).write({"res_id": target.id})
        self.env["rating.rating"].sudo().search(domain).write({"res_id": target.id})
        self.env["helpdesk.approval"].sudo().search([("ticket_id", "in", self.ids)]).write({"ticket_id": target.id})
        escalations = self.env["helpdesk.escalation"].sudo().search([("ticket_id", "in", self.ids)])
        if escalations:
            escalations.write({"ticket_id": target.id})
            target.sudo().escalation_count = self.env["helpdesk.escalation"].sudo().search_count(
                [("ticket_id", "=", target.id)])
            self.sudo().escalation_count = 0
        self._merge_move_followers(target)
        related = (self.related_ticket_ids | target.related_ticket_ids) - self - target
        if related != target.related_ticket_ids:
            target.related_ticket_ids = related

    def _merge_move_followers(self, target):
        """Followers move to target, except partners who already follow it (a partner follows a
        record once: those followers are removed)."""
        Followers = self.env["mail.followers"].sudo()
        followers = Followers.search([("res_model", "=", self._name), ("res_id", "in", self.ids)])
        kept = set(Followers.search([("res_model", "=", self._name), ("res_id", "=", target.id)]).partner_id.ids)
        moving = Followers
        for follower in followers:
            if follower.partner_id.id not in kept:
                kept.add(follower.partner_id.id)
                moving |= follower
        (followers - moving).unlink()
        moving.write({"res_id": target.id})

    def _merge_post_notes(self, target):
        """A note in both chatters, naming the other tickets with links."""
        def link(ticket):
            return Markup(
                '<a href="/odoo/helpdesk.ticket/%s" data-oe-model="helpdesk.ticket" data-oe-id="%s">%s</a>'
            ) % (ticket.id, ticket.id, ticket.code)

        links = Markup(", ").join(link(ticket) for ticket in self)
        target.message_post(
            body=Markup("<p>%s</p>") % self.env._("Merged into this ticket: %(tickets)s.", tickets=links),
            subtype_xmlid="mail.mt_note",
        )
        for ticket in self:
            ticket.message_post(
                body=Markup("<p>%s</p>") % self.env._(
                    "Merged into %(ticket)s: its messages, files and history are there now.", ticket=link(target)),
                subtype_xmlid="mail.mt_note",
            )
