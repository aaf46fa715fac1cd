"""What the web client reads for a view: the ``specification`` of its web_search_read / web_read, built from
the view's architecture (get_views) as Odoo 19's web client does (web/static/src/model/relational_model/
utils.js, getFieldsSpec): a many2one with its display name unless the field is always invisible (then its
id only), an x2many with the fields of its embedded list or kanban view (at most its limit of records, 40
by default), else with the display names (and colours for tags) its widget shows. Used by the load
scenario (locustfile.py) and bench/load/serve_times.py; no Odoo import, Locust's virtualenv has none."""
import ast
import xml.etree.ElementTree as ET

ALWAYS = ("True", "1")


def specification(arch, models, model):
    """The specification of the view ``arch`` (string or element) of ``model``; ``models`` is get_views'
    "models" (each model's fields)."""
    node = ET.fromstring(arch) if isinstance(arch, str) else arch
    fields = models[model]["fields"]
    spec = {}
    for field_node in _field_nodes(node):
        name = field_node.get("name")
        if name not in fields:
            continue
        field = fields[name]
        invisible = field_node.get("invisible") in ALWAYS or field_node.get("column_invisible") == "True"
        if field["type"] in ("many2one", "reference"):
            field_spec = {"fields": {} if invisible else {"display_name": {}}}
        elif field["type"] in ("one2many", "many2many") and not invisible:
            view = next((child for child in field_node if child.tag in ("list", "kanban")), None)
            if view is not None:
                field_spec = {"fields": specification(view, models, field["relation"]),
                              "limit": int(view.get("limit", 40))}
            else:
                related = {"display_name": {}}
                color = ast.literal_eval(field_node.get("options") or "{}").get("color_field")
                if color:
                    related[color] = {}
                field_spec = {"fields": related}
        else:
            field_spec = {}
        # A field in the view twice is read as its most visible occurrence needs.
        if len(str(field_spec)) >= len(str(spec.get(name, ""))):
            spec[name] = field_spec
    return spec


def _field_nodes(node):
    """The <field> nodes of this view level: a field's children are its own sub-views."""
    for child in node:
        if child.tag == "field":
            yield child
        else:
            yield from _field_nodes(child)
