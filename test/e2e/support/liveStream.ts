import type { StaffClient } from '../../support/StaffClient';
import { waitFor } from '../../support/waitFor';

export interface LiveStream {
  readonly status: number;
  /** Events received so far (`{ kind, id }`), in order. */
  readonly events: { kind: string; id: string }[];
  /** Waits until an event of `kind` about `id` has arrived. */
  waitForEvent(kind: string, id: string): Promise<void>;
  close(): void;
}

/** The console's Server-Sent Events stream, opened as a browser's EventSource would, with the person's session. */
export async function openLiveStream(client: StaffClient): Promise<LiveStream> {
  const abort = new AbortController();
  const res = await fetch(new URL('/staff/console/events', client.baseUrl), {
    headers: { accept: 'text/event-stream', cookie: `wm_staff=${encodeURIComponent(client.cookie('wm_staff') ?? '')}` },
    signal: abort.signal,
  });
  const events: { kind: string; id: string }[] = [];
  let raw = '';
  let live = false;
  if (res.ok && res.body) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          raw += decoder.decode(value, { stream: true });
          live ||= raw.includes(': live');
          events.splice(0, events.length, ...[...raw.matchAll(/^data: (.+)$/gm)].map((m) => JSON.parse(m[1] as string) as { kind: string; id: string }));
        }
      } catch {
        /* aborted */
      }
    })();
    await waitFor(() => live, { what: 'the live stream to open' });
  } else await res.text();
  return {
    status: res.status,
    events,
    waitForEvent: (kind, id) => waitFor(() => events.some((e) => e.kind === kind && e.id === id), { what: `a "${kind}" event`, timeoutMs: 20_000 }).then(() => undefined),
    close: () => abort.abort(),
  };
}
