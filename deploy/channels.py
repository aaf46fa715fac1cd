"""The loopback channels of deploy/start.sh (HELPDESK_CHANNELS=1): the Odoo side of the wiring.

Makes sure the served database has an SMS gateway on the loopback gammu-smsd's database and a PBX
connection for the loopback softphone's bridge, gives the agent of the extension the softphone's
control address, and prints their ids and tokens as shell assignments for start.sh. Idempotent: the
records are found again by name at the next start.

    python deploy/channels.py --db DB --addons-path PATH --smsd-db SMSD_DB --extension 1001 \
        --control tcp://127.0.0.1:PORT [--agent LOGIN]
"""

import argparse
import os
import shlex
import sys

GATEWAY_NAME = "Loopback modem (deploy/start.sh)"
PBX_NAME = "Loopback softphones (deploy/start.sh)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--config", default=os.path.join(os.path.dirname(__file__), "..", "odoo.conf"))
    parser.add_argument("--smsd-db", required=True, help="gammu-smsd's database")
    parser.add_argument("--phone-id", default="loopback", help="gammu-smsd's PhoneID")
    parser.add_argument("--extension", default="1001", help="SIP extension of the loopback softphone")
    parser.add_argument("--control", required=True, help="the softphone's ctrl_tcp address")
    parser.add_argument("--agent", default="agent", help="login of the agent at that softphone (if the user exists)")
    args = parser.parse_args()

    import odoo  # noqa: F401 - the launcher's environment: Odoo on sys.path
    from odoo import SUPERUSER_ID, api
    from odoo.modules.registry import Registry
    from odoo.tools import config

    config.parse_config(["-c", args.config, "--addons-path", args.addons_path, "-d", args.db, "--log-level=warn"])
    with Registry(args.db).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        team = env.company.helpdesk_triage_team_id or env["helpdesk.team"].search([], limit=1)
        Gateway = env["helpdesk.sms.gateway"].with_context(active_test=False)
        gateway = Gateway.search([("name", "=", GATEWAY_NAME)], limit=1) or Gateway.create({"name": GATEWAY_NAME})
        gateway.write({
            "active": True, "dsn": f"host=/var/run/postgresql dbname={args.smsd_db}", "phone_id": args.phone_id,
            "team_id": team.id, "polling": True, "country_id": env.ref("base.id").id,
        })
        Pbx = env["helpdesk.voip.pbx"].with_context(active_test=False)
        pbx = Pbx.search([("name", "=", PBX_NAME)], limit=1) or Pbx.create({"name": PBX_NAME, "kind": "webhook"})
        pbx.write({"active": True, "team_id": team.id})
        agent = env["res.users"].search([("login", "=", args.agent)], limit=1)
        if agent:
            env["res.users"].search([("sip_extension", "=", args.extension), ("id", "!=", agent.id)]).write(
                {"sip_extension": False})
            agent.write({"sip_extension": args.extension, "softphone_control_url": args.control})
        values = {"GATEWAY_ID": gateway.id, "GATEWAY_TOKEN": gateway.token, "PBX_ID": pbx.id,
                  "PBX_TOKEN": pbx.token, "AGENT": agent.login or ""}
    for name, value in values.items():
        sys.stdout.write(f"{name}={shlex.quote(str(value))}\n")


if __name__ == "__main__":
    main()
