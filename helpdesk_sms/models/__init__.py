from . import helpdesk_sms_gateway
from . import helpdesk_sms_message
from . import sms_sms
from . import sms_composer
from . import res_partner
from . import helpdesk_team
from . import helpdesk_ticket
from . import helpdesk_ticket_merge
