import { describe, expect, it } from 'vitest';
import { CATALOG, type CoordinateForm, type SeTypeDef, findSeType } from './catalog.js';
import { FALLBACK_LANGUAGE_CODE, OFFICIAL_LANGUAGE_CODES, officialLanguage } from './official-languages.js';
import { LANGUAGES, LOCATIONS } from './reference.js';
import { type TaskParse, parseCoordinate, parseTaskRequest } from './task-request.js';

/**
 * Per-type request rules (catalog `location`, `language`, `requiredAnyOf`), table-driven over the
 * catalog: every type is checked against its own rules, so a rule changed in the catalog is checked
 * the same way. The pinned cases at the end are the vendor's documented facts behind the rules.
 */

const key = (def: SeTypeDef) => `${def.se}/${def.seType}`;

/** The subject fields (and grouped required fields) of a type, without location or language. */
function subject(def: SeTypeDef): Record<string, unknown> {
  const task: Record<string, unknown> = {};
  if (def.subject === 'keyword' || def.subject === 'keyword_optional') task.keyword = 'albert einstein';
  if (def.subject === 'video_id') task.video_id = 'vQXvyV0zIP4';
  if (def.subject === 'dataset_id') task.dataset_id = 'L2cvMTFqbl85ZHN6MQ==';
  if (def.subject === 'image_url') task.image_url = 'https://example.com/einstein.png';
  for (const [field] of def.requiredAnyOf) if (field) task[field] = def.extraFields[field] === 'array' ? ['AR1'] : 'example.com';
  return task;
}

/** Location and language fields the type accepts, so that only the field under test is missing. */
function place(def: SeTypeDef): Record<string, unknown> {
  const p: Record<string, unknown> = {};
  if (def.location.presence !== 'none') p.location_code = 2840;
  if (def.language.presence !== 'none') p.language_code = 'en';
  return p;
}

function ok(def: SeTypeDef, input: Record<string, unknown>, mode: 'task_post' | 'live' = 'task_post') {
  const r = parseTaskRequest(def, input, mode);
  if (!r.ok) throw new Error(`${key(def)} ${JSON.stringify(input)}: refused on '${r.field}'`);
  return r;
}

function refusedOn(r: TaskParse): string | null {
  return r.ok ? null : r.field;
}

/** A valid coordinate of a form (zoom at its largest allowed value). */
function sample(f: CoordinateForm): string {
  if (f.form === 'zoom') return `52.6178549,-155.352142,${f.maxZoom}z`;
  if (f.form === 'radius') return '53.476225,-2.243572,200';
  return '53.476225,-2.243572';
}
const ALL_FORMS: CoordinateForm[] = [{ form: 'radius' }, { form: 'zoom', minZoom: 3, maxZoom: 21, defaultZoom: 17 }, { form: 'point' }];

const WITH_LOCATION = CATALOG.filter((d) => d.location.presence !== 'none');
const WITHOUT_LOCATION = CATALOG.filter((d) => d.location.presence === 'none');
const WITH_COORDINATE = WITH_LOCATION.filter((d) => d.location.coordinate.length > 0);
const WITHOUT_COORDINATE = WITH_LOCATION.filter((d) => d.location.coordinate.length === 0);
const WITH_LANGUAGE = CATALOG.filter((d) => d.language.presence !== 'none');
const WITHOUT_LANGUAGE = CATALOG.filter((d) => d.language.presence === 'none');

