import { promisify } from 'node:util';
import { gzip, gzipSync } from 'node:zlib';
import { stringifyEnvelope } from '../contracts/envelope.js';
import { type ResultFunction, findSeType } from '../domain/catalog.js';
import { signatureHeaders } from '../domain/webhooks.js';
import type { Executor } from '../executors/executor.js';
import { postbackFunction, taskGetEndpoint, taskGetPath, typeOfTask } from '../domain/api-catalog/tasks.js';
import { STATUS } from '../domain/status-codes.js';
import { catalogTaskEnvelope, catalogTaskOf, catalogTaskResult } from '../services/catalog-tasks.js';
import { renderedResult, storedResult, taskEnvelope } from '../services/get-task.js';
import type { Results, TaskRow } from '../store/store.js';

/**
 * Postback bodies: the task_get/{postback_data} envelope of a task as JSON, gzip-compressed, with its
 * headers (and a Standard Webhooks signature over the JSON when the account signs). Building one is
 * the costly part of a postback (rendering, serialising and compressing tens of kilobytes); couriers
 * (courier.ts) do it on the main thread or on a pool of threads.
 */
export interface SignSpec {
  readonly secret: string;
  readonly messageId: string;
  readonly timestampSec: number;
}

export interface PostbackRequest {
  readonly task: TaskRow;
  readonly fn: ResultFunction;
  readonly sign: SignSpec | null;
}

export interface PostbackBody {
  /** The gzip of the JSON envelope. */
  readonly body: Buffer;
  readonly headers: Record<string, string>;
}

/**
 * Compression of postback bodies: level 1 costs a third of the default level's CPU for a body a tenth
 * larger; memLevel 9 (a larger hash table) is 7–20% faster again for the same bytes.
 */
export const POSTBACK_GZIP = Object.freeze({ level: 1, memLevel: 9 });

/**
 * The JSON text of a postback: exactly what task_get/{fn} answers for the task. A task of another API
 * than SERP answers as its type's task_get for the function its postback carries (`postback_data`,
 * else the type's only result), rendered by `executor`.
 */
export async function postbackJson(
  task: TaskRow,
  fn: ResultFunction,
  result: (params: Record<string, unknown>) => unknown | Promise<unknown>,
  executor: Partial<Pick<Executor, 'renderTask' | 'fetchTaskResult'>> | null = null,
  stored: (key: string) => Uint8Array | null | Promise<Uint8Array | null> = () => null,
): Promise<string> {
  if (task.api !== 'serp') return catalogPostbackJson(executor, task, stored);
  const path = ['v3', 'serp', task.se, task.seType, 'task_get', fn, task.id];
  return stringifyEnvelope(await taskEnvelope(task, fn, { path, startedAt: performance.now() }, result));
}

async function catalogPostbackJson(
  executor: Partial<Pick<Executor, 'renderTask' | 'fetchTaskResult'>> | null,
  task: TaskRow,
  stored: (key: string) => Uint8Array | null | Promise<Uint8Array | null>,
): Promise<string> {
  const input = await catalogTaskOf(task);
  const fn = input ? postbackFunction(input.type, task.postbackData) : null;
  const endpoint = input ? taskGetEndpoint(input.api, input.type.type, fn) : undefined;
  const path = taskGetPath(typeOfTask(task.api, task.se, task.seType), fn, task.id)
    .slice(1)
    .split('/');
  const result =
    input && endpoint && task.statusCode === STATUS.OK.code
      ? await catalogTaskResult(executor, input, endpoint, task.completedAt ?? task.postedAt, stored)
      : null;
  return stringifyEnvelope(catalogTaskEnvelope(task, { path, startedAt: performance.now() }, result));
}

/** The result of a task for a postback: rendered when the executor renders, else the stored bytes. */
export function resultResolver(
  executor: Pick<Executor, 'render'> | null,
  task: TaskRow,
  fn: ResultFunction,
  stored: () => Uint8Array | null | Promise<Uint8Array | null>,
): (params: Record<string, unknown>) => Promise<unknown> {
  return async (params) => {
    const def = findSeType(task.se, task.seType);
    if (!def) throw new Error(`unknown type ${task.se}/${task.seType}`);
    const rendered = executor ? renderedResult(executor, task, def, fn, params) : null;
    return rendered ?? storedResult(await stored());
  };
}

/** Headers of a postback built from its JSON (before compression, which is what is signed). */
export function postbackHeaders(json: string, sign: SignSpec | null): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
  if (sign) Object.assign(headers, signatureHeaders(sign.secret, sign.messageId, sign.timestampSec, json));
  return headers;
}

/** Bytes of the JSON text reused between bodies built on one thread (grown when a body needs more). */
let scratch = Buffer.allocUnsafe(256 * 1024);

/** A postback body built synchronously start to finish (on a courier thread). */
export async function buildPostbackSync(
  req: PostbackRequest,
  result: (params: Record<string, unknown>) => unknown | Promise<unknown>,
  executor: Pick<Executor, 'renderTask'> | null,
): Promise<PostbackBody> {
  const json = await postbackJson(req.task, req.fn, result, executor);
  // Encoded into reused bytes (not a new buffer per body), then compressed from there.
  // A UTF-16 unit takes at most 3 bytes in UTF-8: beyond a third of the scratch, measure first.
  if (json.length * 3 > scratch.length) {
    const size = Buffer.byteLength(json, 'utf8');
    if (size > scratch.length) scratch = Buffer.allocUnsafe(Math.max(size, scratch.length * 2));
  }
  const written = scratch.write(json, 0, 'utf8');
  const body = gzipSync(scratch.subarray(0, written), POSTBACK_GZIP);
  return { body, headers: postbackHeaders(json, req.sign) };
}

const gzipAsync = promisify(gzip);

/** A postback body built on the main thread, compressed on libuv's thread pool. */
export async function buildPostback(store: Pick<Results, 'resultOf'>, executor: Executor, req: PostbackRequest): Promise<PostbackBody> {
  const json = await postbackJson(
    req.task,
    req.fn,
    resultResolver(executor, req.task, req.fn, () => store.resultOf(req.task.id, req.fn)),
    executor,
    (key) => store.resultOf(req.task.id, key),
  );
  const body = await gzipAsync(Buffer.from(json, 'utf8'), POSTBACK_GZIP);
  return { body, headers: postbackHeaders(json, req.sign) };
}
