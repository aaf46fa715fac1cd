from datetime import datetime
from unittest.mock import patch

from odoo.tests import freeze_time, new_test_user, tagged

from .common import HelpdeskCase


@tagged("post_install", "-at_install")
@freeze_time("2026-11-23 01:00:00")  # Monday 08:00 WIB; scenarios move the clock on from there
class TestSla(HelpdeskCase):
    """Deadlines count working hours of Jakarta office time (08-12, 13-17 WIB, Monday to Friday)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create({
            "name": "Jam kerja Jakarta",
            "tz": "Asia/Jakarta",
            "attendance_ids": [
                (0, 0, {"name": f"{day} {period}", "dayofweek": str(day), "hour_from": start, "hour_to": end,
                        "day_period": period})
                for day in range(5)
                for period, start, end in (("morning", 8, 12), ("afternoon", 13, 17))
            ],
        })
        cls.team_sd.resource_calendar_id = cls.calendar
        cls.sla = cls.env["helpdesk.sla"].create({
            "name": "Standar", "team_id": cls.team_sd.id, "response_hours": 2, "resolution_hours": 4,
            "at_risk_percent": 50,
        })
        # Public holidays are entered by an administrator; time off comes from the Time Off app.
        cls.admin = new_test_user(cls.env, login="t_admin", groups="base.group_system", name="Admin Kantor")
        cls.sla_urgent = cls.env["helpdesk.sla"].create({
            "name": "Mendesak", "sequence": 1, "team_id": cls.team_sd.id, "priority": "3",
            "response_hours": 0.5, "resolution_hours": 1,
        })

    def test_friday_afternoon_runs_over_the_weekend(self):
        # Friday 2026-11-20 16:00 WIB = 09:00 UTC: 1 h on Friday, the rest on Monday morning.
        ticket = self.ticket_opened_at(datetime(2026, 11, 20, 9, 0))
        self.assertEqual(ticket.sla_id, self.sla)
        self.assertEqual(ticket.sla_response_deadline, datetime(2026, 11, 23, 2, 0))  # Mon 09:00 WIB
        self.assertEqual(ticket.sla_resolve_deadline, datetime(2026, 11, 23, 4, 0))  # Mon 11:00 WIB

    def test_saturday_starts_on_monday_morning(self):
        ticket = self.ticket_opened_at(datetime(2026, 11, 21, 3, 0))  # Saturday 10:00 WIB
        self.assertEqual(ticket.sla_response_deadline, datetime(2026, 11, 23, 3, 0))  # Mon 10:00 WIB
        self.assertEqual(ticket.sla_resolve_deadline, datetime(2026, 11, 23, 5, 0))  # Mon 12:00 WIB

    def test_evening_and_lunch_break(self):
        evening = self.ticket_opened_at(datetime(2026, 11, 24, 13, 0))  # Tuesday 20:00 WIB
        self.assertEqual(evening.sla_resolve_deadline, datetime(2026, 11, 25, 5, 0))  # Wed 12:00 WIB
        morning = self.ticket_opened_at(datetime(2026, 11, 23, 4, 0))  # Monday 11:00 WIB
        self.assertEqual(morning.sla_response_deadline, datetime(2026, 11, 23, 7, 0))  # 14:00 WIB after lunch

    def test_public_holiday_is_not_working_time(self):
        self.env["resource.calendar.leaves"].create({
            "name": "Libur nasional", "calendar_id": self.calendar.id,
            "date_from": datetime(2026, 11, 23, 0, 0), "date_to": datetime(2026, 11, 23, 12, 0),
        })
        ticket = self.ticket_opened_at(datetime(2026, 11, 20, 9, 0))
        self.assertEqual(ticket.sla_resolve_deadline, datetime(2026, 11, 24, 4, 0))  # Tue 11:00 WIB

    def test_public_holiday_entered_later_replans(self):
        # Friday 16:00 WIB: planned (and the calendar's working time cached) before the holiday is known.
        before = self.ticket_opened_at(datetime(2026, 11, 20, 9, 0))
        self.assertEqual(before.sla_resolve_deadline, datetime(2026, 11, 23, 4, 0))  # Mon 11:00 WIB
        self.env["resource.calendar.leaves"].with_user(self.admin).create({
            "name": "Cuti bersama", "calendar_id": self.calendar.id,
            "date_from": datetime(2026, 11, 23, 0, 0), "date_to": datetime(2026, 11, 23, 12, 0),
        })
        after = self.ticket_opened_at(datetime(2026, 11, 20, 9, 0))
        self.assertEqual(after.sla_resolve_deadline, datetime(2026, 11, 24, 4, 0))  # Tue 11:00 WIB

    def test_time_off_and_other_calendars_keep_the_cached_working_time(self):
        """The Time Off app writes a leave per approved request: that must not empty Odoo's caches."""
        other_calendar = self.env["resource.calendar"].create({"name": "Jam kerja gudang", "tz": "Asia/Jakarta"})
        employee = self.env["resource.resource"].create({"name": "Agen Ayu", "calendar_id": self.calendar.id})
        self.ticket_opened_at(datetime(2026, 11, 20, 9, 0))
        Leaves = self.env["resource.calendar.leaves"].with_user(self.admin)
        registry = self.env.registry
        with patch.object(registry, "clear_cache", wraps=registry.clear_cache) as clear_cache:
            time_off = Leaves.create({
                "name": "Cuti tahunan", "calendar_id": self.calendar.id, "resource_id": employee.id,
                "date_from": datetime(2026, 11, 23, 0, 0), "date_to": datetime(2026, 11, 23, 12, 0),
            })
            other_holiday = Leaves.create({
                "name": "Libur gudang", "calendar_id": other_calendar.id,
                "date_from": datetime(2026, 11, 23, 0, 0), "date_to": datetime(2026, 11, 23, 12, 0),
            })
            (time_off | other_holiday).write({"date_to": datetime(2026, 11, 23, 10, 0)})
            (time_off | other_holiday).unlink()
            clear_cache.assert_not_called()
            ticket = self.ticket_opened_at(datetime(2026, 11, 20, 9, 0))
        self.assertEqual(ticket.sla_resolve_deadline, datetime(2026, 11, 23, 4, 0))  # Mon 11:00 WIB

    def test_priority_picks_policy_and_change_replans(self):
        ticket = self.ticket_opened_at(datetime(2026, 11, 23, 2, 0))  # Monday 09:00 WIB
        self.assertEqual(ticket.sla_resolve_deadline, datetime(2026, 11, 23, 7, 0))  # 14:00 WIB, after lunch
        ticket.priority = "3"
        self.assertEqual(ticket.sla_id, self.sla_urgent)
        self.assertEqual(ticket.sla_resolve_deadline, datetime(2026, 11, 23, 3, 0))

    def test_status_lifecycle(self):
        ticket = self.ticket_opened_at(datetime(2026, 11, 23, 1, 0), user_id=self.agent_a.id)  # Mon 08:00 WIB
        Ticket = self.env["helpdesk.ticket"]
        with freeze_time("2026-11-23 01:30:00"):
            Ticket._cron_check_sla()
            self.assertEqual(ticket.sla_status, "on_track")
        with freeze_time("2026-11-23 02:30:00"):  # 09:30 WIB, response due 10:00
            ticket.with_user(self.agent_a).message_post(
                body="Kami sedang memeriksa.", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
            self.assertTrue(ticket.first_response_date)
            self.assertFalse(ticket.sla_response_breached)
        with freeze_time("2026-11-23 03:10:00"):  # past 50% of the 4 working hours
            Ticket._cron_check_sla()
            self.assertEqual(ticket.sla_status, "at_risk")
        with freeze_time("2026-11-23 07:30:00"):  # 14:30 WIB, resolution was due 12:00
            Ticket._cron_check_sla()
            self.assertEqual(ticket.sla_status, "breached")
            self.assertTrue(ticket.sla_resolve_breached)
            ticket.write({"stage_id": self.stage_solved.id, "solution": "<p>Laptop diganti.</p>"})
            self.assertEqual(ticket.sla_status, "breached", "a late resolution stays breached")

    def test_resolved_in_time_is_met(self):
        ticket = self.ticket_opened_at(datetime(2026, 11, 23, 1, 0))
        with freeze_time("2026-11-23 02:00:00"):
            ticket.write({"stage_id": self.stage_solved.id, "solution": "<p>Laptop diganti.</p>"})
        self.assertEqual(ticket.sla_status, "met")
        self.assertFalse(ticket.sla_resolve_breached)

    def test_internal_note_is_not_a_first_response(self):
        ticket = self.ticket_opened_at(datetime(2026, 11, 23, 1, 0))
        ticket.with_user(self.agent_a).message_post(body="catatan internal", subtype_xmlid="mail.mt_note")
        self.assertFalse(ticket.first_response_date)
