import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * A `serpq` command as a user runs it, from the sources (tsx, found by its path so the command may
 * run in any folder), with only the SERPQ_* and DATAFORSEO_* variables the test gives. With `tty`,
 * the command runs under `script` on a pseudo-terminal 200 columns wide, so it draws what a
 * terminal shows (its progress bar) and Ctrl-C can be typed into it (`type('\x03')`).
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
export const SCRIPT = '/usr/bin/script';

export interface Ran {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliRun {
  readonly child: ChildProcess;
  readonly done: Promise<Ran>;
  /** Standard output so far (on a terminal: everything the terminal showed). */
  out(): string;
  /** Resolves once standard output shows `what` (waits on output events, not on a timer). */
  shows(what: RegExp): Promise<void>;
  /** Types into the terminal (with `tty`). */
  type(text: string): void;
}

export function serpqCommand(args: string[], cwd: string, env: Record<string, string> = {}, opts: { tty?: boolean } = {}): CliRun {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(SERPQ|DATAFORSEO)_/.test(k)) clean[k] = v;
  const argv = [process.execPath, '--import', TSX, join(ROOT, 'src/cli/main.ts'), ...args];
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const child = opts.tty
    ? spawn(SCRIPT, ['-qfec', `stty cols 200 rows 40; exec ${argv.map(quote).join(' ')}`, '/dev/null'], {
        cwd,
        env: { ...clean, ...env },
        stdio: ['pipe', 'pipe', 'pipe'],
      })
    : spawn(argv[0]!, argv.slice(1), { cwd, env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ what: RegExp; resolve: () => void }> = [];
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
    for (const w of [...waiters]) if (w.what.test(stdout)) (waiters.splice(waiters.indexOf(w), 1), w.resolve());
  });
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  // 'close', not 'exit': the last output may still be in the pipes when the process exits.
  const done = once(child, 'close').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
    stdout,
    stderr,
  }));
  return {
    child,
    done,
    out: () => stdout,
    shows: (what) => (what.test(stdout) ? Promise.resolve() : new Promise<void>((r) => waiters.push({ what, resolve: r }))),
    type: (text) => child.stdin?.write(text),
  };
}
