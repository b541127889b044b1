import { normalizeForMatch } from '../../conversation/normalizeText';
import { townAccepts } from '../../conversation/townName';
import type { GeoPoint } from '../directoryRepository';
import type { Region } from '../loadRegion';

/**
 * The point to search near for a town typed by name, in any of the ways the gazetteer accepts it (its local
 * name, other spellings, its name in each language), folded as menu matching folds text. Undefined when the
 * region has no such town. Postcodes are not resolved: the region data has no postcode centroids.
 */
export function townPoint(region: Pick<Region, 'towns'>, typed: string): GeoPoint | undefined {
  const wanted = normalizeForMatch(typed);
  const town = region.towns.find((t) => townAccepts(t).some((name) => normalizeForMatch(name) === wanted));
  return town && { latitude: town.latitude, longitude: town.longitude };
}
