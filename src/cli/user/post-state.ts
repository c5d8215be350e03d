import { createHash } from 'node:crypto';
import { stableJson } from '../../domain/serp-request.js';
import { UserError } from './connection.js';
import { Journal } from './journal.js';

/**
 * The state file `serpq post` keeps beside the file it posts (`<FILE>.serpq-state.jsonl`): one
 * JSON line per event, written before the next step depends on it.
 *
 *   {"serpq_post":1,"type":"google/organic","base_url":…,"login":…}   first line: what it is for
 *   {"call":3,"at":…,"tasks":[[key,task],…]}                         about to send (fsync'd first)
 *   {"call":3,"posted":[[key,id],…],"rejected":[[key,code,message],…]} the call's answer
 *   {"call":3,"checked":[[key,id],…]}                                 an unanswered call, looked up
 *
 * A task's key is a hash of its fields plus which occurrence of that task in the file it is, so a
 * line that moves keeps its key, a line that is fixed gets a new one, and two identical lines are
 * two tasks. A call with tasks but neither answer nor check is in doubt: see in-doubt.ts.
 */
export interface PostTarget {
  readonly type: string;
  readonly baseUrl: string;
  readonly login: string;
}

export function taskKeys(tasks: ReadonlyArray<Record<string, unknown>>): string[] {
  const seen = new Map<string, number>();
  return tasks.map((t) => {
    const h = createHash('sha256').update(stableJson(t)).digest('base64url').slice(0, 22);
    const n = (seen.get(h) ?? 0) + 1;
    seen.set(h, n);
    return `${h}#${n}`;
  });
}

export interface Rejection {
  readonly code: number;
  readonly message: string;
}

export class PostState {
  readonly posted = new Map<string, string>();
  readonly rejected = new Map<string, Rejection>();
  /** Calls sent but neither answered nor checked, by call number. */
  readonly inDoubt = new Map<number, { at: number; tasks: Array<[string, Record<string, unknown>]> }>();
  private lastCall = 0;

  private constructor(private readonly journal: Journal) {}

  static open(path: string, target: PostTarget): PostState {
    let header: Record<string, unknown> | null = null;
    const records: Array<Record<string, unknown>> = [];
    const journal = Journal.open(path, (line, n) => {
      let rec: unknown;
      try {
        rec = JSON.parse(line);
      } catch {
        throw new UserError(`${path}:${n}: not a serpq state record: move the file away to start over`);
      }
      if (n === 1 || header === null) header = rec as Record<string, unknown>;
      else records.push(rec as Record<string, unknown>);
    });
    const state = new PostState(journal);
    const h = header as Record<string, unknown> | null;
    if (h === null) {
      journal.append(
        { serpq_post: 1, type: target.type, base_url: target.baseUrl, login: target.login, created: new Date().toISOString() },
        true,
      );
    } else {
      if (h.serpq_post !== 1) {
        journal.close();
        throw new UserError(`${path} is not a serpq post state file: move it away to start over`);
      }
      for (const [field, want] of [
        ['type', target.type],
        ['base_url', target.baseUrl],
        ['login', target.login],
      ] as const) {
        if (h[field] !== want) {
          journal.close();
          throw new UserError(
            `${path} records posting as ${String(h.login)} to ${String(h.base_url)} with --type ${String(h.type)}, not ${field} ${want}: run with those, or move the state file away to post again`,
          );
        }
      }
    }
    for (const r of records) state.apply(r);
    return state;
  }

  private apply(r: Record<string, unknown>): void {
    const call = Number(r.call);
    this.lastCall = Math.max(this.lastCall, call);
    if (Array.isArray(r.tasks)) this.inDoubt.set(call, { at: Number(r.at), tasks: r.tasks as Array<[string, Record<string, unknown>]> });
    if (Array.isArray(r.posted) || Array.isArray(r.checked)) {
      this.inDoubt.delete(call);
      for (const [key, id] of [...((r.posted as [string, string][]) ?? []), ...((r.checked as [string, string][]) ?? [])]) {
        this.posted.set(key, id);
        this.rejected.delete(key);
      }
      for (const [key, code, message] of (r.rejected as [string, number, string][]) ?? []) this.rejected.set(key, { code, message });
    }
  }

  /** Records a call about to be sent, on disk before it goes. */
  sending(at: number, tasks: Array<[string, Record<string, unknown>]>): number {
    const call = ++this.lastCall;
    this.journal.append({ call, at, tasks }, true);
    this.inDoubt.set(call, { at, tasks });
    return call;
  }

  answered(call: number, posted: Array<[string, string]>, rejected: Array<[string, number, string]>): void {
    this.journal.append({ call, posted, rejected }, true);
    this.apply({ call, posted, rejected });
  }

  checked(call: number, found: Array<[string, string]>): void {
    this.journal.append({ call, checked: found }, true);
    this.apply({ call, checked: found });
  }

  close(): void {
    this.journal.close();
  }
}
