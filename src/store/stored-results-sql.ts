/**
 * The `storedResults` query of both dialects (positional parameters differ only): completed tasks
 * with stored results, not served from the relay's cache or a shared call, after a cursor.
 */
export function storedResultsSql(p: (n: number) => string, byAccount: boolean): string {
  return `SELECT t.id, t.api, t.se, t.se_type, t.data, t.completed_at FROM tasks t
    LEFT JOIN relay_tasks rt ON rt.task_id = t.id
    WHERE t.status_code = 20000 AND t.completed_at >= ${p(1)}
      AND (t.completed_at > ${p(2)} OR (t.completed_at = ${p(2)} AND t.id > ${p(3)}))
      AND (rt.source IS NULL OR rt.source = 'upstream')
      AND EXISTS (SELECT 1 FROM task_results r WHERE r.task_id = t.id)
      ${byAccount ? `AND t.account_id = ${p(5)}` : ''}
    ORDER BY t.completed_at, t.id LIMIT ${p(4)}`;
}
