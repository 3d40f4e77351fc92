"""The one place documents are rendered: HTML from Jinja templates, PDF with WeasyPrint.

The briefing and the takedown pack render through here; neither imports Jinja or WeasyPrint.
PDFs are made offline: only data: URLs and files inside the folders a caller names are read.
"""

from siaga.render.html import Markup, render_string, render_template
from siaga.render.pdf import OutsideUrl, html_to_pdf

__all__ = ["Markup", "OutsideUrl", "html_to_pdf", "render_string", "render_template"]
