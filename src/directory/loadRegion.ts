import fs from 'node:fs';
import { z } from 'zod';
import { isTimeZone } from '../shared/isTimeZone';

const RegionFile = z.object({
  version: z.literal(1),
  name: z.string().min(1),
  country: z.string().regex(/^[A-Z]{2}$/),
  /** IANA zone: new organisations' opening hours are in it unless DEFAULT_TIME_ZONE says otherwise. */
  timezone: z.string().refine(isTimeZone, 'an IANA time zone such as Europe/London'),
  /** The number to call in danger, shown in every language. */
  emergencyNumber: z.string().regex(/^[0-9+ ]{2,16}$/).optional(),
  towns: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z][a-z0-9-]*$/),
        name: z.string().min(1),
        /** Other ways people write the name, accepted when typed (not shown). */
        altNames: z.array(z.string().min(1)).default([]),
        /**
         * The name as readers of a language write it (an exonym or the usual transliteration), shown to them;
         * only where one is in common use. A language without one sees `name`.
         */
        names: z.record(z.string().regex(/^[a-z]{2,3}$/, 'a locale code such as "ar"'), z.string().trim().min(1)).default({}),
        latitude: z.number().min(-90).max(90),
        longitude: z.number().min(-180).max(180),
      }),
    )
    .min(1)
    .max(20),
});

/** The deployment's region: its gazetteer of towns (coarse places users pick) and emergency number. */
export type Region = z.infer<typeof RegionFile>;

export function loadRegion(file: string): Region {
  const parsed = RegionFile.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}
