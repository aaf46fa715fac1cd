from . import helpdesk_sms_composer
