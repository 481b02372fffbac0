-- Extensions for typo-tolerant search.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

-- unaccent() is only STABLE; generated columns need an IMMUTABLE function.
CREATE OR REPLACE FUNCTION trawl_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

-- The searchable document of a product. One text-search configuration ('simple', no stemming,
-- accents folded) is used both here and when querying, so brand names and SKUs match as typed.
CREATE OR REPLACE FUNCTION trawl_product_document(
  title text, brand text, sku text, gtin text, category_path text[], description text
) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT setweight(to_tsvector('simple'::regconfig, trawl_unaccent(coalesce(title, ''))), 'A') ||
           setweight(to_tsvector('simple'::regconfig, trawl_unaccent(coalesce(brand, '') || ' ' || coalesce(sku, '') || ' ' || coalesce(gtin, ''))), 'A') ||
           setweight(to_tsvector('simple'::regconfig, trawl_unaccent(coalesce(array_to_string(category_path, ' '), ''))), 'B') ||
           setweight(to_tsvector('simple'::regconfig, trawl_unaccent(left(coalesce(description, ''), 4000))), 'C')
  $$;

-- CreateEnum
CREATE TYPE "CrawlStatus" AS ENUM ('queued', 'running', 'completed', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "Availability" AS ENUM ('InStock', 'OutOfStock', 'PreOrder', 'BackOrder', 'Discontinued', 'Unknown');

-- CreateTable
CREATE TABLE "site" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "rules" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "site_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "crawl_run" (
    "id" UUID NOT NULL,
    "site_id" UUID NOT NULL,
    "status" "CrawlStatus" NOT NULL DEFAULT 'queued',
    "queued" INTEGER NOT NULL DEFAULT 0,
    "fetched" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "products_found" INTEGER NOT NULL DEFAULT 0,
    "skipped" JSONB NOT NULL DEFAULT '{}',
    "failure_reason" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),

    CONSTRAINT "crawl_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "product" (
    "id" UUID NOT NULL,
    "site_id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "brand" TEXT,
    "sku" TEXT,
    "gtin" TEXT,
    "images" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "category_path" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "category" TEXT,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "availability" "Availability" NOT NULL DEFAULT 'Unknown',
    "price" DECIMAL(14,4),
    "currency" CHAR(3),
    "content_hash" TEXT NOT NULL,
    "first_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_run_id" UUID,
    "search_vector" tsvector GENERATED ALWAYS AS (
        trawl_product_document("title", "brand", "sku", "gtin", "category_path", "description")
    ) STORED,

    CONSTRAINT "product_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "price_observation" (
    "id" BIGSERIAL NOT NULL,
    "product_id" UUID NOT NULL,
    "price" DECIMAL(14,4),
    "currency" CHAR(3),
    "availability" "Availability" NOT NULL,
    "run_id" UUID,
    "observed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "price_observation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "search_word" (
    "word" TEXT NOT NULL,

    CONSTRAINT "search_word_pkey" PRIMARY KEY ("word")
);

-- CreateIndex
CREATE UNIQUE INDEX "site_name_key" ON "site"("name");

-- CreateIndex
CREATE INDEX "crawl_run_site_id_created_at_idx" ON "crawl_run"("site_id", "created_at");

-- CreateIndex
CREATE INDEX "product_category_idx" ON "product"("category");

-- CreateIndex
CREATE INDEX "product_brand_idx" ON "product"("brand");

-- CreateIndex
CREATE INDEX "product_price_idx" ON "product"("price");

-- CreateIndex
CREATE INDEX "product_first_seen_at_idx" ON "product"("first_seen_at");

-- CreateIndex
CREATE UNIQUE INDEX "product_site_id_url_key" ON "product"("site_id", "url");

-- CreateIndex
CREATE INDEX "price_observation_product_id_observed_at_idx" ON "price_observation"("product_id", "observed_at");

-- Full-text and trigram indexes (not expressible in the Prisma schema).
CREATE INDEX "product_search_vector_idx" ON "product" USING GIN ("search_vector");
CREATE INDEX "product_title_trgm_idx" ON "product" USING GIN ("title" gin_trgm_ops);
CREATE INDEX "search_word_trgm_idx" ON "search_word" USING GIST ("word" gist_trgm_ops);

-- AddForeignKey
ALTER TABLE "crawl_run" ADD CONSTRAINT "crawl_run_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "product" ADD CONSTRAINT "product_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "price_observation" ADD CONSTRAINT "price_observation_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "product"("id") ON DELETE CASCADE ON UPDATE CASCADE;
