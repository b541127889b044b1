/**
 * The IANA time zones this runtime knows (`Intl.supportedValuesOf`), plus `UTC`, which Node lists only as
 * `Etc/UTC` yet every formatter accepts. A zone the runtime does not know would make every opening-hours
 * calculation throw, so it is refused where it is typed (config, admin form), not where it is used.
 */
const ZONES: ReadonlySet<string> = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);

export const isTimeZone = (name: string): boolean => ZONES.has(name);

/** Every accepted zone, sorted: the choices of a time-zone picker. */
export const TIME_ZONES: readonly string[] = [...ZONES].sort();
