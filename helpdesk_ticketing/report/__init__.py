from . import helpdesk_ticket_report
from . import helpdesk_work_permit_report
from . import helpdesk_performance_report
from . import helpdesk_performance_report_wizard
from . import helpdesk_service_report
from . import helpdesk_major_incident_report
