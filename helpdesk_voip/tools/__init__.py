from . import baresip_ctrl
