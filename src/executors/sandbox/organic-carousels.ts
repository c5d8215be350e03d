// The carousel SERP features of an organic page: top stories, images and videos.

import { STREAM_FEATURE } from './organic-context.js';
import { IMAGE_SEARCH, IMAGE_TITLE } from './organic-engines.js';
import { answerSource } from './organic-features.js';
import type { RenderCtx } from './organic-model.js';
import type { ImageElement, ImagesItem, TopStoriesElement, TopStoriesItem, VideoItem } from './organic-types.js';
import { IMG_MODS, USERS, VIDEO_TITLES } from './organic-vocab.js';
import { FastRng, deriveSeed } from './prng.js';
import { B64URL, DAY_MS, formatTimestamp, relativeAge } from './serp-text.js';
import { NEWS_HEADLINES, NEWS_SECTION_NAMES } from './serp-vocab.js';

/** Thumbnail URL prefix of news stories (Google's image cache). */
export const NEWS_IMAGE_PREFIX = 'https://encrypted-tbn0.gstatic.com/images?q=tbn:ANd9GcR';

/** Top stories: three to six stories of the market's publishers, minutes to two days old. */
export function buildTopStories(rc: RenderCtx, rankAbs: number, slot: number): TopStoriesItem {
  const rng = new FastRng(deriveSeed(rc.seed, STREAM_FEATURE + 60));
  const n = rng.int(3, 6);
  const items: TopStoriesElement[] = [];
  for (let i = 0; i < n; i++) {
    const src = rng.pick(rc.market.news);
    rc.ctx.site = src.name;
    rc.ctx.n = String(rng.int(2, 12));
    const age = rng.int(10, 60 * 48) * 60_000;
    items.push({
      type: 'top_stories_element',
      source: src.name,
      domain: src.domain,
      title: rng.pick(NEWS_HEADLINES)(rc.ctx),
      date: relativeAge(age),
      amp_version: false,
      timestamp: formatTimestamp(rc.now - age),
      url: 'https://' + src.domain + '/' + rng.pick(NEWS_SECTION_NAMES) + '/' + rc.ctx.tslug + '-' + rng.int(10_000_000, 99_999_999),
      image_url: NEWS_IMAGE_PREFIX + rng.chars(50, B64URL),
      badges: rng.chance(0.1) ? ['Live'] : [],
    });
  }
  return {
    type: 'top_stories',
    rank_group: 1,
    rank_absolute: rankAbs,
    page: 1,
    position: 'left',
    xpath: rc.engine.xpathBase + slot + ']',
    rectangle: null,
    title: 'Top stories',
    items,
  };
}

/** The images block: thumbnails from pages of the render's site pool, linking to the engine's image search. */
export function buildImages(rc: RenderCtx, rankAbs: number, slot: number): ImagesItem {
  const rng = new FastRng(deriveSeed(rc.seed, STREAM_FEATURE + 70));
  const search = IMAGE_SEARCH[rc.engine.se](rc);
  const items: ImageElement[] = [];
  const n = rng.int(4, 8);
  for (let i = 0; i < n; i++) {
    const src = answerSource(rc, rng);
    items.push({
      type: 'images_element',
      alt: rng.chance(0.5) ? rc.keyword : rc.keyword + ' ' + rng.pick(IMG_MODS),
      url: src.url,
      image_url: 'https://encrypted-tbn0.gstatic.com/images?q=tbn:ANd9GcT' + rng.chars(50, B64URL),
    });
  }
  return {
    type: 'images',
    rank_group: 1,
    rank_absolute: rankAbs,
    page: 1,
    position: 'left',
    xpath: rc.engine.xpathBase + slot + ']',
    rectangle: null,
    title: IMAGE_TITLE[rc.engine.se] + rc.keyword,
    url: search,
    items,
    related_image_searches:
      rc.engine.se === 'google'
        ? rng.sample(IMG_MODS, 4).map((m) => ({
            type: 'related_image_searches_element' as const,
            title: m,
            alt: rc.keyword + ' ' + m,
            url: search + '+' + m,
            image_url: 'https://encrypted-tbn0.gstatic.com/images?q=tbn:ANd9GcQ' + rng.chars(50, B64URL),
          }))
        : null,
  };
}

/** The video carousel: mostly YouTube, now and then TikTok. */
export function buildVideo(rc: RenderCtx, rankAbs: number, slot: number): VideoItem {
  const rng = new FastRng(deriveSeed(rc.seed, STREAM_FEATURE + 80));
  const n = rng.int(3, 4);
  const items: VideoItem['items'] = [];
  const titles = rng.sample(
    VIDEO_TITLES.filter((_, i) => rc.intent.howto || i !== 2),
    n,
  );
  for (let i = 0; i < n; i++) {
    rc.ctx.n = String(rng.int(3, 20));
    const id = rng.chars(11, B64URL);
    const yt = rng.chance(0.85);
    items.push({
      type: 'video_element',
      source: yt ? 'YouTube' : 'TikTok',
      preview: yt ? 'https://i.ytimg.com/vi/' + id + '/mqdefault.jpg' : null,
      title: titles[i](rc.ctx),
      timestamp: formatTimestamp(rc.now - rng.int(5, 1500) * DAY_MS),
      url: yt
        ? 'https://www.youtube.com/watch?v=' + id
        : 'https://www.tiktok.com/@' + rng.pick(USERS) + '/video/7' + rng.chars(18, '0123456789'),
    });
  }
  return {
    type: 'video',
    rank_group: 1,
    rank_absolute: rankAbs,
    page: 1,
    position: 'left',
    xpath: rc.engine.xpathBase + slot + ']',
    rectangle: null,
    items,
  };
}
