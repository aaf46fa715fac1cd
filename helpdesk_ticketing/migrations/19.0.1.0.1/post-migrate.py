"""19.0.1.0.1: record rules name the user's teams by id (`user.helpdesk_team_ids.ids`) instead of a sub-select on
team members, which PostgreSQL planned in several milliseconds on every query of an agent. The rules are
`noupdate` data: their domains are rewritten here, for this addon and the channel addons built on its teams."""

OLD_NEW = [
    ("('ticket_id.team_id.member_line_ids.user_id', 'in', [user.id])",
     "('ticket_id.team_id', 'in', user.helpdesk_team_ids.ids)"),
    ("('team_id.member_line_ids.user_id', 'in', [user.id])",
     "('team_id', 'in', user.helpdesk_team_ids.ids)"),
]


def migrate(cr, version):
    for old, new in OLD_NEW:
        cr.execute(
            """UPDATE ir_rule r SET domain_force = replace(r.domain_force, %s, %s)
                 FROM ir_model_data d
                WHERE d.model = 'ir.rule' AND d.res_id = r.id
                  AND d.module IN ('helpdesk_ticketing', 'helpdesk_sms', 'helpdesk_voip', 'helpdesk_ltsp')
                  AND strpos(r.domain_force, %s) > 0""",
            [old, new, old],
        )