describe('location fields, per type', () => {
  it.each(WITH_LOCATION.map((d) => [key(d), d] as const))(
    '%s: by code (also as a numeric string) and by name in any letter case',
    (_, def) => {
      const byCode = ok(def, { ...subject(def), ...place(def), location_code: '2276' });
      expect(byCode.task).toMatchObject({ locationCode: 2276, locationName: 'Germany', countryIso: 'DE' });
      const byName = ok(def, { ...subject(def), ...place(def), location_code: undefined, location_name: 'berlin,BERLIN,germany' });
      expect(byName.task).toMatchObject({ locationCode: 1003854, locationName: 'Berlin,Berlin,Germany', countryIso: 'DE' });
      // The echo keeps the name as posted.
      expect(byName.data.location_name).toBe('berlin,BERLIN,germany');
      expect(refusedOn(parseTaskRequest(def, { ...subject(def), ...place(def), location_name: 'Nowhere,,Land' }, 'task_post'))).toBe(
        'location_name',
      );
      expect(refusedOn(parseTaskRequest(def, { ...subject(def), ...place(def), location_code: 1 }, 'task_post'))).toBe('location_code');
    },
  );

  it.each(WITH_LOCATION.map((d) => [key(d), d] as const))('%s: omitting the location follows the type’s rule', (_, def) => {
    const r = parseTaskRequest(def, { ...subject(def), ...place(def), location_code: undefined }, 'task_post');
    if (def.location.presence === 'required') {
      expect(r).toMatchObject({ ok: false, field: 'location_code' });
    } else {
      expect(r.ok && r.task.locationCode).toBeNull();
    }
  });

  it.each(WITH_COORDINATE.map((d) => [key(d), d] as const))('%s: location_coordinate in the type’s forms only', (_, def) => {
    for (const f of def.location.coordinate) {
      const r = ok(def, { ...subject(def), ...place(def), location_code: undefined, location_coordinate: ` ${sample(f)} ` });
      expect(r.task).toMatchObject({ locationCode: null, locationCoordinate: sample(f) });
      expect(r.data.location_coordinate).toBe(` ${sample(f)} `);
    }
    const forms = new Set(def.location.coordinate.map((f) => f.form));
    for (const other of ALL_FORMS.filter((f) => !forms.has(f.form))) {
      const r = parseTaskRequest(def, { ...subject(def), ...place(def), location_coordinate: sample(other) }, 'task_post');
      // A bare "latitude,longitude" is also a radius or zoom coordinate with its third part left out.
      if (other.form === 'point' && (forms.has('radius') || forms.has('zoom'))) continue;
      expect({ form: other.form, refused: refusedOn(r) }).toEqual({ form: other.form, refused: 'location_coordinate' });
    }
    for (const bad of ['@53.4,-2.2', '91,0', '53.12345678,-2.2', '53.4,-2.2,1,2']) {
      expect(refusedOn(parseTaskRequest(def, { ...subject(def), ...place(def), location_coordinate: bad }, 'task_post'))).toBe(
        'location_coordinate',
      );
    }
  });

  it.each(WITH_COORDINATE.filter((d) => d.location.coordinate.some((f) => f.form === 'zoom')).map((d) => [key(d), d] as const))(
    '%s: zoom within its bounds, the default zoom when left out',
    (_, def) => {
      const z = def.location.coordinate.find((f) => f.form === 'zoom')!;
      if (z.form !== 'zoom') throw new Error('unreachable');
      const base = { ...subject(def), ...place(def), location_code: undefined };
      expect(ok(def, { ...base, location_coordinate: `52.6178549,-155.352142,${z.minZoom}z` }).task.locationCoordinate).toBe(
        `52.6178549,-155.352142,${z.minZoom}z`,
      );
      expect(ok(def, { ...base, location_coordinate: '52.6178549,-155.352142' }).task.locationCoordinate).toBe(
        `52.6178549,-155.352142,${z.defaultZoom}z`,
      );
      for (const out of [z.minZoom - 1, z.maxZoom + 1]) {
        expect(refusedOn(parseTaskRequest(def, { ...base, location_coordinate: `52.6178549,-155.352142,${out}z` }, 'task_post'))).toBe(
          'location_coordinate',
        );
      }
    },
  );

  it.each(WITH_COORDINATE.filter((d) => d.location.coordinate.some((f) => f.form === 'radius')).map((d) => [key(d), d] as const))(
    '%s: radius from 199.9 to 199999, or left out',
    (_, def) => {
      const base = { ...subject(def), ...place(def), location_code: undefined };
      for (const good of ['53.476225,-2.243572,199.9', '53.476225,-2.243572,199999', '53.476225,-2.243572']) {
        expect(ok(def, { ...base, location_coordinate: good }).task.locationCoordinate).not.toBeNull();
      }
      for (const bad of ['53.476225,-2.243572,5', '53.476225,-2.243572,200000']) {
        expect(refusedOn(parseTaskRequest(def, { ...base, location_coordinate: bad }, 'task_post'))).toBe('location_coordinate');
      }
    },
  );

  it.each(WITHOUT_COORDINATE.map((d) => [key(d), d] as const))(
    '%s: has no location_coordinate: it is ignored, never a location',
    (_, def) => {
      const ignored = ok(def, { ...subject(def), ...place(def), location_coordinate: '@not a coordinate' });
      expect(ignored.data).not.toHaveProperty('location_coordinate');
      expect(ignored.task.locationCoordinate).toBeNull();
      const alone = parseTaskRequest(
        def,
        { ...subject(def), ...place(def), location_code: undefined, location_coordinate: sample(ALL_FORMS[0]!) },
        'task_post',
      );
      expect(refusedOn(alone)).toBe('location_code');
    },
  );

  it.each(WITHOUT_LOCATION.map((d) => [key(d), d] as const))('%s: has no location fields: posted ones are ignored', (_, def) => {
    const r = ok(def, { ...subject(def), location_code: 1, location_name: 'Nowhere,,Land', location_coordinate: '@53.4,-2.2' });
    for (const f of ['location_code', 'location_name', 'location_coordinate']) expect(r.data).not.toHaveProperty(f);
    expect(r.task).toMatchObject({ locationCode: null, locationName: null, countryIso: null, locationCoordinate: null });
  });
});

