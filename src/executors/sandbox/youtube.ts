// Synthetic YouTube search results (youtube/organic task_get/advanced): `depth` youtube_video rows,
// sometimes led by the topic's channel or a sponsored video, with an occasional playlist and a
// "People also watched" shelf (block_rank/block_name) like the real results page.

import { FastRng, deriveSeed, hashString, type Rng } from './prng.js';
import type { SerpRenderInput } from './render-input.js';
import { detectIntent, type Intent } from './intent.js';
import { emptyCtx, tpls, type SerpCtx, type Tpl } from './serp-template.js';
import { B64URL, DAY_MS, compactName, encode, formatTimestamp, headline, parseDatetime, plusForm, relativeAge } from './serp-text.js';
import { FIRST_NAMES, SURNAMES } from './serp-vocab.js';
import { correctSpelling } from './vocab.js';

interface YtBase {
  type: string;
  rank_group: number;
  rank_absolute: number;
  block_rank: number | null;
  block_name: string | null;
  channel_id: string;
  url: string;
}

export interface YoutubeVideoItem extends YtBase {
  type: 'youtube_video' | 'youtube_video_paid';
  title: string;
  video_id: string;
  thumbnail_url: string;
  channel_name: string;
  channel_url: string;
  channel_logo: string;
  description: string | null;
  highlighted: string[] | null;
  badges: string[] | null;
  is_live: boolean;
  is_shorts: boolean;
  is_movie: boolean;
  views_count: number;
  publication_date: string | null;
  timestamp: string | null;
  duration_time: string | null;
  duration_time_seconds: number | null;
}

export interface YoutubeChannelItem extends YtBase {
  type: 'youtube_channel';
  name: string;
  logo: string;
  video_count: number;
  is_verified: boolean;
  description: string | null;
  highlighted: string[] | null;
}

export interface YoutubePlaylistItem extends YtBase {
  type: 'youtube_playlist';
  title: string;
  playlist_id: string;
  thumbnail_url: string;
  channel_name: string;
  channel_url: string;
  channel_logo: string;
  videos_count: number;
  preview_videos: Array<{ video_id: string; title: string; url: string; duration_time: string; duration_time_seconds: number }>;
}

export type YoutubeItem = YoutubeVideoItem | YoutubeChannelItem | YoutubePlaylistItem;

export interface YoutubeOrganicAdvancedResult {
  keyword: string;
  se_domain: string;
  location_code: number | null;
  language_code: string | null;
  check_url: string;
  datetime: string;
  spell: { keyword: string; type: string } | null;
  item_types: string[];
  se_results_count: number;
  items_count: number;
  items: YoutubeItem[];
}

const TITLES = tpls([
  '{Kw} - Everything You Need to Know',
  '{Topic} Explained in {n} Minutes',
  "I Tried {Topic} for 30 Days. Here's What Happened",
  "{Topic}: The Complete Beginner's Guide ({year})",
  'The Truth About {Topic}',
  '{n} {Topic} Tips Nobody Tells You',
  '{Topic} | Full Documentary',
  'Why {Topic} Is Everywhere Right Now',
  '{Kw} (Official Video)',
  '{Topic} in {n} Seconds #shorts',
  'Top {n} {Topic} Moments',
  '{Topic} vs Everything Else: Honest Comparison',
  '{Topic} Review - Worth It in {year}?',
  'Reacting to {Topic}',
  '{Topic} for Beginners - Step by Step',
]);
const HOWTO_TITLES = tpls([
  'How to {topic} (Easy Step-by-Step)',
  'How To {Topic} In Under {n} Minutes',
  'The EASIEST Way to {topic}',
  'How to {topic} - {n} Methods',
  '{Topic}: Beginner Tutorial',
]);
const DESCS = tpls([
  "In today's video we take a deep dive into {topic}. Don't forget to like and subscribe for more! Chapters: 0:00 Intro...",
  'Everything you need to know about {topic}. Links and resources mentioned in the video are in the description below.',
  "We tested {topic} so you don't have to. Let us know in the comments what you want to see next!",
  'Join me as I explore {topic}. Follow on Instagram for behind the scenes. #{compact}',
  'The ultimate guide to {topic}: tips, tricks and common mistakes. Timestamps below.',
]);
const CHANNEL_A = ['Daily', 'Simply', 'Just', 'Real', 'Pro', 'Curious', 'Smart', 'Epic', 'Honest', 'Urban', 'Mr', 'The'];
const CHANNEL_B = [
  'Tech',
  'Cooking',
  'Science',
  'Fitness',
  'Travel',
  'Explained',
  'Hub',
  'Lab',
  'Show',
  'TV',
  'Academy',
  'Guide',
  'Reviews',
  'Stories',
];
const BADGES = ['New', '4K', 'CC', 'HD'];
const BLOCK_NAMES = ['People also watched', 'For you', 'Previously watched', 'From related searches'];

