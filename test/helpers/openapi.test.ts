import { beforeAll, describe, expect, it } from 'vitest';
import { findPathTemplate, listPaths, openapiAvailable, validateResponse, validateResponseForUrl } from './openapi.js';

const TASK_ID = '08161139-0001-0066-1000-06491d097ed5';
const CALL_ID = '08161139-0001-0087-0000-2bf6e8e4b8c1';

function envelope(tasks: unknown[], extra: Record<string, unknown> = {}) {
  return {
    version: '0.1.20250101',
    status_code: 20000,
    status_message: 'Ok.',
    time: '0.0432 sec.',
    cost: 0,
    tasks_count: tasks.length,
    tasks_error: 0,
    tasks,
    ...extra,
  };
}

function tasksReadyEnvelope() {
  return envelope([
    {
      id: CALL_ID,
      status_code: 20000,
      status_message: 'Ok.',
      time: '0.0215 sec.',
      cost: 0,
      result_count: 1,
      path: ['v3', 'serp', 'google', 'images', 'tasks_ready'],
      data: { api: 'serp', function: 'tasks_ready', se: 'google', se_type: 'images' },
      result: [
        {
          id: TASK_ID,
          se: 'google',
          se_type: 'images',
          date_posted: '2025-01-01 12:00:00 +00:00',
          tag: 'my-tag',
          endpoint_regular: null,
          endpoint_advanced: `/v3/serp/google/images/task_get/advanced/${TASK_ID}`,
          endpoint_html: `/v3/serp/google/images/task_get/html/${TASK_ID}`,
        },
      ],
    },
  ]);
}

function imagesSearchItem(rank: number): Record<string, unknown> {
  return {
    type: 'images_search',
    rank_group: rank,
    rank_absolute: rank + 1,
    xpath: `/html[1]/body[1]/div[2]/div[${rank}]`,
    title: `Cat picture ${rank}`,
    subtitle: 'example.com',
    alt: 'a cat',
    url: `https://example.com/cats/${rank}`,
    source_url: `https://example.com/img/cat${rank}.jpg`,
    encoded_url: `https://encrypted-tbn0.gstatic.com/images?q=tbn:${rank}`,
  };
}

function taskGetAdvancedEnvelope(items: unknown[] = defaultItems()) {
  return envelope(
    [
      {
        id: TASK_ID,
        status_code: 20000,
        status_message: 'Ok.',
        time: '0.0571 sec.',
        cost: 0,
        result_count: 1,
        path: ['v3', 'serp', 'google', 'images', 'task_get', 'advanced', TASK_ID],
        data: {
          api: 'serp',
          function: 'task_get',
          se: 'google',
          se_type: 'images',
          keyword: 'cats',
          location_code: 2840,
          language_code: 'en',
          device: 'desktop',
          os: 'windows',
          tag: 'my-tag',
        },
        result: [
          {
            keyword: 'cats',
            type: 'images',
            se_domain: 'google.com',
            location_code: 2840,
            language_code: 'en',
            check_url: 'https://www.google.com/search?q=cats&tbm=isch&hl=en&gl=US',
            datetime: '2025-01-01 12:00:05 +00:00',
            spell: null,
            refinement_chips: null,
            item_types: ['carousel', 'images_search', 'related_searches'],
            se_results_count: 0,
            items_count: items.length,
            items,
          },
        ],
      },
    ],
    { cost: 0 },
  );
}

function defaultItems(): unknown[] {
  return [
    {
      type: 'carousel',
      rank_group: 1,
      rank_absolute: 1,
      xpath: '/html[1]/body[1]/div[1]',
      page: 1,
      position: 'left',
      title: 'Related',
      items: [{ type: 'carousel_element', title: 'kitten', subtitle: null, image_url: 'https://e.com/k.jpg' }],
      rectangle: null,
    },
    imagesSearchItem(1),
    imagesSearchItem(2),
    {
      type: 'related_searches',
      rank_group: 1,
      rank_absolute: 4,
      xpath: '/html[1]/body[1]/div[9]',
      page: 1,
      position: 'left',
      items: ['cute cats', 'black cat'],
      rectangle: null,
    },
  ];
}

