// DATA TABLE (no logic): the words of organic SERPs: default titles and snippets per site kind,
// snippets for the Chinese, Korean and Czech engines, related-search modifiers, ad copy, People Also
// Ask questions and answers, video titles and knowledge-graph subtitles. Templates use the
// {placeholders} of SerpCtx (serp-template.ts) and are compiled once here. Long by nature.

import type { Kind } from './organic-model.js';
import { tpls } from './serp-template.js';

/* Kind defaults (English). Titles and snippets always mention the keyword or topic. */
export const KIND_TITLES: Partial<Record<Kind, string[]>> = {
  blog: [
    '{Kw}: The Complete Guide ({year})',
    'Everything You Need to Know About {Topic}',
    '{n} Things to Know About {Topic}',
    "{Kw} Explained: A Beginner's Guide",
    'What Is {Topic}? (And Why It Matters)',
    'The Ultimate Guide to {Topic} - {site}',
    '{Topic}: Tips, Ideas and Common Mistakes',
    'Our Honest Take on {Topic} | {site}',
  ],
  news: ['{Topic}: what we know so far | {site}', '{Topic} - latest news and analysis | {site}', 'Why {topic} matters right now - {site}'],
  brand: ['{Kw} | Official Site', '{Kw} - Official Website', 'Home | {Kw}'],
};

export const KIND_DESCS: Partial<Record<Kind, string[]>> = {
  ref: [
    '{Kw} has a long and varied history. This article covers its origins, key developments, notable figures and its influence today.',
    'An overview of {topic}, including its definition, history, main characteristics and related concepts, with references and further reading.',
    '{Topic} is widely studied and discussed. Learn about its background, the most important facts, and how our understanding of {topic} has changed.',
  ],
  dict: [
    'The meaning of {kw}: definition, pronunciation, synonyms and example sentences showing how to use {kw} in context.',
    '{Kw} definition: learn what {kw} means, how it is pronounced and how it is used, with examples from real texts.',
  ],
  news: [
    'Follow the latest developments on {topic}, with analysis, reactions and what happens next. Updated as the story unfolds.',
    'Get the latest news on {topic}: breaking stories, expert analysis, photos and video from our reporters around the world.',
  ],
  shop: [
    'Shop {topic} at great prices. Free shipping on eligible orders, easy returns and thousands of customer reviews.',
    'Find a wide selection of {topic}. Compare brands, read reviews and get fast delivery on millions of items.',
    'Browse our range of {topic} and save. Order online for delivery or pick up in store today.',
  ],
  review: [
    'We tested dozens of {topic} options to find the best ones. Here are our top picks for every budget, with pros and cons.',
    'Looking for the best {topic}? Our experts compared performance, price and reliability to help you choose.',
    "The best {topic} we've tested in {year}, ranked. Updated regularly with new models and price drops.",
  ],
  forum: [
    "I've been looking into {topic} for a while and wanted to hear from people with real experience. Any recommendations?",
    "Honest opinions on {kw}? I'm trying to decide and the reviews online are all over the place. Thanks in advance!",
    'Discussion thread about {topic}. Share your experience, tips and what you would do differently.',
  ],
  qa: [
    'Answer (1 of {n}): It depends on what you need. For most people, {topic} comes down to a few key factors...',
    'There are several ways to look at {topic}. Here is what I learned after years of experience with {kw}.',
  ],
  video: [
    'In this video we cover {topic} from start to finish. Subscribe for more videos like this! Timestamps in the description.',
    'Everything you need to know about {topic} in {n} minutes. Watch the full video for tips, examples and common mistakes.',
  ],
  social: [
    '{Kw}. {n} likes · {id} talking about this. The latest updates, photos and videos about {topic}.',
    'See photos and videos about {topic} from people around the world. Join the conversation.',
  ],
  blog: [
    'Curious about {topic}? In this guide we break down everything you need to know about {kw}, with practical tips and examples.',
    '{Kw} can be confusing at first. Here is a simple, step-by-step explanation with real-world examples and expert advice.',
    'We put together the most useful facts, tips and resources about {topic}, so you can get started quickly and avoid common mistakes.',
    'A practical look at {topic}: what it is, how it works, the pros and cons, and what to consider before you decide.',
  ],
  gov: [
    'Official information about {topic}: guidance, eligibility, how to apply and where to get help.',
    'Learn about {topic}, including official resources, data and frequently asked questions.',
  ],
  edu: [
    'An introduction to {topic} for students: key ideas, worked examples and further reading.',
    'Research and teaching resources on {topic}, from foundations to the latest findings.',
  ],
  howto: [
    'Learn how to {topic} with this easy step-by-step guide. Includes pictures, tips and a list of everything you need.',
    'Want to {topic}? Follow these simple steps. It takes about {n} minutes and no special skills.',
  ],
  health: [
    '{Topic}: learn about symptoms, causes, risk factors, diagnosis and treatment options, and when to see a doctor.',
    'Find out what {topic} is, what causes it and how it is treated. Reviewed by medical experts.',
  ],
  recipe: [
    'This easy {topic} recipe is ready in {n} minutes. Simple ingredients, step-by-step instructions and tips for the best results.',
    'The best {topic} recipe! Rated by thousands of home cooks. Includes ingredient list, nutrition facts and cooking tips.',
  ],
  tech: [
    "I'm trying to get {topic} working but I keep running into problems. Here is what I tried and the error I get...",
    'Learn {topic} with clear explanations and examples. Syntax, parameters, return values and common pitfalls.',
  ],
  travel: [
    'Plan your trip: the best things to do, where to stay and what to eat in {city}. Read reviews and compare prices for {topic}.',
    'Discover {topic} with our travel guide: top attractions, local tips, itineraries and deals.',
  ],
  finance: [
    "{Topic} explained: how it works, the pros and cons, and how to decide if it's right for your finances.",
    'Compare {topic} options and rates. Our experts explain what to look for and the costs involved.',
  ],
  local: [
    'Find the best {topic} in {city}. Read reviews, see photos and compare ratings, hours and prices.',
    'Top {topic} near {city}: reviews from locals, opening hours, menus and directions.',
  ],
  brand: [
    'Welcome to the official site of {Kw}. Discover our products and services, latest news and how to get in touch.',
    '{Kw} - official website. Explore, shop and find support. Free delivery on eligible orders.',
  ],
};

