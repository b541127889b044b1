import type { DirectoryRepository } from '../directory/directoryRepository';
import { formatListing, type ListingFormat } from '../directory/formatListing';
import type { ServiceCards } from './consoleDeps';
import { languageName } from './useCases/consoleFacts';

/** Upper bound of the directory read to find one service (a region's directory is a few thousand listings). */
const MAX_LISTINGS = 20_000;

/**
 * A directory service as the listing card the bot shows (formatListing), in the migrant's language, for a
 * caseworker's reply. The directory port has no lookup by id yet, so this reads the region's listings once per
 * attachment (a caseworker's click, not a hot path); a `DirectoryRepository.get(id)` would replace the scan.
 */
export function directoryServiceCards(deps: {
  readonly directory: Pick<DirectoryRepository, 'search' | 'categoryCodes'>;
  readonly format: Omit<ListingFormat, 'now' | 'languageName' | 'locale' | 'rtl' | 'textLanguages'>;
  readonly isRtl: (locale: string) => boolean;
  readonly textLanguages: (locale: string) => readonly string[];
  readonly clock: () => number;
}): ServiceCards {
  return async (serviceId, locale, at) => {
    const categories = [...(await deps.directory.categoryCodes())];
    const page = await deps.directory.search({ categories, offset: 0, limit: MAX_LISTINGS });
    const listing = page.listings.find((l) => l.serviceId === serviceId || l.serviceAtLocationId === serviceId);
    if (!listing) return undefined;
    return formatListing(listing, {
      ...deps.format,
      locale,
      rtl: deps.isRtl(locale),
      now: new Date(at ?? deps.clock()),
      languageName: (code) => languageName(code, locale),
      textLanguages: deps.textLanguages(locale),
    });
  };
}
