import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.helpdesk_ticketing.tools import phone
from odoo.tools import plaintext2html

from ..tools import gammu_store, sms_codec
from .helpdesk_ticket_rating import rating_score

_logger = logging.getLogger(__name__)


class HelpdeskSmsMessage(models.Model):
    """One SMS received through a gammu-smsd gateway, kept with what became of it.

    Keyed by its first inbox ID (unique per gateway), so an inbox row is never imported twice.
    SMS sent to customers are Odoo's sms.sms (see models/sms_sms.py).
    """

    _name = "helpdesk.sms.message"
    _description = "Received SMS"
    _order = "id desc"
    _rec_name = "number"

    gateway_id = fields.Many2one("helpdesk.sms.gateway", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(related="gateway_id.company_id", store=True, index=True)
    state = fields.Selection(
        [("received", "Received"), ("ignored", "Not a Ticket"), ("error", "Error")],
        required=True,
        index=True,
    )
    number = fields.Char(required=True, help="The customer's number, in international form when it is one.")
    raw_number = fields.Char(help="The number as the network gave it.")
    partner_id = fields.Many2one("res.partner", string="Contact", index="btree_not_null")
    ticket_id = fields.Many2one("helpdesk.ticket", index="btree_not_null", ondelete="set null")
    mail_message_id = fields.Many2one("mail.message", string="Chatter Message", index="btree_not_null",
                                      ondelete="set null")
    body = fields.Text(required=True)
    coding = fields.Selection([("gsm7", "GSM-7"), ("ucs2", "Unicode"), ("8bit", "8-bit")])
    part_count = fields.Integer(string="Parts", default=1)
    gammu_id = fields.Integer(string="Gammu ID", index=True, copy=False, help="First inbox ID of the SMS.")
    gammu_part_ids = fields.Char(string="Inbox IDs", copy=False)
    error_message = fields.Text(string="Error / Note")
    rating_id = fields.Many2one(
        "rating.rating", string="Rating", index="btree_not_null", ondelete="set null",
        help="The customer answered a rating request of the ticket with this SMS.",
    )

    _gammu_key_uniq = models.UniqueIndex(
        "(gateway_id, gammu_id) WHERE gammu_id IS NOT NULL",
        "This gammu row was already imported.",
    )

    @api.depends("number", "partner_id")
    def _compute_display_name(self):
        for message in self:
            message.display_name = f"← {message.partner_id.name or message.number}"

    def _inbox_ids(self):
        self.ensure_one()
        return [int(part) for part in (self.gammu_part_ids or "").split(",") if part]

    @api.readonly
    def action_open_ticket(self):
        self.ensure_one()
        return self.ticket_id._get_records_action()

    # ------------------------------------------------------------------
    # Intake: inbox groups (see helpdesk.sms.gateway._import_inbox) → SMS, contacts, tickets
    # ------------------------------------------------------------------
    @api.model
    def _import_groups(self, gateway, groups, lock_senders=None):
        """Store a batch of received SMS once; returns (inbox IDs to mark processed, SMS created).

        A group whose key is known was imported by a run that stopped before marking its rows:
        its rows are only marked now (and a part that arrived late is imported on its own).
        """
        existing = self.search_fetch(
            [("gateway_id", "=", gateway.id), ("gammu_id", "in", [group["key"] for group in groups])],
            ["gammu_id", "gammu_part_ids"],
        )
        recorded = {msg.gammu_id: set(msg._inbox_ids()) for msg in existing}
        done_ids, new_groups = [], []
        for group in groups:
            seen = recorded.get(group["key"])
            if seen is None:
                new_groups.append(group)
                continue
            done_ids += [row_id for row_id in group["ids"] if row_id in seen]
            late = [row for row in group["rows"] if row.id not in seen]
            if late:
                new_groups.append(gateway._make_group(late, note=self.env._("Late part of an SMS imported before.")))
        if not new_groups:
            return done_ids, 0
        try:
            with self.env.cr.savepoint():
                messages = self._receive(gateway, new_groups, lock_senders)
        except gammu_store.RETRYABLE:
            raise  # another importer's transaction is in the way: the whole batch is tried again
        except Exception as batch_error:  # noqa: BLE001 - any failure falls back to one SMS at a time
            _logger.warning("SMS gateway %s: batch import failed (%s), importing one by one", gateway.name,
                            batch_error)
            messages = self.browse()
            for group in new_groups:
                try:
                    with self.env.cr.savepoint():
                        messages |= self._receive(gateway, [group], lock_senders)
                except gammu_store.RETRYABLE:
                    raise
                except Exception as exc:  # noqa: BLE001 - the SMS is kept with the error, nothing is lost
                    _logger.exception("SMS gateway %s: inbox row %s not imported", gateway.name, group["key"])
                    messages |= self.create(self._received_vals(gateway, group, None, error=self.env._(
                        "Could not be imported: %(error)s", error=str(exc)
                    )))
        done_ids += [row_id for group in new_groups for row_id in group["ids"]]
        return done_ids, len(messages)

    @api.model
    def _received_vals(self, gateway, group, number, error=""):
        return {
            "gateway_id": gateway.id,
            "company_id": gateway.company_id.id,
            "state": "error" if error else "received",
            "number": number or group["sender"],
            "raw_number": group["sender"],
            "body": group["text"],
            "coding": "8bit" if group["coding"] == "8bit" else sms_codec.encoding_of(group["text"]),
            "part_count": group["parts"],
            "gammu_id": group["key"],
            "gammu_part_ids": ",".join(map(str, group["ids"])),
            "error_message": " ".join(filter(None, [group["note"], error])) or False,
        }

    @api.model
    def _receive(self, gateway, groups, lock_senders=None):
        """The SMS of these groups, each on the ticket it names or on a new ticket of its sender (a
        contact found by number, or made from it); SMS that cannot be a ticket are kept with the reason."""
        country = gateway.country_id or gateway.company_id.country_id
        numbers = {group["key"]: phone.normalize(self.env, group["sender"], country) for group in groups}
        with_text = {numbers[group["key"]] for group in groups if group["text"].strip()} - {False}
        partners = self.env["res.partner"]._find_or_create_from_sms(set(numbers.values()) - {False}, with_text,
                                                                     lock_senders)
        Ticket = self.env["helpdesk.ticket"]
        references = Ticket._find_by_code_references([group["text"] for group in groups],
                                                      company=gateway.company_id)
        if references:
            # Held until the import commits: a merge of these tickets running meanwhile makes this batch
            # wait and retry, so each SMS lands on the surviving ticket exactly once.
            Ticket.union(*references.values())._lock_for_incoming()
            references = {text: ticket._surviving_ticket() for text, ticket in references.items()}
        ratings = self._rating_answers(gateway, groups, numbers, partners)
        uncoded_senders = {
            partners[numbers[group["key"]]] for group in groups
            if numbers[group["key"]] in with_text and group["text"].strip() and not references.get(group["text"])
            and group["key"] not in ratings
        }
        open_tickets = self._recent_open_tickets(gateway, uncoded_senders)
        if open_tickets:
            # As for tickets named by code: a merge running meanwhile cannot lose the follow-up SMS.
            Ticket.union(*open_tickets.values())._lock_for_incoming()
            open_tickets = {partner: ticket._surviving_ticket() for partner, ticket in open_tickets.items()}
        new_ticket_groups, later_groups, opening = [], [], set()
        for group in groups:
            number, text = numbers[group["key"]], group["text"]
            if not number:
                group["error"] = self.env._(
                    "Sender “%(sender)s” is not a phone number: no ticket was created.", sender=group["sender"]
                )
            elif not text.strip():
                group["error"] = self.env._("Empty SMS from %(number)s: no ticket was created.", number=number)
            elif references.get(text):
                group["ticket"] = references[text]
            elif group["key"] in ratings:
                group["ticket"], group["rating"] = ratings[group["key"]]
            elif open_tickets is not None and (ticket := open_tickets.get(partners[number])):
                group["ticket"], group["duplicate"] = ticket, True
            elif open_tickets is not None and number in opening:
                later_groups.append(group)  # a later SMS of a sender whose ticket this batch opens
            else:
                new_ticket_groups.append(group)
                opening.add(number)
        tickets = Ticket._create_from_sms(gateway, [
            (group["text"], partners[numbers[group["key"]]]) for group in new_ticket_groups
        ])
        for group, ticket in zip(new_ticket_groups, tickets, strict=True):
            group["ticket"] = ticket
            if open_tickets is not None:
                open_tickets[partners[numbers[group["key"]]]] = ticket
        for group in later_groups:
            group["ticket"], group["duplicate"] = open_tickets[partners[numbers[group["key"]]]], True

        vals_list = []
        for group in groups:
            number = numbers[group["key"]]
            vals = self._received_vals(gateway, group, number)
            vals.update(
                partner_id=partners[number].id if number in partners else False,
                ticket_id=group["ticket"].id if group.get("ticket") else False,
            )
            if group.get("rating"):
                rating = group["ticket"]._rate_from_sms(group["rating"])
                vals.update(rating_id=rating.id, mail_message_id=rating.message_id.id)
            if group.get("error"):
                vals.update(state="ignored", error_message=" ".join(filter(None, [group["error"], group["note"]])))
            vals_list.append(vals)
        messages = self._create_received(vals_list, tickets)
        duplicate_keys = {group["key"] for group in groups if group.get("duplicate")}
        messages.filtered(lambda m: m.gammu_id in duplicate_keys)._log_duplicates()
        tickets._sms_notify("created")  # the acknowledgement answers the SMS: after it in the conversation
        return messages

    @api.model
    def _rating_answers(self, gateway, groups, numbers, partners):
        """{group key: (ticket, score)} for SMS answering a rating request sent by SMS lately: a digit
        1-5 or "puas"/"tidak puas" from the customer of a solved ticket not rated yet. One rating per
        solve: a second answer (or one after the rating was given) is an ordinary SMS."""
        scores = {
            group["key"]: score for group in groups
            if (score := rating_score(group["text"])) and numbers[group["key"]] in partners
        }
        if not scores:
            return {}
        senders = self.env["res.partner"].browse({partners[numbers[key]].id for key in scores})
        awaiting = self.env["helpdesk.ticket"]._rating_awaiting_sms_reply(senders, gateway.company_id)
        result, rated = {}, set()
        for group in groups:
            ticket = awaiting.get(partners.get(numbers[group["key"]])) if group["key"] in scores else None
            if ticket and ticket not in rated:
                rated.add(ticket)
                result[group["key"]] = (ticket, scores[group["key"]])
        return result

    @api.model
    def _recent_open_tickets(self, gateway, partners):
        """{sender contact: their newest open ticket of the gateway's company created within the team's
        follow-up window}, in one query; None when the team's window is off (0 hours).

        The window is the one of the team the gateway opens tickets in (else the company's triage team).
        """
        team = gateway.team_id or gateway.company_id.helpdesk_triage_team_id
        hours = team.sms_duplicate_window_hours
        if not hours:
            return None
        partners = self.env["res.partner"].union(*partners)
        if not partners:
            return {}
        tickets = self.env["helpdesk.ticket"].search_fetch([
            ("partner_id", "in", partners.ids),
            ("company_id", "=", gateway.company_id.id),
            ("is_closed", "=", False),
            ("create_date", ">=", self.env.cr.now() - timedelta(hours=hours)),
        ], ["partner_id", "duplicate_channel", "company_id", "team_id", "commercial_partner_id"],
            order="create_date desc, id desc")  # and what the catch log copies from the ticket
        result = {}
        for ticket in tickets:
            result.setdefault(ticket.partner_id, ticket)
        return result

    def _log_duplicates(self):
        """These SMS were added to their sender's open ticket instead of opening one: counted as
        duplicates caught (one INSERT), the ticket marked as caught by SMS."""
        if not self:
            return
        self.env["helpdesk.duplicate.event"].create([
            {"ticket_id": sms.ticket_id.id, "channel": "sms", "sms_message_id": sms.id} for sms in self
        ])
        self.ticket_id.filtered(lambda t: not t.duplicate_channel).duplicate_channel = "sms"

    # ------------------------------------------------------------------
    # Chatter
    # ------------------------------------------------------------------
    @api.model
    def _chatter_body_of(self, vals):
        """The SMS text with a line saying where it comes from."""
        line = self.env._("SMS from %(number)s", number=vals["number"])
        if (vals.get("part_count") or 1) > 1:
            line += " " + self.env._("(%(parts)s parts)", parts=vals["part_count"])
        footer = Markup('<p class="o_hd_sms_status small text-muted"><i class="fa fa-mobile"/> %s%s</p>')
        error = (" — " + vals["error_message"]) if vals.get("error_message") else ""
        return plaintext2html(vals.get("body") or "") + footer % (line, error)

    @api.model
    def _create_received(self, vals_list, new_tickets):
        """Create received SMS with their chatter messages, written by the customer, already linked."""
        # A rating answer is already in the chatter: the rating's message.
        logged = [vals for vals in vals_list if vals.get("ticket_id") and not vals.get("rating_id")]
        Ticket, Partner = self.env["helpdesk.ticket"], self.env["res.partner"]
        # One prefetch set each: the authors' addresses and the tickets are read for all SMS at once.
        tickets = Ticket.browse({vals["ticket_id"] for vals in logged})._prefetch_ids
        authors = Partner.browse({vals["partner_id"] for vals in logged if vals.get("partner_id")})._prefetch_ids
        posted = self._create_chatter_messages([
            (Ticket.browse(vals["ticket_id"]).with_prefetch(tickets),
             Partner.browse(vals.get("partner_id")).with_prefetch(authors), self._chatter_body_of(vals))
            for vals in logged
        ])
        for vals, message in zip(logged, posted, strict=True):
            vals["mail_message_id"] = message.id
        messages = self.create(vals_list)
        messages.filtered(lambda m: m.ticket_id and not m.rating_id)._post_incoming(new_tickets)
        return messages

    def _post_incoming(self, new_tickets):
        """Received SMS on existing tickets are customer replies: the ticket reacts as to a posted
        message (a waiting ticket goes back to work) and its followers are notified through Odoo's
        scheduled-message queue (mail.message.schedule, sent by its cron at once), so an import
        never waits for notifications and e-mails. The SMS that created a ticket is its first
        message: the creation told the team.
        """
        first_messages, replies = set(), self.browse()
        for sms in self:  # in the order received: the first SMS of a new ticket created it
            if sms.ticket_id in new_tickets and sms.ticket_id not in first_messages:
                first_messages.add(sms.ticket_id)
            else:
                replies |= sms
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
    def _create_chatter_messages(self, entries):
        """The chatter messages of SMS entries [(ticket, author partner, body)], in one batch, without
        notifications."""
        if not entries:
            return self.env["mail.message"]
        subtype = self.env.ref("mail.mt_comment")
        reply_to = self._reply_to_batch(entries)
        # sudo: the SMS log writes the ticket's history on behalf of the customer
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
