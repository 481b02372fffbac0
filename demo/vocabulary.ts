/** Word lists the catalog generator draws from; chosen so search and typo tolerance have real words to hit. */

export interface BrandDef {
  name: string;
  /** SKU prefix, unique per brand. */
  code: string;
}

export const brands: readonly BrandDef[] = [
  { name: 'Nordvik', code: 'NV' },
  { name: 'Aurelia', code: 'AU' },
  { name: 'Kestrel', code: 'KS' },
  { name: 'Lumio', code: 'LM' },
  { name: 'Brightwell', code: 'BW' },
  { name: 'Fjellhus', code: 'FJ' },
  { name: 'Solano', code: 'SO' },
  { name: 'Vantor', code: 'VT' },
  { name: 'Tidewater', code: 'TW' },
  { name: 'Ostara', code: 'OS' },
  { name: 'Mirelle', code: 'MR' },
  { name: 'Cobalt Works', code: 'CW' },
  { name: 'Halden', code: 'HD' },
  { name: 'Pikku', code: 'PK' },
  { name: 'Holm & Berg', code: 'HB' },
  { name: 'Zephyra', code: 'ZP' },
  { name: 'Alder', code: 'AL' },
  { name: 'Quillon', code: 'QL' },
  { name: 'Sundby', code: 'SB' },
  { name: 'Marlow', code: 'ML' },
  { name: 'Tessera', code: 'TS' },
  { name: 'Oakridge', code: 'OR' },
  { name: 'Veloce', code: 'VL' },
  { name: 'Kumo', code: 'KM' },
  { name: 'Brenna', code: 'BR' },
];

export interface CategoryDef {
  slug: string;
  name: string;
  parent?: string;
  /** Leaf categories only: product nouns, adjectives, use phrase, price range in cents, relative share. */
  goods?: {
    types: readonly string[];
    adjectives: readonly string[];
    use: string;
    minCents: number;
    maxCents: number;
    weight: number;
  };
}

