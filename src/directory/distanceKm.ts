import type { GeoPoint } from './directoryRepository';

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle (haversine) distance in km. */
export function distanceKm(a: GeoPoint, b: GeoPoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Sorts nearest first; ties go to the more recently verified service. Pure, shared by every backend. */
export function rankCandidates<T extends { latitude: number; longitude: number; assuredDate?: string; name: string }>(
  candidates: readonly T[],
  near: GeoPoint | undefined,
): (T & { distanceKm?: number })[] {
  const withDistance = candidates.map((c) => ({ ...c, distanceKm: near ? distanceKm(near, c) : undefined }));
  return withDistance.sort((x, y) => {
    if (x.distanceKm !== undefined && y.distanceKm !== undefined && x.distanceKm !== y.distanceKm) return x.distanceKm - y.distanceKm;
    const verified = (y.assuredDate ?? '').localeCompare(x.assuredDate ?? '');
    return verified !== 0 ? verified : x.name.localeCompare(y.name);
  });
}
