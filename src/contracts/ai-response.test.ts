import { describe, expect, it } from 'vitest';
import { aiClean, toAiResponse } from './ai-response.js';

describe('AI-optimized responses', () => {
  it('drops empty, null and false fields, position and xpath; rounds floats to 3 decimals; maps monthly_searches', () => {
    const item = {
      type: 'organic',
      rank_group: 1,
      position: 'left',
      xpath: '/html[1]/body[1]',
      title: 'A',
      description: '',
      is_featured: false,
      is_paid: true,
      links: [],
      about: {},
      extra: { nested: null },
      cpc: 1.23456,
      competition: 0.1,
      zero: 0,
      monthly_searches: [
        { year: 2025, month: 3, search_volume: 201000 },
        { year: 2025, month: 11, search_volume: 90500 },
      ],
      list: [null, 1.00049, { a: false }],
    };
    expect(aiClean(item)).toEqual({
      type: 'organic',
      rank_group: 1,
      title: 'A',
      is_paid: true,
      cpc: 1.235,
      competition: 0.1,
      zero: 0,
      monthly_searches: { '2025-03': 201000, '2025-11': 90500 },
      list: [1],
    });
  });

  it('keeps monthly_searches of another shape as a cleaned list', () => {
    expect(aiClean({ monthly_searches: [{ date: '2025-01', search_volume: 5 }] })).toEqual({
      monthly_searches: [{ date: '2025-01', search_volume: 5 }],
    });
  });

  it('reduces the envelope to id, status_code, status_message and items per task', () => {
    const envelope = {
      version: '0.1',
      status_code: 20000,
      status_message: 'Ok.',
      time: '0.1 sec.',
      cost: 0.01,
      tasks_count: 1,
      tasks_error: 0,
      tasks: [
        {
          id: 'x',
          status_code: 20000,
          status_message: 'Ok.',
          time: '0.1 sec.',
          cost: 0.01,
          path: ['v3'],
          data: {},
          result: [{ a: 1, b: null }],
        },
      ],
    };
    expect(toAiResponse(envelope)).toEqual({ id: 'x', status_code: 20000, status_message: 'Ok.', items: [{ a: 1 }] });
    const two = { ...envelope, tasks: [envelope.tasks[0], { ...envelope.tasks[0], id: 'y', status_code: 40501, result: null }] };
    expect(toAiResponse(two)).toEqual([
      { id: 'x', status_code: 20000, status_message: 'Ok.', items: [{ a: 1 }] },
      { id: 'y', status_code: 40501, status_message: 'Ok.' },
    ]);
    expect(toAiResponse({ status_code: 40100, status_message: 'You are not authorized.', tasks: null })).toEqual({
      status_code: 40100,
      status_message: 'You are not authorized.',
    });
  });

  it('keeps countries only, and at most maxResults results, when told', () => {
    const rows = [
      { location_code: 2840, location_type: 'Country' },
      { location_code: 1023191, location_type: 'City' },
      { location_code: 2826, location_type: 'Country' },
    ];
    const envelope = { status_code: 20000, tasks: [{ id: 'l', status_code: 20000, status_message: 'Ok.', result: rows }] };
    expect((toAiResponse(envelope, { countriesOnly: true }) as { items: unknown[] }).items).toEqual([rows[0], rows[2]]);
    expect((toAiResponse(envelope, { maxResults: 2 }) as { items: unknown[] }).items).toEqual([rows[0], rows[1]]);
  });
});
