from . import portal
from . import service_report
from . import knowledge
