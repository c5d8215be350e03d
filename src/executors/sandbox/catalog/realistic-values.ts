// Data tables of the realistic results of the most used endpoints (fields-realistic.ts reads them):
// review texts and owner replies (Business Data Google reviews, Trustpilot, Tripadvisor, App Data and
// Amazon reviews), and the shops and product names of Merchant's Google Shopping results.
// `{s}` stands for the review's subject (the business, app or product, as the keyword names it).

/** Review sentences by tone; a review is two or three of one tone. */
export const REVIEW_SENTENCES: Readonly<Record<'good' | 'mixed' | 'bad', readonly string[]>> = {
  good: [
    'Great experience at {s}, friendly staff and quick service.',
    'Everything was exactly as described and the team went out of their way to help.',
    'Highly recommend {s} to anyone in the area.',
    'Clean, well organised and fairly priced.',
    'We have been coming back for years and it never disappoints.',
    'The staff remembered our order from last time, which was a nice touch.',
    'Booked online in two minutes and they were ready when we arrived.',
    'Five stars for the customer service alone.',
    'Best {s} I have tried so far.',
    'Fast, reliable and good value for money.',
  ],
  mixed: [
    'Decent {s}, but the wait was longer than expected.',
    'Good quality overall, though prices have gone up recently.',
    'Friendly people, a bit disorganised at busy times.',
    'It does the job, nothing special.',
    'Parking can be tricky on weekends.',
    'Would come back, but I hope they improve the opening hours.',
  ],
  bad: [
    'Waited almost an hour and nobody told us why.',
    'Not what I expected from {s}, the quality has dropped.',
    'Staff seemed uninterested and the place was not clean.',
    'Overpriced for what you get.',
    'Called twice and never got a call back.',
    'Disappointing visit, I will not be returning.',
  ],
};

/** Owner replies by the review's tone. */
export const OWNER_REPLIES: Readonly<Record<'good' | 'mixed' | 'bad', readonly string[]>> = {
  good: [
    'Thank you for your kind words! We look forward to seeing you again.',
    'Thanks for taking the time to leave a review. We are glad you enjoyed your visit.',
    'Thank you! Your review means a lot to the whole team.',
  ],
  mixed: [
    'We appreciate the feedback and are sorry about the wait. We are working on it.',
    'Thanks for the honest review. We hope to see you again soon.',
  ],
  bad: [
    'We are sorry to hear this. Please contact us so we can make it right.',
    'This is not the experience we want for our customers. Please get in touch with our manager.',
  ],
};

/** How long ago, as review sites write it. */
export const TIME_AGO: readonly string[] = [
  'a day ago',
  '2 days ago',
  '5 days ago',
  'a week ago',
  '2 weeks ago',
  '3 weeks ago',
  'a month ago',
  '2 months ago',
  '4 months ago',
  '6 months ago',
  'a year ago',
  '2 years ago',
];

/** Shops of Google Shopping results: seller name and site. */
export const SHOPS: ReadonlyArray<readonly [name: string, domain: string]> = [
  ['Amazon.com', 'amazon.com'],
  ['Walmart', 'walmart.com'],
  ['Best Buy', 'bestbuy.com'],
  ['Target', 'target.com'],
  ['eBay', 'ebay.com'],
  ['Newegg', 'newegg.com'],
  ['Costco', 'costco.com'],
  ["Macy's", 'macys.com'],
  ['The Home Depot', 'homedepot.com'],
  ['Etsy', 'etsy.com'],
  ["Kohl's", 'kohls.com'],
  ['B&H Photo-Video-Audio', 'bhphotovideo.com'],
];

/** Brands a product title may start with. */
export const BRANDS: readonly string[] = [
  'Apple',
  'Samsung',
  'Anker',
  'Logitech',
  'Sony',
  'Nike',
  'Adidas',
  'Philips',
  'Bosch',
  'Lenovo',
  'Spigen',
  'OtterBox',
  'KitchenAid',
  'Dyson',
  'JBL',
];

/** What follows the product name in a title. */
export const VARIANTS: readonly string[] = ['Black', 'White', 'Blue', '2-Pack', 'Large', 'Pro', 'Gray', '128GB', 'Red', 'Compact'];
