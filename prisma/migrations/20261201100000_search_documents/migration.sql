-- Search reads one narrow row per searchable listing (search_document) instead of the product
-- table: the effective values shoppers see (a listing override's title, category and price; a
-- hidden listing has no document), two tsvectors (title+brand for ranking tiers, the
-- whole document for matching), and the columns filters, facets and sorts read, each served by
-- an index. Rows are maintained by statement-level triggers on product, listing_override and
-- site, so every writer (ingestion, gone marking, merchant-made products, the back office's
-- overrides) keeps search current without knowing about it; trawl_refresh_search_documents(ids)
-- is also callable directly (catalog refreshSearchDocuments).

-- The product's generated search_vector is replaced by search_document.document.
DROP INDEX IF EXISTS "product_search_vector_idx";
ALTER TABLE "product" DROP COLUMN IF EXISTS "search_vector";

CREATE TABLE "search_document" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "brand" TEXT,
    "category_path" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "category" TEXT,
    "price" DECIMAL(14,4),
    "currency" CHAR(3),
    "availability" "Availability" NOT NULL,
    "in_stock" BOOLEAN NOT NULL,
    "sites" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "url" TEXT NOT NULL,
    "image" TEXT,
    "first_seen_at" TIMESTAMP(3) NOT NULL,
    "boost" INTEGER NOT NULL DEFAULT 0,
    "title_vector" tsvector NOT NULL,
    "document" tsvector NOT NULL,

    CONSTRAINT "search_document_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "search_document_id_fkey" FOREIGN KEY ("id") REFERENCES "product"("id") ON DELETE CASCADE
);

-- Keep the heap narrow: the big document vector lives out of line (it is only read through its
-- GIN index), so counting and faceting a match set touches small rows.
ALTER TABLE "search_document" SET (toast_tuple_target = 128);
ALTER TABLE "search_document" ALTER COLUMN "document" SET STORAGE EXTERNAL;
ALTER TABLE "search_document" ALTER COLUMN "title_vector" SET STORAGE MAIN;

-- fastupdate off: no pending list for queries to scan, so latency does not depend on when
-- autovacuum last ran.
CREATE INDEX "search_document_document_idx" ON "search_document" USING GIN ("document") WITH (fastupdate = off);
CREATE INDEX "search_document_title_vector_idx" ON "search_document" USING GIN ("title_vector") WITH (fastupdate = off);
CREATE INDEX "search_document_category_path_idx" ON "search_document" USING GIN ("category_path") WITH (fastupdate = off);
CREATE INDEX "search_document_sites_idx" ON "search_document" USING GIN ("sites") WITH (fastupdate = off);
-- One index per sort order, each ending in id so the order is total.
CREATE INDEX "search_document_relevance_idx" ON "search_document" ("boost" DESC, "first_seen_at" DESC, "id");
CREATE INDEX "search_document_newest_idx" ON "search_document" ("first_seen_at" DESC, "id");
CREATE INDEX "search_document_price_asc_idx" ON "search_document" ("price" ASC NULLS LAST, "id");
CREATE INDEX "search_document_price_desc_idx" ON "search_document" ("price" DESC NULLS LAST, "id");
CREATE INDEX "search_document_brand_idx" ON "search_document" ("brand");

-- Bumped whenever documents change; caches of whole-catalog facets compare it.
CREATE SEQUENCE "search_version_seq";

