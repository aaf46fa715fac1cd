from . import test_voip_call
from . import test_voip_webhook
from . import test_voip_tour
