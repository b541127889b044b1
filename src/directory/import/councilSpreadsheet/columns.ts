/**
 * The council spreadsheet template: one row per service at a location. A service at several places is several
 * rows with the same `ref`; its service columns are given on the first and either repeated unchanged or left
 * empty on the others. Text in other languages goes in columns named `<column>:<language code>` (`name:ar`,
 * `description:fa`, `organisation_description:uk`); the plain column is English, every listing's last fallback.
 * docs/directory.md ("Council spreadsheet") documents each column for the councils.
 */
/** A row's location columns; the rest describe the service and must agree across the rows of one ref. */
const LOCATION = [
  'location_type',
  'address_1',
  'address_2',
  'city',
  'region',
  'postcode',
  'country',
  'latitude',
  'longitude',
  'timezone',
  'confidential',
  'hours',
  'closures',
] as const;

export const COLUMNS = [
  // The service (the same on every row of one ref).
  'ref',
  'organisation',
  'organisation_description',
  'website',
  'name',
  'description',
  'categories',
  'status',
  'phones',
  'languages',
  'documents_required',
  'facets',
  'min_age',
  'max_age',
  'review_interval_days',
  'assured_date',
  // The location (this row's).
  ...LOCATION,
] as const;

export type Column = (typeof COLUMNS)[number];

/** Columns that may also come in other languages (`name:ar`). */
export const TRANSLATABLE: readonly Column[] = ['name', 'description', 'organisation_description'];

export const LOCATION_COLUMNS: ReadonlySet<string> = new Set<Column>(LOCATION);

/** A file cannot be read as this template without these columns. */
export const REQUIRED_COLUMNS: readonly Column[] = ['ref', 'organisation', 'name', 'description', 'categories', 'languages'];
