import { normalizeForMatch } from '../../conversation/normalizeText';
import type { Facet } from '../directoryDataset';
import { compileHours, isOpenAt, localClockIn, openStatusAt, type ClosureRange, type CompiledHours, type LocalClock, type WeeklyRange } from './openStatus';
import { WIDENING_STEPS_KM, type SearchHit, type SearchQuery, type SearchResult } from './searchQuery';

/** What the index needs of one active service at one location (the repository loads these). */
export interface SearchRecord {
  readonly serviceAtLocationId: string;
  /** Sort key without a point (the English name, as every listing has one). */
  readonly name: string;
  /** Every text a word may be searched in: name, description, organisation name, in every language stored. */
  readonly texts: readonly string[];
  /** Category codes as linked (descendant matching is the index's business). */
  readonly categories: readonly string[];
  readonly languages: readonly string[];
  readonly latitude: number;
  readonly longitude: number;
  readonly timezone: string;
  readonly schedules: readonly WeeklyRange[];
  readonly closures: readonly ClosureRange[];
  readonly documentsRequired: 'none' | 'some' | 'unknown';
  readonly facets: readonly Facet[];
  readonly minimumAge?: number;
  readonly maximumAge?: number;
}

export interface TaxonomyLink {
  readonly code: string;
  readonly parent?: string;
}

const FACET_BITS: Record<Facet, number> = {
  'asylum-seekers-welcome': 1 << 1,
  'women-only': 1 << 2,
  families: 1 << 3,
  free: 1 << 4,
  'walk-in': 1 << 5,
  phone: 1 << 6,
  online: 1 << 7,
};
const NO_DOCUMENTS = 1;
const NO_AGE = -1;
/** Grid cells of 0.1° (about 11 km north–south; narrower east–west away from the equator). */
const CELL_DEGREES = 0.1;
const EARTH_RADIUS_KM = 6371.0088;
const RAD = Math.PI / 180;

/**
 * The directory's search index, in memory: built once from the repository's records (a few hundred
 * milliseconds per 100k), then asked many times. Records are numbered in name order, so a scan is already
 * in the no-point sort order and ties break the same way on every page (paging is stable).
 *
 * - categories and languages: one bitmask per record (a record's categories include their ancestors, so a
 *   parent code matches its sub-categories), and a posting list per category to start from when it is rarer
 *   than what lies near the point;
 * - distance: a grid of 0.1° cells; only cells within the radius's bounding box are read;
 * - opening hours: compiled once per distinct pattern (most listings share a few), and evaluated once per
 *   pattern and time zone per search.
 *
 * Coordinates stay inside: hits carry a record number and a distance, never where the record is.
 */
export class DirectoryIndex {
  readonly size: number;
  private readonly ids: string[];
  private readonly termBit = new Map<string, number>();
  private readonly termWords: number;
  private readonly terms: Uint32Array;
  private readonly langBit = new Map<string, number>();
  private readonly langWords: number;
  private readonly langs: Uint32Array;
  private readonly flags: Uint8Array;
  private readonly minAge: Int16Array;
  private readonly maxAge: Int16Array;
  private readonly lat: Float64Array;
  private readonly lon: Float64Array;
  private readonly zone: Uint16Array;
  private readonly zones: string[] = [];
  private readonly hoursOf: Uint32Array;
  private readonly patterns: CompiledHours[] = [];
  private readonly texts: string[];
  private readonly postings = new Map<string, Int32Array>();
  private readonly grid = new Map<number, Int32Array>();

