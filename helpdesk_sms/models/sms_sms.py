from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import gammu_store, sms_codec
from ..tools.sms_api import SmsApiGammu


class SmsSms(models.Model):
    """Odoo's outgoing SMS, sent through a gammu-smsd gateway when the company has one.

    Such an SMS stays "In Queue" until its transaction commits, then goes into gammu's outbox
    ("Processing") and follows sentitems: "Sent", "Delivered" or "Error". It is kept afterwards
    as the gateway's log of sent SMS.
    """

    _inherit = "sms.sms"

    gammu_gateway_id = fields.Many2one(
        "helpdesk.sms.gateway", string="SMS Gateway", index="btree_not_null", ondelete="set null", readonly=True,
    )
    gammu_id = fields.Integer(string="Gammu ID", readonly=True, copy=False,
                              help="ID of the SMS in gammu's outbox and sentitems.")
    gammu_attempt = fields.Integer(readonly=True, copy=False,
                                   help="Times gammu-smsd failed to send it: a retry is a new SMS for gammu.")
    gammu_error = fields.Char(string="Gateway Error", readonly=True, copy=False)
    helpdesk_ticket_id = fields.Many2one(
        "helpdesk.ticket", string="Ticket", index="btree_not_null", ondelete="set null", readonly=True,
        help="Automatic notification of this ticket, written in its chatter once gammu-smsd has sent it.",
    )

    _gammu_queue_idx = models.Index("(gammu_gateway_id, state) WHERE gammu_gateway_id IS NOT NULL")

    @api.model_create_multi
    def create(self, vals_list):
        missing = [vals for vals in vals_list if not vals.get("gammu_gateway_id")]
        if missing:
            gateways = self._gammu_gateways_for([vals.get("mail_message_id") for vals in missing])
            for vals, gateway in zip(missing, gateways, strict=True):
                vals["gammu_gateway_id"] = gateway.id
        return super().create(vals_list)

    @api.model
    def _gammu_gateways_for(self, message_ids):
        """The gateway of each SMS by its chatter message: the ticket's, else the company's first one."""
        Gateway = self.env["helpdesk.sms.gateway"].sudo()  # sudo: routing, whoever sends
        messages = self.env["mail.message"].sudo().browse([mid for mid in message_ids if mid])
        tickets = self.env["helpdesk.ticket"].sudo().browse(
            [message.res_id for message in messages if message.model == "helpdesk.ticket"]
        )
        ticket_gateways = tickets._sms_gateways()
        by_message = {}
        for message in messages:
            if message.model == "helpdesk.ticket":
                by_message[message.id] = ticket_gateways[tickets.browse(message.res_id)]
            else:
                by_message[message.id] = Gateway._for_company(message.record_company_id or self.env.company)
        default = Gateway._for_company(self.env.company)
        return [by_message.get(mid, default) if mid else default for mid in message_ids]

    def _gammu_creator_id(self):
        """gammu's CreatorID of this SMS: unique per database, SMS and attempt (idempotency key)."""
        self.ensure_one()
        uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")[:8]  # sudo: technical key
        return f"odoo-{uuid}-{self.id}-{self.gammu_attempt}"

    def action_set_outgoing(self):
        result = super().action_set_outgoing()
        self.gammu_gateway_id._schedule_push()
        return result

    def action_retry_failed(self):
        """Retry of the selected SMS that failed (Odoo's resend_failed counts deleted SMS as sent,
        and gateway SMS are kept to follow their delivery)."""
        self.filtered(lambda sms: sms.state in ("error", "canceled")).action_set_outgoing()

    def _gammu_text(self):
        """The text gammu-smsd sends: without the blanks around it, which would cost characters."""
        self.ensure_one()
        return (self.body or "").strip()

    # ------------------------------------------------------------------
    # Sending (Odoo's provider hooks)
    # ------------------------------------------------------------------
    def _split_by_api(self):
        gammu = self.filtered("gammu_gateway_id")
        for gateway, sms in gammu.grouped("gammu_gateway_id").items():
            yield SmsApiGammu(self.env, gateway), sms
        if others := self - gammu:
            yield from super(SmsSms, others)._split_by_api()

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        # Odoo's queue (cron) sends without choosing the provider: gammu's SMS choose theirs here.
        if self.env.context.get("sms_api") or not self.gammu_gateway_id:
            return super()._send(unlink_failed=unlink_failed, unlink_sent=unlink_sent,
                                 raise_exception=raise_exception)
        for sms_api, sms in self._split_by_api():
            super(SmsSms, sms.with_context(sms_api=sms_api))._send(
                unlink_failed=unlink_failed, unlink_sent=unlink_sent, raise_exception=raise_exception)
        return None

    def _send_with_api(self, sms_api, unlink_failed=False, unlink_sent=True, raise_exception=False):
        """gammu's SMS go into its outbox after this transaction commits (so that a rollback never leaves
        an SMS sent for nothing), and are kept until sentitems tells what became of them."""
        if not isinstance(sms_api, SmsApiGammu):
            return super()._send_with_api(sms_api, unlink_failed=unlink_failed, unlink_sent=unlink_sent,
                                          raise_exception=raise_exception)
        if not self.env.context.get("gammu_push_now"):
            sms_api.gateway._schedule_push()
            return None
        return self._gammu_apply_push_results(sms_api.gateway._push_to_outbox(self))

    def _gammu_apply_push_results(self, results):
        """What Odoo's _send_with_api does with a provider's answer, in one UPDATE for the SMS gammu took
        (an import queues hundreds of acknowledgements at once): "Processing" with their outbox ID."""
        gammu_ids = {result["uuid"]: result["gammu_id"] for result in results if result.get("gammu_id")}
        taken = self.filtered(lambda sms: sms.uuid in gammu_ids)
        if taken:
            taken.flush_recordset(["state", "failure_type", "gammu_id", "gammu_error"])
            self.env.cr.execute(SQL(
                """UPDATE sms_sms SET state = 'process', failure_type = NULL, gammu_id = done.gammu_id,
                          gammu_error = NULL, write_uid = %s, write_date = (now() at time zone 'UTC')
                     FROM unnest(%s::int[], %s::int[]) AS done(id, gammu_id) WHERE sms_sms.id = done.id""",
                self.env.uid, taken.ids, [gammu_ids[sms.uuid] for sms in taken],
            ))
            taken.invalidate_recordset(["state", "failure_type", "gammu_id", "gammu_error", "write_uid",
                                        "write_date"])
            # Only SMS posted in a chatter have notifications to update (not the queued acknowledgements).
            taken.filtered("mail_message_id").sms_tracker_id._action_update_from_sms_state("process")
        if refused := self - taken:
            refused._update_sms_state_and_trackers("error", failure_type="sms_number_format")

    # ------------------------------------------------------------------
    # Delivery reports
    # ------------------------------------------------------------------
    def _gammu_apply_sentitems(self, parts_by_id):
        """Update states and chatter icons from gammu's sentitems {outbox ID: [SentPart]}; returns the
        number of SMS whose state changed."""
        by_state, failures = defaultdict(lambda: self.browse()), []
        for sms in self:
            result, detail = gammu_store.outcome(parts_by_id.get(sms.gammu_id, []),
                                                 len(sms_codec.split(sms._gammu_text())))
            if result == "failed":
                failures.append((sms, detail))
            elif result == "delivered" and sms.state != "sent":
                by_state["sent"] |= sms
            elif result == "sent" and sms.state not in ("pending", "sent"):
                by_state["pending"] |= sms
        for state, sms in by_state.items():
            sms._update_sms_state_and_trackers(state)
        for sms, part in failures:
            reason = self.env._(
                "gammu-smsd reported %(status)s (error %(code)s) for part %(seq)s.",
                status=part.status, code=part.error_code, seq=part.sequence,
            )
            sms.write({"state": "error", "failure_type": "sms_server", "gammu_error": reason,
                       "gammu_attempt": sms.gammu_attempt + 1})
            sms.sms_tracker_id.sudo()._action_update_from_sms_state(  # sudo: as Odoo updates trackers
                "error", failure_type="sms_not_delivered" if part.status == "DeliveryFailed" else "sms_server",
                failure_reason=reason,
            )
        changed = self.browse([s.id for sms in by_state.values() for s in sms] + [s.id for s, _p in failures])
        changed.filtered(lambda s: s.helpdesk_ticket_id and not s.mail_message_id)._log_on_tickets()
        return len(changed)

    def _log_on_tickets(self):
        """Write automatic notifications in their tickets' chatter, with their delivery status: an SMS
        import does not write a note per acknowledgement, and the note is written once with its outcome."""
        bot = self.env.ref("base.partner_root")
        pending = self
        while pending:
            # One message per ticket and call of the batch method.
            batch = self.browse([sms[0].id for sms in pending.grouped("helpdesk_ticket_id").values()])
            tickets = batch.helpdesk_ticket_id
            messages = tickets._message_log_batch(
                {sms.helpdesk_ticket_id.id: sms.body for sms in batch}, author_id=bot.id, message_type="sms",
                partner_ids=False,
            )
            by_ticket = {message.res_id: message for message in messages}
            status = self.env["sms.tracker"].SMS_STATE_TO_NOTIFICATION_STATUS
            self.env["mail.notification"].sudo().create([{  # sudo: as Odoo's SMS notifications
                "author_id": bot.id,
                "mail_message_id": by_ticket[sms.helpdesk_ticket_id.id].id,
                "res_partner_id": sms.partner_id.id,
                "sms_number": sms.number,
                "notification_type": "sms",
                "sms_id_int": sms.id,
                "sms_tracker_ids": [fields.Command.create({"sms_uuid": sms.uuid})],
                "is_read": True,
                "notification_status": status[sms.state],
                "failure_type": sms.failure_type if sms.state == "error" else False,
                "failure_reason": sms.gammu_error if sms.state == "error" else False,
            } for sms in batch])
            for sms in batch:
                sms.mail_message_id = by_ticket[sms.helpdesk_ticket_id.id]
            pending -= batch
        self.invalidate_recordset(["sms_tracker_id"])
