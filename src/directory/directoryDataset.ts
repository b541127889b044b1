import { z } from 'zod';

/**
 * The bundled directory file format (used by the demo seed and, later, imports). It is a compact,
 * service-oriented subset of Open Referral HSDS 3.0: one entry per service with its locations nested,
 * UUID ids everywhere, and multilingual text as `{ [bcp47]: text }` maps (HSDS has one language per field;
 * on export the default language goes in the plain field and the rest in `x_translations`).
 */

const uuid = z.string().uuid();
/** Text in one or more languages; `en` is required as the last fallback. */
export const L10nText = z.record(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/), z.string().min(1)).refine((m) => typeof m.en === 'string', {
  message: 'must include an English ("en") text as the last fallback',
});
export type L10nText = z.infer<typeof L10nText>;

const languageCode = z.string().regex(/^[a-z]{2,3}$/, 'ISO 639-1 (or 639-3 where no 639-1 exists) code');
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
/** A closing time may be 24:00 (open until midnight); a closing time at or before the opening time runs past midnight. */
const closingTime = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'HH:MM (24:00 for midnight)');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'a real calendar date');

/**
 * What a migrant may filter listings by, beyond category and language. "No documents required" is not a facet:
 * it is `documents_required: 'none'`, which keeps `unknown` distinct from a yes.
 */
export const FACETS = ['asylum-seekers-welcome', 'women-only', 'families', 'free', 'walk-in', 'phone', 'online'] as const;
export type Facet = (typeof FACETS)[number];
const weekday = z.enum(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']);

export const ScheduleEntry = z.object({
  id: uuid,
  /** Comma-separated HSDS `byday` codes, e.g. "MO,TU,WE". */
  byday: z.string().refine((v) => v.split(',').every((d) => weekday.safeParse(d).success), 'comma-separated MO..SU'),
  opens_at: time,
  closes_at: closingTime,
  description: L10nText.optional(),
});

/** A holiday or temporary closure of a service at a location: both dates inclusive, in the location's time zone. */
export const ClosureEntry = z.object({
  id: uuid,
  valid_from: isoDate,
  valid_to: isoDate,
  /** What to tell people, e.g. "Closed for refurbishment; the Ancoats office is open." */
  message: L10nText.optional(),
}).refine((c) => c.valid_from <= c.valid_to, { message: 'valid_to must not be before valid_from', path: ['valid_to'] });

export const PhoneEntry = z.object({
  id: uuid,
  /** E.164. */
  number: z.string().regex(/^\+[1-9]\d{6,14}$/, 'E.164 number such as +441614960123'),
  type: z.enum(['text', 'voice', 'fax', 'cell', 'video', 'pager', 'textphone']).default('voice'),
  description: L10nText.optional(),
});

export const AddressEntry = z.object({
  id: uuid,
  address_1: z.string().min(1),
  address_2: z.string().optional(),
  city: z.string().min(1),
  region: z.string().optional(),
  state_province: z.string().optional(),
  postal_code: z.string().optional(),
  country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2'),
});

export const LocationEntry = z.object({
  id: uuid,
  /** The service_at_location row that links this location to the service. */
  service_at_location_id: uuid,
  name: L10nText.optional(),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  timezone: z.string().min(1),
  /** HSDS: `physical` (a place to go; the default), `virtual` (a helpline or online service: no address to show). */
  location_type: z.enum(['physical', 'virtual']).optional(),
  /** A shelter or refuge whose address must never be shown: migrants and the public export get its area and phone only. */
  confidential: z.boolean().default(false),
  address: AddressEntry.optional(),
  schedules: z.array(ScheduleEntry).default([]),
  closures: z.array(ClosureEntry).default([]),
}).refine((l) => l.location_type === 'virtual' || l.address !== undefined, { message: 'a physical location needs an address', path: ['address'] });

export const ServiceEntry = z.object({
  id: uuid,
  organization: z.object({ id: uuid, name: z.string().min(1), description: L10nText, website: z.string().url().regex(/^https?:\/\//, 'an http or https address').optional() }),
  name: L10nText,
  description: L10nText,
  status: z.enum(['active', 'inactive', 'defunct', 'temporarily closed']).default('active'),
  /** Category codes from the taxonomy (a leaf or a parent). */
  categories: z.array(z.string().min(1)).min(1),
  /** Languages staff speak (not interpretation). */
  languages: z.array(languageCode).min(1),
  documents_required: z.enum(['none', 'some', 'unknown']).default('unknown'),
  assured_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** Days after `assured_date` by which a person must check the listing again; overdue listings are shown first to editors. */
  review_interval_days: z.number().int().min(1).max(730).default(180),
  /** Who the listing came from and that source's own identifier (a council spreadsheet's "ref"): re-imports update it. */
  source: z.object({ name: z.string().min(1).max(100), id: z.string().min(1).max(200) }).strict().optional(),
  minimum_age: z.number().int().min(0).max(130).optional(),
  maximum_age: z.number().int().min(0).max(130).optional(),
  facets: z.array(z.enum(FACETS)).default([]),
  phones: z.array(PhoneEntry).default([]),
  locations: z.array(LocationEntry).min(1),
}).refine((s) => s.minimum_age === undefined || s.maximum_age === undefined || s.minimum_age <= s.maximum_age, {
  message: 'maximum_age must not be below minimum_age',
  path: ['maximum_age'],
});

export const TaxonomyTermEntry = z.object({
  id: uuid,
  code: z.string().regex(/^[a-z][a-z0-9-]*$/),
  parent: z.string().optional(),
  name: L10nText,
});

/**
 * Who wrote the texts in languages other than the source, marked as the locales mark theirs (`review` in
 * locales/languages.json and crisis-terms.json): machine-written until a native speaker has reviewed them.
 */
export const TranslationsNote = z
  .object({
    /** The language the texts were written in; every other language is a translation of it. */
    source: languageCode,
    review: z.discriminatedUnion('status', [
      z.object({ status: z.literal('machine'), note: z.string().optional() }).strict(),
      z.object({ status: z.literal('reviewed'), organisation: z.string().min(1), date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), note: z.string().optional() }).strict(),
    ]),
  })
  .strict();
export type TranslationsNote = z.infer<typeof TranslationsNote>;

export const DirectoryDataset = z.object({
  version: z.literal(1),
  /** Absent: the dataset does not say who translated it. */
  translations: TranslationsNote.optional(),
  taxonomy: z.array(TaxonomyTermEntry).min(1),
  services: z.array(ServiceEntry),
});

export type DirectoryDataset = z.infer<typeof DirectoryDataset>;
export type ServiceEntry = z.infer<typeof ServiceEntry>;
export type TaxonomyTermEntry = z.infer<typeof TaxonomyTermEntry>;
export type ClosureEntry = z.infer<typeof ClosureEntry>;
