-- Reviews rate listings (offers); search shows catalog products. A product's rating is that of
-- all its visible offers' reviews together (sum of stars / number of reviews), kept on its
-- search document so "at least 4 stars" and "best rated" are read from an index like every
-- other filter and sort. Kept current by triggers: reviews change listing_rating; a listing
-- moving between products (grouping, split, merge) and a new document recompute it.

ALTER TABLE "search_document" ADD COLUMN "rating" DECIMAL(3,2);
ALTER TABLE "search_document" ADD COLUMN "rating_count" INTEGER NOT NULL DEFAULT 0;
CREATE INDEX "search_document_rating_idx" ON "search_document" ("rating" DESC NULLS LAST, "rating_count" DESC, "id");

CREATE OR REPLACE FUNCTION trawl_refresh_document_ratings(cids uuid[]) RETURNS void
  LANGUAGE sql AS $$
  UPDATE search_document d SET rating = x.rating, rating_count = x.rating_count
  FROM (
    SELECT c.id,
      CASE WHEN coalesce(sum(r.count), 0) > 0 THEN round(sum(r.sum)::numeric / sum(r.count), 2) END AS rating,
      coalesce(sum(r.count), 0)::int AS rating_count
    FROM unnest(cids) AS c(id)
    LEFT JOIN product p ON p.catalog_product_id = c.id
    LEFT JOIN listing_override o ON o.product_id = p.id
    LEFT JOIN listing_rating r ON r.product_id = p.id AND o.hidden IS NOT TRUE
    GROUP BY c.id
  ) x
  WHERE d.id = x.id AND (d.rating, d.rating_count) IS DISTINCT FROM (x.rating, x.rating_count)
$$;

CREATE OR REPLACE FUNCTION trawl_rating_search_sync() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM trawl_refresh_document_ratings(ARRAY(
      SELECT DISTINCT p.catalog_product_id FROM old_rows r JOIN product p ON p.id = r.product_id
      WHERE p.catalog_product_id IS NOT NULL));
  ELSE
    PERFORM trawl_refresh_document_ratings(ARRAY(
      SELECT DISTINCT p.catalog_product_id FROM new_rows r JOIN product p ON p.id = r.product_id
      WHERE p.catalog_product_id IS NOT NULL));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "listing_rating_search_insert" AFTER INSERT ON "listing_rating"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trawl_rating_search_sync();
CREATE TRIGGER "listing_rating_search_update" AFTER UPDATE ON "listing_rating"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trawl_rating_search_sync();
CREATE TRIGGER "listing_rating_search_delete" AFTER DELETE ON "listing_rating"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION trawl_rating_search_sync();

-- A listing that changes product takes its reviews along: both products' ratings change.
CREATE OR REPLACE FUNCTION trawl_regroup_rating_sync() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM trawl_refresh_document_ratings(ARRAY(
    SELECT n.catalog_product_id FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.catalog_product_id IS DISTINCT FROM o.catalog_product_id AND n.catalog_product_id IS NOT NULL
    UNION
    SELECT o.catalog_product_id FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.catalog_product_id IS DISTINCT FROM o.catalog_product_id AND o.catalog_product_id IS NOT NULL));
  RETURN NULL;
END $$;
CREATE TRIGGER "product_rating_regroup" AFTER UPDATE ON "product"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trawl_regroup_rating_sync();

-- A new document (a new product, or one back from hidden) starts from its offers' reviews; the
-- same for a hidden/unhidden offer (listing_override changes which reviews count).
CREATE OR REPLACE FUNCTION trawl_document_rating_sync() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM trawl_refresh_document_ratings(ARRAY(SELECT id FROM new_rows));
  RETURN NULL;
END $$;
CREATE TRIGGER "search_document_rating_insert" AFTER INSERT ON "search_document"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trawl_document_rating_sync();

CREATE OR REPLACE FUNCTION trawl_override_rating_sync() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM trawl_refresh_document_ratings(ARRAY(
      SELECT DISTINCT p.catalog_product_id FROM old_rows n JOIN product p ON p.id = n.product_id
      WHERE p.catalog_product_id IS NOT NULL));
  ELSE
    PERFORM trawl_refresh_document_ratings(ARRAY(
      SELECT DISTINCT p.catalog_product_id FROM new_rows n JOIN product p ON p.id = n.product_id
      WHERE p.catalog_product_id IS NOT NULL));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "listing_override_rating_insert" AFTER INSERT ON "listing_override"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trawl_override_rating_sync();
CREATE TRIGGER "listing_override_rating_update" AFTER UPDATE ON "listing_override"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trawl_override_rating_sync();
CREATE TRIGGER "listing_override_rating_delete" AFTER DELETE ON "listing_override"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION trawl_override_rating_sync();

SELECT trawl_refresh_document_ratings(ARRAY(SELECT id FROM search_document));
