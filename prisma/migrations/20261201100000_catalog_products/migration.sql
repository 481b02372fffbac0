-- One product, many offers. A catalog product groups the listings (product rows, which carts
-- and orders keep referencing) that are the same thing sold by different shops. Listings are
-- grouped by identity keys, strongest first:
--   gtin:<14 digits>          a GTIN with a valid check digit
--   mpn:<brand>|<mpn>         the brand and the manufacturer part number the page states
--   title:<category>|<words>  the same words in the title (any order, case, accents and
--                             punctuation aside), in the same leaf category, with a model-like
--                             word (one with a digit) and at least three words
-- A listing with a GTIN joins by brand+MPN or title only a product with no GTIN of its own
-- (which then gets this one). Titles and MPNs are used only for crawled listings: a
-- merchant-made product, or a back-office override of a title, never merges by its text.
-- An admin's split or merge locks the listings it moved (group_locked): ingestion leaves them.

CREATE TABLE "catalog_product" (
    "id" UUID NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "catalog_product_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "catalog_product_key" (
    "key" TEXT NOT NULL,
    "catalog_product_id" UUID NOT NULL,
    CONSTRAINT "catalog_product_key_pkey" PRIMARY KEY ("key"),
    CONSTRAINT "catalog_product_key_catalog_product_id_fkey" FOREIGN KEY ("catalog_product_id")
      REFERENCES "catalog_product"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "catalog_product_key_catalog_product_id_idx" ON "catalog_product_key"("catalog_product_id");

ALTER TABLE "product" ADD COLUMN "catalog_product_id" UUID,
  ADD COLUMN "group_reason" TEXT,
  ADD COLUMN "group_locked" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "product" ADD CONSTRAINT "product_catalog_product_id_fkey" FOREIGN KEY ("catalog_product_id")
  REFERENCES "catalog_product"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "product_catalog_product_id_idx" ON "product"("catalog_product_id");

-- Lower-case, accent-folded words joined by single spaces; null when nothing is left.
CREATE OR REPLACE FUNCTION trawl_norm(value text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT nullif(btrim(regexp_replace(lower(trawl_unaccent(coalesce(value, ''))), '[^[:alnum:]]+', ' ', 'g')), '') $$;

CREATE OR REPLACE FUNCTION trawl_gtin_key(gtin text) RETURNS text
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  digits text := regexp_replace(coalesce(gtin, ''), '[^0-9]', '', 'g');
  padded text;
  total int := 0;
BEGIN
  IF digits !~ '^([0-9]{8}|[0-9]{12,14})$' OR digits ~ '^0+$' THEN RETURN NULL; END IF;
  padded := lpad(digits, 14, '0');
  FOR i IN 1..13 LOOP
    total := total + substr(padded, i, 1)::int * CASE WHEN i % 2 = 1 THEN 3 ELSE 1 END;
  END LOOP;
  IF (10 - total % 10) % 10 <> substr(padded, 14, 1)::int THEN RETURN NULL; END IF;
  RETURN 'gtin:' || padded;
END $$;

CREATE OR REPLACE FUNCTION trawl_mpn_key(brand text, attributes jsonb) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN b IS NOT NULL AND length(m) >= 3 THEN 'mpn:' || b || '|' || m END
  FROM (SELECT trawl_norm(brand) AS b, trawl_norm(coalesce(
      attributes ->> 'mpn', attributes ->> 'MPN', attributes ->> 'Mpn', attributes ->> 'model',
      attributes ->> 'Model', attributes ->> 'Model number', attributes ->> 'Manufacturer part number'))
    AS m) x
$$;

CREATE OR REPLACE FUNCTION trawl_title_key(title text, category_path text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN cardinality(w) >= 3 AND EXISTS (SELECT 1 FROM unnest(w) t WHERE t ~ '[0-9]')
    THEN 'title:' || coalesce(trawl_norm(category_path[cardinality(category_path)]), '') || '|' || array_to_string(w, ' ')
  END
  FROM (SELECT ARRAY(SELECT DISTINCT t FROM unnest(string_to_array(trawl_norm(title), ' ')) t ORDER BY t) AS w) x
$$;

-- Groups the listings `ids` (those not locked by an admin). Returns every catalog product whose
-- offers changed (old and new), for the caller to refresh. One listing at a time, keys in a
-- fixed order: a concurrent transaction that registered a key first wins, and the loser joins it.
CREATE OR REPLACE FUNCTION trawl_group_listings(ids uuid[]) RETURNS uuid[]
  LANGUAGE plpgsql AS $$
DECLARE
  r record;
  k text;
  gtin_key text;
  lookups text[];
  keys text[];
  target uuid;
  winner uuid;
  reason text;
  created boolean;
  touched uuid[] := '{}';
BEGIN
  -- Concurrent batches (other shops) may hold the same keys: every transaction takes the keys'
  -- locks in one global order before touching them, so no two can wait on each other in a cycle.
  PERFORM pg_advisory_xact_lock(x.lock)
  FROM (
    SELECT DISTINCT hashtextextended(key, 7) AS lock
    FROM product p, unnest(ARRAY[trawl_gtin_key(p.gtin), trawl_mpn_key(p.brand, p.attributes),
      trawl_title_key(p.title, p.category_path)]) AS key
    WHERE p.id = ANY(ids) AND key IS NOT NULL
    ORDER BY 1
  ) x;
  FOR r IN
    SELECT p.id, p.catalog_product_id AS old_group, p.group_reason AS old_reason, p.gtin, p.brand,
      p.attributes, p.title, p.category_path, p.origin::text AS origin
    FROM product p WHERE p.id = ANY(ids) AND NOT p.group_locked ORDER BY p.id
  LOOP
    gtin_key := trawl_gtin_key(r.gtin);
    IF r.origin = 'manual' THEN
      keys := array_remove(ARRAY[gtin_key], NULL);
      lookups := keys;
    ELSE
      keys := array_remove(ARRAY[gtin_key, trawl_mpn_key(r.brand, r.attributes), trawl_title_key(r.title, r.category_path)], NULL);
      lookups := keys;
    END IF;
    target := NULL;
    reason := NULL;
    created := false;
    FOREACH k IN ARRAY lookups LOOP
      SELECT c.catalog_product_id INTO target FROM catalog_product_key c WHERE c.key = k;
      -- A listing with a GTIN does not join, by its MPN or title, a product that has another GTIN.
      IF target IS NOT NULL AND gtin_key IS NOT NULL AND k <> gtin_key AND EXISTS (
        SELECT 1 FROM catalog_product_key g WHERE g.catalog_product_id = target AND g.key LIKE 'gtin:%') THEN
        target := NULL;
      END IF;
      IF target IS NOT NULL THEN
        reason := k;
        EXIT;
      END IF;
    END LOOP;
    IF target IS NULL THEN
      IF r.old_group IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM product o WHERE o.catalog_product_id = r.old_group AND o.id <> r.id) THEN
        target := r.old_group;
      ELSE
        target := gen_random_uuid();
        INSERT INTO catalog_product (id) VALUES (target);
        created := true;
      END IF;
      reason := 'first';
    END IF;
    -- Register its keys; the first product to claim a key keeps it.
    INSERT INTO catalog_product_key (key, catalog_product_id)
    SELECT key, target FROM unnest(keys) AS key
    WHERE key NOT LIKE 'mpn:%' OR gtin_key IS NULL OR NOT EXISTS (
      SELECT 1 FROM catalog_product_key g WHERE g.catalog_product_id = target AND g.key LIKE 'gtin:%' AND g.key <> gtin_key)
    ORDER BY key
    ON CONFLICT (key) DO NOTHING;
    -- Lost a race for its strongest key to a concurrent transaction: join the winner.
    IF reason = 'first' AND cardinality(keys) > 0 THEN
      SELECT c.catalog_product_id INTO winner FROM catalog_product_key c WHERE c.key = keys[1];
      IF winner IS DISTINCT FROM target THEN
        IF created THEN DELETE FROM catalog_product WHERE id = target; END IF;
        target := winner;
        reason := keys[1];
      END IF;
    END IF;
    IF r.old_group IS DISTINCT FROM target OR r.old_reason IS DISTINCT FROM reason THEN
      UPDATE product SET catalog_product_id = target, group_reason = reason WHERE id = r.id;
      touched := touched || target;
      IF r.old_group IS NOT NULL THEN touched := touched || r.old_group; END IF;
    END IF;
  END LOOP;
  DELETE FROM catalog_product c WHERE c.id = ANY(touched)
    AND NOT EXISTS (SELECT 1 FROM product p WHERE p.catalog_product_id = c.id);
  RETURN touched;
END $$;
