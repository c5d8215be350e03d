import type { ResultFunction } from '../domain/catalog.js';
import { signatureHeaders } from '../domain/webhooks.js';
import type { Executor } from '../executors/executor.js';
import type { Results, TaskRow } from '../store/store.js';
import { type PostbackBody, type SignSpec, buildPostback } from './payload.js';
import type { SendResult, Sender } from './send.js';

/**
 * A courier makes one webhook call: for a postback it builds the body (payload.ts) and POSTs it, for
 * a pingback it GETs the URL. The dispatcher decides what to send and when, and records the outcome;
 * the courier only carries. The inline courier works on the main thread; the pooled one
 * (courier-pool.ts) on worker threads, so that building and sending use every core.
 */
export type WebhookCall = TaskWebhookCall | AlertCall;

/** A task's postback or pingback. */
export interface TaskWebhookCall {
  readonly kind: 'postback' | 'pingback';
  readonly task: TaskRow;
  /** task_get function of a postback's body. */
  readonly fn: ResultFunction;
  /** The URL with $id and $tag filled in. */
  readonly url: string;
  readonly sign: SignSpec | null;
}

/**
 * A budget alert: a POST of its JSON body (fixed when the alert was claimed), uncompressed (it is
 * small, and chat and automation receivers read it as it comes), signed as postbacks are.
 */
export interface AlertCall {
  readonly kind: 'budget_alert';
  readonly url: string;
  readonly json: string;
  readonly sign: SignSpec | null;
}

export interface Courier {
  deliver(call: WebhookCall): Promise<SendResult>;
  close(): Promise<void>;
}

export const USER_AGENT = 'serpq-webhooks/1';

/** Sends a call whose postback body (if any) is built: the request as the vendor makes it. */
export function sendCall(sender: Sender, call: WebhookCall, postback: PostbackBody | null): Promise<SendResult> {
  const headers: Record<string, string> = { 'user-agent': USER_AGENT };
  if (call.kind === 'budget_alert') {
    headers['content-type'] = 'application/json';
    if (call.sign) Object.assign(headers, signatureHeaders(call.sign.secret, call.sign.messageId, call.sign.timestampSec, call.json));
    return sender.send({ method: 'POST', url: call.url, headers, body: Buffer.from(call.json, 'utf8') });
  }
  if (postback) Object.assign(headers, postback.headers);
  else if (call.sign) Object.assign(headers, signatureHeaders(call.sign.secret, call.sign.messageId, call.sign.timestampSec, ''));
  return sender.send({ method: call.kind === 'postback' ? 'POST' : 'GET', url: call.url, headers, body: postback?.body });
}

/** Builds and sends on the main thread (postback compression still runs on libuv's pool). */
export function createInlineCourier(store: Pick<Results, 'resultOf'>, executor: Executor, sender: Sender): Courier {
  return {
    async deliver(call) {
      const postback = call.kind === 'postback' ? await buildPostback(store, executor, call) : null;
      return sendCall(sender, call, postback);
    },
    async close() {
      await sender.close();
    },
  };
}
