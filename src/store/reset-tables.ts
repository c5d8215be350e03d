/** What POST /admin/reset wipes, children first (both dialects; rate_counters exists on PostgreSQL only). */
export const RESET_TABLES = [
  'webhook_attempts',
  'webhook_deliveries',
  'budget_alerts',
  'budgets',
  'task_results',
  'relay_tasks',
  'relay_usage',
  'relay_answers',
  'upstream_call_counts',
  'upstream_slots',
  'spend_buckets',
  'tasks',
  'settings',
  'accounts',
] as const;
