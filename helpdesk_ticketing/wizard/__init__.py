from . import helpdesk_escalation_wizard
from . import helpdesk_approval_decision_wizard
from . import helpdesk_ticket_major_attach
from . import helpdesk_ticket_merge
