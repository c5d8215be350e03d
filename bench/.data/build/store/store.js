export const DEFAULT_LIMITS = Object.freeze({
    tasksReadyPerMinute: 20,
    requestsPerMinute: 2000,
    concurrentRequests: 30,
});
