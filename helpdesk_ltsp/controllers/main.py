from odoo import http
from odoo.addons.helpdesk_ticketing.models.helpdesk_machine_endpoint_mixin import MACHINE_ROUTE
from odoo.exceptions import ValidationError
from odoo.http import request

from ..tools.ltsp_syntax import normalize_hostname, normalize_mac, parse_leases


class HelpdeskLtspController(http.Controller):
    """Machine endpoints of the LTSP servers and terminals, authenticated by per-server tokens."""

    def _server(self, server_id, token_field):
        """The server whose token was presented, in a header only (never in a URL that ends up in
        access logs); None whether the server is unknown or the token wrong."""
        Server = request.env["helpdesk.ltsp.server"]
        return Server._endpoint_for_request(server_id, request.httprequest, token_field) or None

    def _text(self, body, status=200, headers=None):
        return request.make_response(
            body,
            headers=[("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store")] + (headers or []),
            status=status,
        )

    def _forbidden(self):
        return self._text("forbidden\n", status=403)

    def _published_file(self, server_id, field_name):
        server = self._server(server_id, "token")
        if server is None:
            return self._forbidden()
        content = server[field_name]
        if not content:
            return self._text("not published yet\n", status=404)
        etag = f'"{server._etag(content)}"'
        server._record_contact()
        if request.httprequest.headers.get("If-None-Match") == etag:
            return self._text("", status=304, headers=[("ETag", etag)])
        return self._text(content, headers=[("ETag", etag)])

    @http.route("/helpdesk_ltsp/<int:server_id>/ltsp.conf", methods=["GET"], **MACHINE_ROUTE)
    def ltsp_conf(self, server_id, **kwargs):
        return self._published_file(server_id, "published_ltsp_conf")

    @http.route("/helpdesk_ltsp/<int:server_id>/dnsmasq.conf", methods=["GET"], **MACHINE_ROUTE)
    def dnsmasq_conf(self, server_id, **kwargs):
        return self._published_file(server_id, "published_dnsmasq_conf")

    @http.route("/helpdesk_ltsp/<int:server_id>/leases", methods=["POST"], **MACHINE_ROUTE)
    def leases(self, server_id, leases=None, **kwargs):
        """The LTSP server pushes its dnsmasq leases file, as a text/plain body or a `leases` file field."""
        server = self._server(server_id, "token")
        if server is None:
            return self._forbidden()
        httprequest = request.httprequest
        if hasattr(leases, "read"):
            data = leases.read()
        elif httprequest.mimetype == "text/plain":
            data = httprequest.get_data()
        else:
            return self._text(
                "send the leases file as text/plain: curl -H 'Content-Type: text/plain' "
                "--data-binary @/var/lib/misc/dnsmasq.leases URL\n",
                status=415,
            )
        try:
            created, updated = server._import_leases(parse_leases(request.env, data.decode("utf-8")))
        except (UnicodeDecodeError, ValidationError) as error:
            request.env.cr.rollback()
            message = error.args[0] if isinstance(error, ValidationError) else "leases file is not UTF-8 text"
            return self._text(f"{message}\n", status=400)
        return self._text(f"created={len(created)} updated={updated}\n")

    @http.route("/helpdesk_ltsp/heartbeat/<int:server_id>", methods=["POST"], **MACHINE_ROUTE)
    def heartbeat(self, server_id, mac=None, ip=None, hostname=None, event="boot", **kwargs):
        """Called by the ltsp.conf hook of a terminal at boot and login."""
        server = self._server(server_id, "heartbeat_token")
        if server is None:
            return self._forbidden()
        try:
            mac = normalize_mac(request.env, mac)
            try:
                hostname = normalize_hostname(request.env, hostname) if hostname else False
            except ValidationError:
                hostname = False  # the terminal's own idea of its name is only a hint for drafts
            if event not in ("boot", "login"):
                event = "boot"
            server._register_heartbeat(mac, ip=ip or False, hostname=hostname, event=event)
        except ValidationError as error:
            request.env.cr.rollback()
            return self._text(f"{error.args[0]}\n", status=400)
        return self._text("ok\n")
