/**
 * The request examples of the vendor's official OpenAPI file (../shared/dataforseo/openapi-serp.yaml,
 * `requestBody.content['application/json'].schema.example`) are what people copy first. Every
 * task_post and live example is posted as published and must be accepted (20100 per task, 20000 for
 * live), echo every field it posted in `data`, and read back through every task_get function its
 * type has (catalog) with answers valid against the official response schemas.
 *
 * The second part holds the catalog's per-type request rules against the request schemas of every
 * task_post and live path: which location, language and coordinate fields each type has, whether
 * they are required, the documented defaults and coordinate forms. The rules live in the catalog;
 * the file only checks them, and everything here skips when it is absent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG, type CoordinateForm, type ResultFunction, type SeTypeDef, findSeType } from '../../src/domain/catalog.js';
import { type TestApp, makeTestApp } from '../helpers/app.js';
import { type RequestDoc, type RequestField, openapiAvailable, requestDocs, validateResponseForUrl } from '../helpers/openapi.js';

const AVAILABLE = openapiAvailable();
const STRICT = { requireAllProperties: true } as const;
const PATH_RE = /^\/v3\/serp\/([a-z]+)\/([a-z_]+)\/(task_post|live\/(regular|advanced|html))$/;
/** Every task_post and live path of the file, with its request schema and example. */
const DOCS: RequestDoc[] = AVAILABLE ? requestDocs(PATH_RE) : [];
const EXAMPLES = DOCS.filter((d) => Array.isArray(d.example) && d.example.length > 0);

function typeOf(path: string): { def: SeTypeDef | undefined; live: ResultFunction | null } {
  const m = PATH_RE.exec(path)!;
  return { def: findSeType(m[1]!, m[2]!), live: (m[4] as ResultFunction | undefined) ?? null };
}

