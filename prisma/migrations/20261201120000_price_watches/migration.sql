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
