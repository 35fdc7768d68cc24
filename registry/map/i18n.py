"""The sentences that static/js/map.js shows, translated here and
handed to the scripts as JSON in the page (json_script), so no JavaScript catalogue is
needed. Placeholders are %(name)s, filled in by the scripts."""

from django.utils.translation import gettext as _

from .selectors import LAYERS


def map_messages(layer_ids) -> dict:
    return {
        "layers": {layer_id: str(LAYERS[layer_id].label) for layer_id in layer_ids},
        "areaCount": _("%(name)s, %(layer)s: %(count)s"),
        "areaPerCapita": _("%(name)s, %(layer)s per 100,000 inhabitants: %(value)s"),
        "layerPerCapita": _("%(layer)s per 100,000 inhabitants"),
        "drilled": _(
            "Showing the counties of %(region)s. Press Escape or the “Back to the regions” "
            "button to return."
        ),
        "returned": _("Showing the 8 development regions."),
        "regionsHeading": _("Numbers by development region"),
        "captionRegions": _("%(layer)s by development region"),
        "captionCounties": _("%(layer)s in the counties of %(region)s"),
        "columnRegion": _("Region"),
        "columnCounty": _("County"),
        "countiesHeading": _("Numbers by county: %(region)s"),
        "seeList": _("see the list for %(name)s"),
        "showCounties": _("show the counties of %(name)s"),
        "nationalLevel": _("National level"),
        "unknownLocation": _("Unknown location"),
        "wholeRegion": _("Whole region (no single county)"),
        "total": _("Total"),
        "totalRegion": _("Total: %(region)s"),
        "noData": _("no data"),
        "loading": _("Loading the numbers…"),
        "loadError": _("The map could not be loaded. All the numbers are in the table."),
        "zoomIn": _("Zoom in"),
        "zoomOut": _("Zoom out"),
    }
