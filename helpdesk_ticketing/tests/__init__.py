from . import test_ticket
from . import test_security
from . import test_approval
from . import test_escalation
from . import test_sla
from . import test_mail_gateway
from . import test_take_next
from . import test_install
