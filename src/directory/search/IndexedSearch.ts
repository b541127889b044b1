import { performance } from 'node:perf_hooks';
import { DirectoryIndex, type SearchRecord, type TaxonomyLink } from './DirectoryIndex';

export interface SearchSource {
  /** Every active service at a location, with what search filters on, and the taxonomy they refer to. */
  readonly load: () => { readonly records: readonly SearchRecord[]; readonly taxonomy: readonly TaxonomyLink[] };
  /** Grows with every change of the directory; the index is rebuilt when it moves. */
  readonly version: () => number;
}

/**
 * The in-memory index kept in step with its repository, the source of truth. Rebuilt when the directory's
 * version moves: straight after a write when the writer asks (`refreshSoon`, so an import pays for it, not
 * the next migrant's turn), otherwise by the first search that finds it out of date. A build is synchronous
 * (better-sqlite3 reads are), so no search ever sees a half-built index.
 */
export class IndexedSearch {
  private current?: { index: DirectoryIndex; version: number };
  private scheduled = false;
  /** How long the last build took (ms), for the bench and the logs. */
  lastBuildMs = 0;

  constructor(private readonly source: SearchSource) {}

  index(): DirectoryIndex {
    const version = this.source.version();
    if (this.current?.version === version) return this.current.index;
    const started = performance.now();
    const { records, taxonomy } = this.source.load();
    const index = new DirectoryIndex(records, taxonomy);
    this.lastBuildMs = performance.now() - started;
    this.current = { index, version };
    return index;
  }

  /** Rebuilds on the next turn of the event loop, once however many writes asked. */
  refreshSoon(): void {
    if (this.scheduled || !this.current) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      try {
        this.index();
      } catch {
        // The store closed meanwhile (shutdown), or failed: the next search rebuilds, and reports any failure.
      }
    }).unref();
  }
}
