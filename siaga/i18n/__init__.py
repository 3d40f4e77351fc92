"""The interface's words and formats: one catalogue of labels, Indonesian first, English second.

`label(domain, code, lang)` names every code a user may see (statuses, categories, agencies...);
`siaga.i18n.formats` writes numbers, dates and times the Indonesian (or English) way, each time
in the zone of its region.
"""

from siaga.i18n.catalogue import CATALOGUE, label, labels

__all__ = ["CATALOGUE", "label", "labels"]