interface YtCtx {
  input: SerpRenderInput;
  keyword: string;
  seed: number;
  now: number;
  intent: Intent;
  ctx: SerpCtx;
  highlighted: string[];
}

function channel(rng: Rng): { name: string; handle: string; id: string; logo: string } {
  let name: string;
  switch (rng.int(0, 2)) {
    case 0:
      name = rng.pick(CHANNEL_A) + ' ' + rng.pick(CHANNEL_B);
      break;
    case 1:
      name = rng.pick(FIRST_NAMES) + ' ' + rng.pick(SURNAMES);
      break;
    default:
      name = rng.pick(CHANNEL_A) + rng.pick(CHANNEL_B);
  }
  const handle = compactName(name) + (rng.chance(0.3) ? rng.int(1, 999) : '');
  return {
    name,
    handle,
    id: 'UC' + rng.chars(22, B64URL),
    logo: 'https://yt3.ggpht.com/' + rng.chars(40, B64URL) + '=s68-c-k-c0x00ffffff-no-rj',
  };
}

function duration(rng: Rng, shorts: boolean): [string, number] {
  const secs = shorts ? rng.int(8, 59) : rng.chance(0.15) ? rng.int(3600, 3 * 3600) : rng.int(60, 40 * 60);
  const h = Math.floor(secs / 3600);
  const m = Math.floor((secs % 3600) / 60);
  const s = secs % 60;
  const text = (h > 0 ? h + ':' + (m < 10 ? '0' : '') : '') + m + ':' + (s < 10 ? '0' : '') + s;
  return [text, secs];
}

function video(yc: YtCtx, rng: Rng, rank: number, rankAbs: number, paid: boolean, block: [number, string] | null): YoutubeVideoItem {
  const ch = channel(rng);
  const id = rng.chars(11, B64URL);
  const live = !paid && rng.chance(0.04);
  const shorts = !live && rng.chance(0.12);
  yc.ctx.n = String(rng.int(3, 15));
  const titles: Tpl[] = yc.intent.howto && rng.chance(0.7) ? HOWTO_TITLES : TITLES;
  const [dur, secs] = duration(rng, shorts);
  const ageDays = rng.chance(0.2) ? rng.int(0, 30) : rng.int(30, shorts ? 1400 : 3650);
  const age = ageDays * DAY_MS + rng.int(0, 86_399) * 1000;
  const views = Math.floor(Math.pow(10, 2 + rng.next() * 5.5));
  return {
    type: paid ? 'youtube_video_paid' : 'youtube_video',
    rank_group: rank,
    rank_absolute: rankAbs,
    block_rank: block ? block[0] : null,
    block_name: block ? block[1] : null,
    channel_id: ch.id,
    url: shorts ? 'https://www.youtube.com/shorts/' + id : 'https://www.youtube.com/watch?v=' + id,
    title: rng.pick(titles)(yc.ctx),
    video_id: id,
    thumbnail_url: 'https://i.ytimg.com/vi/' + id + (shorts ? '/oar2.jpg' : '/hq720.jpg'),
    channel_name: ch.name,
    channel_url: 'https://www.youtube.com/@' + ch.handle,
    channel_logo: ch.logo,
    description: shorts ? null : rng.pick(DESCS)(yc.ctx),
    highlighted: shorts ? null : yc.highlighted.slice(),
    badges: live ? ['LIVE'] : rng.chance(0.3) ? [rng.pick(BADGES)] : null,
    is_live: live,
    is_shorts: shorts,
    is_movie: false,
    views_count: live ? rng.int(50, 40_000) : views,
    publication_date: live ? null : relativeAge(age),
    timestamp: live ? null : formatTimestamp(yc.now - age),
    duration_time: live ? null : dur,
    duration_time_seconds: live ? null : secs,
  };
}

function channelItem(yc: YtCtx, rng: Rng, rankAbs: number): YoutubeChannelItem {
  const handle = yc.ctx.compact || 'channel';
  return {
    type: 'youtube_channel',
    rank_group: 1,
    rank_absolute: rankAbs,
    block_rank: null,
    block_name: null,
    channel_id: 'UC' + rng.chars(22, B64URL),
    url: 'https://www.youtube.com/@' + handle,
    name: yc.ctx.Kw,
    logo: 'https://yt3.ggpht.com/' + rng.chars(40, B64URL) + '=s88-c-k-c0x00ffffff-no-rj',
    video_count: rng.int(12, 4000),
    is_verified: rng.chance(0.7),
    description: 'Welcome to the official ' + yc.ctx.Kw + ' channel. Subscribe for new videos every week.',
    highlighted: yc.highlighted.slice(),
  };
}

