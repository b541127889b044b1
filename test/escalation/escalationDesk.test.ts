import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { EscalationDesk, type EscalationRequest } from '../../src/escalation/EscalationDesk';
import { createEscalationEvents, type EscalationEvent } from '../../src/escalation/escalationEvents';
import { messageBodyContext, referenceContext, replyAddressContext, type EscalationMessageRecord } from '../../src/escalation/escalationStore';
import { createReferenceLookupLimiter } from '../../src/escalation/referenceLookupLimiter';
import { parseReferenceCode } from '../../src/escalation/referenceCode';
import { createRoutingDirectory } from '../../src/escalation/RoutingDirectory';
import { DEFAULT_SLA_POLICY, slaDueAt } from '../../src/escalation/slaPolicy';
import { createLogger } from '../../src/logging/createLogger';
import { createPseudonymiser } from '../../src/privacy/createPseudonymiser';
import { createFieldCipher } from '../../src/privacy/encryption/createFieldCipher';
import { decodeDataKey } from '../../src/privacy/encryption/decodeDataKey';
import { createRedactor } from '../../src/privacy/redaction/createRedactor';
import { createStorageBackend } from '../../src/storage/createStorageBackend';
import type { StorageBackend } from '../../src/storage/StorageBackend';
import { DEFAULT_OPENING_HOURS, type Organisation, type Role, type StaffAccount, type StaffStatus } from '../../src/staff/staffModel';
import { countSqliteRows, sqliteBytesAtRest } from '../support/sqliteBackend';
import { TEST_DATA_KEY, testConfig } from '../support/testConfig';

/**
 * The escalation desk against a real SQLite backend: routing before promising, the reference code, messages
 * bound to the conversation that owns them, lookups by code (limited, rebinding), and the consoles told of each.
 */
const cipher = createFieldCipher(decodeDataKey(TEST_DATA_KEY));
const pseudonymise = createPseudonymiser('desk-test-pseudonym-key-0123456789abcdef');
const referenceHash = (code: string) => pseudonymise('reference', code);
// Monday 12 January 2026, 10:00 London.
const clock = { now: Date.UTC(2026, 0, 12, 10) };

let storage: StorageBackend;
let desk: EscalationDesk;
let kicks = 0;
const logLines: string[] = [];
const events: EscalationEvent[] = [];
let north: Organisation;
let south: Organisation;
let unstaffed: Organisation;

function organisation(name: string, areas: string[]): Organisation {
  return { id: randomUUID(), name, areas, topics: ['health', 'housing', 'justice', 'employment', 'general'], timeZone: 'Europe/London', openingHours: DEFAULT_OPENING_HOURS, createdAt: clock.now };
}

function account(organisationId: string, languages: string[], status: StaffStatus = 'active', roles: Role[] = ['caseworker']): StaffAccount {
  return { id: randomUUID(), email: `${randomUUID()}@example.org`, name: 'Caseworker', languages, organisationId, roles, status, interfaceLocale: 'en', failedSignIns: 0, createdAt: clock.now, updatedAt: clock.now };
}

function request(overrides: Partial<EscalationRequest> = {}): EscalationRequest {
  const conversationKey = overrides.conversationKey ?? `conversation-${randomUUID()}`;
  return {
    id: randomUUID(),
    owner: `owner-of-${conversationKey}`,
    conversationKey,
    channel: 'webchat',
    locale: 'ar',
    topic: 'housing',
    town: 'northbridge',
    consentAt: clock.now,
    message: 'My landlord took my passport. Call me on 07700 900 461',
    replyAddress: { conversation: { id: `channel-conversation-${conversationKey}` } as never, user: { id: 'channel-user-id' } as never },
    ...overrides,
  };
}

