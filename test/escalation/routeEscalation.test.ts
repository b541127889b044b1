import { routeEscalation, type RoutingCandidate, type RoutingStaff } from '../../src/escalation/routeEscalation';
import { DEFAULT_OPENING_HOURS, type EscalationTopic, type Organisation } from '../../src/staff/staffModel';

function organisation(name: string, options: { areas?: string[]; topics?: EscalationTopic[] } = {}): Organisation {
  return {
    id: `id-${name.toLowerCase().replace(/\W+/g, '-')}`,
    name,
    areas: options.areas ?? ['northbridge'],
    topics: options.topics ?? ['health', 'justice', 'housing', 'employment', 'general'],
    timeZone: 'Europe/London',
    openingHours: DEFAULT_OPENING_HOURS,
    createdAt: 0,
  };
}
const caseworker = (languages: string[], status: RoutingStaff['status'] = 'active'): RoutingStaff => ({ languages, roles: ['caseworker'], status });
const candidate = (org: Organisation, staff: RoutingStaff[], openCount = 0): RoutingCandidate => ({ organisation: org, staff, openCount });

const housing = { town: 'northbridge', topic: 'housing', locale: 'ar' };

describe('routeEscalation', () => {
  it('routes nowhere when no organisation has an active caseworker or supervisor: nobody could answer', () => {
    const candidates = [
      candidate(organisation('Invited Only'), [caseworker(['ar'], 'invited')]),
      candidate(organisation('Disabled Only'), [caseworker(['ar'], 'disabled')]),
      candidate(organisation('Editors Only'), [{ languages: ['ar'], roles: ['directory_editor', 'admin'], status: 'active' }]),
      candidate(organisation('Nobody'), []),
    ];
    expect(routeEscalation(housing, candidates)).toEqual({ kind: 'none' });
    expect(routeEscalation(housing, [])).toEqual({ kind: 'none' });
  });

  it('counts an active supervisor as someone who can answer', () => {
    const org = organisation('Supervised');
    expect(routeEscalation(housing, [candidate(org, [{ languages: ['en'], roles: ['supervisor'], status: 'active' }])])).toEqual({ kind: 'routed', organisationId: org.id, speaksLanguage: false });
  });

  it('sends a request only to organisations that handle its topic; general is a topic like the others, and unknown areas count as general', () => {
    const clinic = organisation('Clinic', { topics: ['health'] });
    const advice = organisation('Advice', { topics: ['general'] });
    const both = [candidate(clinic, [caseworker(['ar'])]), candidate(advice, [caseworker(['ar'])])];
    expect(routeEscalation({ ...housing, topic: 'health' }, both)).toMatchObject({ organisationId: clinic.id });
    expect(routeEscalation({ ...housing, topic: 'general' }, both)).toMatchObject({ organisationId: advice.id });
    expect(routeEscalation({ ...housing, topic: 'emergency' }, both)).toMatchObject({ organisationId: advice.id });
    expect(routeEscalation({ ...housing, topic: 'justice' }, both)).toEqual({ kind: 'none' });
  });

  it('sends a request only to organisations serving its town, and one without a town (or "anywhere") to any that handles the topic', () => {
    const north = organisation('North', { areas: ['northbridge'] });
    const south = organisation('South', { areas: ['southport'] });
    const candidates = [candidate(north, [caseworker(['en'])]), candidate(south, [caseworker(['ar'])])];
    expect(routeEscalation(housing, candidates)).toEqual({ kind: 'routed', organisationId: north.id, speaksLanguage: false });
    expect(routeEscalation({ ...housing, town: 'eastwick' }, candidates)).toEqual({ kind: 'none' });
    // No town: both qualify, and the Arabic speaker wins.
    expect(routeEscalation({ topic: 'housing', locale: 'ar' }, candidates)).toEqual({ kind: 'routed', organisationId: south.id, speaksLanguage: true });
    expect(routeEscalation({ ...housing, town: 'anywhere' }, candidates)).toEqual({ kind: 'routed', organisationId: south.id, speaksLanguage: true });
  });

  it('prefers an organisation where an active caseworker speaks the language, even with a longer queue', () => {
    const busyArabic = organisation('Busy Arabic');
    const idleEnglish = organisation('Idle English');
    const invitedArabic = organisation('Invited Arabic');
    const candidates = [
      candidate(idleEnglish, [caseworker(['en'])], 0),
      candidate(busyArabic, [caseworker(['en', 'ar'])], 12),
      // An invited Arabic speaker cannot answer yet: not counted as speaking it.
      candidate(invitedArabic, [caseworker(['en']), caseworker(['ar'], 'invited')], 0),
    ];
    expect(routeEscalation(housing, candidates)).toEqual({ kind: 'routed', organisationId: busyArabic.id, speaksLanguage: true });
    expect(routeEscalation({ ...housing, locale: 'ti' }, candidates)).toMatchObject({ speaksLanguage: false });
  });

  it('then prefers the shortest queue per active caseworker, then the name, so the choice is deterministic', () => {
    const big = organisation('Big');
    const small = organisation('Small');
    // 6 open for 3 people (2 each) beats 3 open for 1 person.
    const candidates = [candidate(small, [caseworker(['en'])], 3), candidate(big, [caseworker(['en']), caseworker(['en']), caseworker(['en']), caseworker(['en'], 'disabled')], 6)];
    expect(routeEscalation({ ...housing, locale: 'en' }, candidates)).toMatchObject({ organisationId: big.id });
    const alpha = organisation('Alpha');
    const beta = organisation('Beta');
    expect(routeEscalation({ ...housing, locale: 'en' }, [candidate(beta, [caseworker(['en'])], 1), candidate(alpha, [caseworker(['en'])], 1)])).toMatchObject({ organisationId: alpha.id });
    expect(routeEscalation({ ...housing, locale: 'en' }, [candidate(alpha, [caseworker(['en'])], 1), candidate(beta, [caseworker(['en'])], 1)])).toMatchObject({ organisationId: alpha.id });
  });
});
