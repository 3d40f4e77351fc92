"""Maps drawn from Siaga's own boundary polygons: no tile server, no JavaScript library."""