/** Snippets of the national engines, by their language (every site kind shares them). */
export const LOCAL_DESCS: Record<string, string[]> = {
  zh: [
    '{kw}的详细介绍,包括基本信息、发展历史、主要特点以及相关知识。',
    '关于{kw}的最新资讯和用户讨论,看看大家怎么说。',
    '{kw}怎么样?这里有最全面的{kw}攻略、评测和经验分享。',
  ],
  ko: [
    '{kw}에 대한 모든 정보를 정리했습니다. 장단점과 가격, 실제 후기까지 확인해 보세요.',
    '{kw} 관련 최신 정보와 사용자 후기를 한눈에 비교해 보세요.',
    '{kw} 방법과 꿀팁 총정리! 처음 하시는 분들도 쉽게 따라 할 수 있습니다.',
  ],
  cs: [
    'Vše, co potřebujete vědět o tématu {kw}: přehled, ceny, recenze a praktické tipy.',
    '{Kw} – aktuální informace, srovnání a zkušenosti uživatelů.',
    'Hledáte {kw}? Porovnejte nabídky, přečtěte si recenze a vyberte to nejlepší.',
  ],
};

/** Modifiers that go before the topic ("best pizza"); the others follow it ("pizza menu"). */
export const PREFIX_MODS = new Set(['best', 'cheap', 'top']);
/** Related-search and refinement-chip modifiers by the keyword's first intent. */
export const RELATED_MODS: Record<string, string[]> = {
  info: ['meaning', 'definition', 'history', 'facts', 'examples', 'wikipedia', 'types', 'explained', 'for kids', 'pdf'],
  commercial: ['reviews', 'price', 'near me', 'sale', 'best', 'cheap', 'reddit', 'amazon', 'alternatives', 'vs'],
  local: ['near me', 'open now', 'reviews', 'prices', 'hours', 'delivery', 'best', 'menu'],
  howto: ['step by step', 'for beginners', 'video', 'easy', 'youtube', 'at home', 'without tools', 'tips'],
  news: ['today', 'latest news', 'live', 'update', 'reddit', 'twitter', 'timeline', 'explained'],
};

