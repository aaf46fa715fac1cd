from . import helpdesk_voip_pbx
from . import helpdesk_voip_call
from . import res_users
from . import res_partner
from . import helpdesk_ticket
from . import helpdesk_ticket_merge
from . import helpdesk_voip_call_duplicate
from . import helpdesk_duplicate_event
