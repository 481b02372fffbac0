-- CreateEnum
CREATE TYPE "ProductOrigin" AS ENUM ('crawled', 'manual');

-- CreateEnum
CREATE TYPE "PriceOverrideMode" AS ENUM ('markup', 'fixed');

-- AlterTable
ALTER TABLE "product" ADD COLUMN     "origin" "ProductOrigin" NOT NULL DEFAULT 'crawled';

-- CreateTable
CREATE TABLE "listing_override" (
    "product_id" UUID NOT NULL,
    "hidden" BOOLEAN NOT NULL DEFAULT false,
    "title" TEXT,
    "category_path" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "price_mode" "PriceOverrideMode",
    "price_value" DECIMAL(14,4),
    "weight_g" INTEGER,
    "updated_by_id" UUID,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "listing_override_pkey" PRIMARY KEY ("product_id")
);

-- CreateTable
CREATE TABLE "site_version" (
    "id" UUID NOT NULL,
    "site_id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "rules" JSONB NOT NULL,
    "author_id" UUID,
    "note" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "site_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "setting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_by_id" UUID,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "setting_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "listing_override_hidden_idx" ON "listing_override"("hidden");

-- CreateIndex
CREATE UNIQUE INDEX "site_version_site_id_version_key" ON "site_version"("site_id", "version");

-- AddForeignKey
ALTER TABLE "listing_override" ADD CONSTRAINT "listing_override_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "product"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "site_version" ADD CONSTRAINT "site_version_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "site"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- An override states a price only with its mode; a fixed price is positive.
ALTER TABLE "listing_override" ADD CONSTRAINT "listing_override_price_check" CHECK (
    ("price_mode" IS NULL) = ("price_value" IS NULL)
    AND ("price_mode" IS DISTINCT FROM 'fixed' OR "price_value" > 0)
    AND ("price_mode" IS DISTINCT FROM 'markup' OR "price_value" > -100)
);
ALTER TABLE "listing_override" ADD CONSTRAINT "listing_override_weight_check" CHECK ("weight_g" IS NULL OR "weight_g" > 0);

-- Sites saved before versioning start their history at version 1.
INSERT INTO "site_version" ("id", "site_id", "version", "rules", "note", "created_at")
SELECT gen_random_uuid(), "id", 1, "rules", 'the rules when versioning began', "updated_at" FROM "site";

-- A currency's minor unit digits, as Intl reports them (core/money.ts minorUnitsOf); a test
-- compares the two for every currency Node knows.
CREATE FUNCTION trawl_minor_units(currency TEXT) RETURNS INTEGER
LANGUAGE SQL IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN currency IN ('AFN','ALL','BIF','CLP','COP','DJF','GNF','HUF','IDR','IQD','IRR','ISK','JPY','KMF',
      'KPW','KRW','LAK','LBP','MGA','MMK','PKR','PYG','RWF','SLL','SOS','SYP','UGX','VND','VUV','XAF','XOF',
      'XPF','YER') THEN 0
    WHEN currency IN ('BHD','JOD','KWD','LYD','OMR','TND') THEN 3
    ELSE 2
  END
$$;

-- The price shoppers see: the crawled one, raised or lowered by a markup, or replaced by a fixed
-- price. Mirrors catalog/overrides.ts listedPrice (half away from zero, to the minor unit).
CREATE FUNCTION trawl_listed_price(price NUMERIC, currency TEXT, mode "PriceOverrideMode", value NUMERIC)
RETURNS NUMERIC LANGUAGE SQL IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN mode = 'fixed' THEN value
    WHEN mode = 'markup' AND price IS NOT NULL
      THEN round(price * (1 + value / 100), trawl_minor_units(btrim(currency)))
    ELSE price
  END
$$;
