from . import test_ltsp_terminal
from . import test_ltsp_import
from . import test_ltsp_security
from . import test_ltsp_ticket
from . import test_ltsp_tour
from . import test_ltsp_service_report
from . import test_demo_roles_ltsp
from . import test_merge_ltsp