beforeAll(async () => {
  storage = await createStorageBackend(testConfig(), { clock: () => clock.now });
  north = organisation('North Aid', ['northbridge']);
  south = organisation('South Council', ['southport']);
  unstaffed = organisation('Unstaffed', ['eastwick']);
  for (const org of [north, south, unstaffed]) await storage.staff.organisations.create(org);
  await storage.staff.accounts.create(account(north.id, ['en', 'ar']));
  await storage.staff.accounts.create(account(north.id, ['en'], 'disabled'));
  await storage.staff.accounts.create(account(south.id, ['en'], 'active', ['supervisor']));
  // Only people who cannot answer: an invited caseworker and an active directory editor.
  await storage.staff.accounts.create(account(unstaffed.id, ['ar'], 'invited'));
  await storage.staff.accounts.create(account(unstaffed.id, ['ar'], 'active', ['directory_editor']));

  const bus = createEscalationEvents();
  for (const org of [north, south, unstaffed]) bus.subscribe(org.id, (e) => events.push(e));
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  desk = new EscalationDesk({
    store: storage.escalations,
    redactor: createRedactor(undefined, 'GB'),
    cipher,
    retentionMs: 30 * 24 * 60 * 60 * 1000,
    logger: createLogger('debug', logDestination),
    clock: () => clock.now,
    routing: createRoutingDirectory({ organisations: storage.staff.organisations, accounts: storage.staff.accounts, escalations: storage.escalations }),
    events: bus,
    sla: DEFAULT_SLA_POLICY,
    referenceHash,
    onDeliveriesDue: () => kicks++,
    lookupLimiter: createReferenceLookupLimiter({ limits: { perConversation: { limit: 3, windowMs: 60_000 }, overall: { limit: 8, windowMs: 60_000 } }, clock: () => clock.now }),
  });
});
afterAll(() => storage.close());
beforeEach(() => {
  events.length = 0;
});

async function opened(overrides: Partial<EscalationRequest> = {}) {
  const req = request(overrides);
  const result = await desk.open(req);
  if (result.kind !== 'opened') throw new Error('expected the request to be routed');
  return { req, result };
}

/** Plants a caseworker's message as the reply-delivery and console code will store it. */
async function plantStaffMessage(escalationId: string, body: string, extra: Partial<EscalationMessageRecord> = {}): Promise<void> {
  const id = randomUUID();
  const added = await storage.escalations.appendMessage(
    { id, escalationId, author: 'staff', bodySealed: cipher.seal(body, messageBodyContext(id)), createdAt: clock.now, delivery: 'sent', attempts: 1, ...extra },
    { requireOpen: false },
  );
  expect(added).toBe(true);
}

