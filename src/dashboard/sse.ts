/**
 * A parser of a server-sent event stream (the WHATWG event-stream format), fed the text as it
 * arrives. The dashboard reads GET /admin/events with fetch() rather than EventSource because
 * EventSource cannot send an Authorization header, and the admin token must never be put in a URL.
 * Pure: no DOM, so it is tested under Node too.
 */
export interface SseEvent {
  /** The `event:` field; "message" when the frame named none. */
  readonly event: string;
  /** The `data:` lines joined by newlines. */
  readonly data: string;
}

export interface SseParser {
  /** Feeds the next piece of the stream (any split: mid-line, mid-frame, several frames). */
  push(text: string): void;
}

export function createSseParser(onEvent: (e: SseEvent) => void, onComment?: (text: string) => void): SseParser {
  let pending = '';
  let event = '';
  let data: string[] = [];

  function line(l: string) {
    if (l === '') {
      // A blank line ends the frame; a frame without data dispatches nothing (the spec's rule).
      if (data.length > 0) onEvent({ event: event || 'message', data: data.join('\n') });
      event = '';
      data = [];
      return;
    }
    if (l.startsWith(':')) return onComment?.(l.slice(1).trimStart());
    const colon = l.indexOf(':');
    const field = colon < 0 ? l : l.slice(0, colon);
    let value = colon < 0 ? '' : l.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    // id and retry are not used by the dashboard (it reconnects on its own schedule).
  }

  return {
    push(text) {
      pending += text;
      // A trailing CR may be the first half of a CRLF: keep it for the next piece.
      const cut = pending.endsWith('\r') ? pending.length - 1 : pending.length;
      const lines = pending.slice(0, cut).split(/\r\n|\r|\n/);
      pending = (lines.pop() ?? '') + pending.slice(cut);
      for (const l of lines) line(l);
    },
  };
}
