// DATA TABLE (no logic): the words of the schema-driven renderer: sites and news publishers, title
// and sentence templates, names, streets, categories, and rough coordinates per country. Kept
// apart from the organic vocabulary on purpose: these render every other SERP type, and changing
// either would change the sandbox's output.

export const SITES = [
  'wikipedia.org',
  'youtube.com',
  'reddit.com',
  'amazon.com',
  'nytimes.com',
  'theguardian.com',
  'bbc.com',
  'forbes.com',
  'medium.com',
  'quora.com',
  'britannica.com',
  'cnn.com',
  'imdb.com',
  'linkedin.com',
  'healthline.com',
  'investopedia.com',
  'nationalgeographic.com',
  'howstuffworks.com',
  'wired.com',
  'theverge.com',
  'ebay.com',
  'etsy.com',
  'tripadvisor.com',
  'yelp.com',
  'github.com',
  'stackoverflow.com',
  'nasa.gov',
  'harvard.edu',
];
export const NEWS_SITES = [
  'nytimes.com',
  'theguardian.com',
  'bbc.com',
  'cnn.com',
  'reuters.com',
  'apnews.com',
  'washingtonpost.com',
  'bloomberg.com',
  'npr.org',
  'forbes.com',
  'usatoday.com',
  'wsj.com',
];
export const NEWS_NAMES: Record<string, string> = {
  'nytimes.com': 'The New York Times',
  'theguardian.com': 'The Guardian',
  'bbc.com': 'BBC',
  'cnn.com': 'CNN',
  'reuters.com': 'Reuters',
  'apnews.com': 'AP News',
  'washingtonpost.com': 'The Washington Post',
  'bloomberg.com': 'Bloomberg',
  'npr.org': 'NPR',
  'forbes.com': 'Forbes',
  'usatoday.com': 'USA Today',
  'wsj.com': 'The Wall Street Journal',
};
export const TITLE_T: ReadonlyArray<(k: string, K: string, m: string, n: number) => string> = [
  (_k, K) => `${K} - Wikipedia`,
  (_k, K) => `${K}: Everything You Need to Know`,
  (_k, K, m) => `The Complete Guide to ${K} (${m})`,
  (k, K, _m, n) => `${n} Things You Didn't Know About ${K}`,
  (_k, K) => `What Is ${K}? Definition, History and Facts`,
  (_k, K, m) => `${K} | ${m[0]!.toUpperCase()}${m.slice(1)} Ideas and Inspiration`,
  (k) => `Best ${k} of ${2020 + (k.length % 5)} - Reviews and Buying Guide`,
  (_k, K) => `${K} News, Photos and Videos`,
  (k, K) => `${K} Explained: A Beginner's Guide to ${k}`,
  (_k, K, _m, n) => `Top ${n} ${K} Tips From Experts`,
];
export const SENT_T: ReadonlyArray<(k: string, K: string, m: string) => string> = [
  (k, K) => `${K} is one of the most searched topics online, and this page explains what ${k} is and why it matters.`,
  (k) => `Learn everything about ${k}: history, key facts, practical tips and answers to common questions.`,
  (k, _K, m) => `Discover ${m} ${k} ideas, expert advice and the latest updates, all in one place.`,
  (k) => `Our editors researched ${k} in depth to bring you an accurate, up-to-date overview.`,
  (k, K) => `${K} explained in plain language, with examples, comparisons and a short FAQ about ${k}.`,
  (k, _K, m) => `Find ${m} resources about ${k}, including guides, reviews and community discussions.`,
  (k) => `Read the latest news and analysis about ${k} from trusted sources around the world.`,
];
export const FIRST_NAMES = [
  'James',
  'Maria',
  'Chen',
  'Fatima',
  'Lucas',
  'Anna',
  'David',
  'Priya',
  'Tom',
  'Sofia',
  'Ahmed',
  'Emma',
  'Kenji',
  'Olga',
];
export const LAST_NAMES = [
  'Smith',
  'Garcia',
  'Wang',
  'Khan',
  'Müller',
  'Rossi',
  'Johnson',
  'Kowalski',
  'Silva',
  'Tanaka',
  'Brown',
  'Nguyen',
];
export const STREETS = ['Main St', 'Oak Ave', 'Park Rd', 'Market St', 'Broadway', 'Elm St', 'Maple Dr', 'Church St', 'High St', 'River Rd'];
export const CATEGORIES = ['Store', 'Restaurant', 'Cafe', 'Service', 'Shop', 'Agency', 'Studio', 'Center', 'Clinic', 'Market'];
export const TOPICS = ['music', 'travel', 'science', 'cooking', 'gaming', 'technology', 'history', 'fitness', 'art', 'nature'];
export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const B64 = ALNUM + '-_';
export const DIGITS = '0123456789';

/** Rough coordinates per country (a major city) for latitude/longitude and addresses. */
export const GEO: Record<string, [number, number, string, string]> = {
  US: [40.7128, -74.006, 'New York', 'NY'],
  GB: [51.5072, -0.1276, 'London', 'England'],
  DE: [52.52, 13.405, 'Berlin', 'BE'],
  FR: [48.8566, 2.3522, 'Paris', 'IDF'],
  ES: [40.4168, -3.7038, 'Madrid', 'MD'],
  IT: [41.9028, 12.4964, 'Rome', 'RM'],
  CA: [43.6532, -79.3832, 'Toronto', 'ON'],
  AU: [-33.8688, 151.2093, 'Sydney', 'NSW'],
  IN: [19.076, 72.8777, 'Mumbai', 'MH'],
  BR: [-23.5505, -46.6333, 'São Paulo', 'SP'],
  JP: [35.6762, 139.6503, 'Tokyo', 'Tokyo'],
  KR: [37.5665, 126.978, 'Seoul', 'Seoul'],
  CN: [39.9042, 116.4074, 'Beijing', 'BJ'],
  CZ: [50.0755, 14.4378, 'Prague', 'PR'],
  NL: [52.3676, 4.9041, 'Amsterdam', 'NH'],
  PL: [52.2297, 21.0122, 'Warsaw', 'MZ'],
  UA: [50.4501, 30.5234, 'Kyiv', 'KY'],
  MX: [19.4326, -99.1332, 'Mexico City', 'CDMX'],
};

export const BIZ_SUFFIX = ['Co.', 'House', 'Express', 'Studio', '& Sons', 'Corner', 'Place', 'Central'];
export const JOB_ROLES = ['Specialist', 'Manager', 'Assistant', 'Associate', 'Technician', 'Coordinator', 'Consultant'];
export const EMPLOYER_SUFFIX = ['Group', 'Inc.', '& Co.', 'Partners', 'Labs', 'Holdings', 'Solutions'];
export const VIDEO_T: ReadonlyArray<(k: string, K: string) => string> = [
  (_k, K) => `${K} (Official Video)`,
  (k) => `How to ${k} - Complete Tutorial`,
  (k) => `I tried ${k} for 30 days`,
  (_k, K) => `${K} Explained in 10 Minutes`,
  (_k, K) => `${K} | Full Documentary`,
  (k) => `Top 10 ${k} moments`,
];
export const NEWS_T: ReadonlyArray<(k: string, K: string) => string> = [
  (_k, K) => `${K}: what we know so far`,
  (k) => `Why ${k} is making headlines this week`,
  (_k, K) => `${K} sparks debate among experts`,
  (k) => `The latest on ${k}, explained`,
  (_k, K) => `${K} news: live updates`,
];