describe('EscalationDesk.open', () => {
  it('routes to the organisation serving the town with a speaker of the language, and stores the request with its reference, sealed, and its SLA', async () => {
    const { req, result } = await opened();
    expect(result).toMatchObject({ kind: 'opened', id: req.id, organisationName: 'North Aid', speaksLanguage: true, timeZone: 'Europe/London', queueAhead: 0 });
    expect(parseReferenceCode(result.reference)).toBe(result.reference);
    // Monday 10:00 + one working day = Tuesday 10:00.
    expect(result.expectedBy).toBe(Date.UTC(2026, 0, 13, 10));

    const stored = await storage.escalations.get(req.id);
    expect(stored).toMatchObject({ organisationId: north.id, referenceHash: referenceHash(result.reference), dueAt: slaDueAt('normal', clock.now, north, DEFAULT_SLA_POLICY), lastInboundAt: clock.now, status: 'open', urgency: 'normal' });
    expect(cipher.open(stored?.referenceSealed as string, referenceContext(req.id))).toBe(result.reference);
    const [first] = await storage.escalations.messages(req.id);
    const body = cipher.open(first?.bodySealed as string, messageBodyContext(first?.id as string));
    expect(body).toContain('My landlord took my passport');
    expect(body).not.toContain('900 461');
    expect(events).toEqual([{ kind: 'created', escalationId: req.id, organisationId: north.id }]);

    // Neither the code nor the text is anywhere at rest, nor in the logs.
    const bytes = sqliteBytesAtRest(storage);
    expect(bytes.includes(Buffer.from(result.reference))).toBe(false);
    expect(bytes.includes(Buffer.from('landlord took'))).toBe(false);
    const logs = logLines.join('\n');
    for (const secret of [result.reference, 'landlord', req.owner, req.conversationKey, req.id]) expect(logs).not.toContain(secret);
  });

  it('gives a retried turn the same reference back and stores the request once', async () => {
    const { req, result } = await opened();
    events.length = 0;
    const again = await desk.open(req);
    expect(again).toMatchObject({ kind: 'opened', id: req.id, reference: result.reference, organisationName: 'North Aid', speaksLanguage: true });
    expect(countSqliteRows(storage, 'escalation', 'id = ?', req.id)).toBe(1);
    expect(countSqliteRows(storage, 'escalation_message', 'escalation_id = ?', req.id)).toBe(1);
    expect(events).toEqual([]);
    await expect(desk.open({ ...req, conversationKey: 'someone-else' })).rejects.toThrow('another conversation');
  });

  it('stores nothing and says noOrganisation when no organisation covers the town, or only people who cannot answer do', async () => {
    const before = countSqliteRows(storage, 'escalation');
    for (const town of ['nowhere-town', 'eastwick']) {
      const req = request({ town });
      expect(await desk.coverage(req)).toEqual({ kind: 'noOrganisation' });
      expect(await desk.open(req)).toEqual({ kind: 'noOrganisation' });
      expect(await storage.escalations.get(req.id)).toBeUndefined();
    }
    expect(countSqliteRows(storage, 'escalation')).toBe(before);
    expect(events).toEqual([]);
  });

  it('says whether someone speaks the language before the consent screen, and routes accordingly', async () => {
    expect(await desk.coverage({ town: 'northbridge', topic: 'housing', locale: 'ar' })).toEqual({ kind: 'covered', speaksLanguage: true });
    expect(await desk.coverage({ town: 'southport', topic: 'housing', locale: 'ar' })).toEqual({ kind: 'covered', speaksLanguage: false });
    const { result } = await opened({ town: 'southport', locale: 'ti' });
    expect(result).toMatchObject({ organisationName: 'South Council', speaksLanguage: false });
  });

  it('counts the queue ahead, and gives urgent requests wall-clock minutes', async () => {
    const ahead = (await storage.escalations.countOpenByOrganisation())[south.id] ?? 0;
    const { req, result } = await opened({ town: 'southport', locale: 'en', urgent: true });
    expect(result.queueAhead).toBe(ahead);
    expect((await storage.escalations.get(req.id))?.dueAt).toBe(clock.now + 15 * 60_000);
  });
});

describe('EscalationDesk.addMigrantMessage', () => {
  it('adds a redacted, sealed message from the conversation that owns the escalation, and tells the console', async () => {
    const { req } = await opened();
    events.length = 0;
    expect(await desk.addMigrantMessage(req.id, { conversationKey: req.conversationKey, message: 'Also my email is layla@example.org', locale: 'ar' })).toBe('added');
    const messages = await storage.escalations.messages(req.id);
    expect(messages).toHaveLength(2);
    const body = cipher.open(messages[1]?.bodySealed as string, messageBodyContext(messages[1]?.id as string));
    expect(body).toContain('[redacted:email]');
    expect(body).not.toContain('layla@');
    expect(events).toEqual([{ kind: 'message', escalationId: req.id, organisationId: north.id }]);
  });

  it('refuses another conversation as if the escalation did not exist, and accepts the owner from another conversation', async () => {
    const { req } = await opened();
    expect(await desk.addMigrantMessage(req.id, { conversationKey: 'intruder', owner: 'intruder-owner', message: 'let me in please', locale: 'en' })).toBe('gone');
    expect(await desk.addMigrantMessage(randomUUID(), { conversationKey: req.conversationKey, message: 'nothing here', locale: 'en' })).toBe('gone');
    expect(await storage.escalations.messages(req.id)).toHaveLength(1);
    expect(await desk.addMigrantMessage(req.id, { conversationKey: 'new-conversation', owner: req.owner, message: 'writing from a new conversation', locale: 'ar' })).toBe('added');
    expect(await storage.escalations.messages(req.id)).toHaveLength(2);
  });

  it('adds a retried turn’s message once (messageId), says closed once closed, and sends held replies', async () => {
    const { req } = await opened();
    const messageId = randomUUID();
    const input = { conversationKey: req.conversationKey, message: 'the same turn, twice', locale: 'ar', messageId };
    expect(await desk.addMigrantMessage(req.id, input)).toBe('added');
    expect(await desk.addMigrantMessage(req.id, input)).toBe('added');
    expect(await storage.escalations.messages(req.id)).toHaveLength(2);

    await plantStaffMessage(req.id, 'a reply waiting for the window', { delivery: 'held' });
    const kicked = kicks;
    clock.now += 60_000;
    expect(await desk.addMigrantMessage(req.id, { conversationKey: req.conversationKey, message: 'I am back', locale: 'ar' })).toBe('added');
    expect(kicks).toBe(kicked + 1);
    expect((await storage.escalations.messages(req.id)).find((m) => m.author === 'staff')?.delivery).toBe('pending');
    expect((await storage.escalations.get(req.id))?.lastInboundAt).toBe(clock.now);

    expect(await desk.closeByMigrant(req.id, req.conversationKey)).toBe(true);
    expect(await desk.addMigrantMessage(req.id, { conversationKey: req.conversationKey, message: 'one more thing', locale: 'ar' })).toBe('closed');
    // The first turn, retried once more after closing: it was added, and is not added again.
    expect(await desk.addMigrantMessage(req.id, input)).toBe('added');
    expect(await storage.escalations.messages(req.id)).toHaveLength(4);
  });
});

