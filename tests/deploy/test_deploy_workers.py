"""Background work on the scaled-out set-up: two Odoo nodes (prefork, a cron worker each) behind nginx.

SMS are imported by both nodes' cron workers and by gammu-smsd's RunOnReceive hook at once, each
exactly once, also when a node's processes are killed with SIGKILL in the middle of an import; agents
taking tickets on both nodes never get the same one; an SLA breach is escalated once with the SLA job
running on both nodes at the same moment.

Odoo runs one scheduled job on one node at a time: to have both nodes' cron workers run the import or
the SLA check together, the test adds a second copy of the job and triggers both.
"""

import os
import secrets
import signal
import subprocess
import threading

import requests
from e2e_support import wait_for
from hd_deploy_support import login, process_running
from hd_sms_support import RUN_ON_RECEIVE, inbox_rows

from odoo.addons.helpdesk_ticketing.tests.common import AGENT, create_staff

CRON_SMS = "helpdesk_sms.ir_cron_helpdesk_sms_poll"
CRON_SLA = "helpdesk_ticketing.ir_cron_helpdesk_sla"


def node_urls(production):
    return [f"http://127.0.0.1:{production.ready[f'NODE{n}_HTTP_PORT']}" for n in (1, 2)]


def run_on_receive(url, gateway, token_file):
    """gammu-smsd's RunOnReceive hook, the script deploy/gammu/gammu-smsdrc names, started as gammu does."""
    return subprocess.Popen(
        ["/bin/sh", str(RUN_ON_RECEIVE), f"{url}/helpdesk_sms/gateway/{gateway['id']}/received", str(token_file)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def trigger_on_both_nodes(committed_env, xmlid):
    """The job and a copy of it triggered together: each node's cron worker can take one."""

    def trigger(env):
        cron = env.ref(xmlid)
        copy = cron.copy({"name": f"{cron.name} (second node)"})
        cron._trigger()
        copy._trigger()
        return {cron.id: cron.lastcall, copy.id: copy.lastcall}

    return committed_env(trigger)


def wait_until_run(committed_env, lastcalls, message):
    def ran(env):
        return all(env["ir.cron"].browse(cron_id).lastcall != last for cron_id, last in lastcalls.items())

    wait_for(lambda: committed_env(ran), timeout=120, interval=0.2, message=message)


def remove_copies(committed_env, xmlid):
    def remove(env):
        cron = env.ref(xmlid)
        env["ir.cron"].search([("code", "=", cron.code), ("id", "!=", cron.id)]).unlink()

    committed_env(remove)


def imported(committed_env, gateway):
    return committed_env(lambda env: env["helpdesk.sms.message"].search_count([("gateway_id", "=", gateway["id"])]))


def drain(url, committed_env, gateway, token_file, count):
    """RunOnReceive again until every SMS is in: a concatenated SMS whose parts two importers shared waits
    for the next run (gammu-smsd's next call or the cron's next minute), which imports it, once."""

    def next_run():
        hook = run_on_receive(url, gateway, token_file)
        _out, err = hook.communicate(timeout=120)
        assert hook.returncode == 0, err.decode()
        return imported(committed_env, gateway) >= count

    wait_for(next_run, timeout=120, interval=0.5, message="every SMS imported")


def assert_each_sms_once(committed_env, gateway, sms_count, row_count):
    def check(env):
        sms = env["helpdesk.sms.message"].search([("gateway_id", "=", gateway["id"])])
        assert len(sms) == sms_count, f"{len(sms)} SMS stored for {sms_count} received"
        assert len(set(sms.mapped("gammu_id"))) == sms_count
        inbox_ids = [i for message in sms for i in message._inbox_ids()]
        assert len(inbox_ids) == len(set(inbox_ids)) == row_count, "every inbox row in exactly one SMS"
        assert all(sms.mapped("ticket_id")), "every SMS reached a ticket"

    committed_env(check)
    flags = gateway["db"].query('SELECT "Processed" FROM inbox')
    assert all(flag for (flag,) in flags), "gammu's inbox rows all marked processed"


def test_sms_imported_once_by_both_nodes_and_run_on_receive_also_when_a_node_is_killed(
    gateway, two_nodes, committed_env, tmp_path
):
    token_file = tmp_path / "gammu-smsd-odoo.token"
    token_file.write_text(gateway["token"])
    os.chmod(token_file, 0o600)
    committed_env(lambda env: env["helpdesk.sms.gateway"].browse(gateway["id"]).write(
        {"polling": True, "batch_size": 15}))
    try:
        # 1. 200 SMS (120 inbox rows of single and 3-part SMS... see inbox_rows): both nodes' cron
        # workers and four RunOnReceive calls (two through nginx, one to each node) import at once.
        rows, count = inbox_rows(200, senders="+62813770")
        gateway["db"].insert_inbox(rows)
        lastcalls = trigger_on_both_nodes(committed_env, CRON_SMS)
        hooks = [run_on_receive(url, gateway, token_file) for url in [two_nodes.url] * 2 + node_urls(two_nodes)]
        for hook in hooks:
            _out, err = hook.communicate(timeout=120)
            assert hook.returncode == 0, err.decode()
        wait_until_run(committed_env, lastcalls, "both nodes' cron workers to run the SMS import")
        drain(two_nodes.url, committed_env, gateway, token_file, count)
        assert_each_sms_once(committed_env, gateway, count, len(rows))

        # 2. 300 more SMS; node 1's processes are killed with SIGKILL while its HTTP worker imports them
        # for a RunOnReceive call. Its master starts new workers; the next calls import the rest.
        more, more_count = inbox_rows(300, senders="+62813771")
        gateway["db"].insert_inbox(more)
        node = two_nodes.nodes[0]
        hook = run_on_receive(node_urls(two_nodes)[0], gateway, token_file)
        wait_for(lambda: imported(committed_env, gateway) >= count + 30 or hook.poll() is not None,
                 timeout=60, interval=0.02, message="node 1 to commit some batches")
        assert hook.poll() is None, "node 1 finished the import before it could be killed"
        killed = node.live_children()
        for pid in killed:
            os.kill(pid, signal.SIGKILL)
        hook.communicate(timeout=60)
        assert hook.returncode != 0, "the killed worker's RunOnReceive call failed"
        wait_for(lambda: not any(process_running(pid) for pid in killed), message="node 1's workers to be gone")
        partly = imported(committed_env, gateway)
        assert count < partly < count + more_count, "killed in the middle of the import"
        wait_for(lambda: len(node.workers()) == 2, timeout=60, message="node 1's master to start new workers")
        for url in [two_nodes.url, *node_urls(two_nodes)]:
            hook = run_on_receive(url, gateway, token_file)
            _out, err = hook.communicate(timeout=120)
            assert hook.returncode == 0, err.decode()
        drain(two_nodes.url, committed_env, gateway, token_file, count + more_count)
        assert_each_sms_once(committed_env, gateway, count + more_count, len(rows) + len(more))
    finally:
        remove_copies(committed_env, CRON_SMS)


def test_take_next_and_sla_escalation_on_both_nodes(two_nodes, committed_env):
    suffix = secrets.token_hex(3)

    def setup(env):
        env = env(context=dict(env.context, tracking_disable=True))
        agents = create_staff(env, f"queue_a_{suffix}", AGENT, "Agen Node Satu") | create_staff(
            env, f"queue_b_{suffix}", AGENT, "Agen Node Dua")
        customer = env["res.partner"].create({"name": f"PT Dua Node {suffix}"})
        team = env["helpdesk.team"].create({
            "name": f"Tim Dua Node {suffix}", "assignment_method": "manual",
            "member_line_ids": [(0, 0, {"user_id": user.id}) for user in agents],
        })
        sla = env["helpdesk.sla"].create({
            "name": f"SLA Dua Node {suffix}", "team_id": team.id, "response_hours": 1, "resolution_hours": 2,
        })
        queue = env["helpdesk.ticket"].create([
            {"name": f"Antrian {i}", "partner_id": customer.id, "team_id": team.id} for i in range(30)
        ])
        late = env["helpdesk.ticket"].create([
            {"name": f"Terlambat {i}", "partner_id": customer.id, "team_id": team.id,
             "user_id": agents[i % 2].id} for i in range(40)
        ])
        # Opened ten days ago: both promises (1 and 2 working hours) are long past.
        env.cr.execute("UPDATE helpdesk_ticket SET create_date = create_date - interval '10 days' WHERE id IN %s",
                       [tuple(late.ids)])
        late.invalidate_recordset(["create_date"])
        late._apply_sla()
        return agents.mapped("login"), queue.ids, late.ids, customer.id, team.id, sla.id, agents.ids

    logins, queue_ids, late_ids, customer_id, team_id, sla_id, agent_ids = committed_env(setup)
    try:
        # Each agent on their own node presses Take Next until the queue is empty.
        taken = {}
        sessions = {login_name: login(url, login_name, login_name)
                    for url, login_name in zip(node_urls(two_nodes), logins, strict=True)}
        start = threading.Barrier(len(sessions))

        def take_all(url, login_name):
            session = sessions[login_name]
            mine = taken.setdefault(login_name, [])
            start.wait(30)  # both agents press Take Next from the same moment
            while True:
                result = session.post(f"{url}/web/dataset/call_kw/helpdesk.ticket/action_take_next", json={
                    "jsonrpc": "2.0", "method": "call",
                    "params": {"model": "helpdesk.ticket", "method": "action_take_next", "args": [], "kwargs": {}},
                }, timeout=60).json()
                assert "error" not in result, result
                if result["result"].get("res_model") != "helpdesk.ticket":
                    return
                mine.append(result["result"]["res_id"])

        threads = [threading.Thread(target=take_all, args=(url, login_name))
                   for url, login_name in zip(node_urls(two_nodes), logins, strict=True)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        first, second = (taken.get(login_name, []) for login_name in logins)
        assert first and second, f"both agents took tickets: {taken}"
        assert not set(first) & set(second), "a ticket handed to two agents"
        assert sorted(first + second) == sorted(queue_ids), "each queued ticket taken exactly once"

        def owners(env):
            tickets = env["helpdesk.ticket"].browse(queue_ids)
            notes = env["mail.message"].search_count([
                ("model", "=", "helpdesk.ticket"), ("res_id", "in", queue_ids),
                ("body", "ilike", "Taken from the queue"),
            ])
            return {t.id: t.user_id.login for t in tickets}, notes

        owner_by_ticket, notes = committed_env(owners)
        assert owner_by_ticket == {**dict.fromkeys(first, logins[0]), **dict.fromkeys(second, logins[1])}
        assert notes == len(queue_ids), "one 'taken' note per ticket"

        # The SLA check runs on both nodes at once: every breach is escalated exactly once.
        lastcalls = trigger_on_both_nodes(committed_env, CRON_SLA)
        wait_until_run(committed_env, lastcalls, "both nodes' cron workers to run the SLA check")

        def escalations(env):
            tickets = env["helpdesk.ticket"].browse(late_ids)
            counts = {t.id: 0 for t in tickets}
            for escalation in env["helpdesk.escalation"].search([("ticket_id", "in", late_ids)]):
                assert escalation.kind == "sla", escalation.kind
                counts[escalation.ticket_id.id] += 1
            return counts, set(tickets.mapped("sla_resolve_escalated")), set(tickets.mapped("sla_status"))

        counts, flags, statuses = committed_env(escalations)
        assert set(counts.values()) == {1}, f"escalations per ticket: {counts}"
        assert flags == {True} and statuses == {"breached"}
    finally:
        remove_copies(committed_env, CRON_SLA)

        def cleanup(env):
            env["helpdesk.ticket"].browse(queue_ids + late_ids).unlink()
            env["helpdesk.sla"].browse(sla_id).unlink()
            env["helpdesk.team"].browse(team_id).unlink()
            env["res.partner"].browse(customer_id).unlink()
            env["res.users"].browse(agent_ids).action_archive()

        committed_env(cleanup)
        assert requests.get(f"{two_nodes.url}/web/health", timeout=30).status_code == 200
