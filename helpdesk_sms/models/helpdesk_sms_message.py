from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, plaintext2html

from ..tools import sms_codec

SENT = ("SendingOK", "SendingOKNoReport", "DeliveryPending", "DeliveryUnknown")
FAILED = ("SendingError", "Error", "DeliveryFailed")
CHATTER_FIELDS = ("direction", "state", "number", "part_count", "body", "error_message")


class HelpdeskSmsMessage(models.Model):
    """One SMS received or sent through a gammu-smsd gateway, with its delivery status.

    Incoming SMS are keyed by their first inbox ID (unique per gateway), so an inbox row is
    never imported twice; outgoing SMS carry their gammu outbox ID once queued.
    """

    _name = "helpdesk.sms.message"
    _description = "SMS Message"
    _order = "id desc"
    _rec_name = "number"

    gateway_id = fields.Many2one("helpdesk.sms.gateway", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(related="gateway_id.company_id", store=True, index=True)
    direction = fields.Selection([("in", "Received"), ("out", "Sent")], required=True, index=True)
    state = fields.Selection(
        [
            ("received", "Received"),
            ("ignored", "Not a Ticket"),
            ("queued", "Queued"),
            ("outbox", "In Outbox"),
            ("sent", "Sent"),
            ("delivered", "Delivered"),
            ("error", "Error"),
        ],
        required=True,
        index=True,
    )
    number = fields.Char(required=True, help="The customer's number, in international form when it is one.")
    raw_number = fields.Char(help="The number as the network gave it.")
    partner_id = fields.Many2one("res.partner", string="Contact", index="btree_not_null")
    ticket_id = fields.Many2one("helpdesk.ticket", index="btree_not_null", ondelete="set null")
    mail_message_id = fields.Many2one("mail.message", string="Chatter Message", index="btree_not_null",
                                      ondelete="set null")
    author_id = fields.Many2one("res.users", string="Sent By", readonly=True)
    body = fields.Text(required=True)
    coding = fields.Selection([("gsm7", "GSM-7"), ("ucs2", "Unicode"), ("8bit", "8-bit")])
    part_count = fields.Integer(string="Parts", default=1)
    event = fields.Selection(
        [("reply", "Agent Reply"), ("created", "Ticket Created"), ("assigned", "Ticket Assigned"),
         ("approval", "Waiting for Approval"), ("solved", "Ticket Resolved")],
        help="What an outgoing SMS answers or notifies.",
    )
    gammu_id = fields.Integer(
        string="Gammu ID", index=True, copy=False,
        help="Incoming: first inbox ID of the SMS. Outgoing: ID of the outbox and sentitems rows.",
    )
    gammu_part_ids = fields.Char(string="Inbox IDs", copy=False)
    retry_count = fields.Integer(copy=False)
    error_message = fields.Text(string="Error / Note")
    delivery_date = fields.Datetime(readonly=True)

    _gammu_key_uniq = models.UniqueIndex(
        "(gateway_id, direction, gammu_id) WHERE gammu_id IS NOT NULL",
        "This gammu row was already imported.",
    )
    _queue_idx = models.Index("(gateway_id, state) WHERE direction = 'out'")

    @api.depends("direction", "number", "partner_id")
    def _compute_display_name(self):
        for message in self:
            arrow = "←" if message.direction == "in" else "→"
            message.display_name = f"{arrow} {message.partner_id.name or message.number}"

    def _inbox_ids(self):
        self.ensure_one()
        return [int(part) for part in (self.gammu_part_ids or "").split(",") if part]

    def _creator_id(self):
        """gammu's CreatorID of this SMS: unique per database, message and attempt."""
        self.ensure_one()
        uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")[:8]  # sudo: technical key
        return f"odoo-{uuid}-{self.id}-{self.retry_count}"

    # ------------------------------------------------------------------
    # Chatter
    # ------------------------------------------------------------------
    def _chatter_body(self):
        self.ensure_one()
        return self._chatter_body_of({name: self[name] for name in CHATTER_FIELDS})

    @api.model
    def _chatter_body_of(self, vals):
        """The SMS text with a status line, from the SMS's values (before or after its creation)."""
        state = dict(self._fields["state"]._description_selection(self.env))[vals["state"]]
        if vals["direction"] == "in":
            line = self.env._("SMS from %(number)s", number=vals["number"])
        else:
            line = self.env._("SMS to %(number)s: %(state)s", number=vals["number"], state=state)
        if (vals.get("part_count") or 1) > 1:
            line += " " + self.env._("(%(parts)s parts)", parts=vals["part_count"])
        footer = Markup(
            '<p class="o_hd_sms_status o_hd_sms_%s small text-muted"><i class="fa fa-mobile"/> %s%s</p>'
        )
        error = (" — " + vals["error_message"]) if vals.get("error_message") else ""
        return plaintext2html(vals.get("body") or "") + footer % (vals["state"], line, error)

    @api.model
    def _create_received(self, vals_list, new_tickets):
        """Create received SMS with their chatter messages, written by the customer, already linked."""
        logged = [vals for vals in vals_list if vals.get("ticket_id")]
        Ticket, Partner = self.env["helpdesk.ticket"], self.env["res.partner"]
        posted = self._create_chatter_messages([
            (Ticket.browse(vals["ticket_id"]), Partner.browse(vals.get("partner_id")), self._chatter_body_of(vals))
            for vals in logged
        ], "mail.mt_comment")
        for vals, message in zip(logged, posted, strict=True):
            vals["mail_message_id"] = message.id
        messages = self.create(vals_list)
        messages.filtered("ticket_id")._post_incoming(new_tickets)
        return messages

    def _post_incoming(self, new_tickets):
        """Received SMS on existing tickets are customer replies: the ticket reacts as to a posted
        message (a waiting ticket goes back to work) and its followers are notified through Odoo's
        scheduled-message queue (mail.message.schedule, sent by its cron at once), so an import
        never waits for notifications and e-mails. The SMS that created a ticket is its first
        message: the creation told the team.
        """
        replies = self.filtered(lambda m: m.ticket_id not in new_tickets)
        if not replies:
            return
        subtype = self.env.ref("mail.mt_comment")
        for sms in replies:
            message = sms.mail_message_id
            sms.ticket_id._message_post_after_hook(message, {
                "author_id": sms.partner_id.id, "body": message.body, "message_type": "comment",
                "model": "helpdesk.ticket", "res_id": sms.ticket_id.id, "subtype_id": subtype.id,
                "partner_ids": [], "attachment_ids": [],
            })
        now = fields.Datetime.now()
        # sudo: scheduling notifications is technical, as message_post does it for any author
        self.env["mail.message.schedule"].sudo().create([
            {"mail_message_id": sms.mail_message_id.id, "scheduled_datetime": now} for sms in replies
        ])

    @api.model
    def _reply_to_batch(self, entries):
        """Reply-to of each (ticket, author), what mail.message would compute one by one, in a few queries.

        A ticket takes one (default, author) per call of the batch method: entries of the same ticket
        go to successive calls, one per entry of that ticket (usually a single call).
        """
        result, pending = [None] * len(entries), list(range(len(entries)))
        while pending:
            chunk, rest, seen = {}, [], set()
            for index in pending:
                ticket_id = entries[index][0].id
                if ticket_id in seen:
                    rest.append(index)
                else:
                    seen.add(ticket_id)
                    chunk[index] = ticket_id
            tickets = self.env["helpdesk.ticket"].browse(list(seen))
            # sudo: as mail.message computes it, aliases and catchall are not the author's to read
            reply_to = tickets.sudo()._notify_get_reply_to_batch(
                defaults={chunk[i]: entries[i][1].email_formatted or False for i in chunk},
                author_ids={chunk[i]: entries[i][1].id for i in chunk},
            )
            for index, ticket_id in chunk.items():
                result[index] = reply_to[ticket_id]
            pending = rest
        return result

    @api.model
    def _create_chatter_messages(self, entries, subtype_xmlid):
        """The chatter messages of SMS entries [(ticket, author partner, body)], in one batch, without
        notifications."""
        if not entries:
            return self.env["mail.message"]
        subtype = self.env.ref(subtype_xmlid)
        reply_to = self._reply_to_batch(entries)
        # sudo: the SMS log writes the ticket's history on behalf of the customer or the system
        return self.env["mail.message"].sudo().create([{
            "model": "helpdesk.ticket",
            "res_id": ticket.id,
            "body": body,
            "author_id": author.id,
            "email_from": author.email_formatted or False,
            "reply_to": reply,
            "message_type": "comment",
            "subtype_id": subtype.id,
            "is_internal": subtype.internal,
        } for (ticket, author, body), reply in zip(entries, reply_to, strict=True)])

    def _post_outgoing(self):
        """Log an agent's SMS reply on its ticket as an internal note when it is queued (the customer
        gets it by SMS only). Automatic notifications (ticket created, assigned, solved...) are logged
        once gammu-smsd has sent them or failed to (_refresh_chatter): an SMS import does not write a
        note per acknowledgement, and the note is written once with its outcome."""
        self.filtered(lambda m: m.ticket_id and m.event == "reply")._log_in_chatter(
            "mail.mt_note", lambda m: m.author_id.partner_id or self.env.ref("base.partner_root")
        )

    def _log_in_chatter(self, subtype_xmlid, author_of):
        """Create the chatter messages of these existing SMS in one batch and link them."""
        if not self:
            return
        posted = self._create_chatter_messages(
            [(message.ticket_id, author_of(message), message._chatter_body()) for message in self], subtype_xmlid
        )
        self.flush_recordset(["mail_message_id"])
        self.env.cr.execute(SQL(
            """UPDATE helpdesk_sms_message sms SET mail_message_id = link.message_id
                 FROM unnest(%s::int[], %s::int[]) AS link(id, message_id) WHERE sms.id = link.id""",
            self.ids, posted.ids,
        ))
        self.invalidate_recordset(["mail_message_id"])

    def _refresh_chatter(self):
        """Show the new status of these SMS on their tickets: update their notes, or write the notes
        of automatic notifications that have none yet."""
        for message in self.filtered("mail_message_id"):
            # sudo: the status line of an SMS is updated by the system, whoever posted it
            message.mail_message_id.sudo().body = message._chatter_body()
        bot = self.env.ref("base.partner_root")
        self.filtered(lambda m: m.ticket_id and not m.mail_message_id)._log_in_chatter("mail.mt_note", lambda m: bot)

    # ------------------------------------------------------------------
    # Status
    # ------------------------------------------------------------------
    def _apply_sentitems(self, parts_by_id):
        """Update states from gammu's sentitems rows {outbox ID: [(ID, seq, Status, error, date, creator)]}."""
        changed = self.browse()
        for message in self:
            parts = parts_by_id.get(message.gammu_id)
            if not parts:
                continue
            statuses = [part[2] for part in parts]
            vals = {}
            if failed := [part for part in parts if part[2] in FAILED]:
                vals = {"state": "error", "error_message": self.env._(
                    "gammu-smsd reported %(status)s (error %(code)s) for part %(seq)s.",
                    status=failed[0][2], code=failed[0][3], seq=failed[0][1],
                )}
            elif len(parts) >= message.part_count and all(status == "DeliveryOK" for status in statuses):
                vals = {"state": "delivered", "delivery_date": max(part[4] for part in parts if part[4])
                        if any(part[4] for part in parts) else fields.Datetime.now()}
            elif len(parts) >= message.part_count and all(s in (*SENT, "DeliveryOK") for s in statuses):
                vals = {"state": "sent"}
            if vals and vals["state"] != message.state:
                message.write(vals)
                changed |= message
        changed._refresh_chatter()
        return len(changed)

    def action_retry(self):
        """Queue failed SMS again (a new CreatorID, so gammu sends them anew)."""
        failed = self.filtered(lambda m: m.direction == "out" and m.state == "error")
        if not failed:
            raise UserError(self.env._("Only sent SMS that failed can be retried."))
        for message in failed:
            message.write({"state": "queued", "retry_count": message.retry_count + 1, "error_message": False,
                           "gammu_id": False})
        failed._refresh_chatter()
        failed.gateway_id._schedule_push()
        return True

    def action_open_ticket(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": self.ticket_id.id,
            "views": [(False, "form")],
        }

    @api.model
    def _queue(self, tickets, bodies, event, gateway_for=None, number_for=None):
        """Queue one SMS per ticket ({ticket: body}) to its customer, log it and send after commit.

        Tickets without a usable number or gateway are skipped, with a note on the ticket.
        """
        vals_list = []
        for ticket in tickets:
            gateway = (gateway_for or {}).get(ticket) or ticket._sms_gateway()
            number = (number_for or {}).get(ticket) or ticket._sms_number()
            body = bodies[ticket]
            if not gateway or not number or not (body or "").strip():
                continue
            encoding, _used, parts, _left = sms_codec.count(body)
            vals_list.append({
                "gateway_id": gateway.id,
                "company_id": gateway.company_id.id,
                "direction": "out",
                "state": "queued",
                "number": number,
                "raw_number": number,
                "partner_id": ticket.partner_id.id,
                "ticket_id": ticket.id,
                "author_id": self.env.user.id if event == "reply" else False,
                "body": body,
                "coding": encoding,
                "part_count": parts,
                "event": event,
            })
        messages = self.create(vals_list)
        messages._post_outgoing()
        messages.gateway_id._schedule_push()
        return messages
