// DATA TABLE (no logic): the vocabulary of the catalog sandbox: Google Ads search-volume buckets,
// keyword modifiers and topics, intent words, domains and page paths, subdomains, anchors, tech
// stacks, registrars and category codes. Changing a table changes the sandbox's output.

/** The values Google Ads rounds monthly search volumes to (keyword planner buckets). */
export const VOLUME_BUCKETS: readonly number[] = [
  10, 20, 30, 40, 50, 70, 90, 110, 140, 170, 210, 260, 320, 390, 480, 590, 720, 880, 1000, 1300, 1600, 1900, 2400, 2900, 3600, 4400, 5400,
  6600, 8100, 9900, 12100, 14800, 18100, 22200, 27100, 33100, 40500, 49500, 60500, 74000, 90500, 110000, 135000, 165000, 201000, 246000,
  301000, 368000, 450000, 550000, 673000, 823000, 1000000, 1220000, 1500000, 1830000, 2240000,
];

/** Relative search demand per location code (the US is 1); other codes use DEFAULT_MARKET, no location WORLDWIDE. */
export const MARKET_SIZE: Readonly<Record<number, number>> = {
  2840: 1,
  2826: 0.22,
  2276: 0.26,
  2250: 0.2,
  2356: 0.55,
  2124: 0.12,
  2036: 0.08,
  2076: 0.3,
  2724: 0.15,
  2380: 0.16,
  2392: 0.22,
  2484: 0.18,
  2528: 0.06,
  2616: 0.1,
  2804: 0.07,
  2410: 0.12,
};
export const DEFAULT_MARKET = 0.04;
export const WORLDWIDE = 2.5;

/** Words that add a purpose to a seed keyword ("best {seed}", "{seed} price"). */
export const KW_PREFIXES: readonly string[] = [
  'best',
  'cheap',
  'how to use',
  'what is',
  'buy',
  'free',
  'top',
  'new',
  'used',
  'how to choose',
  'affordable',
  'professional',
  'custom',
  'small',
  'portable',
  'organic',
  'premium',
  'diy',
  'why',
  'where to buy',
  'types of',
  'history of',
  'cost of',
  'benefits of',
  'alternatives to',
];
export const KW_SUFFIXES: readonly string[] = [
  'near me',
  'price',
  'review',
  'reviews',
  'for sale',
  'online',
  'vs',
  'ideas',
  'meaning',
  'definition',
  'examples',
  'for beginners',
  'guide',
  'tips',
  'cost',
  'deals',
  'coupon',
  'app',
  'login',
  'jobs',
  'salary',
  'course',
  'training',
  'software',
  'tools',
  'kit',
  'set',
  'brands',
  'comparison',
  'calculator',
  'template',
  'pdf',
  'video',
  'images',
  'reddit',
  'amazon',
  'uk',
  'usa',
  '2025',
  'for kids',
  'for women',
  'for men',
  'at home',
  'services',
  'company',
  'store',
  'repair',
  'installation',
  'rental',
  'subscription',
];

/** Broad topics standing in for what a site or category is about. */
export const TOPIC_WORDS: readonly string[] = [
  'running shoes',
  'coffee maker',
  'home insurance',
  'web hosting',
  'project management',
  'yoga',
  'electric bikes',
  'credit cards',
  'dog food',
  'wireless headphones',
  'vegan recipes',
  'hiking boots',
  'email marketing',
  'crm software',
  'mortgage rates',
  'standing desk',
  'skin care',
  'car rental',
  'language learning',
  'smart home',
  'travel insurance',
  'online courses',
  'gaming laptop',
  'meal delivery',
  'solar panels',
  'interior design',
  'fitness tracker',
  'photo editing',
  'accounting software',
  'wedding dresses',
  'garden furniture',
  'video streaming',
  'cloud storage',
  'baby stroller',
  'air purifier',
  'tax preparation',
  'kitchen knives',
  'seo tools',
  'vpn',
  'mattress',
];

/** Intent words (the first group that matches wins, in this order). */
export const TRANSACTIONAL_WORDS: readonly string[] = [
  'buy',
  'price',
  'prices',
  'cheap',
  'deal',
  'deals',
  'coupon',
  'discount',
  'order',
  'for sale',
  'shop',
  'store',
  'cost',
  'subscription',
  'rental',
  'download',
  'near me',
];
export const COMMERCIAL_WORDS: readonly string[] = [
  'best',
  'top',
  'review',
  'reviews',
  'vs',
  'comparison',
  'alternatives',
  'brands',
  'affordable',
  'premium',
  'professional',
];
export const NAVIGATIONAL_WORDS: readonly string[] = ['login', 'sign in', 'app', 'official', 'website', 'amazon', 'reddit', 'youtube'];
export const SEARCH_INTENTS: readonly string[] = ['informational', 'navigational', 'commercial', 'transactional'];

