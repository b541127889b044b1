import { languageName, slaState, waitingMs, whatsAppWindow, WHATSAPP_WINDOW_MS } from '../../src/console/useCases/consoleFacts';

describe('what the console shows about an escalation', () => {
  const due = 1_000_000;

  it('is due until its deadline, then breached; met only when answered in time', () => {
    expect(slaState({ dueAt: due }, due - 1)).toBe('due');
    expect(slaState({ dueAt: due }, due + 1)).toBe('breached');
    expect(slaState({ dueAt: due, firstResponseAt: due }, due + 10)).toBe('met');
    expect(slaState({ dueAt: due, firstResponseAt: due + 1 }, due + 10)).toBe('breached');
  });

  it('has a WhatsApp window open for 24 hours after the person last wrote, and none on other channels', () => {
    const last = 5_000_000;
    expect(whatsAppWindow({ channel: 'whatsapp', lastInboundAt: last }, last + WHATSAPP_WINDOW_MS - 1)).toBe('open');
    expect(whatsAppWindow({ channel: 'whatsapp', lastInboundAt: last }, last + WHATSAPP_WINDOW_MS)).toBe('closed');
    expect(whatsAppWindow({ channel: 'waymark-webchat', lastInboundAt: 0 }, last)).toBeUndefined();
  });

  it('counts waiting until it was closed', () => {
    expect(waitingMs({ createdAt: 100 }, 400)).toBe(300);
    expect(waitingMs({ createdAt: 100, closedAt: 250 }, 400)).toBe(150);
  });

  it('names the language in the reader\u2019s interface language', () => {
    expect(languageName('ti', 'en')).toBe('Tigrinya');
    expect(languageName('ar', 'es')).toBe('árabe');
    expect(languageName('ar', 'fr')).toBe('arabe');
    expect(languageName('en', 'ar')).toBe('الإنجليزية');
  });
});