describe('EscalationDesk.noteInbound and closeByMigrant', () => {
  it('moves the WhatsApp window and releases held replies only for the bound conversation', async () => {
    const { req } = await opened({ channel: 'whatsapp' });
    await plantStaffMessage(req.id, 'held reply', { delivery: 'held' });
    const kicked = kicks;
    clock.now += 60_000;
    await desk.noteInbound(req.id, 'another-conversation', clock.now);
    expect(kicks).toBe(kicked);
    expect((await storage.escalations.messages(req.id)).find((m) => m.author === 'staff')?.delivery).toBe('held');
    await desk.noteInbound(req.id, req.conversationKey, clock.now);
    expect(kicks).toBe(kicked + 1);
    expect((await storage.escalations.get(req.id))?.lastInboundAt).toBe(clock.now);
    expect((await storage.escalations.messages(req.id)).find((m) => m.author === 'staff')?.delivery).toBe('pending');
    // Nothing held any more: no kick.
    await desk.noteInbound(req.id, req.conversationKey, clock.now);
    expect(kicks).toBe(kicked + 1);
  });

  it('closes the escalation for its own conversation only, once, and tells the console', async () => {
    const { req } = await opened();
    events.length = 0;
    expect(await desk.closeByMigrant(req.id, 'another-conversation')).toBe(false);
    expect(await desk.closeByMigrant(req.id, req.conversationKey)).toBe(true);
    expect(await desk.closeByMigrant(req.id, req.conversationKey)).toBe(false);
    expect(await storage.escalations.get(req.id)).toMatchObject({ status: 'closed', outcome: 'closedByMigrant' });
    expect(events).toEqual([{ kind: 'resolved', escalationId: req.id, organisationId: north.id }]);
  });

  it('shows the conversation its own reference and expectation, and nobody else', async () => {
    const { req, result } = await opened();
    expect(await desk.referenceOf(req.id)).toBe(result.reference);
    expect(await desk.summaryOf(req.id, req.conversationKey)).toEqual({ status: 'open', reference: result.reference, expectedBy: result.expectedBy, organisationName: 'North Aid', timeZone: 'Europe/London' });
    expect(await desk.summaryOf(req.id, 'another-conversation')).toBeUndefined();
    expect(await desk.referenceOf(randomUUID())).toBeUndefined();
  });
});

