export function createRateLimiter(clock) {
    const rings = new Map();
    const inFlight = new Map();
    const ringFor = (key, limit) => {
        let r = rings.get(key);
        if (!r || r.times.length !== limit) {
            // A changed limit starts a fresh window for that key.
            r = { times: new Float64Array(Math.max(1, limit)), start: 0, count: 0 };
            rings.set(key, r);
        }
        return r;
    };
    const expire = (r, now, windowMs) => {
        while (r.count > 0 && r.times[r.start] <= now - windowMs) {
            r.start = (r.start + 1) % r.times.length;
            r.count--;
        }
    };
    return {
        hit(key, limit, windowMs = 60_000) {
            if (limit <= 0)
                return { allowed: false, remaining: 0 };
            const now = clock.now();
            const r = ringFor(key, limit);
            expire(r, now, windowMs);
            if (r.count >= limit)
                return { allowed: false, remaining: 0 };
            r.times[(r.start + r.count) % r.times.length] = now;
            r.count++;
            return { allowed: true, remaining: limit - r.count };
        },
        peek(key, limit, windowMs = 60_000) {
            const r = ringFor(key, limit);
            expire(r, clock.now(), windowMs);
            return Math.max(0, limit - r.count);
        },
        enter(key, max) {
            const n = inFlight.get(key) ?? 0;
            if (n >= max)
                return false;
            inFlight.set(key, n + 1);
            return true;
        },
        leave(key) {
            const n = (inFlight.get(key) ?? 1) - 1;
            if (n <= 0)
                inFlight.delete(key);
            else
                inFlight.set(key, n);
        },
    };
}
