import json
import logging
import re
from datetime import UTC, datetime

from odoo import http
from odoo.addons.helpdesk_ticketing.models.helpdesk_machine_endpoint_mixin import MACHINE_ROUTE
from odoo.exceptions import ValidationError
from odoo.http import request

_logger = logging.getLogger(__name__)

WEBHOOK_EVENTS = ("ringing", "answered", "hangup", "cdr")
BARESIP_EVENTS = {
    "CALL_INCOMING": "ringing",
    "CALL_RINGING": "ringing",
    "CALL_OUTGOING": "ringing",
    "CALL_ESTABLISHED": "answered",
    "CALL_CLOSED": "hangup",
}
SIP_CODE_RE = re.compile(r"\b([1-6]\d\d)\b")
MAX_EVENTS = 500


class BadRequest(Exception):
    """The payload is not what the documented protocol expects."""


def _user_part(uri):
    match = re.match(r"^(?:sips?:)?([^@;>]+)", (uri or "").strip().lstrip("<"))
    return match.group(1) if match else ""


class HelpdeskVoipController(http.Controller):
    """Machine endpoints: PBX webhooks and softphone event bridges, protected by the PBX's token."""

    def _json_response(self, payload, status=200):
        return request.make_response(
            json.dumps(payload), headers=[("Content-Type", "application/json")], status=status
        )

    def _authenticate(self, pbx_id):
        """The PBX of the URL, if the request carries its token; else None (no hint which part was wrong)."""
        return request.env["helpdesk.voip.pbx"]._endpoint_for_request(pbx_id, request.httprequest) or None

    def _read_json(self):
        """The events of the body: JSON in UTF-8, strictly (replacing invalid bytes would merge distinct
        Call-IDs into one call)."""
        body = request.httprequest.get_data()
        try:
            payload = json.loads(body.decode() or "null")
            json.dumps(payload, ensure_ascii=False).encode()  # lone surrogates (\udcff) are no text either
        except UnicodeError as error:
            raise BadRequest(request.env._("The body is not UTF-8 text: send JSON encoded in UTF-8.")) from error
        except ValueError as error:
            raise BadRequest(request.env._("The body is not valid JSON.")) from error
        if isinstance(payload, dict) and "events" in payload:
            payload = payload["events"]
        if isinstance(payload, dict):
            payload = [payload]
        if not isinstance(payload, list) or not payload or not all(isinstance(e, dict) for e in payload):
            raise BadRequest(request.env._("Send one event object or {\"events\": [...]} with at least one event."))
        if len(payload) > MAX_EVENTS:
            raise BadRequest(request.env._("Send at most %(max)s events per request.", max=MAX_EVENTS))
        return payload

    def _parse_time(self, value, field):
        if value in (None, ""):
            return False
        try:
            if isinstance(value, int | float):
                moment = datetime.fromtimestamp(value, UTC)
            else:
                moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except (ValueError, OverflowError, OSError) as error:
            raise BadRequest(request.env._("“%(field)s” is not a date: %(value)s", field=field, value=value)) from error
        if moment.tzinfo:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        return moment

    def _webhook_event(self, raw):
        kind = raw.get("event")
        if kind not in WEBHOOK_EVENTS:
            raise BadRequest(request.env._(
                "Unknown event “%(event)s”: use one of %(events)s.", event=kind, events=", ".join(WEBHOOK_EVENTS)
            ))
        call_id = raw.get("call_id")
        if not isinstance(call_id, str) or not call_id.strip() or len(call_id) > 255:
            raise BadRequest(request.env._(
                "Every event needs its SIP Call-ID in “call_id” (text, 255 characters at most)."
            ))
        event = {"call_id": call_id.strip(), "event": kind}
        for key, target in (("from", "caller"), ("to", "callee"), ("extension", "extension")):
            value = raw.get(key)
            if value is not None and not isinstance(value, str | int):
                raise BadRequest(request.env._("“%(field)s” must be a phone number or an extension.", field=key))
            if value not in (None, ""):
                event[target] = str(value)[:64]
        direction = raw.get("direction")
        if direction is not None:
            if direction not in ("inbound", "outbound", "internal"):
                raise BadRequest(request.env._("“direction” must be inbound, outbound or internal."))
            event["direction"] = direction
        when = self._parse_time(raw.get("timestamp"), "timestamp")
        if kind == "ringing":
            event["date_start"] = when
        elif kind == "answered":
            event["date_answer"] = when
        elif kind == "hangup":
            event["date_end"] = when
        else:
            event["date_start"] = self._parse_time(raw.get("start_time"), "start_time") or when
            event["date_end"] = self._parse_time(raw.get("end_time"), "end_time")
        if "duration" in raw:
            duration = raw["duration"]
            if isinstance(duration, bool) or not isinstance(duration, int | float) or duration < 0:
                raise BadRequest(request.env._("“duration” must be a number of seconds, 0 or more."))
            event["duration"] = float(duration)
        if "sip_code" in raw:
            code = raw["sip_code"]
            if isinstance(code, bool) or not isinstance(code, int) or not 100 <= code <= 699:
                raise BadRequest(request.env._("“sip_code” must be a SIP response code between 100 and 699."))
            event["sip_code"] = code
            event["sip_reason"] = str(raw.get("sip_reason") or "")[:128]
        return {k: v for k, v in event.items() if v is not False}

    def _ingest(self, pbx, events, source):
        # Authenticated machine request: the PBX's token gave access, and the calls belong to its company.
        Call = request.env["helpdesk.voip.call"].sudo().with_company(pbx.company_id)
        try:
            calls = Call._ingest(events, source, pbx=pbx)
        except ValidationError as error:
            request.env.cr.rollback()
            return self._json_response({"error": error.args[0]}, status=422)
        return self._json_response({"calls": calls.ids, "count": len(calls)})

    @http.route("/helpdesk_voip/webhook/<int:pbx_id>", methods=["POST"], **MACHINE_ROUTE)
    def webhook(self, pbx_id, **kwargs):
        """Call events of any PBX (Asterisk, FreeSWITCH, 3CX...): see readme/CONFIGURE.md."""
        pbx = self._authenticate(pbx_id)
        if not pbx:
            return self._json_response({"error": request.env._("Unknown PBX or wrong token.")}, status=401)
        try:
            events = [self._webhook_event(raw) for raw in self._read_json()]
        except BadRequest as error:
            return self._json_response({"error": str(error)}, status=400)
        return self._ingest(pbx, events, "webhook")

    @http.route("/helpdesk_voip/softphone/<int:pbx_id>", methods=["POST"], **MACHINE_ROUTE)
    def softphone_event(self, pbx_id, **kwargs):
        """baresip ctrl_tcp events relayed by the softphone bridge (bridge/baresip_bridge.py)."""
        pbx = self._authenticate(pbx_id)
        if not pbx:
            return self._json_response({"error": request.env._("Unknown PBX or wrong token.")}, status=401)
        try:
            events = [event for event in map(self._baresip_event, self._read_json()) if event]
        except BadRequest as error:
            return self._json_response({"error": str(error)}, status=400)
        if not events:
            return self._json_response({"calls": [], "count": 0})
        return self._ingest(pbx, events, "softphone")

    def _baresip_event(self, payload):
        """{"extension": "1001", "event": {baresip event}} -> normalised event; None for other events."""
        raw = payload.get("event")
        if not isinstance(raw, dict):
            raise BadRequest(request.env._("“event” must be the baresip event object."))
        kind = BARESIP_EVENTS.get(raw.get("type"))
        if not kind or raw.get("class") != "call":
            return None
        call_id = raw.get("id")
        if not isinstance(call_id, str) or not call_id.strip():
            raise BadRequest(request.env._("The baresip event has no call “id”."))
        extension = str(payload.get("extension") or _user_part(raw.get("accountaor")))
        peer = _user_part(raw.get("peeruri"))
        incoming = raw.get("direction") == "incoming"
        event = {
            "call_id": call_id.strip(),
            "event": kind,
            "extension": extension,
            "caller": peer if incoming else extension,
            "callee": extension if incoming else peer,
        }
        if kind == "ringing":
            event["direction"] = "inbound" if incoming else "outbound"
        if kind == "hangup":
            match = SIP_CODE_RE.search(str(raw.get("param") or ""))
            if match:
                event["sip_code"] = int(match.group(1))
                event["sip_reason"] = str(raw.get("param"))[:128]
        return event