/** Fallback titles of a site that has none of its own and whose kind has no defaults. */
export const GENERIC_TITLES = tpls(['{Kw} - {site}', '{Topic} | {site}', '{Kw}: Overview and Key Facts - {site}']);

/** URL paths of the market's news publishers when they rank as organic results. */
export const NEWS_PATHS = tpls(['{year}/{sect}/{tslug}-{id}', '{sect}/{tslug}/{id}', 'news/{sect}/{tslug}.html', 'article/{tslug}-{h}']);

/** Subreddits of Reddit results, by the keyword's dominant intent. */
export const SUBS_BY: Record<string, string[]> = {
  tech: ['programming', 'learnprogramming', 'webdev', 'techsupport', 'sysadmin'],
  health: ['AskDocs', 'Health', 'nutrition', 'medicine'],
  recipe: ['Cooking', 'recipes', 'Baking', 'EatCheapAndHealthy'],
  travel: ['travel', 'solotravel', 'TravelHacks'],
  finance: ['personalfinance', 'investing', 'financialindependence'],
  commercial: ['BuyItForLife', 'Frugal', 'gadgets', 'deals'],
  howto: ['NoStupidQuestions', 'DIY', 'lifehacks', 'howto'],
  news: ['news', 'worldnews', 'politics'],
  default: ['AskReddit', 'explainlikeimfive', 'NoStupidQuestions', 'todayilearned', 'history', 'science', 'OutOfTheLoop'],
};

/** User names in forum, Medium, GitHub and TikTok URLs. */
export const USERS = [
  'jmartin',
  'techwithtim',
  'sarah_k',
  'devnotes',
  'mike.codes',
  'annareads',
  'the_real_dan',
  'lwong',
  'greenthumb',
  'pixelpusher',
  'nomadnina',
  'chefmarco',
];

/** Sitelinks of an encyclopedia result (its sections) and of a brand's own site. */
export const WIKI_SECTIONS = [
  'History',
  'Etymology',
  'Overview',
  'Characteristics',
  'Early life',
  'Legacy',
  'See also',
  'References',
  'Types',
  'Reception',
];
export const BRAND_LINKS = ['Shop', 'About Us', 'Contact', 'Support', 'Products', 'Careers', 'Locations', 'Sign In'];

/** The FAQ box some blog and how-to results carry. */
export const FAQ_Q = tpls([
  'What is {topic}?',
  'How does {topic} work?',
  'Is {topic} worth it?',
  'How much does {topic} cost?',
  'Why is {topic} important?',
]);
export const FAQ_A = tpls([
  'In short, {topic} depends on your goals and budget; we explain the details above.',
  'Most experts agree that {topic} is worth considering. See our full guide for the pros and cons.',
  'It varies, but the section on {topic} above covers the typical range and what affects it.',
]);

