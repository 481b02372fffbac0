-- Search reads one narrow row per catalog product (search_document), one card however many shops
-- sell it, instead of the product (listing) table: the effective values shoppers see (a listing
-- override's title, category and price; a hidden listing is no offer), the number of offers and
-- the lowest price, two tsvectors (title+brand for ranking tiers, the
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
    "offers" INTEGER NOT NULL DEFAULT 1,
    "offer_id" UUID NOT NULL,
    "site" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "image" TEXT,
    "first_seen_at" TIMESTAMP(3) NOT NULL,
    "boost" INTEGER NOT NULL DEFAULT 0,
    "title_vector" tsvector NOT NULL,
    "document" tsvector NOT NULL,

    CONSTRAINT "search_document_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "search_document_id_fkey" FOREIGN KEY ("id") REFERENCES "catalog_product"("id") ON DELETE CASCADE
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

-- The documents of catalog products `cids`, from their visible offers: the first-seen offer
-- gives title, category and description; the card shows the best offer in that currency (in
-- stock first, then cheapest) and how many offers there are. Catalog words feed typo correction.
CREATE OR REPLACE FUNCTION trawl_refresh_catalog_documents(cids uuid[]) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  IF cids IS NULL OR cardinality(cids) = 0 THEN RETURN; END IF;
  -- No visible offer left: gone from the catalog, or hidden by the back office.
  DELETE FROM search_document d WHERE d.id = ANY(cids)
    AND NOT EXISTS (
      SELECT 1 FROM product p LEFT JOIN listing_override o ON o.product_id = p.id
      WHERE p.catalog_product_id = d.id AND o.hidden IS NOT TRUE);
  WITH offers AS (
    SELECT p.catalog_product_id AS cid, p.id, p.url, p.brand, p.sku, p.gtin, p.description,
      p.currency, p.availability, p.images, p.first_seen_at, s.name AS site,
      coalesce(o.title, p.title) AS title,
      CASE WHEN cardinality(o.category_path) > 0 THEN o.category_path ELSE coalesce(p.category_path, '{}') END
        AS category_path,
      trawl_listed_price(p.price, p.currency, o.price_mode, o.price_value) AS price
    FROM product p JOIN site s ON s.id = p.site_id LEFT JOIN listing_override o ON o.product_id = p.id
    WHERE p.catalog_product_id = ANY(cids) AND o.hidden IS NOT TRUE
  ),
  rep AS (SELECT DISTINCT ON (cid) * FROM offers ORDER BY cid, first_seen_at, id),
  best AS (
    SELECT DISTINCT ON (o.cid) o.cid, o.id AS offer_id, o.price, o.currency, o.url, o.site
    FROM offers o JOIN rep r ON r.cid = o.cid AND o.currency IS NOT DISTINCT FROM r.currency
    ORDER BY o.cid, (o.availability = 'InStock') DESC, o.price ASC NULLS LAST, o.id
  ),
  agg AS (
    SELECT cid, count(*)::int AS offers, bool_or(availability = 'InStock') AS in_stock,
      CASE WHEN bool_or(availability = 'InStock') THEN 'InStock'
           WHEN bool_or(availability = 'PreOrder') THEN 'PreOrder'
           WHEN bool_or(availability = 'BackOrder') THEN 'BackOrder'
           WHEN bool_or(availability = 'OutOfStock') THEN 'OutOfStock'
           WHEN bool_or(availability = 'Discontinued') THEN 'Discontinued'
           ELSE 'Unknown' END::"Availability" AS availability,
      array_agg(DISTINCT site ORDER BY site) AS sites, min(first_seen_at) AS first_seen_at,
      (array_agg(brand ORDER BY first_seen_at, id) FILTER (WHERE brand IS NOT NULL))[1] AS brand,
      string_agg(DISTINCT concat_ws(' ', sku, gtin), ' ') AS codes
    FROM offers GROUP BY cid
  ),
  fresh AS (
    SELECT r.cid AS id, r.title, a.brand, r.category_path,
      r.category_path[cardinality(r.category_path)] AS category, b.price, b.currency, a.availability,
      a.in_stock, a.sites, a.offers, b.offer_id, b.site, b.url, r.images[1] AS image, a.first_seen_at,
      CASE WHEN a.in_stock THEN 1000 ELSE 0 END + least(a.offers, 999) AS boost,
      -- Stripped of positions and weights, which nothing reads (ranking is by tiers): narrower rows.
      strip(to_tsvector('simple'::regconfig, trawl_unaccent(r.title || ' ' || coalesce(a.brand, '')))) AS title_vector,
      strip(trawl_product_document(r.title, a.brand, a.codes, NULL, r.category_path, r.description)) AS document
    FROM rep r JOIN agg a ON a.cid = r.cid JOIN best b ON b.cid = r.cid
  ),
  written AS (
    INSERT INTO search_document AS d (id, title, brand, category_path, category, price, currency,
      availability, in_stock, sites, offers, offer_id, site, url, image, first_seen_at, boost, title_vector, document)
    SELECT * FROM fresh ORDER BY id
    ON CONFLICT (id) DO UPDATE SET
      title = EXCLUDED.title, brand = EXCLUDED.brand, category_path = EXCLUDED.category_path,
      category = EXCLUDED.category, price = EXCLUDED.price, currency = EXCLUDED.currency,
      availability = EXCLUDED.availability, in_stock = EXCLUDED.in_stock, sites = EXCLUDED.sites,
      offers = EXCLUDED.offers, offer_id = EXCLUDED.offer_id, site = EXCLUDED.site, url = EXCLUDED.url, image = EXCLUDED.image,
      first_seen_at = EXCLUDED.first_seen_at, boost = EXCLUDED.boost,
      title_vector = EXCLUDED.title_vector, document = EXCLUDED.document
    WHERE (d.title, d.brand, d.category_path, d.price, d.currency, d.availability, d.sites, d.offers,
           d.offer_id, d.site, d.url, d.image, d.first_seen_at, d.boost, d.document)
      IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.brand, EXCLUDED.category_path, EXCLUDED.price,
           EXCLUDED.currency, EXCLUDED.availability, EXCLUDED.sites, EXCLUDED.offers, EXCLUDED.offer_id, EXCLUDED.site,
           EXCLUDED.url, EXCLUDED.image, EXCLUDED.first_seen_at, EXCLUDED.boost, EXCLUDED.document)
    RETURNING d.document
  )
  INSERT INTO search_word (word)
  SELECT DISTINCT w FROM written, unnest(tsvector_to_array(written.document)) AS w
  -- Letters only: model numbers are never corrected (catalog/typos.ts), so they need no neighbours.
  WHERE length(w) BETWEEN 3 AND 40 AND w !~ '[^[:alpha:]]'
  ORDER BY w -- one order for every writer: concurrent batches cannot deadlock on shared words
  ON CONFLICT DO NOTHING;
  PERFORM nextval('search_version_seq');
END $$;

-- The contract for writers outside ingestion: the documents of the catalog products these
-- listings belong to (catalog refreshSearchDocuments).
CREATE OR REPLACE FUNCTION trawl_refresh_search_documents(ids uuid[]) RETURNS void
  LANGUAGE sql AS $$
  SELECT trawl_refresh_catalog_documents(ARRAY(
    SELECT DISTINCT catalog_product_id FROM product WHERE id = ANY(ids) AND catalog_product_id IS NOT NULL))
$$;

-- Statement-level triggers: one set-based refresh per statement, however many rows it wrote.
CREATE OR REPLACE FUNCTION trawl_product_search_sync() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  regroup uuid[];
  groups uuid[];
BEGIN
  -- The grouping's own updates of catalog_product_id run inside this trigger: it refreshes after.
  IF pg_trigger_depth() > 1 THEN RETURN NULL; END IF;
  IF TG_OP = 'INSERT' THEN
    regroup := ARRAY(SELECT id FROM new_rows);
    groups := trawl_group_listings(regroup);
    PERFORM trawl_refresh_catalog_documents(groups || ARRAY(
      SELECT DISTINCT p.catalog_product_id FROM product p WHERE p.id = ANY(regroup) AND p.catalog_product_id IS NOT NULL));
  ELSIF TG_OP = 'UPDATE' THEN
    -- Identity changed: group again (listings an admin placed stay where they are).
    regroup := ARRAY(
      SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE NOT n.group_locked AND (n.catalog_product_id IS NULL OR (n.title, n.brand, n.gtin, n.attributes, n.category_path, n.origin)
        IS DISTINCT FROM (o.title, o.brand, o.gtin, o.attributes, o.category_path, o.origin)));
    groups := trawl_group_listings(regroup);
    -- Searchable values changed (a 304 "touch" changes nothing searchable).
    PERFORM trawl_refresh_catalog_documents(groups || ARRAY(
      SELECT DISTINCT x.cid FROM (
        SELECT p.catalog_product_id AS cid FROM product p JOIN new_rows n ON n.id = p.id JOIN old_rows o ON o.id = n.id
        WHERE (n.title, n.brand, n.sku, n.gtin, n.description, n.category_path, n.price, n.currency,
               n.availability, n.images, n.url, n.site_id, n.first_seen_at, n.catalog_product_id)
          IS DISTINCT FROM (o.title, o.brand, o.sku, o.gtin, o.description, o.category_path, o.price,
               o.currency, o.availability, o.images, o.url, o.site_id, o.first_seen_at, o.catalog_product_id)
        UNION
        SELECT o.catalog_product_id FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE o.catalog_product_id IS DISTINCT FROM n.catalog_product_id
      ) x WHERE x.cid IS NOT NULL));
    -- A product whose last offer moved away is gone.
    DELETE FROM catalog_product c
    WHERE c.id IN (SELECT o.catalog_product_id FROM old_rows o JOIN new_rows n ON n.id = o.id
                   WHERE o.catalog_product_id IS DISTINCT FROM n.catalog_product_id)
      AND NOT EXISTS (SELECT 1 FROM product p WHERE p.catalog_product_id = c.id);
  ELSE
    groups := ARRAY(SELECT DISTINCT catalog_product_id FROM old_rows WHERE catalog_product_id IS NOT NULL);
    DELETE FROM catalog_product c WHERE c.id = ANY(groups)
      AND NOT EXISTS (SELECT 1 FROM product p WHERE p.catalog_product_id = c.id);
    PERFORM trawl_refresh_catalog_documents(groups);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "product_search_insert" AFTER INSERT ON "product"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trawl_product_search_sync();
CREATE TRIGGER "product_search_update" AFTER UPDATE ON "product"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trawl_product_search_sync();
CREATE TRIGGER "product_search_delete" AFTER DELETE ON "product"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION trawl_product_search_sync();

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

-- Existing listings: group them, then write their documents.
SELECT trawl_refresh_catalog_documents(trawl_group_listings(ARRAY(SELECT id FROM product ORDER BY id)));
