import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PATHS } from '../src/paths';
import { loadSupportedLanguages } from '../src/language/supportedLanguages';
import { createTranslator } from '../src/language/createTranslator';
import { loadDetectionCorpus } from '../test/language/loadDetectionCorpus';
import { freePort, waitForHttp } from './localServers';

/**
 * `npm run eval:language`: the language-detection corpus through the real server (`dist/src/server.js`, its own
 * process, offline detector, fresh data folder) over HTTP, as the Bot Framework Emulator posts it, on both ways
 * a conversation starts:
 *
 * - **greeting first**: `conversationUpdate` (the greeting and the language picker), then the message, as the
 *   web chat and the Emulator do;
 * - **no greeting**: the message is the first thing the bot receives, as on WhatsApp.
 *
 * Each message gets a new conversation. The reply is classified by what it shows: the menu in a language
 * (answered), "continue in X?" (asked), the list of offered languages, the picker again, or the emergency screen.
 * Per language: correct (answered in it), unsure (asked in it, or the picker / offered languages: nothing
 * claimed), wrong (answered or asked in another language). Also the hard set (nothing may be answered
 * without asking) and messages in languages not offered (test/fixtures/language-detection/unoffered.json).
 * Writes the tables into docs/language-detection.md between its markers; `--no-write` only prints.
 */
const DOC = path.join(PATHS.root, 'docs', 'language-detection.md');
const START = '<!-- eval:language results: written by npm run eval:language -->';
const END = '<!-- end of eval:language results -->';
// The corpus files stay in test/fixtures (tsc does not copy them to dist/).
const CORPUS = path.join(PATHS.root, 'test', 'fixtures', 'language-detection', 'corpus.json');
const UNOFFERED = path.join(PATHS.root, 'test', 'fixtures', 'language-detection', 'unoffered.json');

type Path = 'greeting' | 'first';
const PATHS_MEASURED: readonly Path[] = ['greeting', 'first'];

/** What a reply shows. */
type Outcome =
  | { readonly kind: 'answered'; readonly locale: string }
  | { readonly kind: 'asked'; readonly locale: string }
  | { readonly kind: 'offered' }
  | { readonly kind: 'picker' }
  | { readonly kind: 'crisis'; readonly locale: string }
  | { readonly kind: 'other'; readonly locale: string };

const languages = loadSupportedLanguages(PATHS.locales);
const translator = createTranslator(PATHS.locales, languages.codes);
const t = (locale: string, key: string, vars?: Record<string, string>) => translator.t(locale, key, vars).replace(/[\u2066-\u2069]/g, '');
const plain = (text: string) => text.replace(/[\u2066-\u2069]/g, '');

function classify(reply: { text?: string; locale?: string } | undefined): Outcome {
  const text = plain(reply?.text ?? '');
  const locale = reply?.locale ?? '?';
  if (!languages.get(locale)) return { kind: 'other', locale };
  if (text.includes(t(locale, 'common:detect.confirm', { language: languages.get(locale)?.endonym as string }))) return { kind: 'asked', locale };
  if (text.includes(t(locale, 'dialogs:menu.prompt'))) return { kind: 'answered', locale };
  if (text.includes(t(locale, 'common:crisis.intro'))) return { kind: 'crisis', locale };
  if (text.includes(t(locale, 'common:languageOffer.onlyThese', { languages: '' }).slice(0, 20))) return { kind: 'offered' };
  if (text.includes(t(locale, 'common:language.prompt'))) return { kind: 'picker' };
  return { kind: 'other', locale };
}

/** Receives the bot's replies as the Bot Framework connector does, keeping the last one per conversation. */
async function startConnector(): Promise<{ url: string; last: Map<string, { text?: string; locale?: string }>; close(): Promise<void> }> {
  const last = new Map<string, { text?: string; locale?: string }>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const route = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
      if (route) last.set(decodeURIComponent(route[1] as string), JSON.parse(Buffer.concat(chunks).toString('utf8')) as { text?: string; locale?: string });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"r"}');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, last, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