/** Ad copy: the first six titles and three descriptions sell products, the rest local services. */
export const AD_TITLES = tpls([
  '{Topic} - Official Site | Shop Now',
  'Best {Topic} {year} - Compare Top Brands',
  '{Topic} On Sale - Free Shipping',
  'Shop {Topic} | Up to 50% Off Today',
  '{Topic} | Fast Delivery & Easy Returns',
  'Top-Rated {Topic} - Trusted by {n},000+ Customers',
  '{Topic} in {city} - Book Online Today',
  'Looking for {Topic}? - Get a Free Quote',
]);
export const AD_DESCS = tpls([
  'Find the perfect {topic} for you. Free shipping, easy returns and 24/7 support. Order today!',
  'Compare {topic} prices from top brands. Exclusive online deals, updated daily. Shop now and save.',
  'Trusted by thousands. Get {topic} delivered fast. Satisfaction guaranteed or your money back.',
  'Local experts for {topic} in {city}. Same-day service available. Call now for a free estimate.',
]);
/** Ad extensions: description rows, sitelinks, and the words of made-up advertiser domains. */
export const AD_ROWS = [
  'Free Shipping on Orders Over $35',
  'Price Match Guarantee',
  '30-Day Free Returns',
  'Rated 4.8/5 by Customers',
  'Open 7 Days a Week',
  'No Hidden Fees',
];
export const AD_LINK_TITLES = [
  'Shop Now',
  "Today's Deals",
  'New Arrivals',
  'Best Sellers',
  'Contact Us',
  'Get a Quote',
  'Locations',
  'Sale',
];
export const AD_PREFIX = ['get', 'shop', 'buy', 'try', 'my', 'the'];
export const AD_SUFFIX = ['pro', 'hq', 'direct', 'store', 'online', 'hub'];

/** People Also Ask questions by intent, and the answers under them. */
export const Q_INFO = tpls([
  'What is {topic}?',
  'What does {topic} mean?',
  'Why is {topic} important?',
  'How does {topic} work?',
  'What are the types of {topic}?',
  'What is the history of {topic}?',
  'What are the benefits of {topic}?',
  'Is {topic} good or bad?',
]);
export const Q_HOWTO = tpls([
  'How do you {topic}?',
  'What is the easiest way to {topic}?',
  'How long does it take to {topic}?',
  'Can I {topic} myself?',
  'What do I need to {topic}?',
  'What are the steps to {topic}?',
]);
export const Q_COMMERCIAL = tpls([
  'What is the best {topic}?',
  'Which {topic} is the best?',
  'How much does {topic} cost?',
  'Where can I buy {topic}?',
  'Is {topic} worth the money?',
  'What brand of {topic} is best?',
]);
export const Q_LOCAL = tpls([
  'What is the best {topic} in {city}?',
  'How much does {topic} cost in {city}?',
  'Is {topic} open on Sunday?',
  'Which {topic} has the best reviews?',
  'Do I need a reservation for {topic}?',
]);
export const PAA_ANSWERS = tpls([
  '{Topic} is best understood by looking at how it started and how it is used today. In most cases, it comes down to a few simple principles.',
  'The short answer: it depends. Experts recommend considering your needs, budget and timeline before deciding on {topic}.',
  'According to recent studies, {topic} has several advantages, including flexibility, lower cost and wide availability.',
  'Step 1: Prepare everything you need. Step 2: Follow the instructions carefully. Step 3: Check the result and adjust as needed.',
]);

/** Image alt-text and related image search modifiers. */
export const IMG_MODS = ['aesthetic', 'drawing', 'cartoon', 'logo', 'wallpaper', 'background', 'hd', 'vintage', 'illustration', 'clipart'];

/** Video carousel titles; the third ("How to ...") only for how-to keywords. */
export const VIDEO_TITLES = tpls([
  '{Kw} - Everything You Need to Know',
  '{Topic} Explained in {n} Minutes',
  'How to {topic} (Step by Step)',
  'I Tried {Topic} for 30 Days',
  "{Topic}: Beginner's Guide",
  'The Truth About {Topic}',
  '{Topic} Review ({year})',
]);

/** Knowledge graph subtitles; Company, Organization and Brand get organisation facts. */
export const KG_SUBTITLES = ['Topic', 'Company', 'Organization', 'Brand', 'Concept', 'Product'];
