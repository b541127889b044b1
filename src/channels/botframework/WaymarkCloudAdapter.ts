import { CloudAdapter, StatusCodes, type TurnContext } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import type { Activity } from 'botbuilder';

/**
 * botbuilder's `CloudAdapter`, with an entry point that skips `process()`'s argument checks: those build
 * `zod` v3 schemas on every request (3% of a turn's CPU in the benchmark's profile) to check what the
 * `/api/messages` handler has already checked (a parsed JSON object with a type). Authentication, the turn
 * and the status codes are botbuilder's own `processActivity` and `process()`'s rules.
 */
export class WaymarkCloudAdapter extends CloudAdapter {
  /**
   * Runs one inbound activity (parsed and validated) and says what to answer, as `process()` would: the
   * invoke response or 200; 401 for a failed authentication, 500 for a failed turn (the details go to
   * `onError`, not to the caller).
   */
  async processInbound(body: Record<string, unknown>, authHeader: string, logic: (context: TurnContext) => Promise<void>, onError: (err: Error) => void): Promise<{ status: number; body?: unknown }> {
    const activity = fixTimestamps(body as Activity & Record<string, unknown>);
    try {
      const invokeResponse = await this.processActivity(authHeader, activity, logic);
      return { status: invokeResponse?.status ?? StatusCodes.OK, body: invokeResponse?.body };
    } catch (err) {
      const error = err as Error;
      onError(error);
      if (error instanceof AuthenticationError) return { status: StatusCodes.UNAUTHORIZED, body: { error: String(error.message ?? 'unauthorized') } };
      return { status: StatusCodes.INTERNAL_SERVER_ERROR, body: { error: 'internal error' } };
    }
  }
}

/** What botbuilder's `validateAndFixActivity` does to an inbound activity: ISO strings become Dates, raw kept. */
function fixTimestamps(activity: Activity & Record<string, unknown>): Activity {
  for (const [field, raw] of [['timestamp', 'rawTimestamp'], ['expiration', 'rawExpiration'], ['localTimestamp', 'rawLocalTimestamp']] as const) {
    const value = activity[field];
    if (typeof value === 'string') {
      activity[raw] = value;
      activity[field] = new Date(value) as never;
    }
  }
  return activity;
}
