// Keyword intent: what a keyword asks for (a question, a how-to, a purchase, a place, news...),
// its topic without intent words, and a local business category. Organic, news, maps and YouTube
// renderers choose sites and SERP features from it; the word lists are in intent-words.ts.

import {
  CATEGORY_WORDS,
  COMMERCIAL_WORDS,
  FINANCE_WORDS,
  HEALTH_WORDS,
  HOWTO_PREFIXES,
  LOCAL_WORDS,
  NEWS_WORDS,
  QUESTION_PREFIXES,
  QUESTION_STARTS,
  RECIPE_WORDS,
  STRIP_WORDS,
  TECH_WORDS,
  TRAVEL_WORDS,
  VISUAL_WORDS,
  cat,
  type Category,
} from './intent-words.js';
import { capitalize, slugify, titleCase } from './serp-text.js';

export type { Category };

export interface Intent {
  question: boolean;
  howto: boolean;
  commercial: boolean;
  local: boolean;
  news: boolean;
  health: boolean;
  recipe: boolean;
  tech: boolean;
  travel: boolean;
  finance: boolean;
  visual: boolean;
  /** short, entity-like keyword (1–3 words, not a question or local/commercial query) */
  entity: boolean;
  /** the keyword without intent words */
  topic: string;
  /** local business category when local */
  category: Category | null;
}

const CATEGORY_MAP = new Map<string, Category>(CATEGORY_WORDS.map(([w, k]) => [w, k]));
const DEFAULT_CATEGORY = (topic: string): Category =>
  cat(
    capitalize(topic),
    slugify(topic, 'point_of_interest').split('-').join('_'),
    ['Store', 'Service establishment'],
    [titleCase(topic), 'Co.', 'Center', 'Services'],
    true,
    [9, 18],
  );

export function detectIntent(keyword: string): Intent {
  const lower = keyword.toLowerCase().trim();
  const words = lower.split(' ').filter((w) => w.length > 0);
  const has = (set: ReadonlySet<string>): boolean => words.some((w) => set.has(w));
  const first = words[0] ?? '';
  const question = QUESTION_STARTS.has(first) || lower.endsWith('?');
  let howto = false;
  let topic = lower.endsWith('?') ? lower.slice(0, -1) : lower;
  for (const p of HOWTO_PREFIXES) {
    if (topic.startsWith(p)) {
      howto = true;
      topic = topic.slice(p.length);
      break;
    }
  }
  if (!howto && question) {
    for (const p of QUESTION_PREFIXES) {
      if (topic.startsWith(p)) {
        topic = topic.slice(p.length);
        break;
      }
    }
  }
  let category: Category | null = null;
  for (let i = 0; i < words.length && category === null; i++) {
    const w = words[i];
    category = CATEGORY_MAP.get(w) ?? (i + 1 < words.length ? (CATEGORY_MAP.get(w + ' ' + words[i + 1]) ?? null) : null);
  }
  const nearMe = lower.includes('near me') || has(LOCAL_WORDS);
  const local = nearMe || (category !== null && !question);
  const stripped = topic
    .split(' ')
    .filter((w) => w.length > 0 && !STRIP_WORDS.has(w))
    .join(' ');
  if (stripped.length > 0) topic = stripped;
  if (topic.length === 0) topic = lower || 'search';
  if (local && category === null) category = DEFAULT_CATEGORY(topic);
  const commercial = !question && !local && has(COMMERCIAL_WORDS);
  return {
    question: question || howto,
    howto,
    commercial,
    local,
    news: has(NEWS_WORDS),
    health: has(HEALTH_WORDS),
    recipe: has(RECIPE_WORDS),
    tech: has(TECH_WORDS),
    travel: has(TRAVEL_WORDS),
    finance: has(FINANCE_WORDS),
    visual: has(VISUAL_WORDS),
    entity:
      !question &&
      !howto &&
      !local &&
      !commercial &&
      !has(HEALTH_WORDS) &&
      !has(RECIPE_WORDS) &&
      !has(TECH_WORDS) &&
      words.length >= 1 &&
      words.length <= 3,
    topic,
    category,
  };
}
