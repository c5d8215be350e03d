import type { WebhookState } from '../domain/task.js';

/**
 * The Store port: every persistent read and write serpq makes. Feature code depends on this
 * interface only; the SQLite adapter (default, embedded) and the PostgreSQL adapter implement it,
 * and the shared contract tests in test/integration run against both. Times are epoch ms from the
 * injected clock; money is integer micro-USD.
 */

export interface AccountLimits {
  /** tasks_ready (and tasks_fixed) calls per minute; the vendor's default is 20. */
  readonly tasksReadyPerMinute: number;
  /** All API calls per minute; the vendor's documented default is 2000. */
  readonly requestsPerMinute: number;
  /** Requests in flight at once; the vendor's default is 30. */
  readonly concurrentRequests: number;
}

export const DEFAULT_LIMITS: AccountLimits = Object.freeze({
  tasksReadyPerMinute: 20,
  requestsPerMinute: 2000,
  concurrentRequests: 30,
});

export interface AccountRow {
  readonly id: number;
  readonly login: string;
  readonly passwordHash: string;
  readonly balanceMicro: number;
  readonly totalDepositsMicro: number;
  readonly limits: AccountLimits;
  readonly createdAt: number;
}

export interface NewAccount {
  readonly login: string;
  readonly passwordHash: string;
  readonly balanceMicro: number;
  readonly limits: AccountLimits;
  readonly createdAt: number;
}

export interface AccountPatch {
  readonly passwordHash?: string;
  readonly balanceMicro?: number;
  readonly limits?: Partial<AccountLimits>;
}

export interface NewTask {
  readonly id: string;
  readonly se: string;
  readonly seType: string;
  readonly priority: number;
  readonly tag: string | null;
  /** JSON text of the `data` echo (posted fields plus filled defaults); the task's request. */
  readonly data: string;
  readonly postbackUrl: string | null;
  readonly postbackData: string | null;
  readonly pingbackUrl: string | null;
  readonly costMicro: number;
  readonly postedAt: number;
  /** Not claimable before this time (sandbox latency). */
  readonly runAfter: number;
  /** The tasks_ready row of this task as JSON text: it never changes, so it is written once. */
  readonly readyJson: string;
}

export interface TaskRow {
  readonly id: string;
  readonly accountId: number;
  readonly se: string;
  readonly seType: string;
  readonly state: 'queued' | 'running' | 'done';
  readonly statusCode: number | null;
  readonly statusMessage: string | null;
  readonly priority: number;
  readonly tag: string | null;
  readonly data: string;
  readonly postbackUrl: string | null;
  readonly postbackData: string | null;
  readonly pingbackUrl: string | null;
  readonly costMicro: number;
  readonly postedAt: number;
  readonly runAfter: number;
  readonly completedAt: number | null;
  readonly collectedAt: number | null;
  readonly leaseOwner: string | null;
  readonly leaseExpiresAt: number | null;
  readonly attempts: number;
  readonly webhookState: WebhookState;
  readonly listed: boolean;
}

/** Outcome of one accepted task_post call: which candidates were stored (in order) and the new balance. */
export interface PostOutcome {
  readonly accepted: readonly boolean[];
  readonly balanceMicro: number;
}

/** What a worker writes when a task finishes. */
export interface Completion {
  readonly id: string;
  readonly leaseOwner: string;
  readonly statusCode: number;
  readonly statusMessage: string;
  /**
   * Stored results by function, compressed by the caller. Absent for executors that render on read
   * (the deterministic sandbox stores nothing but the request).
   */
  readonly results?: ReadonlyArray<{ readonly fn: string; readonly body: Buffer }>;
  /** Final cost after refunds (e.g. fewer results than the depth paid for); omitted = unchanged. */
  readonly costMicro?: number;
}

export type ReadyScope = { readonly se?: string; readonly seType?: string };

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  migrate(): Promise<void>;
  close(): Promise<void>;
  ping(): Promise<boolean>;

  createAccount(a: NewAccount): Promise<AccountRow>;
  updateAccount(login: string, patch: AccountPatch): Promise<AccountRow | null>;
  accountByLogin(login: string): Promise<AccountRow | null>;
  accountById(id: number): Promise<AccountRow | null>;
  listAccounts(): Promise<AccountRow[]>;
  countAccounts(): Promise<number>;

  /**
   * Stores the tasks of one task_post call atomically with the balance debit. Candidates are taken
   * in order while the balance covers them; the rest are not stored (the caller answers 40210).
   * Nothing is visible to other readers before the commit, and the call returns after it.
   */
  postTasks(accountId: number, tasks: readonly NewTask[]): Promise<PostOutcome>;

  /** Claims up to `limit` due tasks (queued and run_after <= now, or running with an expired lease). */
  claimTasks(owner: string, now: number, leaseMs: number, limit: number): Promise<TaskRow[]>;
  /** Completes tasks whose lease `owner` still holds; returns how many completed. */
  completeTasks(completions: readonly Completion[], now: number): Promise<number>;
  /** Earliest time a queued task becomes due, or a running lease expires (null when idle). */
  nextDueAt(): Promise<number | null>;

  /** tasks_ready rows (JSON text) for an account and scope, completed at or after `since`, oldest first. */
  listReady(accountId: number, scope: ReadyScope, since: number, limit: number): Promise<string[]>;

  taskById(id: string): Promise<TaskRow | null>;
  /** Sets collected_at on the first collection; no-op afterwards. */
  markCollected(id: string, now: number): Promise<void>;
  resultOf(id: string, fn: string): Promise<Buffer | null>;
}