describe('language fields, per type', () => {
  it.each(WITH_LANGUAGE.map((d) => [key(d), d] as const))(
    '%s: by code and by name in any letter case; invalid ones are refused',
    (_, def) => {
      const base = { ...subject(def), ...place(def), language_code: undefined };
      expect(ok(def, { ...base, language_code: 'DE' }).task).toMatchObject({ languageCode: 'de', languageName: 'German' });
      const byName = ok(def, { ...base, language_name: 'german' });
      expect(byName.task).toMatchObject({ languageCode: 'de', languageName: 'German' });
      expect(byName.data).toMatchObject({ language_name: 'german' });
      expect(byName.data).not.toHaveProperty('language_code');
      expect(refusedOn(parseTaskRequest(def, { ...base, language_code: 'xx' }, 'task_post'))).toBe('language_code');
      expect(refusedOn(parseTaskRequest(def, { ...base, language_name: 'Klingon' }, 'task_post'))).toBe('language_name');
    },
  );

  it.each(WITH_LANGUAGE.map((d) => [key(d), d] as const))('%s: omitting the language follows the type’s rule and default', (_, def) => {
    // France, where the type has a location.
    const input = {
      ...subject(def),
      ...place(def),
      language_code: undefined,
      location_code: def.location.presence !== 'none' ? 2250 : undefined,
    };
    const r = parseTaskRequest(def, input, 'task_post');
    const d = def.language.default;
    if (d === null) {
      if (def.language.presence === 'required') expect(r).toMatchObject({ ok: false, field: 'language_code' });
      else expect(r.ok && r.task.languageCode).toBeNull();
      return;
    }
    const want = d.kind === 'fixed' ? d.languageCode : 'fr';
    expect(r.ok && r.task.languageCode).toBe(want);
    // Filled in the echo, after the posted fields, with the device and os defaults.
    expect(r.data.language_code).toBe(want);
    expect(Object.keys(r.data).slice(-3)).toEqual(['language_code', 'device', 'os']);
  });

  it.each(WITH_LANGUAGE.filter((d) => d.language.default?.kind === 'fixed').map((d) => [key(d), d] as const))(
    '%s: its only language matches whichever way its code is spelled',
    (_, def) => {
      const d = def.language.default!;
      if (d.kind !== 'fixed') throw new Error('unreachable');
      const base = { ...subject(def), ...place(def), language_code: undefined };
      for (const spelling of [d.languageCode, d.languageCode.replace(/_/g, '-'), d.languageCode.replace(/-/g, '_').toLowerCase()]) {
        expect(ok(def, { ...base, language_code: spelling }).task).toMatchObject({
          languageCode: d.languageCode,
          languageName: d.languageName,
        });
      }
      expect(ok(def, { ...base, language_name: d.languageName.toUpperCase() }).task.languageCode).toBe(d.languageCode);
    },
  );

  it.each(WITH_LANGUAGE.filter((d) => d.language.default?.kind === 'official').map((d) => [key(d), d] as const))(
    '%s: the official language of the location, however the location is given',
    (_, def) => {
      const base = { ...subject(def), ...place(def), language_code: undefined, location_code: undefined };
      expect(ok(def, { ...base, location_code: 2276 }).task.languageCode).toBe('de');
      expect(ok(def, { ...base, location_name: 'Paris,Paris,Ile-de-France,France' }).task.languageCode).toBe('fr');
      expect(ok(def, { ...base, location_code: 2392 }).task.languageCode).toBe('ja');
      // A posted language wins over the default.
      expect(ok(def, { ...base, location_code: 2276, language_name: 'English' }).task.languageCode).toBe('en');
      if (def.location.coordinate.length > 0) {
        // No country is known for bare coordinates: nothing is filled in.
        const r = ok(def, { ...base, location_coordinate: sample(def.location.coordinate[0]!) });
        expect(r.task.languageCode).toBeNull();
        expect(r.data).not.toHaveProperty('language_code');
      }
    },
  );

  it.each(WITHOUT_LANGUAGE.map((d) => [key(d), d] as const))('%s: has no language fields: posted ones are ignored', (_, def) => {
    const r = ok(def, { ...subject(def), ...place(def), language_code: 'xx', language_name: 'Klingon' });
    expect(r.data).not.toHaveProperty('language_code');
    expect(r.data).not.toHaveProperty('language_name');
    expect(r.task).toMatchObject({ languageCode: null, languageName: null });
  });
});

