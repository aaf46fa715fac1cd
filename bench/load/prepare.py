"""Data of the load scenario (bench/load.sh), the same people and tickets in our database and the peer's:
agents, portal customers of different companies, tickets spread over them; ours also gets the SMS
gateway (on its gammu database) and a webhook PBX. Idempotent; prints the scenario's settings (JSON).

    python bench/load/prepare.py ours load_ours --tickets 3000 --gammu-db load_gammu
    python bench/load/prepare.py peer load_peer --tickets 3000
"""
import argparse
import json
import os
import secrets
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from common import env_for, registry_for  # noqa: E402

AGENTS = 10
CUSTOMERS = 20
GROUPS = {
    "ours": "helpdesk_ticketing.group_helpdesk_user",
    "peer": "helpdesk_mgmt.group_helpdesk_user",
}


def agents_and_customers(env, kind):
    """Agents (login = password = load_agent_N) and one portal user per customer company
    (load_portal_N), each company with its phone number for SMS and calls."""
    Users = env["res.users"].with_context(no_reset_password=True)
    agents = Users.search([("login", "like", "load_agent_%")], order="id")
    if not agents:
        agents = Users.create([{
            "name": f"Load Agent {i}", "login": f"load_agent_{i}", "password": f"load_agent_{i}",
            "email": f"agent{i}@load.example.co.id", "notification_type": "inbox",
            "group_ids": [(6, 0, [env.ref(GROUPS[kind]).id])],
        } for i in range(AGENTS)])
        if kind == "ours":
            for i, agent in enumerate(agents):
                agent.sip_extension = f"{2000 + i}"
    portals = Users.search([("login", "like", "load_portal_%")], order="id")
    if not portals:
        companies = env["res.partner"].create([{
            "name": f"PT Pelanggan Beban {i}", "is_company": True, "email": f"kantor{i}@pelanggan{i}.example.co.id",
        } for i in range(CUSTOMERS)])
        contacts = env["res.partner"].create([{
            "name": f"Kontak Beban {i}", "parent_id": company.id, "email": f"kontak{i}@pelanggan{i}.example.co.id",
            "phone": f"+62812700{i:05d}",
        } for i, company in enumerate(companies)])
        portals = Users.create([{
            "name": contact.name, "login": f"load_portal_{i}", "password": f"load_portal_{i}",
            "partner_id": contact.id, "group_ids": [(6, 0, [env.ref("base.group_portal").id])],
        } for i, contact in enumerate(contacts)])
    return agents, portals


def team_for(env, kind, agents):
    if kind == "ours":
        team = env["helpdesk.team"].search([("name", "=", "Load Team")], limit=1)
        if not team:
            # Manual assignment: unassigned tickets wait in the queue for Take Next.
            team = env["helpdesk.team"].create({
                "name": "Load Team", "assignment_method": "manual",
                "member_line_ids": [(0, 0, {"user_id": u.id}) for u in agents],
            })
        return team
    team = env["helpdesk.ticket.team"].search([("name", "=", "Load Team")], limit=1)
    return team or env["helpdesk.ticket.team"].create({"name": "Load Team", "user_ids": [(6, 0, agents.ids)]})


def tickets(env, kind, team, agents, portals, total):
    Ticket = env["helpdesk.ticket"].with_context(tracking_disable=True, mail_create_nolog=True, mail_notrack=True)
    have = Ticket.search_count([("team_id", "=", team.id)])
    stages = env["helpdesk.stage" if kind == "ours" else "helpdesk.ticket.stage"].search([], order="sequence, id")
    # Open stages mostly (a service desk's working set), some closed ones.
    open_stages = stages.filtered(lambda s: not (s.is_closed if kind == "ours" else s.closed))
    closed_stages = stages - open_stages
    vals = []
    for i in range(have, total):
        contact = portals[i % len(portals)].partner_id
        stage = closed_stages[i % len(closed_stages)] if i % 4 == 3 else open_stages[i % len(open_stages)]
        # Half of the open tickets wait unassigned in the queue.
        user = agents[i % len(agents)] if i % 2 else env["res.users"]
        v = {"name": f"Gangguan jaringan kantor cabang {i}", "partner_id": contact.id, "team_id": team.id,
             "description": f"<p>Laporan nomor {i}: koneksi internet putus sejak pagi.</p>",
             "priority": str(i % 3), "stage_id": stage.id, "user_id": user.id}
        if kind == "ours":
            v["channel"] = "portal"
        vals.append(v)
    for start in range(0, len(vals), 500):
        created = Ticket.create(vals[start:start + 500])
        if kind == "peer":
            # The peer's portal subscribes the customer to a ticket they create.
            for ticket in created:
                ticket.message_subscribe(partner_ids=ticket.partner_id.ids)
        env.cr.commit()
    return Ticket.search_count([("team_id", "=", team.id)])


def channels(env, team, gammu_db):
    """Our SMS gateway on gammu's database (RunOnReceive + polling) and a webhook PBX, both with tokens."""
    gateway = env["helpdesk.sms.gateway"].search([("name", "=", "Load modem")], limit=1)
    if not gateway:
        gateway = env["helpdesk.sms.gateway"].create({
            "name": "Load modem", "dsn": f"host=/var/run/postgresql dbname={gammu_db}", "phone_id": "load",
            "team_id": team.id, "country_id": env.ref("base.id").id, "polling": True, "delivery_report": False,
            "token": secrets.token_urlsafe(24),
        })
        team.sms_gateway_id = gateway
    pbx = env["helpdesk.voip.pbx"].search([("name", "=", "Load PBX")], limit=1)
    if not pbx:
        pbx = env["helpdesk.voip.pbx"].create({"name": "Load PBX", "kind": "webhook", "team_id": team.id,
                                              "token": secrets.token_urlsafe(24)})
    return {"gateway_id": gateway.id, "gateway_token": gateway.token, "gammu_db": gammu_db,
            "pbx_id": pbx.id, "pbx_token": pbx.token}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=["ours", "peer"])
    parser.add_argument("db")
    parser.add_argument("--tickets", type=int, default=3000)
    parser.add_argument("--gammu-db")
    parser.add_argument("--data-dir", help="Odoo's data_dir of the database (filestore)")
    args = parser.parse_args()
    registry = registry_for(args.db)
    if args.data_dir:
        from odoo.tools import config

        config["data_dir"] = args.data_dir
    with registry.cursor() as cr:
        env = env_for(cr)
        agents, portals = agents_and_customers(env, args.kind)
        team = team_for(env, args.kind, agents)
        cr.commit()
        count = tickets(env, args.kind, team, agents, portals, args.tickets)
        settings = {"kind": args.kind, "db": args.db, "tickets": count,
                    "agents": agents.mapped("login"), "portals": portals.mapped("login"),
                    "extensions": agents.mapped("sip_extension") if args.kind == "ours" else [],
                    "phones": portals.partner_id.mapped("phone")}
        if args.kind == "ours":
            settings.update(channels(env, team, args.gammu_db))
        cr.commit()
    print(json.dumps(settings))


if __name__ == "__main__":
    main()
