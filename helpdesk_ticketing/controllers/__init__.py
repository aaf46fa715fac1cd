from . import portal
from . import service_report
from . import knowledge
from . import mail_canned_response
from . import public_request
