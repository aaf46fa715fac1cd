from contextlib import contextmanager

import psycopg2
from psycopg2.extensions import make_dsn, parse_dsn

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class HelpdeskExternalDatabaseMixin(models.AbstractModel):
    """The PostgreSQL database of another program (gammu-smsd's, Kamailio's), reached with a password
    that users set but never read back: only the system reads it, to connect."""

    _name = "helpdesk.external.database.mixin"
    _description = "Helpdesk External Database"
    _database_application_name = "odoo-helpdesk"

    dsn = fields.Char(
        string="DSN",
        help="libpq connection string, e.g. “host=/var/run/postgresql dbname=smsd user=smsd”. "
        "When set, it replaces the fields below; a password in it is moved to the Password field.",
    )
    db_host = fields.Char(string="Host", help="Host name or socket folder.")
    db_port = fields.Integer(string="Port", default=5432)
    db_name = fields.Char(string="Database")
    db_user = fields.Char(string="User")
    # The secret is readable by administrators only; the form shows a write-only field instead.
    db_password = fields.Char(string="Stored Password", copy=False, groups="base.group_system")
    db_password_input = fields.Char(
        string="Password",
        compute="_compute_db_password_input",
        inverse="_inverse_db_password_input",
        help="Stored and never shown back: type a new password to replace it.",
    )
    db_password_set = fields.Boolean(compute="_compute_db_password_input", string="Password Set")

    def _compute_db_password_input(self):
        # sudo: only tells whether a password is stored, never what it is
        stored = {record.id: bool(record.db_password) for record in self.sudo()}
        for record in self:
            record.db_password_input = False
            record.db_password_set = stored.get(record.id, False)

    def _inverse_db_password_input(self):
        for record in self:
            if record.db_password_input:
                # sudo: managers set the secret without being able to read it back
                record.sudo().db_password = record.db_password_input

    @api.constrains("dsn")
    def _check_dsn(self):
        for record in self.filtered("dsn"):
            try:
                parse_dsn(record.dsn)
            except psycopg2.ProgrammingError as exc:
                raise ValidationError(
                    self.env._("The DSN of “%(name)s” cannot be read: %(error)s", name=record.display_name, error=exc)
                ) from exc

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._move_dsn_password(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._move_dsn_password(vals)
        return super().write(vals)

    @api.model
    def _move_dsn_password(self, vals):
        """A password typed into the DSN goes to the secret field, out of sight."""
        if not vals.get("dsn"):
            return
        try:
            params = parse_dsn(vals["dsn"])
        except psycopg2.ProgrammingError:
            return  # the constraint explains the problem
        if "password" in params:
            vals["db_password_input"] = params.pop("password")
            vals["dsn"] = make_dsn(**params)

    def _database_configured(self):
        self.ensure_one()
        return bool(self.dsn or self.db_name)

    def _database_dsn(self):
        """The full connection string, password included: for connecting, never for showing."""
        self.ensure_one()
        if self.dsn:
            dsn = self.dsn
        else:
            dsn = make_dsn(host=self.db_host or None, port=self.db_port or None, dbname=self.db_name or None,
                           user=self.db_user or None)
        # sudo: the connection needs the secret that users cannot read
        password = self.sudo().db_password
        return make_dsn(dsn, password=password) if password else dsn

    def _database_label(self):
        """“dbname” on host, to name the database in messages (never the password)."""
        self.ensure_one()
        if self.dsn:
            params = parse_dsn(self.dsn)
            return f"“{params.get('dbname', '?')}” on {params.get('host', 'localhost')}"
        return f"“{self.db_name}” on {self.db_host or 'localhost'}"

    def _database_connect(self):
        """A new psycopg2 connection to the database (the caller closes it)."""
        return psycopg2.connect(
            self._database_dsn(), connect_timeout=5, application_name=self._database_application_name
        )

    @contextmanager
    def _database_connection(self):
        """A connection to the database; closing it rolls back what was not committed."""
        conn = self._database_connect()
        try:
            yield conn
        finally:
            conn.close()
