import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { findSeType } from '../domain/catalog.js';
import { STATUS } from '../domain/status-codes.js';
import { parseTaskRequest } from '../domain/task-request.js';
export function createWorker(options) {
    const { store, clock, executor } = options;
    const leaseMs = options.leaseMs ?? 120_000;
    const batchSize = options.batchSize ?? 200;
    const pollMs = options.pollMs ?? 1000;
    const owner = `w-${randomBytes(6).toString('hex')}`;
    const abort = new AbortController();
    let running = false;
    let timer = null;
    let loop = null;
    let wakeUp = null;
    async function executeOne(task) {
        const def = findSeType(task.se, task.seType);
        const parsed = def ? parseTaskRequest(def, JSON.parse(task.data), 'task_post') : null;
        if (!def || !parsed || !parsed.ok) {
            // A stored request that no longer validates (catalog changed) fails rather than loops forever.
            return { id: task.id, leaseOwner: owner, statusCode: STATUS.TASK_EXECUTION_FAILED.code, statusMessage: STATUS.TASK_EXECUTION_FAILED.message };
        }
        try {
            const out = await executor.execute({ id: task.id, def, request: parsed.task, postedAt: task.postedAt }, abort.signal);
            return {
                id: task.id,
                leaseOwner: owner,
                statusCode: out.statusCode,
                statusMessage: out.statusMessage,
                costMicro: out.costMicro,
                results: out.results?.map((r) => ({ fn: r.fn, body: gzipSync(JSON.stringify(r.value)) })),
            };
        }
        catch (err) {
            options.onError?.(err);
            return { id: task.id, leaseOwner: owner, statusCode: STATUS.TASK_EXECUTION_FAILED.code, statusMessage: STATUS.TASK_EXECUTION_FAILED.message };
        }
    }
    async function runOnce() {
        const claimed = await store.claimTasks(owner, clock.now(), leaseMs, batchSize);
        if (claimed.length === 0)
            return 0;
        const completions = await Promise.all(claimed.map(executeOne));
        const n = await store.completeTasks(completions, clock.now());
        if (n > 0)
            options.onCompleted?.(n);
        return claimed.length;
    }
    async function sleep() {
        const next = await store.nextDueAt();
        const wait = next === null ? pollMs : Math.max(0, Math.min(pollMs, next - clock.now()));
        if (wait === 0)
            return;
        await new Promise((resolve) => {
            wakeUp = resolve;
            timer = setTimeout(resolve, wait);
        });
        wakeUp = null;
        timer = null;
    }
    async function run() {
        while (running) {
            try {
                const n = await runOnce();
                if (n === 0 && running)
                    await sleep();
            }
            catch (err) {
                options.onError?.(err);
                if (running)
                    await new Promise((r) => setTimeout(r, Math.min(pollMs, 500)));
            }
        }
    }
    return {
        owner,
        runOnce,
        start() {
            if (running)
                return;
            running = true;
            loop = run();
        },
        wake() {
            if (timer)
                clearTimeout(timer);
            wakeUp?.();
        },
        async stop() {
            running = false;
            abort.abort();
            if (timer)
                clearTimeout(timer);
            wakeUp?.();
            await loop;
        },
    };
}
