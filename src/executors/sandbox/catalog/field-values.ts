// DATA TABLE (no logic): the values of enum-like string fields by name (On-Page link directions and
// schemes, non-indexable reasons, grammar rule kinds, microdata types, Bing ad positions, business
// categories), and the names of number fields that hold fractions rather than counts.

export const STRING_VALUES: Readonly<Record<string, readonly string[]>> = {
  direction: ['internal', 'internal', 'external'],
  page_from_scheme: ['https'],
  page_to_scheme: ['https'],
  reason: ['robots_txt', 'meta_tag', 'http_header', 'canonical', 'redirect'],
  extended_crawl_status: ['no_errors'],
  certificate_issuer: ["Let's Encrypt R3", 'DigiCert TLS RSA SHA256 2020 CA1', 'Sectigo RSA Domain Validation Secure Server CA'],
  link_attribute: ['nofollow', 'noopener', 'noreferrer'],
  accept_type: ['text/html'],
  initiator: ['parser', 'script', 'other'],
  rule_issue_type: ['misspelling', 'grammar', 'style', 'typographical'],
  rule_category_id: ['TYPOS', 'GRAMMAR', 'STYLE', 'PUNCTUATION'],
  rule_category_name: ['Possible Typo', 'Grammar', 'Style', 'Punctuation'],
  types: ['Organization', 'WebSite', 'Product', 'BreadcrumbList', 'Article'],
  ad_position: ['MainLine1', 'MainLine2', 'MainLine3', 'FirstPage1', 'SideBar1'],
  crawl_status: ['finished'],
  generator: ['WordPress 6.5', 'Shopify', 'Next.js', 'Hugo 0.125'],
  hreflang: ['en', 'en-us', 'x-default'],
  price_rate: ['$', '$$', '$$$'],
  current_status: ['open', 'close', 'temporarily_closed'],
  check_in: ['3:00 PM'],
  check_out: ['11:00 AM'],
  synonym_clustering_algorithm: ['text_processing'],
};

/** Categories of local businesses (business listings, Google My Business). */
export const BUSINESS_CATEGORIES: readonly string[] = [
  'Shoe store',
  'Sporting goods store',
  'Clothing store',
  'Coffee shop',
  'Restaurant',
  'Hotel',
  'Gym',
  'Dentist',
  'Hair salon',
  'Car repair and maintenance service',
  'Bakery',
  'Book store',
];

/** Number fields (the vendor types counts as `number` too) whose values are fractions, not counts. */
export const FRACTION_NAMES =
  /(score|rate|ratio|rating|density|index|percent|probability|value|price|cost|cpc|bid|etv|avg|average|median|similarity|consistency|time|duration|latitude|longitude|coefficient|delta|visibility|money|yield|return|amount|revenue|budget|spend|ctr|share|weight)/;

/** Field names the SERP faker's numberGen knows (the rest of its output is a generic fraction). */
export const SERP_NUMBER_NAMES: ReadonlySet<string> = new Set([
  'latitude',
  'longitude',
  'value',
  'hotel_rating',
  'price',
  'current',
  'regular',
  'max_value',
  'previous_close',
  'index_value',
  'settlement_price',
  'converted_value',
  'percentage_delta',
  'ytd_return',
  'dividend_yield',
  'expense_ratio',
  'yield',
  'effective_tax_rate',
  'return_on_assets',
  'return_on_capital',
  'duration_time',
  'start_time',
  'end_time',
  'x',
  'y',
  'width',
  'height',
]);

/** Ordered pairs of fields: when an object has both, the second is not below the first. */
export const FIELD_PAIRS: readonly (readonly [low: string, high: string])[] = [
  ['low', 'high'],
  ['start_index', 'end_index'],
  ['fetch_start', 'fetch_end'],
  ['min', 'max'],
  ['price_from', 'price_to'],
];

/** Share of searches per device (search volume history by device). */
export const DEVICE_SHARE: Readonly<Record<string, number>> = { desktop: 0.35, mobile: 0.55, tablet: 0.08, non_smartphones: 0.02 };
