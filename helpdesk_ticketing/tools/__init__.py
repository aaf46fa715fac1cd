from . import machine_auth