let counter = 0;
async function post(botUrl: string, activity: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${botUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  if (res.status !== 200) throw new Error(`POST /api/messages answered ${res.status}`);
}

/** One message on one path, in a new conversation; the reply to the message, classified. */
async function run(botUrl: string, connector: Awaited<ReturnType<typeof startConnector>>, text: string, way: Path): Promise<Outcome> {
  counter += 1;
  const conversation = { id: `eval-${way}-${counter}` };
  const base = { channelId: 'emulator', serviceUrl: connector.url, from: { id: `user-${counter}` }, recipient: { id: 'bot' }, conversation, timestamp: new Date().toISOString() };
  if (way === 'greeting') await post(botUrl, { ...base, type: 'conversationUpdate', id: `join-${counter}`, membersAdded: [{ id: `user-${counter}` }] });
  await post(botUrl, { ...base, type: 'message', id: `m-${counter}`, text });
  return classify(connector.last.get(conversation.id));
}

interface Tally {
  correct: number;
  asked: number;
  none: number;
  wrong: number;
  total: number;
}
const emptyTally = (): Tally => ({ correct: 0, asked: 0, none: 0, wrong: 0, total: 0 });

function score(tally: Tally, expected: string, outcome: Outcome): void {
  tally.total += 1;
  if ((outcome.kind === 'answered' || outcome.kind === 'crisis') && outcome.locale === expected) tally.correct += 1;
  else if (outcome.kind === 'asked' && outcome.locale === expected) tally.asked += 1;
  else if (outcome.kind === 'picker' || outcome.kind === 'offered') tally.none += 1;
  else tally.wrong += 1;
}

const describeOutcome = (o: Outcome) => ('locale' in o ? `${o.kind} ${o.locale}` : o.kind);

async function main(): Promise<void> {
  const corpus = loadDetectionCorpus(CORPUS);
  const unoffered = (JSON.parse(fs.readFileSync(UNOFFERED, 'utf8')) as { messages: { lang: string; text: string }[] }).messages;

  const connector = await startConnector();
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'waymark-eval-language-'));
  const server: ChildProcess = spawn(process.execPath, [path.join(PATHS.root, 'dist/src/server.js')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'production', PSEUDONYM_KEY: 'eval-pseudonym-key-0123456789abcdef0123456789', DATA_KEY: crypto.randomBytes(32).toString('base64'), AZURE_LANGUAGE_ENDPOINT: '', AZURE_LANGUAGE_KEY: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const botUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${botUrl}/readyz`);
    const perLanguage = new Map<string, Record<Path, Tally>>();
    const differences: string[] = [];
    const misses: string[] = [];
    for (const message of corpus.messages) {
      const row = perLanguage.get(message.lang) ?? { greeting: emptyTally(), first: emptyTally() };
      perLanguage.set(message.lang, row);
      const outcomes = {} as Record<Path, Outcome>;
      for (const way of PATHS_MEASURED) {
        outcomes[way] = await run(botUrl, connector, message.text, way);
        score(row[way], message.lang, outcomes[way]);
      }
      if (describeOutcome(outcomes.greeting) !== describeOutcome(outcomes.first)) differences.push(`${message.lang} "${message.text}": greeting → ${describeOutcome(outcomes.greeting)}, first → ${describeOutcome(outcomes.first)}`);
      const verdict = outcomes.greeting;
      if (!((verdict.kind === 'answered' || verdict.kind === 'crisis') && verdict.locale === message.lang)) misses.push(`${message.lang} "${message.text}" → ${describeOutcome(verdict)}`);
    }

    const hard = new Map<Path, Map<string, number>>(PATHS_MEASURED.map((w) => [w, new Map()]));
    const hardAnswered: string[] = [];
    for (const item of corpus.hard) {
      for (const way of PATHS_MEASURED) {
        const outcome = await run(botUrl, connector, item.text, way);
        const counts = hard.get(way) as Map<string, number>;
        counts.set(outcome.kind, (counts.get(outcome.kind) ?? 0) + 1);
        if (outcome.kind === 'answered') hardAnswered.push(`${way}: "${item.text}" → ${describeOutcome(outcome)}`);
      }
    }

    const foreign = new Map<string, Record<Path, Map<string, number>>>();
    for (const message of unoffered) {
      const row = foreign.get(message.lang) ?? { greeting: new Map(), first: new Map() };
      foreign.set(message.lang, row);
      for (const way of PATHS_MEASURED) {
        const outcome = await run(botUrl, connector, message.text, way);
        const key = outcome.kind === 'offered' ? 'offered' : outcome.kind === 'picker' ? 'not understood' : describeOutcome(outcome);
        row[way].set(key, (row[way].get(key) ?? 0) + 1);
      }
    }

    const cell = (x: Tally) => `${x.correct} / ${x.asked + x.none} / ${x.wrong}`;
    const totals = (way: Path) =>
      [...perLanguage.values()].reduce((sum, row) => ({ correct: sum.correct + row[way].correct, asked: sum.asked + row[way].asked, none: sum.none + row[way].none, wrong: sum.wrong + row[way].wrong, total: sum.total + row[way].total }), emptyTally());
    const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)} %`;
    const [g, f] = [totals('greeting'), totals('first')];
    const count = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
    const block = [
      START,
      `_Run of ${new Date().toISOString()}, offline detector, ${corpus.messages.length} corpus messages, ${corpus.hard.length} hard, ${unoffered.length} in languages not offered; each message in a new conversation on each path._`,
      '',
      'Cells are **correct / unsure / wrong**: correct = the menu in the message’s language (or, for a message that reads as danger, the emergency screen in it); unsure = "continue in X?" with the right X, or the picker again (nothing claimed); wrong = the menu or "continue in X?" in another language.',
      '',
      '| lang | greeting first (web chat, Emulator) | no greeting (WhatsApp) | of which asked "continue in X?" (greeting / none) |',
      '|---|---|---|---|',
      ...[...perLanguage.entries()].map(([lang, row]) => `| ${lang} | ${cell(row.greeting)} | ${cell(row.first)} | ${row.greeting.asked} / ${row.first.asked} |`),
      `| **all** | **${cell(g)}** (${pct(g.correct, g.total)} correct, ${pct(g.wrong, g.total)} wrong) | **${cell(f)}** (${pct(f.correct, f.total)} correct, ${pct(f.wrong, f.total)} wrong) | ${g.asked} / ${f.asked} |`,
      '',
      differences.length === 0 ? 'The two paths gave the same outcome for every corpus message.' : `The paths differ on ${differences.length} message(s):\n\n${differences.map((d) => `- ${d}`).join('\n')}`,
      '',
      `Not answered in their own language at once (greeting-first path; ${misses.length}):`,
      '',
      ...misses.map((m) => `- ${m}`),
      '',
      `**Hard set** (${corpus.hard.length}; none may be answered without asking). Greeting first: ${count(hard.get('greeting') as Map<string, number>)}. No greeting: ${count(hard.get('first') as Map<string, number>)}.${hardAnswered.length ? ` Answered without asking: ${hardAnswered.join('; ')}.` : ' None was answered without asking.'}`,
      '',
      '**Languages not offered** (each should get the list of offered languages with the picker, never "I didn’t understand" and never one of ours):',
      '',
      '| written in | greeting first | no greeting |',
      '|---|---|---|',
      ...[...foreign.entries()].map(([lang, row]) => `| ${lang} | ${count(row.greeting)} | ${count(row.first)} |`),
      END,
    ].join('\n');
    process.stdout.write(`${block}\n`);
    if (!process.argv.includes('--no-write') && fs.existsSync(DOC)) {
      const doc = fs.readFileSync(DOC, 'utf8');
      const from = doc.indexOf(START);
      const to = doc.indexOf(END);
      if (from >= 0 && to > from) fs.writeFileSync(DOC, `${doc.slice(0, from)}${block}${doc.slice(to + END.length)}`);
      else process.stderr.write(`${DOC} has no eval:language markers: not written\n`);
    }
  } finally {
    await new Promise<void>((resolve) => {
      if (server.exitCode !== null) return resolve();
      server.once('exit', () => resolve());
      server.kill('SIGTERM');
    });
    await connector.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