function playlistItem(yc: YtCtx, rng: Rng, rankAbs: number): YoutubePlaylistItem {
  const ch = channel(rng);
  const count = rng.int(5, 120);
  const preview = [0, 1].map(() => {
    const id = rng.chars(11, B64URL);
    const [d, s] = duration(rng, false);
    yc.ctx.n = String(rng.int(2, 12));
    return {
      video_id: id,
      title: rng.pick(TITLES)(yc.ctx),
      url: 'https://www.youtube.com/watch?v=' + id,
      duration_time: d,
      duration_time_seconds: s,
    };
  });
  return {
    type: 'youtube_playlist',
    rank_group: 1,
    rank_absolute: rankAbs,
    block_rank: null,
    block_name: null,
    channel_id: ch.id,
    url: 'https://www.youtube.com/playlist?list=PL' + rng.chars(32, B64URL),
    title: yc.ctx.Topic + ' ' + rng.pick(['Playlist', 'Complete Series', 'Full Course', 'Collection', 'Mix']),
    playlist_id: '',
    thumbnail_url: 'https://i.ytimg.com/vi/' + preview[0].video_id + '/hqdefault.jpg',
    channel_name: ch.name,
    channel_url: 'https://www.youtube.com/@' + compactName(ch.name),
    channel_logo: ch.logo,
    videos_count: count,
    preview_videos: preview,
  };
}

/** youtube/organic task_get/advanced: `depth` youtube_video items plus an occasional channel, ad or playlist. */
export function renderYoutubeOrganicAdvanced(input: SerpRenderInput): YoutubeOrganicAdvancedResult {
  const keyword = input.keyword ?? '';
  const intent = detectIntent(keyword);
  const now = parseDatetime(input.datetime);
  const ctx = emptyCtx();
  ctx.kw = keyword;
  ctx.Kw = headline(keyword);
  ctx.topic = intent.topic;
  ctx.Topic = headline(intent.topic);
  ctx.compact = compactName(keyword);
  ctx.year = String(new Date(now).getUTCFullYear());
  const highlighted = [keyword];
  const yc: YtCtx = {
    input,
    keyword,
    now,
    intent,
    ctx,
    highlighted,
    seed: hashString(
      'youtube\u0001' + keyword + '\u0001' + (input.locationCode ?? '') + '\u0001' + (input.languageCode ?? '') + '\u0001' + input.device,
    ),
  };
  const depth = Math.max(0, Math.floor(input.depth));
  const layout = new FastRng(deriveSeed(yc.seed, 1_000_001));
  const items: YoutubeItem[] = [];
  if (depth > 0 && intent.entity && layout.chance(0.35))
    items.push(channelItem(yc, new FastRng(deriveSeed(yc.seed, 1_000_002)), items.length + 1));
  if (depth > 0 && intent.commercial && layout.chance(0.5)) {
    items.push(video(yc, new FastRng(deriveSeed(yc.seed, 1_000_003)), 1, items.length + 1, true, null));
  }
  const playlistAt = layout.chance(0.3) ? layout.int(3, 12) : -1;
  const shelfAt = layout.chance(0.4) ? layout.int(5, 14) : -1;
  const shelfName = layout.pick(BLOCK_NAMES);
  let shelfRank = 0;
  for (let i = 0; i < depth; i++) {
    if (i === playlistAt) items.push(playlistItem(yc, new FastRng(deriveSeed(yc.seed, 1_000_004)), items.length + 1));
    const inShelf = shelfAt >= 0 && i >= shelfAt && i < shelfAt + 4;
    items.push(video(yc, new FastRng(deriveSeed(yc.seed, i)), i + 1, items.length + 1, false, inShelf ? [++shelfRank, shelfName] : null));
  }
  for (const it of items) if (it.type === 'youtube_playlist') it.playlist_id = it.url.slice(it.url.indexOf('list=') + 5);
  const types: string[] = [];
  for (const it of items) if (!types.includes(it.type)) types.push(it.type);
  const corrected = correctSpelling(keyword);
  return {
    keyword,
    se_domain: input.seDomain,
    location_code: input.locationCode,
    language_code: input.languageCode,
    check_url:
      'https://www.youtube.com/results?search_query=' +
      plusForm(keyword) +
      '&hl=' +
      encode(input.languageCode ?? 'en') +
      (input.countryIso ? '&gl=' + encode(input.countryIso.toUpperCase()) : ''),
    datetime: input.datetime,
    spell: corrected === null ? null : { keyword: corrected, type: 'showing_results_for' },
    item_types: types,
    se_results_count: 0,
    items_count: items.length,
    items,
  };
}
