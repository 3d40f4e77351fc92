"""The coordination-meeting briefing: data gathered from every part of Siaga, written up and
rendered offline to HTML and PDF."""
