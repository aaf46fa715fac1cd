from . import ltsp_syntax
