from . import helpdesk_ltsp_import_wizard
from . import helpdesk_ltsp_move_wizard
