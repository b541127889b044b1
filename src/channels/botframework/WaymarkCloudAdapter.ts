import { CloudAdapter, StatusCodes, type TurnContext } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import type { Request, Response } from 'express';
import type { Activity } from 'botbuilder';

/**
 * botbuilder's `CloudAdapter`, with an Express entry point that skips `process()`'s argument checks: those
 * build `zod` v3 schemas on every request (3% of a turn's CPU in the benchmark's profile) to check what
 * `createApp` has already checked (a parsed JSON object with a type, an Express response). Authentication,
 * the turn and the status codes are botbuilder's own `processActivity` and `process()`'s rules.
 */
export class WaymarkCloudAdapter extends CloudAdapter {
  /** Runs one inbound activity (`req.body`, already parsed and validated) and answers as `process()` does. */
  async processExpress(req: Request, res: Response, logic: (context: TurnContext) => Promise<void>, onError: (err: Error) => void): Promise<void> {
    const activity = fixTimestamps(req.body as Activity & Record<string, unknown>);
    const authHeader = req.headers.authorization ?? '';
    try {
      const invokeResponse = await this.processActivity(authHeader, activity, logic);
      res.status(invokeResponse?.status ?? StatusCodes.OK);
      if (invokeResponse?.body) res.send(invokeResponse.body);
      res.end();
    } catch (err) {
      const error = err as Error;
      onError(error);
      res.status(error instanceof AuthenticationError ? StatusCodes.UNAUTHORIZED : StatusCodes.INTERNAL_SERVER_ERROR);
      res.send(error.message ?? error);
      res.end();
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