  constructor(records: readonly SearchRecord[], taxonomy: readonly TaxonomyLink[]) {
    // Name order by lower-cased code points (names sort by their English text): a collator's compare cost
    // a quarter of the build at 100k listings.
    const keyed = records.map((r) => ({ r, key: r.name.toLowerCase() }));
    keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.r.serviceAtLocationId < b.r.serviceAtLocationId ? -1 : 1));
    const ordered = keyed.map((k) => k.r);
    const n = ordered.length;
    this.size = n;
    this.ids = ordered.map((r) => r.serviceAtLocationId);

    // Each category code with its ancestors, so a record linked to "primary-care" also carries "health".
    const parentOf = new Map(taxonomy.map((t) => [t.code, t.parent] as const));
    taxonomy.forEach((t, i) => this.termBit.set(t.code, i));
    const withAncestors = (code: string): string[] => {
      const chain: string[] = [];
      for (let c: string | undefined = code; c !== undefined && !chain.includes(c); c = parentOf.get(c)) chain.push(c);
      return chain;
    };
    for (const r of ordered) for (const l of r.languages) if (!this.langBit.has(l)) this.langBit.set(l, this.langBit.size);
    this.termWords = Math.max(1, Math.ceil(this.termBit.size / 32));
    this.langWords = Math.max(1, Math.ceil(this.langBit.size / 32));
    this.terms = new Uint32Array(n * this.termWords);
    this.langs = new Uint32Array(n * this.langWords);
    this.flags = new Uint8Array(n);
    this.minAge = new Int16Array(n);
    this.maxAge = new Int16Array(n);
    this.lat = new Float64Array(n);
    this.lon = new Float64Array(n);
    this.zone = new Uint16Array(n);
    this.hoursOf = new Uint32Array(n);
    this.texts = new Array<string>(n);
    const zoneIds = new Map<string, number>();
    const patternIds = new Map<string, number>();
    const postingLists = new Map<string, number[]>();
    const cells = new Map<number, number[]>();
    // Organisation names and stock descriptions repeat across listings: fold each distinct text once.
    const folded = new Map<string, string>();
    const fold = (text: string): string => {
      let f = folded.get(text);
      if (f === undefined) folded.set(text, (f = normalizeForMatch(text)));
      return f;
    };

    ordered.forEach((r, i) => {
      for (const code of r.categories) {
        for (const c of withAncestors(code)) {
          const bit = this.termBit.get(c);
          if (bit === undefined) continue;
          const word = i * this.termWords + (bit >>> 5);
          this.terms[word] = ((this.terms[word] as number) | (1 << (bit & 31))) >>> 0;
          let list = postingLists.get(c);
          if (!list) postingLists.set(c, (list = []));
          if (list[list.length - 1] !== i) list.push(i);
        }
      }
      for (const l of r.languages) {
        const bit = this.langBit.get(l) as number;
        const word = i * this.langWords + (bit >>> 5);
        this.langs[word] = ((this.langs[word] as number) | (1 << (bit & 31))) >>> 0;
      }
      let flags = r.documentsRequired === 'none' ? NO_DOCUMENTS : 0;
      for (const f of r.facets) flags |= FACET_BITS[f] ?? 0;
      this.flags[i] = flags;
      this.minAge[i] = r.minimumAge ?? NO_AGE;
      this.maxAge[i] = r.maximumAge ?? NO_AGE;
      this.lat[i] = r.latitude;
      this.lon[i] = r.longitude;
      let z = zoneIds.get(r.timezone);
      if (z === undefined) {
        z = this.zones.length;
        zoneIds.set(r.timezone, z);
        this.zones.push(r.timezone);
      }
      this.zone[i] = z;
      const patternKey = hoursKey(r.schedules, r.closures);
      let p = patternIds.get(patternKey);
      if (p === undefined) {
        p = this.patterns.length;
        patternIds.set(patternKey, p);
        this.patterns.push(compileHours(r.schedules, r.closures));
      }
      this.hoursOf[i] = p;
      this.texts[i] = r.texts.map(fold).join('\n');
      const key = cellKey(cellOf(r.latitude), cellOf(r.longitude));
      let cell = cells.get(key);
      if (!cell) cells.set(key, (cell = []));
      cell.push(i);
    });
    for (const [code, list] of postingLists) this.postings.set(code, Int32Array.from(list));
    for (const [key, list] of cells) this.grid.set(key, Int32Array.from(list));
  }

  /** The service_at_location id of a hit's record. */
  idOf(record: number): string {
    return this.ids[record] as string;
  }

  /** Distinct opening-hours patterns (for the bench's memory report). */
  get patternCount(): number {
    return this.patterns.length;
  }

  search(query: SearchQuery, at: Date): SearchResult {
    const termMask = this.maskOf(query.categories, this.termBit, this.termWords);
    const langMask = this.maskOf(query.languages, this.langBit, this.langWords);
    if (termMask === 'none' || langMask === 'none') return { total: 0, hits: [] };
    let flagsWanted = query.noDocuments ? NO_DOCUMENTS : 0;
    for (const f of query.facets ?? []) flagsWanted |= FACET_BITS[f] ?? 0;
    const words = query.text ? normalizeForMatch(query.text).split(' ').filter((w) => w.length > 0) : [];
    const clocks = new Array<LocalClock | undefined>(this.zones.length);
    const clockOf = (z: number): LocalClock => (clocks[z] ??= localClockIn(this.zones[z] as string, at));
    // Per search, each pattern's answer in each zone: 0 not yet asked, 1 open, 2 not open.
    const openMemo = query.openNow ? new Uint8Array(this.patterns.length * this.zones.length) : undefined;

    const matches = (i: number): boolean => {
      if (termMask && !intersects(this.terms, i * this.termWords, termMask)) return false;
      if (langMask && !intersects(this.langs, i * this.langWords, langMask)) return false;
      if (((this.flags[i] as number) & flagsWanted) !== flagsWanted) return false;
      if (query.age !== undefined) {
        const min = this.minAge[i] as number;
        const max = this.maxAge[i] as number;
        if ((min !== NO_AGE && query.age < min) || (max !== NO_AGE && query.age > max)) return false;
      }
      if (openMemo) {
        const z = this.zone[i] as number;
        const p = this.hoursOf[i] as number;
        const slot = p * this.zones.length + z;
        let open = openMemo[slot] as number;
        if (open === 0) openMemo[slot] = open = isOpenAt(this.patterns[p] as CompiledHours, clockOf(z)) ? 1 : 2;
        if (open !== 1) return false;
      }
      if (words.length > 0) {
        const text = this.texts[i] as string;
        for (const w of words) if (!text.includes(w)) return false;
      }
      return true;
    };

    const found = new Matches();
    const near = query.near;
    let radiusKm: number | null | undefined;
    let widenedFrom: number | undefined;
    if (near && typeof query.radiusKm === 'number') {
      radiusKm = query.radiusKm;
      this.collectNear(near, radiusKm, query.categories, termMask, matches, found);
    } else if (near && query.radiusKm === 'auto') {
      // Step by step, so a search that finds something within 5 km (most) reads only the cells of 5 km.
      radiusKm = null;
      for (const step of WIDENING_STEPS_KM) {
        found.clear();
        this.collectNear(near, step, query.categories, termMask, matches, found);
        if (found.length > 0) {
          radiusKm = step;
          break;
        }
      }
      if (radiusKm === null) this.collectAll(query.categories, matches, found, near);
      if (radiusKm !== WIDENING_STEPS_KM[0]) widenedFrom = WIDENING_STEPS_KM[0];
    } else {
      this.collectAll(query.categories, matches, found, near);
    }

    const page = found.page(query.offset, query.limit, near !== undefined);
    const hits: SearchHit[] = page.map(({ record, distanceKm }) => ({
      record,
      ...(distanceKm === undefined ? {} : { distanceKm }),
      openStatus: openStatusAt(this.patterns[this.hoursOf[record] as number] as CompiledHours, clockOf(this.zone[record] as number)),
    }));
    return {
      total: found.length,
      hits,
      ...(radiusKm === undefined ? {} : { radiusKm }),
      ...(widenedFrom === undefined ? {} : { widenedFrom }),
    };
  }

  /** A query mask over known codes; undefined when the filter is absent, 'none' when no code is known. */
  private maskOf(codes: readonly string[] | undefined, bits: Map<string, number>, words: number): Uint32Array | undefined | 'none' {
    if (!codes || codes.length === 0) return undefined;
    const mask = new Uint32Array(words);
    let any = false;
    for (const code of codes) {
      const bit = bits.get(code);
      if (bit === undefined) continue;
      mask[bit >>> 5] = ((mask[bit >>> 5] as number) | (1 << (bit & 31))) >>> 0;
      any = true;
    }
    return any ? mask : 'none';
  }

  /** Records in the bounding box of `radiusKm` (or the categories' postings, when fewer), within the radius. */
  private collectNear(near: { latitude: number; longitude: number }, radiusKm: number, categories: readonly string[] | undefined, termMask: Uint32Array | undefined, matches: (i: number) => boolean, found: Matches): void {
    const dLat = radiusKm / 111.2;
    const cosLat = Math.max(0.01, Math.cos(near.latitude * RAD));
    const dLon = Math.min(180, radiusKm / (111.32 * cosLat));
    const lat0 = cellOf(near.latitude - dLat);
    const lat1 = cellOf(near.latitude + dLat);
    const lon0 = cellOf(near.longitude - dLon);
    const lon1 = cellOf(near.longitude + dLon);
    const boxCells: Int32Array[] = [];
    let inBox = 0;
    for (let a = lat0; a <= lat1; a++) {
      for (let o = lon0; o <= lon1; o++) {
        const cell = this.grid.get(cellKey(a, o));
        if (cell) {
          boxCells.push(cell);
          inBox += cell.length;
        }
      }
    }
    const postings = termMask ? this.postingsOf(categories ?? []) : undefined;
    const posted = postings?.reduce((sum, p) => sum + p.length, 0);
    const consider = (i: number) => {
      if (!matches(i)) return;
      const d = haversineKm(near.latitude, near.longitude, this.lat[i] as number, this.lon[i] as number);
      if (d <= radiusKm) found.push(i, d);
    };
    if (postings && posted !== undefined && posted < inBox) this.eachPosted(postings, categories ?? [], consider);
    else for (const cell of boxCells) for (let k = 0; k < cell.length; k++) consider(cell[k] as number);
  }

  /** Every matching record (from the categories' postings when there are categories), in name order. */
  private collectAll(categories: readonly string[] | undefined, matches: (i: number) => boolean, found: Matches, near?: { latitude: number; longitude: number }): void {
    found.clear();
    const consider = (i: number) => {
      if (matches(i)) found.push(i, near ? haversineKm(near.latitude, near.longitude, this.lat[i] as number, this.lon[i] as number) : 0);
    };
    const postings = categories && categories.length > 0 ? this.postingsOf(categories) : undefined;
    if (postings) this.eachPosted(postings, categories ?? [], consider);
    else for (let i = 0; i < this.size; i++) consider(i);
  }

  private postingsOf(categories: readonly string[]): Int32Array[] {
    return categories.map((c) => this.postings.get(c) ?? new Int32Array(0));
  }

  /**
   * Each record in any of the postings, once: a record in two requested categories is skipped in the later
   * list (it carries an earlier requested category's bit). Postings are sorted, but their union is not.
   */
  private eachPosted(postings: readonly Int32Array[], categories: readonly string[], visit: (i: number) => void): void {
    postings.forEach((list, j) => {
      const earlier = categories.slice(0, j).map((c) => this.termBit.get(c)).filter((b): b is number => b !== undefined);
      for (let k = 0; k < list.length; k++) {
        const i = list[k] as number;
        if (earlier.length > 0 && earlier.some((bit) => ((this.terms[i * this.termWords + (bit >>> 5)] as number) & (1 << (bit & 31))) !== 0)) continue;
        visit(i);
      }
    });
  }
}