describe('fields required as a group', () => {
  const grouped = CATALOG.filter((d) => d.requiredAnyOf.length > 0);
  it('some type has such a group', () => expect(grouped.length).toBeGreaterThan(0));

  it.each(grouped.map((d) => [key(d), d] as const))('%s: any field of each group will do; none gives 40501 on the first', (_, def) => {
    const base = { ...subject(def), ...place(def) };
    for (const group of def.requiredAnyOf) {
      const without = Object.fromEntries(Object.entries(base).filter(([f]) => !group.includes(f)));
      expect(refusedOn(parseTaskRequest(def, without, 'task_post'))).toBe(group[0]);
      for (const f of group) {
        const value = def.extraFields[f] === 'array' ? ['AR1'] : 'example.com';
        expect(parseTaskRequest(def, { ...without, [f]: value }, 'task_post').ok).toBe(true);
        // An empty value is no value.
        expect(parseTaskRequest(def, { ...without, [f]: def.extraFields[f] === 'array' ? [] : '' }, 'task_post').ok).toBe(false);
      }
    }
  });
});

describe('the stored echo parses to the same task', () => {
  // The worker and task_get re-parse `data`: a filled default must survive that unchanged.
  it.each(CATALOG.map((d) => [key(d), d] as const))('%s', (_, def) => {
    const input: Record<string, unknown> = { ...subject(def) };
    if (def.location.presence !== 'none') input.location_name = 'Berlin,Berlin,Germany';
    if (def.language.presence === 'required') input.language_name = 'German';
    const first = ok(def, input);
    const again = ok(def, first.data);
    expect(again.task).toEqual(first.task);
    expect(again.data).toEqual(first.data);
  });
});

