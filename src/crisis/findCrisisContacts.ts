import type { DirectoryRepository } from '../directory/directoryRepository';
import type { L10nText } from '../directory/directoryDataset';
import { formatPhone } from '../directory/formatListing';
import type { CrisisCategory } from './crisisCategories';
import { linesFor, type CrisisLine, type CrisisNumbers } from './loadCrisisNumbers';

/** Where the emergency screen's numbers came from: the numbers file, the directory's helplines, or nowhere (112 and a note). */
export type CrisisContactsSource = 'file' | 'directory' | 'none';

/** What the emergency screen shows: the emergency number first, then the helplines for this kind of danger. */
export interface CrisisContacts {
  readonly source: CrisisContactsSource;
  /** `free` only when the numbers file says so: without it, nobody knows what a call costs there. */
  readonly emergency: { readonly number: string; readonly alternatives: readonly string[]; readonly free?: boolean; readonly silentCallDigits?: string };
  /** Helplines; a directory listing's name is in the listing's languages. */
  readonly lines: readonly (Omit<CrisisLine, 'categories' | 'name'> & { readonly name: string | L10nText })[];
}

/** Used when no region says otherwise: 112 reaches emergency services across Europe and in many other countries. */
export const FALLBACK_EMERGENCY_NUMBER = '112';
const DIRECTORY_HELPLINES = 5;

/**
 * The numbers for an emergency screen: from the deployment's validated numbers file when there is one;
 * otherwise the region's emergency number (or 112) with the directory's crisis helplines; the screen says
 * plainly when there are no helplines at all.
 */
export function createCrisisContactsFinder(deps: {
  readonly numbers?: CrisisNumbers;
  readonly regionEmergencyNumber?: string;
  readonly directory: Pick<DirectoryRepository, 'search'>;
}): (categories: readonly CrisisCategory[]) => Promise<CrisisContacts> {
  const { numbers } = deps;
  return async (categories) => {
    if (numbers) {
      return { source: 'file', emergency: numbers.emergency, lines: linesFor(numbers, categories).map(({ categories: _c, ...line }) => line) };
    }
    const emergency = { number: deps.regionEmergencyNumber ?? FALLBACK_EMERGENCY_NUMBER, alternatives: [] };
    const page = await deps.directory.search({ categories: ['crisis-helpline'], offset: 0, limit: DIRECTORY_HELPLINES });
    const lines = page.listings.flatMap((listing) => {
      const phone = listing.phones[0];
      return phone ? [{ kind: 'other' as const, name: listing.name, number: formatPhone(phone.number), free: false, interpreters: false }] : [];
    });
    return { source: lines.length ? 'directory' : 'none', emergency, lines };
  };
}
