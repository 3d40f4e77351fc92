"""Great-circle distances on arrays (haversine) and a 3-D point index for radius searches."""

from __future__ import annotations

import numpy as np

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)


def haversine_km(lat1: np.ndarray, lng1: np.ndarray, lat2: np.ndarray,
                 lng2: np.ndarray) -> np.ndarray:
    """Return the great-circle distance in km between paired points (degrees), element-wise."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    half_dlat = (p2 - p1) / 2
    half_dlng = np.radians(np.asarray(lng2) - np.asarray(lng1)) / 2
    a = np.sin(half_dlat) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(half_dlng) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


def unit_vectors(lat: np.ndarray, lng: np.ndarray) -> np.ndarray:
    """Return points on the unit sphere (n by 3) for chord-distance searches."""
    phi, lam = np.radians(lat), np.radians(lng)
    return np.column_stack((np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)))


def chord_for_km(km: float) -> float:
    """Return the straight-line distance on the unit sphere matching `km` along the surface."""
    return float(2 * np.sin(min(km / EARTH_RADIUS_KM, np.pi) / 2))