describe('EscalationDesk.findByReference', () => {
  const binding = (conversationKey: string) => ({ owner: `owner-${conversationKey}`, conversationKey, channel: 'webchat', replyAddress: { conversation: { id: `new-address-${conversationKey}` } as never } });

  it('binds a WhatsApp escalation to the web chat that typed its code, returns the staff replies in order (never notes), and counts the undelivered ones as delivered by being shown', async () => {
    const { req, result } = await opened({ channel: 'whatsapp' });
    await plantStaffMessage(req.id, 'First reply');
    clock.now += 1_000;
    await plantStaffMessage(req.id, 'An internal note', { author: 'note', delivery: undefined, attempts: undefined });
    clock.now += 1_000;
    await plantStaffMessage(req.id, 'Second reply, held', { delivery: 'held', serviceId: 'service-42' });
    const kicked = kicks;

    const typed = result.reference.toLowerCase().replace(/-/g, ' ');
    const found = await desk.findByReference(typed, binding('fresh-browser'));
    expect(found).toEqual({
      kind: 'found',
      id: req.id,
      status: 'open',
      replies: [
        { body: 'First reply', at: clock.now - 2_000 },
        { body: 'Second reply, held', at: clock.now, serviceId: 'service-42' },
      ],
    });
    const stored = await storage.escalations.get(req.id);
    expect(stored).toMatchObject({ conversationKey: 'fresh-browser', owner: 'owner-fresh-browser', channel: 'webchat' });
    expect(JSON.parse(cipher.open(stored?.replyAddressSealed as string, replyAddressContext(req.id)))).toEqual({ conversation: { id: 'new-address-fresh-browser' } });
    // Shown now, so never pushed again: nothing is due, and no reply is left held.
    expect(kicks).toBe(kicked);
    expect((await storage.escalations.dueDeliveries(clock.now + 86_400_000, 100)).filter((m) => m.escalationId === req.id)).toEqual([]);
    expect((await storage.escalations.messages(req.id)).filter((m) => m.author === 'staff').map((m) => m.delivery)).toEqual(['sent', 'sent']);
    // The old conversation no longer owns it; the new one does.
    expect(await desk.closeByMigrant(req.id, req.conversationKey)).toBe(false);
    expect(await desk.summaryOf(req.id, 'fresh-browser')).toMatchObject({ reference: result.reference });
  });

  it('says only notFound for a wrong code or a sentence, and limited past the per-conversation bound, even for a right code', async () => {
    const { result } = await opened();
    clock.now += 120_000; // fresh windows
    expect(await desk.findByReference('K7M-4QX-9TD', binding('guesser'))).toEqual({ kind: 'notFound' });
    expect(await desk.findByReference('what is my code?', binding('guesser'))).toEqual({ kind: 'notFound' });
    expect(await desk.findByReference('K7M-4QX-9TE', binding('guesser'))).toEqual({ kind: 'notFound' });
    expect(await desk.findByReference(result.reference, binding('guesser'))).toEqual({ kind: 'limited' });
    expect((await desk.findByReference(result.reference, binding('someone-else'))).kind).toBe('found');
  });

  it('bounds lookups overall, whatever the number of conversations', async () => {
    clock.now += 120_000;
    const results = [];
    for (let i = 0; i < 10; i++) results.push((await desk.findByReference('K7M-4QX-9TD', binding(`script-${i}`))).kind);
    expect(results).toEqual([...Array(8).fill('notFound'), 'limited', 'limited']);
    clock.now += 60_000;
    expect((await desk.findByReference('K7M-4QX-9TD', binding('script-10'))).kind).toBe('notFound');
  });
});

describe('EscalationDesk.eraseFor', () => {
  it('erases every escalation of the person and tells each console at once', async () => {
    const owner = 'erasing-owner';
    const one = await opened({ owner, conversationKey: 'erase-one' });
    const two = await opened({ owner, conversationKey: 'erase-two', town: 'southport', locale: 'en' });
    events.length = 0;
    expect(await desk.eraseFor({ owner, conversationKey: 'erase-two' })).toBe(2);
    expect(events.map((e) => [e.kind, e.escalationId, e.organisationId]).sort()).toEqual(
      [
        ['erased', one.req.id, north.id],
        ['erased', two.req.id, south.id],
      ].sort(),
    );
    expect(await storage.escalations.get(one.req.id)).toBeUndefined();
    expect(await storage.escalations.get(two.req.id)).toBeUndefined();
    expect(await desk.findByReference(one.result.reference, { owner: 'x', conversationKey: 'after-erase', channel: 'webchat', replyAddress: {} })).toEqual({ kind: 'notFound' });
  });
});