/** Google Ads product and service category codes (keyword_info.categories). */
export const CATEGORY_CODES: readonly number[] = [
  10001, 10004, 10007, 10010, 10012, 10013, 10016, 10019, 10021, 10026, 10178, 10276, 10885, 10937, 11088, 11295, 11497, 11546, 11729,
  12001, 12204, 12362, 12513, 12745, 13064, 13152, 13381, 13418, 13577, 13789,
];

/** Well-known sites that dominate backlink and competitor lists. */
export const BIG_SITES: readonly string[] = [
  'wikipedia.org',
  'youtube.com',
  'reddit.com',
  'amazon.com',
  'nytimes.com',
  'forbes.com',
  'medium.com',
  'linkedin.com',
  'github.com',
  'quora.com',
  'pinterest.com',
  'facebook.com',
  'instagram.com',
  'x.com',
  'bbc.com',
  'cnn.com',
  'theguardian.com',
  'wordpress.org',
  'apple.com',
  'microsoft.com',
  'google.com',
  'yelp.com',
  'tripadvisor.com',
  'ebay.com',
  'etsy.com',
  'walmart.com',
  'target.com',
  'healthline.com',
  'investopedia.com',
  'wired.com',
  'theverge.com',
  'techcrunch.com',
  'stackoverflow.com',
  'imdb.com',
  'britannica.com',
  'nasa.gov',
  'harvard.edu',
  'mit.edu',
];

/** Parts of made-up but plausible small domains. */
export const DOMAIN_HEADS: readonly string[] = [
  'smart',
  'daily',
  'pro',
  'green',
  'urban',
  'blue',
  'bright',
  'true',
  'prime',
  'next',
  'happy',
  'simple',
  'alpha',
  'nova',
  'peak',
  'north',
  'silver',
  'open',
  'rapid',
  'clear',
];
export const DOMAIN_TAILS: readonly string[] = [
  'hub',
  'review',
  'guide',
  'lab',
  'works',
  'zone',
  'point',
  'insider',
  'mag',
  'depot',
  'world',
  'base',
  'line',
  'press',
  'spot',
  'nest',
  'tips',
  'central',
  'direct',
  'planet',
];
export const TLDS: readonly string[] = ['com', 'com', 'com', 'com', 'net', 'org', 'io', 'co', 'co.uk', 'de', 'info', 'blog'];

/** Paths of a site's pages (relevant_pages, domain_pages, url_to). */
export const PAGE_SECTIONS: readonly string[] = [
  'blog',
  'products',
  'guides',
  'news',
  'category',
  'help',
  'resources',
  'shop',
  'learn',
  'p',
];
export const PAGE_FIXED: readonly string[] = ['', 'about', 'contact', 'pricing', 'login', 'careers', 'faq', 'privacy-policy', 'terms'];

export const SUBDOMAIN_NAMES: readonly string[] = [
  'www',
  'blog',
  'shop',
  'support',
  'help',
  'docs',
  'app',
  'm',
  'news',
  'store',
  'community',
  'forum',
  'careers',
  'developer',
  'api',
  'status',
  'investors',
  'learn',
  'academy',
  'events',
  'partners',
  'mail',
  'cdn',
  'static',
  'jobs',
  'en',
  'de',
  'fr',
  'es',
  'uk',
];

/** Anchor texts that are not the target's name or a keyword. */
export const GENERIC_ANCHORS: readonly string[] = [
  '',
  'click here',
  'here',
  'website',
  'read more',
  'this article',
  'source',
  'link',
  'learn more',
  'visit site',
];

export const PLATFORM_TYPES: readonly string[] = [
  'blogs',
  'news',
  'cms',
  'ecommerce',
  'organization',
  'message-boards',
  'wikis',
  'unknown',
];
export const SEMANTIC_LOCATIONS: readonly string[] = ['', 'article', 'section', 'main', 'aside', 'footer', 'header', 'nav'];
export const LINK_ATTRIBUTES: readonly string[] = ['nofollow', 'noopener', 'noreferrer', 'ugc', 'sponsored', 'external'];
export const LINK_TYPES: readonly string[] = ['anchor', 'image', 'link', 'meta', 'canonical', 'alternate', 'redirect'];
export const LINK_TLDS: readonly string[] = ['com', 'org', 'net', 'co.uk', 'de', 'io', 'edu', 'gov', 'info', 'fr'];
export const COUNTRY_CODES: readonly string[] = ['US', 'GB', 'DE', 'FR', 'CA', 'NL', 'IN', 'AU', 'ES', 'IT', 'JP', 'BR'];
export const LANGUAGE_CODES: readonly string[] = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'ja', 'pl', 'sv'];

