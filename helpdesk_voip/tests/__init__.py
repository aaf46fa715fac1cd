from . import test_voip_call
from . import test_voip_webhook
from . import test_voip_tour
from . import test_demo_roles_voip
from . import test_machine_endpoint
from . import test_backend_readonly_voip
from . import test_merge_voip
from . import test_demo_roles_voip_duplicates
