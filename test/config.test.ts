import path from 'node:path';
import { loadConfig, parseConfig } from '../src/config';

describe('configuration', () => {
  it('has working defaults for a bare machine', () => {
    const result = parseConfig({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).toMatchObject({
      port: 3978,
      host: '127.0.0.1',
      dataDir: path.resolve('./data'),
      storage: 'sqlite',
      logLevel: 'info',
      defaultLocale: 'en',
      // Unset: the region's zone; the demo organisation follows SEED_DEMO.
      defaultTimeZone: undefined,
      seedDemo: true,
      seedDemoOrganisation: true,
      stateTtlMinutes: 30,
      botFramework: { appId: '', anonymous: true, appType: 'MultiTenant' },
    });
    expect(Object.isFrozen(result.config)).toBe(true);
  });

  it('takes a time zone for new organisations, and lets the demo organisation be turned off apart from the demo directory', () => {
    const result = parseConfig({ DEFAULT_TIME_ZONE: 'Asia/Kabul', SEED_DEMO_ORGANISATION: 'false' });
    expect(result.ok && result.config).toMatchObject({ defaultTimeZone: 'Asia/Kabul', seedDemo: true, seedDemoOrganisation: false });
    const off = parseConfig({ SEED_DEMO: 'false' });
    expect(off.ok && off.config).toMatchObject({ seedDemo: false, seedDemoOrganisation: false });
  });

  it('takes the escalation SLA from SLA_URGENT_MINUTES and SLA_NORMAL_WORKING_MINUTES, defaulting to 15 minutes and one working day', () => {
    const defaults = parseConfig({});
    expect(defaults.ok && defaults.config.sla).toEqual({ urgentMinutes: 15, normalWorkingMinutes: 480 });
    const set = parseConfig({ SLA_URGENT_MINUTES: '30', SLA_NORMAL_WORKING_MINUTES: '960' });
    expect(set.ok && set.config.sla).toEqual({ urgentMinutes: 30, normalWorkingMinutes: 960 });
  });

  it('listens on all interfaces once app credentials are set, unless HOST says otherwise', () => {
    const withCreds = parseConfig({ MicrosoftAppId: 'id', MicrosoftAppPassword: 'pw' });
    expect(withCreds.ok && withCreds.config.host).toBe('0.0.0.0');
    const pinned = parseConfig({ MicrosoftAppId: 'id', MicrosoftAppPassword: 'pw', HOST: '10.1.2.3' });
    expect(pinned.ok && pinned.config.host).toBe('10.1.2.3');
  });

  it.each([
    [{ PORT: 'eighty' }, /^Invalid configuration: PORT: /],
    [{ PORT: '70000' }, /^Invalid configuration: PORT: /],
    [{ LOG_LEVEL: 'loud' }, /^Invalid configuration: LOG_LEVEL: /],
    [{ DEFAULT_LOCALE: 'English!' }, /^Invalid configuration: DEFAULT_LOCALE: a locale code/],
    [{ DEFAULT_TIME_ZONE: 'Europe/Manchester' }, /^Invalid configuration: DEFAULT_TIME_ZONE: an IANA time zone/],
    [{ DEFAULT_TIME_ZONE: 'GMT+1' }, /^Invalid configuration: DEFAULT_TIME_ZONE: an IANA time zone/],
    [{ SEED_DEMO_ORGANISATION: 'yes' }, /^Invalid configuration: SEED_DEMO_ORGANISATION: /],
    [{ STATE_TTL_MINUTES: '0' }, /^Invalid configuration: STATE_TTL_MINUTES: /],
    [{ MicrosoftAppType: 'Whatever' }, /^Invalid configuration: MicrosoftAppType: /],
    [{ MicrosoftAppId: 'id' }, /^Invalid configuration: MicrosoftAppPassword: required/],
    [{ MicrosoftAppType: 'SingleTenant', MicrosoftAppId: 'id', MicrosoftAppPassword: 'pw' }, /MicrosoftAppTenantId: required/],
    [{ NODE_ENV: 'production' }, /^Invalid configuration: PSEUDONYM_KEY: required in production/],
    [{ PSEUDONYM_KEY: 'short' }, /^Invalid configuration: PSEUDONYM_KEY: at least 32/],
    [{ NODE_ENV: 'production', PSEUDONYM_KEY: 'p'.repeat(32) }, /^Invalid configuration: DATA_KEY: required in production/],
    [{ DATA_KEY: 'not-a-key' }, /^Invalid configuration: DATA_KEY: 32 random bytes in base64/],
    [{ STORAGE: 'postgres' }, /^Invalid configuration: STORAGE: /],
    [{ STORAGE: 'mongodb' }, /^Invalid configuration: STORAGE: the MongoDB backend is not available yet; use sqlite/],
    [{ DATA_KEY: Buffer.alloc(16).toString('base64') }, /^Invalid configuration: DATA_KEY: 32 random bytes/],
    [{ DATA_KEYS_PREVIOUS: Buffer.alloc(32, 1).toString('base64') }, /^Invalid configuration: DATA_KEY: required when DATA_KEYS_PREVIOUS/],
    [{ DATA_KEY: Buffer.alloc(32, 1).toString('base64'), DATA_KEYS_PREVIOUS: 'abc' }, /^Invalid configuration: DATA_KEYS_PREVIOUS(\.0)?: 32 random bytes/],
    [{ RETENTION_DAYS: '0' }, /^Invalid configuration: RETENTION_DAYS: /],
    [{ SMTP_URL: 'smtp://127.0.0.1:2525' }, /^Invalid configuration: MAIL_FROM: required when/],
    [{ SMTP_URL: 'http://mail', MAIL_FROM: 'bot@example.org' }, /^Invalid configuration: SMTP_URL: an smtp:\/\/ or smtps:\/\/ URL/],
    [{ PUBLIC_URL: 'not a url' }, /^Invalid configuration: PUBLIC_URL: /],
    [{ AUDIT_RETENTION_DAYS: '1' }, /^Invalid configuration: AUDIT_RETENTION_DAYS: /],
    [{ SLA_URGENT_MINUTES: '0' }, /^Invalid configuration: SLA_URGENT_MINUTES: /],
    [{ SLA_URGENT_MINUTES: '1441' }, /^Invalid configuration: SLA_URGENT_MINUTES: /],
    [{ SLA_NORMAL_WORKING_MINUTES: 'a day' }, /^Invalid configuration: SLA_NORMAL_WORKING_MINUTES: /],
    [{ SLA_NORMAL_WORKING_MINUTES: '5000' }, /^Invalid configuration: SLA_NORMAL_WORKING_MINUTES: /],
  ])('refuses %j with one line naming the variable', (env, message) => {
    const result = parseConfig(env);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toMatch(message);
      expect(result.message).not.toContain('\n');
    }
  });

  it('stops the process at start with that one line on stderr', () => {
    const saved = process.env.PORT;
    process.env.PORT = 'not-a-port';
    const exit = jest.spyOn(process, 'exit').mockImplementation(((code: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(() => loadConfig()).toThrow('exit 1');
      expect(stderr).toHaveBeenCalledWith(expect.stringMatching(/^Invalid configuration: PORT: .*\n$/));
    } finally {
      exit.mockRestore();
      stderr.mockRestore();
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
    }
  });
});
