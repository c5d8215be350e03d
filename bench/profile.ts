import { readFileSync } from 'node:fs';

/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): self time per function and inclusive time of
 * serpq's own functions, as shares of the busy (non-idle) time.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface ProfileSummary {
  readonly busyMs: number;
  readonly self: { fn: string; share: number }[];
  readonly inclusive: { fn: string; share: number }[];
}

function label(n: ProfileNode, root: string): string {
  const cf = n.callFrame;
  const url = cf.url.replace(/^.*node_modules\//, 'nm/').replace(root, 'src/');
  return `${cf.functionName || '(anonymous)'} ${url}${url ? `:${cf.lineNumber + 1}` : ''}`.trim();
}

/** `root` is stripped from file URLs (e.g. the build folder, so paths read like src/...). */
export function summarizeProfile(file: string, root: string, top = 20): ProfileSummary {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
  let busy = 0;
  const selfBy = new Map<string, number>();
  const inclBy = new Map<string, number>();
  for (const [id, t] of self) {
    const node = byId.get(id) as ProfileNode;
    if (node.callFrame.functionName === '(idle)') continue;
    busy += t;
    const key = label(node, root);
    selfBy.set(key, (selfBy.get(key) ?? 0) + t);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = label(byId.get(cur) as ProfileNode, root);
      if (seen.has(k)) continue;
      seen.add(k);
      inclBy.set(k, (inclBy.get(k) ?? 0) + t);
    }
  }
  const list = (m: Map<string, number>, keep: (k: string) => boolean) =>
    [...m]
      .filter(([k]) => keep(k))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, t]) => ({ fn, share: t / busy }));
  return {
    busyMs: busy / 1000,
    self: list(selfBy, () => true),
    inclusive: list(inclBy, (k) => / src\//.test(k)),
  };
}
