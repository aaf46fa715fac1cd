from . import sms_codec
