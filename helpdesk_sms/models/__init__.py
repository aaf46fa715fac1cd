from . import helpdesk_sms_gateway
from . import helpdesk_sms_message
from . import helpdesk_sms_template
from . import helpdesk_team
from . import helpdesk_ticket
from . import helpdesk_approval
