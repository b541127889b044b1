import type { L10nText, TaxonomyTermEntry } from '../directoryDataset';
import type { StoredService } from '../directoryRepository';
import { FACET_NAMES, FACET_TERM_IDS, facetAttributeId, WAYMARK_FACETS_TAXONOMY } from './hsdsFacets';

/*
 * The stored directory as Open Referral HSDS 3.0 `service` objects, fully nested (organization,
 * service_at_locations with their location, address and schedules, phones, languages, attributes with their
 * taxonomy terms), as the official compiled schema `service.json` describes them. Pure: no I/O, so the export
 * command and the read API produce the same objects.
 *
 * What HSDS has no field for goes in `x_`-prefixed extensions, which HSDS allows:
 * - `x_translations`: `{ field: { bcp47: text } }`, every language other than English for that object's text
 *   fields (HSDS has one language per field; the plain field holds the English text, our last fallback);
 * - `x_documents_required`: `none` | `some` | `unknown` (whether a person must show papers to be served);
 * - `x_timezone`: the IANA time zone the location's opening hours are in (HSDS's `schedule.timezone` is a
 *   UTC offset, which is wrong for half the year where clocks change);
 * - `x_confidential` and `x_area` on a confidential location (a shelter): its address, coordinates and name
 *   are left out of the public export, and only its area (city, region, country) is given; its phones are
 *   still on the service.
 * - `x_review_interval_days` (days after `assured_date` by which a person must check the listing again) and
 *   `x_source` (`{ name, id }`: who the listing came from and that source's own identifier);
 * - `x_closed: true` on a schedule: a holiday or temporary closure from `valid_from` to `valid_to` (inclusive,
 *   in the location's time zone), its message in `description`;
 * - facets (women only, walk-in…) are attributes whose term belongs to the `waymark-facets` taxonomy.
 */

/** The taxonomy our category terms belong to (one, fixed: the store creates it with this id). */
export const WAYMARK_TAXONOMY = { id: '3d0f8d6e-56a0-4c1f-9a77-0b6f3c5b2e11', name: 'waymark' } as const;

type Json = Record<string, unknown>;

/** `{ en: 'x', ar: 'y' }` → `{ ar: 'y' }`; undefined when English is the only language. */
function otherLanguages(text: L10nText | undefined): L10nText | undefined {
  if (!text) return undefined;
  const rest = Object.fromEntries(Object.entries(text).filter(([lang]) => lang !== 'en'));
  return Object.keys(rest).length ? rest : undefined;
}

/** The `x_translations` member of an object whose text fields are given: absent when nothing is translated. */
function translations(fields: Readonly<Record<string, L10nText | undefined>>): Json {
  const out: Record<string, L10nText> = {};
  for (const [field, text] of Object.entries(fields)) {
    const rest = otherLanguages(text);
    if (rest) out[field] = rest;
  }
  return Object.keys(out).length ? { x_translations: out } : {};
}

const present = <T>(key: string, value: T | undefined | null): Json => (value === undefined || value === null || value === '' ? {} : { [key]: value });

/**
 * One service as HSDS 3.0. `taxonomy` resolves category codes to their terms (for the nested
 * `taxonomy_term`); a code without a term is left out rather than exported half-described.
 */
