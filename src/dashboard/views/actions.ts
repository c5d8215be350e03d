import { admin } from '../api.js';

/** What an action of the operator needs: a call to the admin API whose outcome is shown in the notice line. */
export type Act = (done: string, call: (token: string) => Promise<unknown>) => Promise<boolean>;

/** POST/PATCH helpers of the actions. */
export const post = (token: string, path: string, body?: unknown) => admin(token, 'POST', path, body ?? {});
export const patch = (token: string, path: string, body: unknown) => admin(token, 'PATCH', path, body);
