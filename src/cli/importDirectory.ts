import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../config';
import { applyImport, importReport, loadDirectorySnapshot, planImport, type ImportPlan } from '../directory/import/importDirectory';
import { IMPORT_FORMATS, IMPORT_MAX_BYTES, readImport, tooLargeMessage, type ImportFormat } from '../directory/import/importReaders';
import { importSettings, todayIn } from '../directory/import/importSettings';
import type { ImportProblem } from '../directory/import/importProblem';
import { loadRegion } from '../directory/loadRegion';
import { PATHS } from '../paths';
import { createStorageBackend } from '../storage/createStorageBackend';

/**
 * `npm run directory:import -- <file|folder> [--format F] [--source NAME] [--full] [--dry-run]` reads a directory
 * file (or a folder: an HSDS data package, or our demo folder), prints every problem as `file:line path — message`
 * and the counts, and, unless it is a dry run or there is an error, applies it all or nothing. Exit code 0: done
 * (or a clean dry run); 1: refused (errors) or failed (nothing changed); 2: usage.
 */

export class ImportDirectoryError extends Error {
  override readonly name = 'ImportDirectoryError';
}

const USAGE = `usage: npm run directory:import -- <file|folder> [--format ${IMPORT_FORMATS.join('|')}] [--source NAME] [--full] [--dry-run]`;

export interface ImportArgs {
  readonly target: string;
  readonly format?: ImportFormat;
  readonly source?: string;
  readonly full: boolean;
  readonly dryRun: boolean;
}

export function parseImportArgs(argv: readonly string[]): ImportArgs {
  let target: string | undefined;
  let format: ImportFormat | undefined;
  let source: string | undefined;
  let full = false;
  let dryRun = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new ImportDirectoryError(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    if (arg === '--format') {
      const v = value();
      if (!(IMPORT_FORMATS as readonly string[]).includes(v)) throw new ImportDirectoryError(`unknown format "${v}"\n${USAGE}`);
      format = v as ImportFormat;
    } else if (arg === '--source') {
      source = value();
      if (source.length > 100) throw new ImportDirectoryError('--source: at most 100 characters');
    } else if (arg === '--full') full = true;
    else if (arg === '--dry-run') dryRun = true;
    else if (arg.startsWith('--') || target !== undefined) throw new ImportDirectoryError(`unexpected "${arg}"\n${USAGE}`);
    else target = arg;
  }
  if (target === undefined) throw new ImportDirectoryError(USAGE);
  return { target, ...(format ? { format } : {}), ...(source ? { source } : {}), full, dryRun };
}

/** The file, or every file of the folder (not its subfolders), refused by size before any is read. */
export function readImportFiles(target: string): Map<string, Buffer> {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) throw new ImportDirectoryError(`${target}: no such file or folder`);
  const paths = stat.isDirectory()
    ? fs.readdirSync(target).filter((n) => fs.statSync(path.join(target, n)).isFile() && /\.(json|csv|xlsx)$/i.test(n)).sort().map((n) => path.join(target, n))
    : [target];
  const total = paths.reduce((n, p) => n + fs.statSync(p).size, 0);
  if (total > IMPORT_MAX_BYTES) throw new ImportDirectoryError(`${target}: ${tooLargeMessage(total)}`);
  return new Map(paths.map((p) => [path.relative(process.cwd(), p) || p, fs.readFileSync(p)] as const));
}

/** One problem as a line a person can act on (and an editor can jump to). */
export function formatProblem(p: ImportProblem): string {
  return `${p.severity === 'error' ? 'error  ' : 'warning'} ${p.file}${p.line === undefined ? '' : `:${p.line}`}${p.path ? ` ${p.path}` : ''} — ${p.message}`;
}

function formatCounts(plan: ImportPlan): string {
  const c = plan.counts;
  return `${c.read} listings read (${plan.format}): ${c.create} to create, ${c.update} to update, ${c.unchanged} unchanged, ${c.markInactive} to mark inactive`;
}

/** A progress line on standard error for large imports: rewritten in place on a terminal, every tenth otherwise. */
function progress(stderr: NodeJS.WriteStream | NodeJS.WritableStream, total: number): ((done: number) => void) | undefined {
  if (total < 1000) return undefined;
  const tty = 'isTTY' in stderr && stderr.isTTY === true;
  let last = -1;
  return (done) => {
    const step = tty ? Math.floor((done / total) * 100) : Math.floor((done / total) * 10);
    if (step === last && done !== total) return;
    last = step;
    const line = `directory:import: written ${done} of ${total} listings`;
    stderr.write(tty ? `\r${line}${done === total ? '\n' : ''}` : `${line}\n`);
  };
}

export async function importDirectory(
  config: Config,
  args: ImportArgs,
  io: { readonly stdout: NodeJS.WritableStream; readonly stderr: NodeJS.WritableStream } = { stdout: process.stdout, stderr: process.stderr },
): Promise<{ readonly exitCode: number; readonly plan: ImportPlan }> {
  const files = readImportFiles(args.target);
  const storage = await createStorageBackend(config);
  try {
    const region = loadRegion(PATHS.region);
    const settings = importSettings(config, region);
    const snapshot = await loadDirectorySnapshot(storage.directory);
    const file = files.size === 1 ? ([...files.keys()][0] as string) : args.target;
    const parsed = await readImport(files, {
      file,
      ...(args.format ? { format: args.format } : {}),
      ...(args.source ? { sourceName: args.source } : {}),
      defaultCountry: settings.defaultCountry,
      defaultTimezone: settings.defaultTimezone,
      taxonomy: snapshot.taxonomy,
    });
    if (parsed.services.length >= 1000) io.stderr.write(`directory:import: read ${parsed.services.length} listings; checking them against the directory\n`);
    const plan = planImport(parsed, snapshot, {
      file,
      today: todayIn(settings.defaultTimezone, Date.now()),
      mainLanguages: settings.mainLanguages,
      ...(args.source ? { sourceName: args.source } : {}),
      fullSource: args.full,
    });
    const report = importReport(plan);
    for (const p of plan.problems) io.stdout.write(`${formatProblem(p)}\n`);
    io.stdout.write(`${formatCounts(plan)}\n${report.errors} errors, ${report.warnings} warnings\n`);
    if (report.errors > 0) {
      io.stdout.write(`Nothing imported: fix the errors above and run again.\n`);
      return { exitCode: 1, plan };
    }
    if (args.dryRun) {
      io.stdout.write('Dry run: nothing was changed. Run again without --dry-run to import.\n');
      return { exitCode: 0, plan };
    }
    const onProgress = progress(io.stderr, plan.writes.length);
    const outcome = await applyImport(storage.directory, plan, { now: new Date().toISOString(), ...(onProgress ? { onProgress } : {}) });
    if (!outcome.ok) {
      for (const p of outcome.problems) io.stdout.write(`${formatProblem(p)}\n`);
      io.stdout.write('Nothing imported: the directory is as it was.\n');
      return { exitCode: 1, plan };
    }
    io.stdout.write(`Imported: ${outcome.created} created, ${outcome.updated} updated, ${outcome.unchanged} unchanged, ${outcome.markedInactive} marked inactive.\n`);
    return { exitCode: 0, plan };
  } finally {
    await storage.close();
  }
}

async function main(): Promise<void> {
  const args = parseImportArgs(process.argv.slice(2));
  const { exitCode } = await importDirectory(loadConfig(), args);
  process.exitCode = exitCode;
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`directory:import: ${err.message}\n`);
    process.exit(err instanceof ImportDirectoryError ? 2 : 1);
  });
}
