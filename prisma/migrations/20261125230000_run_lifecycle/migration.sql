-- Run lifecycle (pause), run counters, products gone, product change events.
-- CreateEnum
CREATE TYPE "ProductEventKind" AS ENUM ('new', 'price_changed', 'availability_changed', 'gone', 'returned');

-- AlterEnum
ALTER TYPE "CrawlStatus" ADD VALUE 'paused';

ALTER TABLE "crawl_run" ADD COLUMN     "products_changed" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "products_gone" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "products_new" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "trigger" TEXT NOT NULL DEFAULT 'manual';

ALTER TABLE "product" ADD COLUMN     "gone_at" TIMESTAMP(3);
CREATE INDEX "product_site_id_gone_at_idx" ON "product"("site_id") WHERE "gone_at" IS NULL;

-- CreateTable
CREATE TABLE "product_event" (
    "id" BIGSERIAL NOT NULL,
    "product_id" UUID NOT NULL,
    "run_id" UUID,
    "kind" "ProductEventKind" NOT NULL,
    "old_price" DECIMAL(14,4),
    "new_price" DECIMAL(14,4),
    "old_currency" CHAR(3),
    "new_currency" CHAR(3),
    "old_availability" "Availability",
    "new_availability" "Availability",
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "product_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "product_event_product_id_created_at_idx" ON "product_event"("product_id", "created_at");

-- CreateIndex
CREATE INDEX "product_event_created_at_idx" ON "product_event"("created_at");

-- AddForeignKey
ALTER TABLE "product_event" ADD CONSTRAINT "product_event_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "product"("id") ON DELETE CASCADE ON UPDATE CASCADE;

