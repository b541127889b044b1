import { createHash } from 'node:crypto';
import type { Facet } from '../directoryDataset';

/*
 * Facets (asylum seekers welcome, women only, free, walk-in…) in HSDS: attributes whose taxonomy term belongs to
 * a taxonomy of our own, `waymark-facets`, with fixed ids, so another system can filter by them and our import
 * recognises them.
 */

export const WAYMARK_FACETS_TAXONOMY = { id: '9b1f4c2e-7d3a-4e6b-8c5d-2f0a1b3c4d5e', name: 'waymark-facets' } as const;

/** Fixed term ids, one per facet (never change them: other systems may store them). */
export const FACET_TERM_IDS: Readonly<Record<Facet, string>> = {
  'asylum-seekers-welcome': '0c6d3f5a-1b2e-4a7c-9d8e-3f4a5b6c7d01',
  'women-only': '0c6d3f5a-1b2e-4a7c-9d8e-3f4a5b6c7d02',
  families: '0c6d3f5a-1b2e-4a7c-9d8e-3f4a5b6c7d03',
  free: '0c6d3f5a-1b2e-4a7c-9d8e-3f4a5b6c7d04',
  'walk-in': '0c6d3f5a-1b2e-4a7c-9d8e-3f4a5b6c7d05',
  phone: '0c6d3f5a-1b2e-4a7c-9d8e-3f4a5b6c7d06',
  online: '0c6d3f5a-1b2e-4a7c-9d8e-3f4a5b6c7d07',
};

export const FACET_NAMES: Readonly<Record<Facet, string>> = {
  'asylum-seekers-welcome': 'Asylum seekers welcome',
  'women-only': 'Women only',
  families: 'Families',
  free: 'Free',
  'walk-in': 'Walk-in (no appointment needed)',
  phone: 'By phone',
  online: 'Online',
};

/**
 * The id of the attribute linking a service to a facet: derived (a name-based UUID, RFC 4122 version 5 layout)
 * from the service and the facet, so every export of the same listing gives the same id without storing one.
 */
export function facetAttributeId(serviceId: string, facet: Facet): string {
  return nameBasedUuid(`${WAYMARK_FACETS_TAXONOMY.id}/${serviceId}/${facet}`);
}

/** A UUID (version 5 layout) that is a function of `name`: the same name always gives the same id. */
export function nameBasedUuid(name: string): string {
  const h = createHash('sha1').update(name).digest('hex');
  const variant = ((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}