describe.skipIf(!AVAILABLE)('the official request examples are accepted', () => {
  let t: TestApp;
  const posted: Array<{ def: SeTypeDef; id: string; from: string }> = [];

  beforeAll(async () => {
    t = await makeTestApp();
    await t.app.store.updateAccount('demo', { limits: { requestsPerMinute: 100_000 }, balanceMicro: 1_000_000_000 });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('the file has examples, each for a path of a catalog type', () => {
    expect(EXAMPLES.length).toBeGreaterThan(0);
    for (const { path } of EXAMPLES) {
      const { def, live } = typeOf(path);
      expect({ path, known: def !== undefined, live: live === null || def!.live.includes(live) }).toEqual({
        path,
        known: true,
        live: true,
      });
    }
  });

  it.each(EXAMPLES.map((d) => [d.path, d] as const))('POST %s', async (path, doc) => {
    const { def, live } = typeOf(path);
    const example = doc.example as Record<string, unknown>[];
    const res = await t.request('POST', path, { body: example });
    expect(res.status).toBe(200);
    expect(res.body.status_code).toBe(20000);
    const tasks = res.body.tasks ?? [];
    expect(tasks).toHaveLength(example.length);
    tasks.forEach((task, i) => {
      expect({ i, code: task.status_code, message: task.status_message }).toEqual({
        i,
        code: live ? 20000 : 20100,
        message: live ? 'Ok.' : 'Task Created.',
      });
      // Every field of the example is a field of the type: all of it is echoed.
      expect(task.data).toMatchObject({
        ...example[i],
        api: 'serp',
        function: live ? 'live' : 'task_post',
        se: def!.se,
        se_type: def!.seType,
      });
      posted.push({ def: def!, id: task.id, from: path });
    });
    expect(res.body.tasks_error).toBe(0);
    expect(validateResponseForUrl('post', path, res.body, STRICT)).toEqual([]);
  });

  it('every task they created reads back through every task_get function of its type', async () => {
    expect(posted.length).toBe(EXAMPLES.reduce((n, d) => n + (d.example as unknown[]).length, 0));
    await t.runWorkers();
    for (const { def, id, from } of posted) {
      for (const fn of def.getFunctions) {
        const url = `/v3/serp/${def.se}/${def.seType}/task_get/${fn}/${id}`;
        const res = await t.request('GET', url);
        const task = res.body.tasks?.[0];
        expect({ from, url, code: task?.status_code, results: task?.result_count }).toEqual({ from, url, code: 20000, results: 1 });
        expect({ from, url, errors: validateResponseForUrl('get', url, res.body, STRICT) }).toEqual({ from, url, errors: [] });
      }
    }
  });
});

/* ------------------------------------------------------------------------- */
/* The catalog's request rules against the request schemas                    */
/* ------------------------------------------------------------------------- */

type Said = 'required' | 'optional';

/**
 * What a field's description says about it. "optional field if you specify X" (google organic
 * live/advanced) means what "required field if you don't specify X" says on the other paths.
 */
function said(f: RequestField): Said {
  const d = f.description.toLowerCase();
  if (/\brequired field\b/.test(d) || /\boptional field if you specify\b/.test(d)) return 'required';
  return 'optional';
}

const QUOTE = `["“”']`;
/** The coordinate form a location_coordinate description documents (no format stated: a bare point). */
function documentedForm(f: RequestField): CoordinateForm {
  const d = f.description;
  if (new RegExp(`${QUOTE}latitude,longitude,zoom${QUOTE}`).test(d)) {
    const num = (re: RegExp) => Number(re.exec(d)?.[1]);
    return {
      form: 'zoom',
      minZoom: num(new RegExp(`minimum value for ${QUOTE}zoom${QUOTE}: (\\d+)z`)),
      maxZoom: num(new RegExp(`maximum value for ${QUOTE}zoom${QUOTE}: (\\d+)z`)),
      defaultZoom: num(/(\d+)z will be applied as a default/),
    };
  }
  if (new RegExp(`${QUOTE}latitude,longitude,radius${QUOTE}`).test(d)) return { form: 'radius' };
  return { form: 'point' };
}

const word = (s: string) => new RegExp(`(^|[\\s:(])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[\\s.,;)])`);

describe.skipIf(!AVAILABLE)('the catalog’s request rules follow the request schemas', () => {
  const byType = new Map<SeTypeDef, RequestDoc[]>();
  for (const doc of DOCS) {
    const { def } = typeOf(doc.path);
    if (def) byType.set(def, [...(byType.get(def) ?? []), doc]);
  }
  const documented = CATALOG.filter((d) => byType.has(d));

  it('documents every catalog type but bing/local_pack (the vendor publishes no schema for it)', () => {
    expect(CATALOG.filter((d) => !byType.has(d)).map((d) => `${d.se}/${d.seType}`)).toEqual(['bing/local_pack']);
    expect(DOCS.every((d) => typeOf(d.path).def !== undefined)).toBe(true);
  });

  it.each(documented.map((d) => [`${d.se}/${d.seType}`, d] as const))('%s', (_, def) => {
    const usedForms = new Set<string>();
    for (const { path, fields } of byType.get(def)!) {
      const has = (f: string) => fields.has(f);

      // Location: fields present exactly where the type has them; required as documented.
      expect({ path, location: has('location_code') || has('location_name') }).toEqual({
        path,
        location: def.location.presence !== 'none',
      });
      if (has('location_code'))
        expect({ path, location: said(fields.get('location_code')!) }).toEqual({ path, location: def.location.presence });
      expect({ path, coordinate: has('location_coordinate') }).toEqual({ path, coordinate: def.location.coordinate.length > 0 });
      if (has('location_coordinate')) {
        const form = documentedForm(fields.get('location_coordinate')!);
        const same = def.location.coordinate.find((f) => f.form === form.form);
        expect({ path, form: same }).toEqual({ path, form });
        usedForms.add(form.form);
      }

      // Language: the same, and a relaxed requirement only with a default the schema documents.
      expect({ path, language: has('language_code') }).toEqual({ path, language: def.language.presence !== 'none' });
      const code = fields.get('language_code');
      const name = fields.get('language_name');
      if (code && name) {
        const rule = def.language;
        if (said(code) === 'optional') expect({ path, language: rule.presence }).toEqual({ path, language: 'optional' });
        if (rule.presence === 'required') expect({ path, language: said(code) }).toEqual({ path, language: 'required' });
        if (rule.default?.kind === 'fixed') {
          expect({ path, code: word(rule.default.languageCode).test(code.description) }).toEqual({ path, code: true });
          expect({ path, name: name.description.includes(rule.default.languageName) }).toEqual({ path, name: true });
        }
        if (rule.default?.kind === 'official')
          expect({ path, official: /official languages?/.test(code.description) }).toEqual({ path, official: true });
        if (said(code) === 'optional' && /official languages?/.test(code.description)) expect(rule.default?.kind).toBe('official');
      }

      // The subject: a required keyword, or the field that replaces it.
      const keyword = fields.get('keyword');
      expect({ path, keyword: keyword ? said(keyword) : 'absent' }).toEqual({
        path,
        keyword:
          def.subject === 'keyword'
            ? 'required'
            : def.subject === 'keyword_optional'
              ? expect.stringMatching(/^(absent|optional)$/)
              : 'absent',
      });
      if (def.subject !== 'keyword' && def.subject !== 'keyword_optional') {
        expect({ path, subject: fields.has(def.subject) && said(fields.get(def.subject)!) }).toEqual({ path, subject: 'required' });
      }

      // Fields required as a group: each documented as required when the others are missing.
      for (const group of def.requiredAnyOf) {
        for (const f of group) {
          expect({ path, f, conditional: /required field if/.test(fields.get(f)?.description ?? '') }).toEqual({
            path,
            f,
            conditional: true,
          });
        }
      }
    }
    // No coordinate form the vendor documents for none of the type's paths.
    expect(def.location.coordinate.map((f) => f.form).filter((f) => !usedForms.has(f))).toEqual([]);
  });
});