describe.skipIf(!openapiAvailable())('OpenAPI response validator (vendor openapi-serp.yaml)', () => {
  beforeAll(() => {
    listPaths(); // parse the 1.5 MB YAML once, outside any single test's timeout
  }, 60_000);

  it('accepts a hand-built google images tasks_ready envelope', () => {
    expect(validateResponse('get', '/v3/serp/google/images/tasks_ready', tasksReadyEnvelope())).toEqual([]);
    expect(validateResponse('get', '/v3/serp/tasks_ready', tasksReadyEnvelope())).toEqual([]);
  });

  it('reports a wrong type with its JSON path', () => {
    const body = tasksReadyEnvelope();
    (body.tasks[0] as Record<string, unknown>).result_count = '1';
    body.status_code = 2.5;
    const errors = validateResponse('get', '/v3/serp/google/images/tasks_ready', body);
    expect(errors).toContain('tasks[0].result_count: expected integer, got string');
    expect(errors).toContain('status_code: expected integer, got number');
  });

  it('reports wrong types deep inside items', () => {
    const items = defaultItems();
    (items[1] as Record<string, unknown>).rank_group = '1';
    const errors = validateResponse('get', '/v3/serp/google/images/task_get/advanced/{id}', taskGetAdvancedEnvelope(items));
    expect(errors).toEqual(['tasks[0].result[0].items[1].rank_group: expected integer, got string']);
  });

  it('reports non-nullable nulls and wrong container types', () => {
    const items = defaultItems();
    (items[0] as Record<string, unknown>).items = [null, 'x'];
    const errors = validateResponse('get', '/v3/serp/google/images/task_get/advanced/{id}', taskGetAdvancedEnvelope(items));
    // array items are declared nullable (null allowed) but must be objects
    expect(errors).toEqual(['tasks[0].result[0].items[0].items[1]: expected object, got string']);
  });

  it('accepts a task_get/advanced envelope with carousel, images_search and related_searches items', () => {
    const body = taskGetAdvancedEnvelope();
    expect(validateResponse('get', '/v3/serp/google/images/task_get/advanced/{id}', body)).toEqual([]);
    expect(validateResponse('get', '/v3/serp/google/images/task_get/advanced/{id}', body, { requireAllProperties: true })).toEqual([]);
  });

  it('rejects an item with an unknown type', () => {
    const items = defaultItems();
    items.push({ ...imagesSearchItem(3), type: 'organic' });
    const errors = validateResponse('get', '/v3/serp/google/images/task_get/advanced/{id}', taskGetAdvancedEnvelope(items));
    expect(errors).toEqual(["tasks[0].result[0].items[4]: unknown item type 'organic' for BaseSerpApiGoogleImagesElementItem"]);
  });

  it('dispatches the organic discriminator (BaseSerpApiElementItem) too', () => {
    const body = envelope([
      {
        id: TASK_ID,
        status_code: 20000,
        status_message: 'Ok.',
        time: '0.1 sec.',
        cost: 0,
        result_count: 1,
        path: ['v3', 'serp', 'google', 'organic', 'task_get', 'advanced', TASK_ID],
        data: { api: 'serp', function: 'task_get', se: 'google', se_type: 'organic', keyword: 'x' },
        result: [
          {
            keyword: 'x',
            type: 'organic',
            items: [
              { type: 'organic', rank_group: 1, rank_absolute: 1, domain: 'e.com', url: 'https://e.com/', title: 't' },
              { type: 'not_a_serp_feature', rank_group: 1 },
            ],
          },
        ],
      },
    ]);
    const errors = validateResponse('get', '/v3/serp/google/organic/task_get/advanced/{id}', body);
    expect(errors).toEqual(["tasks[0].result[0].items[1]: unknown item type 'not_a_serp_feature' for BaseSerpApiElementItem"]);
  });

  it('accepts a task_post envelope with a typical data echo', () => {
    const body = envelope(
      [
        {
          id: TASK_ID,
          status_code: 20100,
          status_message: 'Task Created.',
          time: '0.0051 sec.',
          cost: 0.0006,
          result_count: 0,
          path: ['v3', 'serp', 'google', 'images', 'task_post'],
          data: {
            api: 'serp',
            function: 'task_post',
            se: 'google',
            se_type: 'images',
            keyword: 'cats',
            location_code: 2840,
            language_code: 'en',
            device: 'desktop',
            os: 'windows',
            priority: 2,
            depth: 100,
            postback_url: 'https://example.com/postback?id=$id',
            postback_data: 'advanced',
            tag: 'my-tag',
          },
          result: null,
        },
      ],
      { cost: 0.0006 },
    );
    expect(validateResponse('post', '/v3/serp/google/images/task_post', body)).toEqual([]);
    expect(validateResponse('post', '/v3/serp/google/images/task_post', body, { requireAllProperties: true })).toEqual([]);
  });

  it('checks typed additionalProperties maps but not the data echo pattern', () => {
    const mapsBody = (ratings: Record<string, unknown>) =>
      envelope([
        {
          id: TASK_ID,
          status_code: 20000,
          status_message: 'Ok.',
          time: '0.1 sec.',
          cost: 0,
          result_count: 1,
          path: ['v3', 'serp', 'google', 'maps', 'task_get', 'advanced', TASK_ID],
          data: { api: 'serp', keyword: 'pizza', location_code: 2840, nested: { a: [1, 'b'] }, flag: true },
          result: [
            {
              keyword: 'pizza',
              items: [{ type: 'maps_search', rank_group: 1, rank_absolute: 1, rating_distribution: ratings }],
            },
          ],
        },
      ]);
    const template = '/v3/serp/google/maps/task_get/advanced/{id}';
    expect(validateResponse('get', template, mapsBody({ '1': 3, '5': 10 }))).toEqual([]);
    expect(validateResponse('get', template, mapsBody({ '1': 3, '5': 'ten' }))).toEqual([
      'tasks[0].result[0].items[0].rating_distribution["5"]: expected integer, got string',
    ]);
  });

  it('reports missing envelope keys and non-object bodies', () => {
    const body: Record<string, unknown> = tasksReadyEnvelope();
    delete body.tasks_error;
    delete body.tasks;
    expect(validateResponse('get', '/v3/serp/google/images/tasks_ready', body)).toEqual([
      "(root): missing envelope key 'tasks_error'",
      "(root): missing envelope key 'tasks'",
    ]);
    expect(validateResponse('get', '/v3/serp/google/images/tasks_ready', null)).toEqual([
      '(root): expected a response envelope object, got null',
    ]);
    expect(validateResponse('get', '/v3/serp/google/images/tasks_ready', [])).toEqual([
      '(root): expected a response envelope object, got array',
    ]);
  });

  it('accepts an error envelope with tasks: null (e.g. auth failure)', () => {
    const body = envelope([], { status_code: 40100, status_message: 'You are not authorized.', tasks: null });
    expect(validateResponse('get', '/v3/serp/google/images/tasks_ready', body)).toEqual([]);
  });

  it('validateResponseForUrl finds the path template', () => {
    expect(findPathTemplate('get', '/v3/serp/google/images/task_get/advanced/abc')).toBe('/v3/serp/google/images/task_get/advanced/{id}');
    expect(findPathTemplate('get', `/v3/serp/google/images/task_get/html/${TASK_ID}/?x=1`)).toBe(
      '/v3/serp/google/images/task_get/html/{id}',
    );
    expect(findPathTemplate('get', '/v3/serp/google/images/tasks_ready/')).toBe('/v3/serp/google/images/tasks_ready');
    expect(findPathTemplate('post', '/v3/serp/google/images/task_get/advanced/abc')).toBeUndefined();

    expect(validateResponseForUrl('get', '/v3/serp/google/images/task_get/advanced/abc', taskGetAdvancedEnvelope())).toEqual([]);
    const items = defaultItems();
    (items[2] as Record<string, unknown>).rank_absolute = 'x';
    expect(validateResponseForUrl('get', '/v3/serp/google/images/task_get/advanced/abc', taskGetAdvancedEnvelope(items))).toEqual([
      'tasks[0].result[0].items[2].rank_absolute: expected integer, got string',
    ]);
    expect(validateResponseForUrl('get', '/v3/serp/nope/x', {})).toEqual([
      expect.stringMatching(/^no GET path template .* matches '\/v3\/serp\/nope\/x'$/),
    ]);
  });

  it('requireAllProperties flags a missing encoded_url in an images_search item', () => {
    const items = defaultItems();
    delete (items[2] as Record<string, unknown>).encoded_url;
    const body = taskGetAdvancedEnvelope(items);
    const template = '/v3/serp/google/images/task_get/advanced/{id}';
    expect(validateResponse('get', template, body)).toEqual([]);
    expect(validateResponse('get', template, body, { requireAllProperties: true })).toEqual([
      'tasks[0].result[0].items[2].encoded_url: missing property (declared by the schema)',
    ]);
  });

  it('requireAllProperties does not apply to envelope/task keys or data', () => {
    const body = tasksReadyEnvelope();
    const task = body.tasks[0] as Record<string, unknown>;
    delete task.time;
    delete task.path;
    task.data = { api: 'serp' };
    expect(validateResponse('get', '/v3/serp/google/images/tasks_ready', body, { requireAllProperties: true })).toEqual([]);
    delete ((task.result as unknown[])[0] as Record<string, unknown>).tag;
    expect(validateResponse('get', '/v3/serp/google/images/tasks_ready', body, { requireAllProperties: true })).toEqual([
      'tasks[0].result[0].tag: missing property (declared by the schema)',
    ]);
  });

  it('listPaths includes the tasks_ready endpoints', () => {
    const paths = listPaths();
    const has = (method: string, path: string) => paths.some((p) => p.method === method && p.path === path);
    expect(has('get', '/v3/serp/google/images/tasks_ready')).toBe(true);
    expect(has('get', '/v3/serp/tasks_ready')).toBe(true);
    expect(has('get', '/v3/serp/google/images/tasks_fixed')).toBe(true);
    expect(has('post', '/v3/serp/google/images/task_post')).toBe(true);
    // Not in the vendor document (documented on the website only):
    expect(has('get', '/v3/serp/google/tasks_ready')).toBe(false);
    expect(paths.find((p) => p.path === '/v3/serp/google/images/tasks_ready')?.operationId).toBe('GoogleImagesTasksReady');
  });
});