export function toHsdsService(service: StoredService, taxonomy: readonly TaxonomyTermEntry[]): Json {
  const terms = new Map(taxonomy.map((t) => [t.code, t] as const));
  const org = service.organization;
  return {
    id: service.id,
    organization_id: org.id,
    name: service.name.en,
    description: service.description.en,
    status: service.status,
    ...present('assured_date', service.assured_date),
    last_modified: service.lastModified,
    ...present('minimum_age', service.minimum_age),
    ...present('maximum_age', service.maximum_age),
    x_documents_required: service.documents_required,
    x_review_interval_days: service.review_interval_days,
    ...present('x_source', service.source),
    ...translations({ name: service.name, description: service.description }),
    organization: {
      id: org.id,
      name: org.name,
      description: org.description.en,
      ...present('website', org.website),
      ...translations({ description: org.description }),
    },
    phones: service.phones.map((p) => ({
      id: p.id,
      service_id: service.id,
      number: p.number,
      type: p.type,
      ...present('description', p.description?.en),
      ...translations({ description: p.description }),
    })),
    languages: service.languageLinks.map((l) => ({ id: l.id, service_id: service.id, code: l.code })),
    attributes: [
      ...service.categoryLinks.flatMap((link): Json[] => {
      const term = terms.get(link.code);
      if (!term) return [];
      const parent = term.parent ? terms.get(term.parent) : undefined;
      return [
        {
          id: link.id,
          link_id: service.id,
          link_type: 'category',
          link_entity: 'service',
          taxonomy_term_id: term.id,
          taxonomy_term: {
            id: term.id,
            code: term.code,
            name: term.name.en,
            description: term.name.en,
            ...present('parent_id', parent?.id),
            taxonomy: WAYMARK_TAXONOMY.name,
            taxonomy_id: WAYMARK_TAXONOMY.id,
            ...translations({ name: term.name }),
          },
        },
      ];
    }),
      ...service.facets.map((facet) => ({
        id: facetAttributeId(service.id, facet),
        link_id: service.id,
        link_type: 'facet',
        link_entity: 'service',
        taxonomy_term_id: FACET_TERM_IDS[facet],
        taxonomy_term: {
          id: FACET_TERM_IDS[facet],
          code: facet,
          name: FACET_NAMES[facet],
          description: FACET_NAMES[facet],
          taxonomy: WAYMARK_FACETS_TAXONOMY.name,
          taxonomy_id: WAYMARK_FACETS_TAXONOMY.id,
        },
      })),
    ],
    service_at_locations: service.locations.map((l) => ({
      id: l.service_at_location_id,
      service_id: service.id,
      location_id: l.id,
      schedules: [
        ...l.schedules.map((h): Json => ({
        id: h.id,
        service_at_location_id: l.service_at_location_id,
        freq: 'WEEKLY',
        wkst: 'MO',
        byday: h.byday,
        opens_at: h.opens_at,
        closes_at: h.closes_at,
        ...present('description', h.description?.en),
        ...translations({ description: h.description }),
      })),
        ...l.closures.map((c): Json => ({
          id: c.id,
          service_at_location_id: l.service_at_location_id,
          valid_from: c.valid_from,
          valid_to: c.valid_to,
          ...present('description', c.message?.en),
          ...translations({ description: c.message }),
          x_closed: true,
        })),
      ],
      location: l.confidential
        ? {
            // A shelter: never its address, coordinates or name (a house name can be an address). Area only.
            id: l.id,
            location_type: 'physical',
            organization_id: org.id,
            x_timezone: l.timezone,
            x_confidential: true,
            ...(l.address ? { x_area: { city: l.address.city, ...present('region', l.address.region), country: l.address.country } } : {}),
          }
        : {
            id: l.id,
            location_type: l.location_type ?? 'physical',
            organization_id: org.id,
            ...present('name', l.name?.en),
            latitude: l.latitude,
            longitude: l.longitude,
            x_timezone: l.timezone,
            ...translations({ name: l.name }),
            // A phone-only helpline (virtual) has no address: none is exported.
            ...(l.address ? { addresses: [
              {
                id: l.address.id,
                location_id: l.id,
                address_1: l.address.address_1,
                ...present('address_2', l.address.address_2),
                city: l.address.city,
                ...present('region', l.address.region),
                // Required by HSDS. UK addresses have no state or province: the region (a county such as
                // Greater Manchester) is the nearest equivalent; empty when neither was given.
                state_province: l.address.state_province ?? l.address.region ?? '',
                postal_code: l.address.postal_code ?? '',
                country: l.address.country,
                address_type: 'physical',
              },
            ] } : {}),
          },
    })),
  };
}
