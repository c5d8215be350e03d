import pg from 'pg';
import type { ClientConfig } from 'pg';
import type { StoreListeners } from '../store.js';

/** Double-quotes an identifier (schema and channel names; they are validated too). */
export function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** The NOTIFY channels of one store (schema-qualified when a schema is set). */
export interface Channels {
  readonly tasks: string;
  readonly deliveries: string;
  readonly ready: string;
  /** addToSetting: the payload is `key=value`. */
  readonly settings: string;
}

/**
 * Relays a store's wake-ups: `onTasks` when tasks were posted, `onDeliveries` when webhook
 * deliveries were queued (completions with webhooks, resends), `onSetting` when a setting moved (the
 * clock). Uses a dedicated connection outside the pool; when it breaks it reconnects (after 1 s,
 * repeatedly) and then calls onTasks and onDeliveries once, since notifications may have been missed
 * meanwhile (a missed setting is caught by the clock's periodic re-read).
 *
 * A NOTIFY is only a hint that lets an idle worker or dispatcher start sooner: it can be lost
 * (connection dropped, listener not yet connected), and several are merged into one. Polling
 * (nextDueAt / nextDeliveryAt and the claims) stays the source of truth.
 *
 * Resolves once listening; the returned function stops listening and closes the connection.
 */
export async function listenTo(config: ClientConfig, channels: Channels, handlers: StoreListeners): Promise<() => Promise<void>> {
  const { tasks, deliveries, settings } = channels;
  const safe = (fn: () => void) => {
    try {
      fn();
    } catch {
      // A wake-up callback must not break the listener.
    }
  };
  let stopped = false;
  let client: pg.Client | null = null;
  let timer: NodeJS.Timeout | null = null;

  const open = async (): Promise<pg.Client> => {
    const c = new pg.Client(config);
    c.on('notification', (m) => {
      if (m.channel === tasks) safe(handlers.onTasks);
      else if (m.channel === deliveries) safe(handlers.onDeliveries);
      else if (m.channel === settings && handlers.onSetting) {
        const payload = m.payload ?? '';
        const eq = payload.indexOf('=');
        if (eq > 0) safe(() => handlers.onSetting?.(payload.slice(0, eq), payload.slice(eq + 1)));
      }
    });
    c.on('error', () => lost(c));
    c.on('end', () => lost(c));
    try {
      await c.connect();
      await c.query(`LISTEN ${quoteIdent(tasks)}; LISTEN ${quoteIdent(deliveries)}; LISTEN ${quoteIdent(settings)}`);
    } catch (err) {
      c.end().catch(() => {});
      throw err;
    }
    return c;
  };
  const lost = (c: pg.Client) => {
    if (stopped || client !== c) return;
    client = null;
    c.end().catch(() => {});
    schedule();
  };
  const schedule = () => {
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = null;
      if (stopped) return;
      open().then(
        (c) => {
          if (stopped) {
            c.end().catch(() => {});
            return;
          }
          client = c;
          safe(handlers.onTasks);
          safe(handlers.onDeliveries);
        },
        () => schedule(),
      );
    }, 1000);
    timer.unref();
  };

  client = await open();
  return async () => {
    if (stopped) return;
    stopped = true;
    if (timer) clearTimeout(timer);
    const c = client;
    client = null;
    if (c) await c.end().catch(() => {});
  };
}
