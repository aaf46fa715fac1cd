from . import test_sms_codec
from . import test_sms_access
from . import test_sms_notifications
from . import test_sms_controller
from . import test_sms_numbers
from . import test_sms_tour
from . import test_demo_roles_sms
from . import test_demo_roles_sms_duplicates
