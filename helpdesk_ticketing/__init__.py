from . import models
from . import wizard
from . import controllers
from . import report
from . import tools
