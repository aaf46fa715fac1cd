from . import helpdesk_ltsp_server
from . import helpdesk_ltsp_parameter
from . import helpdesk_ltsp_terminal
from . import helpdesk_ticket
from . import helpdesk_ltsp_server_major_incident
from . import helpdesk_ticket_major_incident
from . import helpdesk_ticket_merge
