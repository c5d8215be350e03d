/** HTML helpers shared by the sandbox renderers. */

/** Escapes text for HTML element content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  // Scan first: most strings need no escaping, and returning the input avoids any allocation.
  let i = 0;
  for (; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 38 || ch === 60 || ch === 62 || ch === 34 || ch === 39) break;
  }
  if (i === text.length) return text;
  let out = text.slice(0, i);
  for (; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 38) out += '&amp;';
    else if (ch === 60) out += '&lt;';
    else if (ch === 62) out += '&gt;';
    else if (ch === 34) out += '&quot;';
    else if (ch === 39) out += '&#39;';
    else out += text[i];
  }
  return out;
}