-- Catalog words feed typo correction; each document's words are added when it is written.
CREATE OR REPLACE FUNCTION trawl_refresh_search_documents(ids uuid[]) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
  -- Gone from the catalog, or hidden by the back office.
  DELETE FROM search_document d WHERE d.id = ANY(ids)
    AND NOT EXISTS (
      SELECT 1 FROM product p LEFT JOIN listing_override o ON o.product_id = p.id
      WHERE p.id = d.id AND o.hidden IS NOT TRUE);
  WITH effective AS (
    SELECT p.id, p.site_id, p.url, p.brand, p.sku, p.gtin, p.description, p.currency, p.availability,
      p.images, p.first_seen_at,
      coalesce(o.title, p.title) AS title,
      CASE WHEN cardinality(o.category_path) > 0 THEN o.category_path ELSE coalesce(p.category_path, '{}') END
        AS category_path,
      trawl_listed_price(p.price, p.currency, o.price_mode, o.price_value) AS price
    FROM product p LEFT JOIN listing_override o ON o.product_id = p.id
    WHERE p.id = ANY(ids) AND o.hidden IS NOT TRUE
  ),
  fresh AS (
    SELECT p.id, p.title, p.brand, p.category_path,
      p.category_path[cardinality(p.category_path)] AS category, p.price, p.currency, p.availability,
      p.availability = 'InStock' AS in_stock, ARRAY[s.name] AS sites, p.url, p.images[1] AS image,
      p.first_seen_at, CASE WHEN p.availability = 'InStock' THEN 1 ELSE 0 END AS boost,
      to_tsvector('simple'::regconfig, trawl_unaccent(p.title || ' ' || coalesce(p.brand, ''))) AS title_vector,
      trawl_product_document(p.title, p.brand, p.sku, p.gtin, p.category_path, p.description) AS document
    FROM effective p JOIN site s ON s.id = p.site_id
  ),
  written AS (
    INSERT INTO search_document AS d (id, title, brand, category_path, category, price, currency,
      availability, in_stock, sites, url, image, first_seen_at, boost, title_vector, document)
    SELECT * FROM fresh
    ON CONFLICT (id) DO UPDATE SET
      title = EXCLUDED.title, brand = EXCLUDED.brand, category_path = EXCLUDED.category_path,
      category = EXCLUDED.category, price = EXCLUDED.price, currency = EXCLUDED.currency,
      availability = EXCLUDED.availability, in_stock = EXCLUDED.in_stock, sites = EXCLUDED.sites,
      url = EXCLUDED.url, image = EXCLUDED.image, first_seen_at = EXCLUDED.first_seen_at,
      boost = EXCLUDED.boost, title_vector = EXCLUDED.title_vector, document = EXCLUDED.document
    WHERE (d.title, d.brand, d.category_path, d.price, d.currency, d.availability, d.sites, d.url,
           d.image, d.first_seen_at, d.boost, d.document)
      IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.brand, EXCLUDED.category_path, EXCLUDED.price,
           EXCLUDED.currency, EXCLUDED.availability, EXCLUDED.sites, EXCLUDED.url, EXCLUDED.image,
           EXCLUDED.first_seen_at, EXCLUDED.boost, EXCLUDED.document)
    RETURNING d.document
  )
  INSERT INTO search_word (word)
  SELECT DISTINCT w FROM written, unnest(tsvector_to_array(written.document)) AS w
  WHERE length(w) BETWEEN 3 AND 40 AND w !~ '^[0-9]'
  ON CONFLICT DO NOTHING;
  PERFORM nextval('search_version_seq');
END $$;

-- Statement-level triggers: one set-based refresh per statement, however many rows it wrote.
CREATE OR REPLACE FUNCTION trawl_product_search_sync() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM trawl_refresh_search_documents(ARRAY(SELECT id FROM new_rows));
  ELSIF TG_OP = 'UPDATE' THEN
    -- Only rows whose searchable values changed (a 304 "touch" changes nothing searchable).
    PERFORM trawl_refresh_search_documents(ARRAY(
      SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.title, n.brand, n.sku, n.gtin, n.description, n.category_path, n.price, n.currency,
             n.availability, n.images, n.url, n.site_id, n.first_seen_at)
        IS DISTINCT FROM (o.title, o.brand, o.sku, o.gtin, o.description, o.category_path, o.price,
             o.currency, o.availability, o.images, o.url, o.site_id, o.first_seen_at)));
  ELSE
    PERFORM nextval('search_version_seq');
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "product_search_insert" AFTER INSERT ON "product"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trawl_product_search_sync();
CREATE TRIGGER "product_search_update" AFTER UPDATE ON "product"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trawl_product_search_sync();
CREATE TRIGGER "product_search_delete" AFTER DELETE ON "product"
  FOR EACH STATEMENT EXECUTE FUNCTION trawl_product_search_sync();

-- The back office's overrides: what changed is what shoppers see.
CREATE OR REPLACE FUNCTION trawl_override_search_sync() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM trawl_refresh_search_documents(ARRAY(SELECT product_id FROM new_rows));
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM trawl_refresh_search_documents(ARRAY(
      SELECT product_id FROM new_rows UNION SELECT product_id FROM old_rows));
  ELSE
    PERFORM trawl_refresh_search_documents(ARRAY(SELECT product_id FROM old_rows));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "listing_override_search_insert" AFTER INSERT ON "listing_override"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trawl_override_search_sync();
CREATE TRIGGER "listing_override_search_update" AFTER UPDATE ON "listing_override"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trawl_override_search_sync();
CREATE TRIGGER "listing_override_search_delete" AFTER DELETE ON "listing_override"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION trawl_override_search_sync();

-- A renamed site renames the shop on its listings' documents.
CREATE OR REPLACE FUNCTION trawl_site_search_sync() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM trawl_refresh_search_documents(ARRAY(
    SELECT p.id FROM product p JOIN new_rows n ON n.id = p.site_id JOIN old_rows o ON o.id = n.id
    WHERE n.name IS DISTINCT FROM o.name));
  RETURN NULL;
END $$;
CREATE TRIGGER "site_search_update" AFTER UPDATE ON "site"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trawl_site_search_sync();

-- Existing products.
SELECT trawl_refresh_search_documents(ARRAY(SELECT id FROM product));