export const categoryDefs: readonly CategoryDef[] = [
  { slug: 'kitchen', name: 'Kitchen' },
  { slug: 'audio', name: 'Audio' },
  { slug: 'outdoor', name: 'Outdoor' },
  { slug: 'home', name: 'Home' },
  { slug: 'office', name: 'Office' },
  {
    slug: 'coffee',
    name: 'Coffee',
    parent: 'kitchen',
    goods: {
      types: [
        'Pour-Over Coffee Dripper',
        'Espresso Machine',
        'Burr Coffee Grinder',
        'Milk Frother',
        'French Press',
        'Espresso Tamper',
        'Cold Brew Coffee Maker',
        'Coffee Scale',
      ],
      adjectives: ['Ceramic', 'Stainless Steel', 'Compact', 'Barista', 'Matte Black', 'Glass'],
      use: 'brewing espresso, filter coffee and everything in between',
      minCents: 1290,
      maxCents: 64900,
      weight: 5,
    },
  },
  {
    slug: 'cookware',
    name: 'Cookware',
    parent: 'kitchen',
    goods: {
      types: [
        'Cast Iron Skillet',
        'Frying Pan',
        'Dutch Oven',
        "Chef's Knife",
        'Saucepan',
        'Wok',
        'Meat Thermometer',
      ],
      adjectives: ['Enamelled', 'Tri-Ply', 'Carbon Steel', 'Professional', 'Induction', 'Non-Stick'],
      use: 'searing, simmering and slow cooking on any hob',
      minCents: 1990,
      maxCents: 24900,
      weight: 4,
    },
  },
  {
    slug: 'tea',
    name: 'Tea',
    parent: 'kitchen',
    goods: {
      types: ['Tea Kettle', 'Teapot', 'Tea Infuser', 'Matcha Whisk Set', 'Gooseneck Kettle'],
      adjectives: ['Cast Iron', 'Borosilicate', 'Electric', 'Bamboo', 'Porcelain'],
      use: 'loose-leaf tea, matcha and herbal infusions',
      minCents: 690,
      maxCents: 12900,
      weight: 2,
    },
  },
  {
    slug: 'headphones',
    name: 'Headphones',
    parent: 'audio',
    goods: {
      types: [
        'Wireless Headphones',
        'Noise-Cancelling Headphones',
        'In-Ear Earbuds',
        'Studio Monitor Headphones',
        'Sport Earphones',
      ],
      adjectives: ['Bluetooth', 'Over-Ear', 'Foldable', 'Hi-Res', 'Lightweight'],
      use: 'commutes, long flights and focused work',
      minCents: 2490,
      maxCents: 44900,
      weight: 4,
    },
  },
  {
    slug: 'speakers',
    name: 'Speakers',
    parent: 'audio',
    goods: {
      types: ['Bluetooth Speaker', 'Bookshelf Speaker', 'Soundbar', 'Smart Speaker', 'Subwoofer'],
      adjectives: ['Portable', 'Waterproof', 'Stereo', 'Wireless', 'Compact'],
      use: 'rich sound in the living room, the garden or on the go',
      minCents: 2990,
      maxCents: 89900,
      weight: 3,
    },
  },
  {
    slug: 'backpacks',
    name: 'Backpacks',
    parent: 'outdoor',
    goods: {
      types: ['Hiking Backpack', 'Laptop Backpack', 'Daypack', 'Rolltop Backpack', 'Travel Backpack'],
      adjectives: ['Waterproof', 'Ultralight', '35 L', 'Recycled', 'Trail'],
      use: 'day hikes, city commutes and weekend trips',
      minCents: 3490,
      maxCents: 24900,
      weight: 4,
    },
  },
  {
    slug: 'camping',
    name: 'Camping',
    parent: 'outdoor',
    goods: {
      types: ['Camping Tent', 'Sleeping Bag', 'Camping Stove', 'Headlamp', 'Sleeping Mat', 'Camping Lantern'],
      adjectives: ['Two-Person', 'Ultralight', 'Four-Season', 'Rechargeable', 'Insulated'],
      use: 'nights under the stars in any season',
      minCents: 1490,
      maxCents: 54900,
      weight: 4,
    },
  },
  {
    slug: 'lighting',
    name: 'Lighting',
    parent: 'home',
    goods: {
      types: ['Desk Lamp', 'Floor Lamp', 'Pendant Light', 'LED Light Strip', 'Bedside Lamp'],
      adjectives: ['Dimmable', 'Brass', 'Oak', 'Smart', 'Linen'],
      use: 'warm, glare-free light in every room',
      minCents: 1990,
      maxCents: 32900,
      weight: 3,
    },
  },
  {
    slug: 'climate',
    name: 'Climate',
    parent: 'home',
    goods: {
      types: ['Digital Thermometer', 'Hygrometer', 'Air Purifier', 'Humidifier', 'Tower Fan', 'Space Heater'],
      adjectives: ['Smart', 'Quiet', 'Compact', 'Ceramic', 'Wi-Fi'],
      use: 'keeping temperature and humidity just right',
      minCents: 990,
      maxCents: 49900,
      weight: 3,
    },
  },
  {
    slug: 'stationery',
    name: 'Stationery',
    parent: 'office',
    goods: {
      types: ['Fountain Pen', 'Dotted Notebook', 'Mechanical Pencil', 'Desk Planner', 'Ink Cartridge Set'],
      adjectives: ['A5', 'Leather', 'Refillable', 'Brass', 'Hardcover'],
      use: 'journaling, sketching and daily planning',
      minCents: 290,
      maxCents: 18900,
      weight: 3,
    },
  },
  {
    slug: 'desk-accessories',
    name: 'Desk Accessories',
    parent: 'office',
    goods: {
      types: ['Monitor Stand', 'Desk Organiser', 'Laptop Stand', 'Cable Tray', 'Wireless Charging Pad'],
      adjectives: ['Aluminium', 'Walnut', 'Adjustable', 'Bamboo', 'Felt'],
      use: 'a tidy, ergonomic workspace',
      minCents: 1490,
      maxCents: 12900,
      weight: 3,
    },
  },
  {
    slug: 'fitness',
    name: 'Fitness',
    goods: {
      types: [
        'Yoga Mat',
        'Adjustable Dumbbell',
        'Resistance Band Set',
        'Kettlebell',
        'Foam Roller',
        'Jump Rope',
      ],
      adjectives: ['Non-Slip', 'Cork', 'Heavy-Duty', 'Vinyl', 'Speed'],
      use: 'home workouts, stretching and strength training',
      minCents: 990,
      maxCents: 39900,
      weight: 4,
    },
  },
  {
    slug: 'garden',
    name: 'Garden',
    goods: {
      types: ['Garden Hose', 'Pruning Shears', 'Watering Can', 'Raised Garden Bed', 'Soil Thermometer'],
      adjectives: ['Expandable', 'Galvanised', 'Ergonomic', 'Cedar', 'Solar'],
      use: 'balconies, allotments and back gardens',
      minCents: 890,
      maxCents: 29900,
      weight: 3,
    },
  },
  {
    slug: 'cameras',
    name: 'Cameras',
    goods: {
      types: [
        'Mirrorless Camera',
        'Action Camera',
        'Camera Tripod',
        'Camera Backpack',
        'Lens Cleaning Kit',
        'Instant Camera',
      ],
      adjectives: ['4K', 'Carbon Fibre', 'Full-Frame', 'Travel', 'Waterproof'],
      use: 'travel photography, vlogging and studio work',
      minCents: 1290,
      maxCents: 249900,
      weight: 3,
    },
  },
  {
    slug: 'cycling',
    name: 'Cycling',
    goods: {
      types: ['Bike Helmet', 'Bike Light Set', 'Cycling Gloves', 'Bike Lock', 'Mini Pump', 'Bike Computer'],
      adjectives: ['Aero', 'Rechargeable', 'Carbon', 'Folding', 'GPS'],
      use: 'daily commutes and long weekend rides',
      minCents: 1290,
      maxCents: 39900,
      weight: 3,
    },
  },
];

export const descriptionOpeners: readonly string[] = [
  'The {brand} {type} {model} is made for {use}.',
  'Meet the {adjective} {type} from {brand}, designed for {use}.',
  '{brand} built this {adjective} {type} for {use}.',
];

export const descriptionMiddles: readonly string[] = [
  'Every part is tested for durability before it leaves the workshop.',
  'The {type} is easy to clean and built to last.',
  'A thoughtful design keeps it light without cutting corners.',
  'Reviewers praise how quiet and dependable it is in daily use.',
  'Replacement parts are available for years after purchase.',
];

export const descriptionClosers: readonly string[] = [
  'Ships in recyclable packaging.',
  'Comes with a two-year warranty.',
  'Free returns within 30 days.',
  'Backed by our lifetime customer support.',
];
