// DATA TABLE (no logic): word lists shared by the organic, news, maps and YouTube renderers
// (people's names, business adjectives, blog-name parts, news sections, headline and snippet
// templates). Helpers live in serp-text.ts, serp-template.ts, place.ts and intent.ts.

import { tpls, type Tpl } from './serp-template.js';

// Kept for existing importers of escapeHtml from here.
export { escapeHtml } from './html.js';

export const FIRST_NAMES = [
  'James',
  'Maria',
  'David',
  'Sarah',
  'Michael',
  'Emma',
  'Daniel',
  'Olivia',
  'Chris',
  'Sophie',
  'Alex',
  'Laura',
  'Ryan',
  'Hannah',
  'Kevin',
  'Priya',
  'Tom',
  'Elena',
  'Marco',
  'Yuki',
  'Lucas',
  'Anna',
  'Omar',
  'Julia',
];
export const SURNAMES = [
  'Smith',
  'Johnson',
  'Garcia',
  'Miller',
  'Brown',
  'Davis',
  'Martinez',
  'Wilson',
  'Anderson',
  'Taylor',
  'Thomas',
  'Moore',
  'Lee',
  'Walker',
  'Hall',
  'Young',
  'King',
  'Wright',
  'Lopez',
  'Hill',
  'Green',
  'Baker',
  'Nelson',
  'Carter',
  'Rossi',
  'Müller',
  'Dubois',
  'Tanaka',
  'Kim',
  'Novak',
];
export const ADJECTIVES = [
  'Golden',
  'Blue',
  'Urban',
  'Little',
  'Royal',
  'Green',
  'Happy',
  'Original',
  'Classic',
  'Modern',
  'Rustic',
  'Sunny',
  'Silver',
  'Red',
  'Corner',
  'Old Town',
  'Downtown',
  'Main Street',
  'Lucky',
  'Family',
];

export const BLOG_PARTS: readonly (readonly string[])[] = [
  ['the', 'my', 'daily', 'simple', 'modern', 'smart', 'happy', 'urban', 'wild', 'honest', 'true', 'clever'],
  ['guide', 'home', 'tech', 'life', 'money', 'travel', 'food', 'health', 'style', 'craft', 'garden', 'gear'],
  ['hub', 'journal', 'lab', 'insider', 'corner', 'diaries', 'blog', 'mag', 'notes', 'review', 'bee', 'nest'],
];
export const BLOG_TLDS = ['.com', '.com', '.com', '.net', '.org', '.co', '.io', '.blog'];

export const NEWS_SECTION_NAMES: readonly string[] = [
  'news',
  'world',
  'business',
  'technology',
  'politics',
  'science',
  'health',
  'sport',
  'culture',
  'lifestyle',
  'us-news',
  'local',
];

/** Headline templates; {site} is the publisher, {n} a small number, {city} the task's city. */
export const NEWS_HEADLINES: readonly Tpl[] = tpls([
  '{Topic}: what we know so far',
  "What's next for {topic} after this week's surprise",
  '{Topic} explained: {n} key questions answered',
  'Live updates: {topic} latest',
  'Why everyone is talking about {topic}',
  '{Topic} sees biggest change in {n} years, experts say',
  'Opinion: The real story behind {topic}',
  '{Topic} in {city}: officials respond',
  'How {topic} could affect you',
  '{Topic} latest: {n} things to know today',
  'Inside the fight over {topic}',
  '{Topic} hits new record as demand grows',
  'Analysis: {topic} and what it means for {year}',
  '{Topic}: new report raises fresh questions',
  'The {topic} debate, explained',
  "{Topic} update: here's the latest",
  'Experts weigh in on {topic}',
  '{Topic} draws crowds in {city}',
]);

export const NEWS_SNIPPETS: readonly Tpl[] = tpls([
  'The latest developments on {topic} have prompted a wave of reactions, with analysts warning that the coming weeks will be decisive.',
  'Officials said on {day} that {topic} would remain a priority, as questions mount over the timeline and the costs involved.',
  '{Topic} has become one of the most discussed subjects this year. Here is what you need to know and what could happen next.',
  'New figures released this week shed light on {topic}, showing a sharp change compared with the same period last year.',
  'Residents in {city} say {topic} is already affecting daily life, and many are calling for clearer answers.',
]);
