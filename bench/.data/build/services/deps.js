/** Milliseconds since the call started, from a monotonic timer. */
export function elapsedMs(ctx) {
    return performance.now() - ctx.startedAt;
}
