/**
 * On-Page crawls as the sandbox emulates them: a crawl task of `target` with `max_crawl_pages`
 * crawls at a steady rate from the moment it is posted, so its progress is a function of the clock
 * (time travel moves it): `in_progress` with the pages crawled so far until the task completes, then
 * `finished`. The site has a number of pages of its own (seeded by the target), so a crawl ends when
 * it reaches `max_crawl_pages` (`limit_exceeded`) or runs out of pages (`empty_queue`); a crawl that
 * completed before its pages were all crawled was ended by force_stop (`force_stopped`).
 *
 * The rate is serpq's choice (SPEC [I]; the vendor's crawls take seconds to hours): 10 pages a second.
 */
import { formatDateTime } from './time-format.js';

export const CRAWL_PAGES_PER_SECOND = 10;

export interface CrawlState {
  readonly progress: 'in_progress' | 'finished';
  readonly maxCrawlPages: number;
  readonly pagesCrawled: number;
  readonly pagesInQueue: number;
  /** `limit_exceeded`, `empty_queue` or `force_stopped` once finished; null while in progress. */
  readonly stopReason: string | null;
  /** When the crawl started and ended (`yyyy-mm-dd hh:mm:ss +00:00`); no end while in progress. */
  readonly start: string;
  readonly end: string | null;
}

/** The pages a site has: 25 to about 5,000, most sites small, seeded by its host. */
export function sitePages(target: string): number {
  const host = target
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .split('/')[0]!;
  let h = 0x811c9dc5;
  for (let i = 0; i < host.length; i++) h = Math.imul(h ^ host.charCodeAt(i), 0x01000193) >>> 0;
  const u = (h % 10_000) / 10_000;
  return 25 + Math.floor(5000 * u * u * u);
}

/** The pages a crawl will have crawled when it ends by itself. */
export function crawlTotal(target: string, maxCrawlPages: number): number {
  return Math.max(1, Math.min(maxCrawlPages, sitePages(target)));
}

/** How long a crawl takes when nothing stops it. */
export function crawlDurationMs(target: string, maxCrawlPages: number): number {
  return Math.ceil((crawlTotal(target, maxCrawlPages) * 1000) / CRAWL_PAGES_PER_SECOND);
}

/** The state of a crawl posted at `postedAt`, at `now`; `completedAt` when its task has completed. */
export function crawlState(target: string, maxCrawlPages: number, postedAt: number, now: number, completedAt: number | null): CrawlState {
  const total = crawlTotal(target, maxCrawlPages);
  const crawledBy = (t: number) => Math.max(0, Math.min(total, Math.floor(((t - postedAt) * CRAWL_PAGES_PER_SECOND) / 1000)));
  const start = formatDateTime(postedAt);
  if (completedAt === null) {
    // Not finished until the task completes: the last page is still being crawled.
    const crawled = Math.min(crawledBy(now), total - 1);
    return {
      progress: 'in_progress',
      maxCrawlPages,
      pagesCrawled: crawled,
      pagesInQueue: total - crawled,
      stopReason: null,
      start,
      end: null,
    };
  }
  const crawled = crawledBy(completedAt);
  const stopReason = crawled < total ? 'force_stopped' : total < maxCrawlPages ? 'empty_queue' : 'limit_exceeded';
  return {
    progress: 'finished',
    maxCrawlPages,
    pagesCrawled: crawled,
    pagesInQueue: 0,
    stopReason,
    start,
    end: formatDateTime(completedAt),
  };
}
