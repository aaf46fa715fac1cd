import base64
import csv
import io

from odoo import fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.ltsp_syntax import normalize_hostname, normalize_mac, parse_ip, parse_leases

CSV_COLUMNS = ("mac", "hostname", "ip", "location")


class HelpdeskLtspImportWizard(models.TransientModel):
    """Discovery: register terminals from a dnsmasq leases file or an inventory CSV, all or nothing."""

    _name = "helpdesk.ltsp.import.wizard"
    _description = "Import LTSP Terminals"

    server_id = fields.Many2one("helpdesk.ltsp.server", string="LTSP Server", required=True)
    source = fields.Selection(
        [("leases", "dnsmasq leases file"), ("csv", "CSV inventory")], required=True, default="leases"
    )
    file = fields.Binary(required=True)
    filename = fields.Char()
    partner_id = fields.Many2one("res.partner", string="Owner", help="Owner of the terminals of a CSV inventory.")
    site_id = fields.Many2one("helpdesk.site", string="Site / Branch")
    location = fields.Char(string="Default Location", help="Location of CSV rows that do not give one.")

    def _content(self):
        try:
            return base64.b64decode(self.file).decode("utf-8-sig")
        except (ValueError, UnicodeDecodeError):
            raise UserError(self.env._("The file is not a UTF-8 text file.")) from None

    def action_import(self):
        self.ensure_one()
        content = self._content()
        if self.source == "leases":
            terminals, updated = self.server_id._import_leases(parse_leases(self.env, content))
        else:
            terminals, updated = self._import_csv(content), 0
        self.server_id.message_post(
            body=self.env._(
                "Import of %(file)s: %(created)s new terminals to review, %(updated)s terminals updated.",
                file=self.filename or self.env._("a file"),
                created=len(terminals),
                updated=updated,
            )
        )
        if not terminals:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "success",
                    "message": self.env._("No new terminal; %(updated)s terminals updated.", updated=updated),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        action = self.env["ir.actions.act_window"]._for_xml_id("helpdesk_ltsp.helpdesk_ltsp_terminal_action")
        action.update(domain=[("id", "in", terminals.ids)], context={})
        return action

    def _read_csv_rows(self, content):
        try:
            dialect = csv.Sniffer().sniff(content.split("\n", 1)[0], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.DictReader(io.StringIO(content), dialect=dialect)
        header = [(name or "").strip().lower() for name in reader.fieldnames or []]
        if "mac" not in header:
            raise UserError(
                self.env._(
                    "The CSV needs a header line with at least the column “mac” (columns: %(columns)s).",
                    columns=", ".join(CSV_COLUMNS),
                )
            )
        reader.fieldnames = header
        return reader

    def _import_csv(self, content):
        """Validate every row first and report all bad rows; create the new terminals in one batch."""
        server = self.server_id
        rows, errors = [], []
        seen = {"mac": {}, "hostname": {}, "ip": {}}
        for number, row in enumerate(self._read_csv_rows(content), start=2):
            row = {key: (value or "").strip() for key, value in row.items() if key}
            if not any(row.values()):
                continue
            try:
                vals = {"mac": normalize_mac(self.env, row.get("mac"))}
                vals["hostname"] = normalize_hostname(self.env, row["hostname"]) if row.get("hostname") else False
                vals["ip"] = str(parse_ip(self.env, row["ip"])) if row.get("ip") else False
                vals["location"] = row.get("location") or self.location or False
                for column in ("mac", "hostname", "ip"):
                    if vals[column] and vals[column] in seen[column]:
                        raise ValidationError(
                            self.env._(
                                "%(value)s is already on line %(line)s of the file.",
                                value=vals[column],
                                line=seen[column][vals[column]],
                            )
                        )
                    if vals[column]:
                        seen[column][vals[column]] = number
            except ValidationError as error:
                errors.append(self.env._("line %(number)s: %(error)s", number=number, error=error.args[0]))
                continue
            rows.append(vals)
        if errors:
            raise ValidationError(
                self.env._("The CSV was not imported, it has bad lines:\n%(errors)s", errors="\n".join(errors[:20]))
            )
        known = set(
            self.env["helpdesk.ltsp.terminal"]
            .with_context(active_test=False)
            .search([("server_id", "=", server.id), ("mac_address", "in", [row["mac"] for row in rows])])
            .mapped("mac_address")
        )
        server._lock()
        vals_list = [
            {
                "server_id": server.id,
                "name": row["hostname"] or "ltsp-" + row["mac"].replace(":", ""),
                "mac_address": row["mac"],
                "ip_mode": "fixed" if row["ip"] else "dynamic",
                "ip_address": row["ip"],
                "location": row["location"],
                "partner_id": self.partner_id.id or server.partner_id.id,
                "site_id": self.site_id.id or server.site_id.id,
                "state": "draft",
            }
            for row in rows
            if row["mac"] not in known
        ]
        return self.env["helpdesk.ltsp.terminal"].create(vals_list)