/** The matches of one search: record numbers and distances, in growable typed arrays. */
class Matches {
  private records = new Int32Array(256);
  private distances = new Float64Array(256);
  length = 0;

  push(record: number, distance: number): void {
    if (this.length === this.records.length) {
      const records = new Int32Array(this.length * 2);
      records.set(this.records);
      this.records = records;
      const distances = new Float64Array(this.length * 2);
      distances.set(this.distances);
      this.distances = distances;
    }
    this.records[this.length] = record;
    this.distances[this.length] = distance;
    this.length++;
  }

  clear(): void {
    this.length = 0;
  }

  /**
   * One page in order: by distance then record number (name order) with a point, else by record number. Only
   * the first `offset + limit` are ever ordered (a bounded insertion list), so a big result set costs a pass.
   */
  page(offset: number, limit: number, byDistance: boolean): { record: number; distanceKm?: number }[] {
    const want = Math.min(this.length, offset + limit);
    if (want <= offset) return [];
    const best: number[] = [];
    const before = (a: number, b: number) => {
      if (byDistance) {
        const da = this.distances[a] as number;
        const db = this.distances[b] as number;
        if (da !== db) return da < db;
      }
      return (this.records[a] as number) < (this.records[b] as number);
    };
    for (let k = 0; k < this.length; k++) {
      if (best.length === want) {
        if (!before(k, best[want - 1] as number)) continue;
        best.pop();
      }
      let at = best.length;
      while (at > 0 && before(k, best[at - 1] as number)) at--;
      best.splice(at, 0, k);
    }
    return best.slice(offset).map((k) => ({ record: this.records[k] as number, ...(byDistance ? { distanceKm: this.distances[k] as number } : {}) }));
  }
}

function intersects(bits: Uint32Array, from: number, mask: Uint32Array): boolean {
  for (let w = 0; w < mask.length; w++) if (((bits[from + w] as number) & (mask[w] as number)) !== 0) return true;
  return false;
}

function cellOf(degrees: number): number {
  return Math.floor(degrees / CELL_DEGREES);
}

function cellKey(latCell: number, lonCell: number): number {
  return (latCell + 1000) * 4000 + (lonCell + 2000);
}

function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

function hoursKey(schedules: readonly WeeklyRange[], closures: readonly ClosureRange[]): string {
  return `${schedules.map((s) => `${s.byday} ${s.opens_at}-${s.closes_at}`).join(';')}|${closures.map((c) => `${c.valid_from}..${c.valid_to}`).join(';')}`;
}
