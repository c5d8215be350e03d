import type { NewTask } from '../store/store.js';

/**
 * A live call as the store records it (`insertLiveTask`): run and completed when it was made, at
 * priority 1 with no webhooks; its tasks_ready row is never listed (`{}` unless the caller has one).
 */
export function liveTask(
  t: Pick<NewTask, 'id' | 'api' | 'se' | 'seType' | 'tag' | 'data' | 'costMicro' | 'payloadHash'> & {
    readonly now: number;
    readonly readyJson?: string;
  },
): NewTask {
  return {
    id: t.id,
    api: t.api,
    se: t.se,
    seType: t.seType,
    priority: 1,
    tag: t.tag,
    data: t.data,
    postbackUrl: null,
    postbackData: null,
    pingbackUrl: null,
    costMicro: t.costMicro,
    postedAt: t.now,
    runAfter: t.now,
    readyJson: t.readyJson ?? '{}',
    payloadHash: t.payloadHash,
  };
}
