import { describe, expect, it } from 'vitest';
import { unknownColumns, unknownPathKind } from './unknown-paths.js';

const seg = (p: string) => p.split('/');

describe('unknownPathKind', () => {
  it('takes live calls and lists of any API, a new API included, for synchronous calls', () => {
    expect(unknownPathKind(seg('dataforseo_labs/google/new_thing/live'), [{ target: 'a.com' }])).toBe('call');
    expect(unknownPathKind(seg('backlinks/new_metric/live'))).toBe('call');
    expect(unknownPathKind(seg('brand_new_api/things'))).toBe('call');
  });

  it('refuses every path of the task system, a task id in the path or a posted id, and the appendix', () => {
    for (const p of [
      'keywords_data/new_source/search_volume/task_post',
      'merchant/new/tasks_ready',
      'business_data/new/task_get/advanced/01151200-1535-0066-0000-000000000001',
      'serp/new_thing/id_list',
      'on_page/new_fn/01151200-1535-0066-0000-000000000001',
      'new_api/tasks_list',
      'new_api/errors',
      'appendix/new_thing',
    ]) {
      expect(unknownPathKind(seg(p)), p).toBe('task');
    }
    expect(unknownPathKind(seg('on_page/new_function'), [{ id: 'x', limit: 10 }])).toBe('task');
  });

  it('finds no path in a single segment or odd characters', () => {
    expect(unknownPathKind(seg('labs'))).toBe('invalid');
    expect(unknownPathKind(['labs', 'a b'])).toBe('invalid');
  });
});

describe('unknownColumns', () => {
  it('records the API, the engine, the type and the method of the path', () => {
    expect(unknownColumns(seg('dataforseo_labs/google/new_thing/live'))).toEqual({
      api: 'dataforseo_labs',
      se: 'google',
      seType: 'new_thing',
      method: 'live',
    });
    expect(unknownColumns(seg('backlinks/new_metric/live'))).toEqual({ api: 'backlinks', se: 'new_metric', seType: '', method: 'live' });
  });
});
