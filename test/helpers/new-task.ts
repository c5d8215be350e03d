import type { NewTask } from '../../src/store/store.js';

/**
 * A task row as task_post would store it (google/images, no webhooks, free, due at `postedAt`), for
 * tests that write to a store directly; `overrides` set the fields a test is about.
 */
export function newTaskRow(id: string, postedAt: number, overrides: Partial<NewTask> = {}): NewTask {
  return {
    id,
    se: 'google',
    seType: 'images',
    priority: 1,
    tag: null,
    data: '{}',
    postbackUrl: null,
    postbackData: null,
    pingbackUrl: null,
    costMicro: 0,
    postedAt,
    runAfter: postedAt,
    readyJson: JSON.stringify({ id }),
    ...overrides,
  };
}
