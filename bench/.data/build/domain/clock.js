export const systemClock = Object.freeze({ now: () => Date.now() });
export function createTravelClock(base = systemClock, initialOffsetMs = 0) {
    let offset = initialOffsetMs;
    return {
        travel: true,
        now: () => base.now() + offset,
        offsetMs: () => offset,
        advance(ms) {
            if (!Number.isFinite(ms) || ms < 0)
                throw new RangeError('the clock only moves forward');
            offset += ms;
        },
        setOffset(ms) {
            if (ms > offset)
                offset = ms;
        },
    };
}
/** A clock that stands still until told to move: for tests. */
export function createManualClock(startMs = Date.UTC(2026, 0, 15, 12, 0, 0)) {
    let t = startMs;
    return createTravelClock({ now: () => t }, 0);
}
export function isTravelClock(c) {
    return c.travel === true;
}