export const SERVERS: readonly string[] = [
  'nginx',
  'cloudflare',
  'Apache',
  'LiteSpeed',
  'Microsoft-IIS/10.0',
  'openresty',
  'AmazonS3',
  'Vercel',
];
export const CMS_NAMES: readonly string[] = ['WordPress', 'Shopify', 'Drupal', 'Wix', 'Squarespace', 'Joomla', 'Ghost', 'Webflow'];
export const REGISTRARS: readonly string[] = [
  'GoDaddy.com, LLC',
  'NameCheap, Inc.',
  'MarkMonitor Inc.',
  'Tucows Domains Inc.',
  'Network Solutions, LLC',
  'Google LLC',
  'Cloudflare, Inc.',
  'Gandi SAS',
  'IONOS SE',
];
export const EPP_STATUSES: readonly string[] = [
  'clientTransferProhibited',
  'clientDeleteProhibited',
  'clientUpdateProhibited',
  'serverTransferProhibited',
];

/** Technologies per group and category (domain_analytics/technologies). */
export const TECHNOLOGIES: readonly (readonly [group: string, category: string, technology: string])[] = [
  ['content', 'cms', 'WordPress'],
  ['content', 'cms', 'Drupal'],
  ['content', 'blogs', 'Ghost'],
  ['sales', 'ecommerce', 'Shopify'],
  ['sales', 'ecommerce', 'WooCommerce'],
  ['sales', 'payment_processors', 'Stripe'],
  ['marketing', 'analytics', 'Google Analytics'],
  ['marketing', 'tag_managers', 'Google Tag Manager'],
  ['marketing', 'advertising', 'Google Ads'],
  ['marketing', 'marketing_automation', 'HubSpot'],
  ['web_development', 'javascript_frameworks', 'React'],
  ['web_development', 'javascript_frameworks', 'Vue.js'],
  ['web_development', 'javascript_libraries', 'jQuery'],
  ['web_development', 'web_frameworks', 'Next.js'],
  ['web_development', 'programming_languages', 'PHP'],
  ['servers', 'web_servers', 'Nginx'],
  ['servers', 'cdn', 'Cloudflare'],
  ['servers', 'paas', 'Amazon Web Services'],
  ['security', 'security', 'reCAPTCHA'],
  ['media', 'video_players', 'YouTube'],
  ['communication', 'live_chat', 'Intercom'],
  ['utilities', 'font_scripts', 'Google Font API'],
];

export const BRAND_HEADS: readonly string[] = [
  'Acme',
  'Nimbus',
  'Vertex',
  'Orbit',
  'Lumen',
  'Apex',
  'Zenith',
  'Crest',
  'Harbor',
  'Summit',
  'Evergreen',
  'Bolt',
];
export const BRAND_TAILS: readonly string[] = ['Labs', 'Co', 'Works', 'Systems', 'Goods', 'Studio', 'Digital', 'Brands'];
export const BRAND_CATEGORIES: readonly string[] = [
  'Software',
  'Consumer Electronics',
  'Apparel',
  'Financial Services',
  'Travel',
  'Home and Garden',
  'Health and Wellness',
  'Food and Beverage',
  'Automotive',
  'Education',
];
export const LLM_PLATFORMS: readonly string[] = ['google', 'chat_gpt', 'perplexity', 'gemini', 'claude'];
export const LLM_MODELS: Readonly<Record<string, string>> = {
  chat_gpt: 'gpt-4o-mini',
  claude: 'claude-3-5-haiku-latest',
  gemini: 'gemini-2.0-flash',
  perplexity: 'sonar',
  google: 'ai_overview',
};

/** Demographic buckets (clickstream and trends). */
export const AGE_BUCKETS: readonly string[] = ['18-24', '25-34', '35-44', '45-54', '55-64'];
export const GENDERS: readonly string[] = ['female', 'male'];

/** Click-through rate by organic position 1..10 (positions beyond use CTR_TAIL). */
export const CTR_TOP10: readonly number[] = [0.28, 0.15, 0.11, 0.08, 0.07, 0.05, 0.04, 0.03, 0.03, 0.025];
export const CTR_11_20 = 0.01;
export const CTR_TAIL = 0.002;

/** Share of a domain's ranked keywords per position bucket (pos_1, pos_2_3, pos_4_10, ... pos_91_100). */
export const POSITION_BUCKETS: readonly (readonly [key: string, from: number, to: number, share: number])[] = [
  ['pos_1', 1, 1, 0.03],
  ['pos_2_3', 2, 3, 0.05],
  ['pos_4_10', 4, 10, 0.12],
  ['pos_11_20', 11, 20, 0.13],
  ['pos_21_30', 21, 30, 0.11],
  ['pos_31_40', 31, 40, 0.1],
  ['pos_41_50', 41, 50, 0.09],
  ['pos_51_60', 51, 60, 0.09],
  ['pos_61_70', 61, 70, 0.08],
  ['pos_71_80', 71, 80, 0.07],
  ['pos_81_90', 81, 90, 0.07],
  ['pos_91_100', 91, 100, 0.06],
];
