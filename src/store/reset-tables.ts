/** What POST /admin/reset wipes, children first (both dialects; rate_counters exists on PostgreSQL only). */
export const RESET_TABLES = [
  'webhook_attempts',
  'webhook_deliveries',
  'task_results',
  'relay_tasks',
  'relay_usage',
  'upstream_call_counts',
  'upstream_slots',
  'tasks',
  'settings',
  'accounts',
] as const;
