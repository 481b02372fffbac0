-- Shoppers watch a catalog product for an offer at or below their price; an alert is kept in
-- their account and, when they gave a webhook, POSTed there by the webhooks worker.
CREATE TABLE "product_watch" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "catalog_product_id" UUID NOT NULL,
    "max_price" DECIMAL(14,4) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "webhook_url" TEXT,
    "last_alert_price" DECIMAL(14,4),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "product_watch_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "product_watch_max_price_check" CHECK ("max_price" > 0)
);
CREATE UNIQUE INDEX "product_watch_user_id_catalog_product_id_key" ON "product_watch"("user_id", "catalog_product_id");
CREATE INDEX "product_watch_catalog_product_id_idx" ON "product_watch"("catalog_product_id");
ALTER TABLE "product_watch" ADD CONSTRAINT "product_watch_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "product_watch" ADD CONSTRAINT "product_watch_catalog_product_id_fkey" FOREIGN KEY ("catalog_product_id") REFERENCES "catalog_product"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "price_alert" (
    "id" UUID NOT NULL,
    "watch_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "catalog_product_id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "site" TEXT NOT NULL,
    "price" DECIMAL(14,4) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "read_at" TIMESTAMP(3),
    "webhook_status" TEXT,
    CONSTRAINT "price_alert_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "price_alert_user_id_created_at_idx" ON "price_alert"("user_id", "created_at");
ALTER TABLE "price_alert" ADD CONSTRAINT "price_alert_watch_id_fkey" FOREIGN KEY ("watch_id") REFERENCES "product_watch"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "price_alert" ADD CONSTRAINT "price_alert_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "price_alert" ADD COLUMN "webhook_attempts" INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN "webhook_next_at" TIMESTAMP(3);
-- The webhooks worker's outbox: alerts whose POST is due.
CREATE INDEX "price_alert_webhook_due_idx" ON "price_alert"("webhook_next_at") WHERE "webhook_status" = 'pending';

-- Raises an alert for every watch whose product's best offer (in stock, in the watch's currency)
-- is now below the watched price, and below the price last alerted: a price that stays low, or
-- comes back up, alerts nobody again.
CREATE OR REPLACE FUNCTION trawl_check_watches(cids uuid[]) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  IF cids IS NULL OR cardinality(cids) = 0 THEN RETURN; END IF;
  WITH due AS (
    SELECT w.id AS watch_id, w.user_id, w.catalog_product_id, d.offer_id, d.title, d.site, d.price,
      d.currency, w.webhook_url IS NOT NULL AS has_webhook
    FROM product_watch w JOIN search_document d ON d.id = w.catalog_product_id
    WHERE w.catalog_product_id = ANY(cids) AND d.in_stock AND d.currency = w.currency
      AND d.price < w.max_price AND (w.last_alert_price IS NULL OR d.price < w.last_alert_price)
    ORDER BY w.id
    FOR UPDATE OF w
  ),
  alerted AS (
    UPDATE product_watch w SET last_alert_price = due.price FROM due WHERE w.id = due.watch_id
    RETURNING w.id
  )
  INSERT INTO price_alert (id, watch_id, user_id, catalog_product_id, product_id, title, site, price,
    currency, webhook_status, webhook_next_at)
  SELECT gen_random_uuid(), watch_id, user_id, catalog_product_id, offer_id, title, site, price, currency,
    CASE WHEN has_webhook THEN 'pending' END, CASE WHEN has_webhook THEN now() END
  FROM due;
END $$;

CREATE OR REPLACE FUNCTION trawl_document_watch_sync() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM trawl_check_watches(ARRAY(SELECT id FROM new_rows));
  RETURN NULL;
END $$;
CREATE TRIGGER "search_document_watch_insert" AFTER INSERT ON "search_document"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trawl_document_watch_sync();
CREATE TRIGGER "search_document_watch_update" AFTER UPDATE ON "search_document"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trawl_document_watch_sync();
