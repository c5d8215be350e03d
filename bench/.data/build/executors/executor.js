/** Parses a latency spec: `0`, `2s`, or `normal=2s,high=500ms` (units ms, s, m; bare numbers are ms). */
export function parseLatency(spec) {
    const unit = (v) => {
        const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(v.trim());
        if (!m)
            throw new Error(`invalid latency '${v}': use e.g. 0, 500ms, 2s, normal=2s,high=500ms`);
        const n = Number(m[1]);
        return Math.round(m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n);
    };
    const out = { normal: 0, high: 0 };
    const text = spec.trim();
    if (!text.includes('=')) {
        out.normal = out.high = unit(text);
        return out;
    }
    for (const part of text.split(',')) {
        const [k, v] = part.split('=');
        const key = k?.trim();
        if ((key !== 'normal' && key !== 'high') || v === undefined) {
            throw new Error(`invalid latency '${spec}': use e.g. normal=2s,high=500ms`);
        }
        out[key] = unit(v);
    }
    return out;
}
