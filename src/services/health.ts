import type { StoreLifecycle } from '../store/store.js';
import type { ServiceDeps } from './deps.js';

/** GET /readyz: whether the store answers (a failed ping counts as unreachable, never as an error). */
export async function storeReachable(deps: ServiceDeps<Pick<StoreLifecycle, 'ping'>>): Promise<boolean> {
  return deps.store.ping().catch(() => false);
}