describe('what the vendor documents for the types of issue 10', () => {
  it('baidu/organic: no language given is Chinese (Simplified), zh_CN, echoed with the device defaults', () => {
    const r = ok(findSeType('baidu', 'organic')!, {
      location_code: 2156,
      keyword: 'best iphone ever',
      tag: 'some_string_123',
      priority: 2,
    });
    expect(r.task).toMatchObject({ languageCode: 'zh_CN', languageName: 'Chinese (Simplified)', locationCode: 2156 });
    expect(r.data).toMatchObject({ location_code: 2156, language_code: 'zh_CN', device: 'desktop', os: 'windows' });
  });

  it('naver/organic: a keyword alone is a task; location and language fields are not its fields', () => {
    const naver = findSeType('naver', 'organic')!;
    expect(ok(naver, { keyword: 'albert einstein' }).task).toMatchObject({ locationCode: null, languageCode: null });
    expect(ok(naver, { keyword: 'albert einstein', location_code: 2410, language_code: 'ko' }).data).not.toHaveProperty('location_code');
  });

  it('google/events: live without a language gets the location’s official language', () => {
    const events = findSeType('google', 'events')!;
    const r = ok(events, { keyword: 'concerts', location_name: 'Los Angeles,California,United States', date_range: 'today' }, 'live');
    expect(r.task).toMatchObject({ languageCode: 'en', countryIso: 'US' });
    expect(r.data.language_code).toBe('en');
  });

  it('google/images: still requires a location and a language (40501 names the field)', () => {
    const images = findSeType('google', 'images')!;
    expect(refusedOn(parseTaskRequest(images, { keyword: 'a', language_code: 'en' }, 'task_post'))).toBe('location_code');
    expect(refusedOn(parseTaskRequest(images, { keyword: 'a', location_code: 2840 }, 'task_post'))).toBe('language_code');
  });

  it('google/maps and google/local_finder take the zoom form the vendor documents', () => {
    expect(parseCoordinate('52.6178549,-155.352142,20z', findSeType('google', 'maps')!.location.coordinate)).toBe(
      '52.6178549,-155.352142,20z',
    );
    expect(parseCoordinate('52.6178549,-155.352142,20z', findSeType('google', 'local_finder')!.location.coordinate)).toBeNull();
    expect(parseCoordinate('53.476225,-2.243572,200', findSeType('bing', 'organic')!.location.coordinate)).toBeNull();
    expect(parseCoordinate('53.476225,-2.243572', findSeType('bing', 'organic')!.location.coordinate)).toBe('53.476225,-2.243572');
  });
});

describe('the official-language table', () => {
  const languageCodes = new Set(LANGUAGES.map((l) => l.language_code));
  const countries = new Set(LOCATIONS.filter((l) => l.location_code_parent === null).map((l) => l.country_iso_code));

  it('names only reference languages and reference countries', () => {
    for (const [iso, code] of OFFICIAL_LANGUAGE_CODES) {
      expect({ iso, known: countries.has(iso), language: languageCodes.has(code) }).toEqual({ iso, known: true, language: true });
    }
    expect(languageCodes.has(FALLBACK_LANGUAGE_CODE)).toBe(true);
  });

  it('gives every country a reference language, English where the table has none', () => {
    for (const iso of countries) expect(languageCodes.has(officialLanguage(iso).language_code)).toBe(true);
    expect(officialLanguage('us').language_code).toBe('en');
    expect(officialLanguage('BT').language_code).toBe(FALLBACK_LANGUAGE_CODE);
    expect(officialLanguage('CH').language_code).toBe('de');
    expect(officialLanguage('CN').language_code).toBe('zh-CN');
  });
});
