-- Promotions (满减, 折扣, coupons, 抢购, 秒杀, 团购) with their usage, coupon codes, flash-sale
-- reservations and group buys; membership tiers, points rules and balances; each order's
-- discount breakdown per line; reviews, helpful votes and listing ratings.
-- CreateEnum
CREATE TYPE "PromotionType" AS ENUM ('threshold', 'discount', 'coupon', 'rush', 'flash', 'group');

-- CreateEnum
CREATE TYPE "PromotionStatus" AS ENUM ('draft', 'scheduled', 'active', 'paused', 'ended');

-- CreateEnum
CREATE TYPE "PromotionScope" AS ENUM ('everything', 'merchant', 'category', 'listings');

-- CreateEnum
CREATE TYPE "PromotionStacking" AS ENUM ('stackable', 'exclusive');

-- CreateEnum
CREATE TYPE "PromotionFunding" AS ENUM ('merchant', 'platform');

-- CreateEnum
CREATE TYPE "PromotionUsageStatus" AS ENUM ('held', 'used', 'released');

-- CreateEnum
CREATE TYPE "FlashReservationStatus" AS ENUM ('held', 'ordered', 'paid', 'lapsed', 'released');

-- CreateEnum
CREATE TYPE "GroupBuyStatus" AS ENUM ('open', 'filled', 'failed');

-- CreateEnum
CREATE TYPE "GroupMemberStatus" AS ENUM ('joined', 'paid', 'left', 'refunded');

-- CreateEnum
CREATE TYPE "ReviewStatus" AS ENUM ('visible', 'hidden');

-- AlterTable
ALTER TABLE "order_line" ADD COLUMN     "discount" DECIMAL(14,2) NOT NULL DEFAULT 0,
ADD COLUMN     "refunded_amount" DECIMAL(14,2) NOT NULL DEFAULT 0,
ADD COLUMN     "refunded_quantity" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "member_tier" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "rank" INTEGER NOT NULL,
    "min_yearly_spend" DECIMAL(14,2) NOT NULL,
    "price" DECIMAL(14,2),
    "discount_percent" DECIMAL(5,2) NOT NULL DEFAULT 0,
    "points_multiplier" DECIMAL(4,2) NOT NULL DEFAULT 1,
    "benefits" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "member_tier_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "points_rule" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "currency" CHAR(3),
    "points_per_unit" DECIMAL(10,4) NOT NULL,
    "min_order_total" DECIMAL(14,2),
    "starts_at" TIMESTAMP(3),
    "ends_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "points_rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "membership_settings" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "currency" CHAR(3) NOT NULL DEFAULT 'CNY',
    "points_per_unit" INTEGER NOT NULL DEFAULT 100,
    "max_redeem_percent" INTEGER NOT NULL DEFAULT 20,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "membership_settings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "member" (
    "user_id" UUID NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "paid_tier" TEXT,
    "paid_until" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "member_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "points_entry" (
    "id" BIGSERIAL NOT NULL,
    "user_id" UUID NOT NULL,
    "delta" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "order_id" UUID,
    "reference" TEXT NOT NULL,
    "note" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "points_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_adjustment" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "order_line_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "promotion_id" UUID,
    "label" TEXT NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "funded_by" TEXT NOT NULL,

    CONSTRAINT "order_adjustment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "promotion" (
    "id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "type" "PromotionType" NOT NULL,
    "status" "PromotionStatus" NOT NULL DEFAULT 'draft',
    "starts_at" TIMESTAMP(3) NOT NULL,
    "ends_at" TIMESTAMP(3) NOT NULL,
    "scope" "PromotionScope" NOT NULL DEFAULT 'everything',
    "merchant_id" UUID,
    "category" TEXT,
    "product_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "currency" CHAR(3),
    "min_tier" TEXT,
    "stacking" "PromotionStacking" NOT NULL DEFAULT 'stackable',
    "funded_by" "PromotionFunding" NOT NULL DEFAULT 'merchant',
    "rules" JSONB NOT NULL,
    "max_uses" INTEGER,
    "per_user_limit" INTEGER,
    "max_participants" INTEGER,
    "budget" DECIMAL(14,2),
    "claimable" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "promotion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "promotion_usage" (
    "id" UUID NOT NULL,
    "promotion_id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "coupon_code_id" UUID,
    "amount" DECIMAL(14,2) NOT NULL,
    "units" INTEGER NOT NULL DEFAULT 0,
    "status" "PromotionUsageStatus" NOT NULL DEFAULT 'held',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "promotion_usage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "coupon_code" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "promotion_id" UUID NOT NULL,
    "user_id" UUID,
    "max_uses" INTEGER DEFAULT 1,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "coupon_code_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "flash_reservation" (
    "id" UUID NOT NULL,
    "promotion_id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "quantity" INTEGER NOT NULL,
    "status" "FlashReservationStatus" NOT NULL DEFAULT 'held',
    "expires_at" TIMESTAMP(3) NOT NULL,
    "order_id" UUID,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "flash_reservation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "group_buy" (
    "id" UUID NOT NULL,
    "promotion_id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "leader_id" UUID NOT NULL,
    "size" INTEGER NOT NULL,
    "status" "GroupBuyStatus" NOT NULL DEFAULT 'open',
    "deadline" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "filled_at" TIMESTAMP(3),
    "failed_at" TIMESTAMP(3),

    CONSTRAINT "group_buy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "group_buy_member" (
    "id" UUID NOT NULL,
    "group_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "order_id" UUID,
    "status" "GroupMemberStatus" NOT NULL DEFAULT 'joined',
    "hold_until" TIMESTAMP(3) NOT NULL,
    "joined_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "group_buy_member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "review" (
    "id" UUID NOT NULL,
    "order_line_id" UUID NOT NULL,
    "product_id" UUID,
    "user_id" UUID NOT NULL,
    "merchant_id" UUID NOT NULL,
    "rating" INTEGER NOT NULL,
    "body" TEXT NOT NULL,
    "image_urls" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "status" "ReviewStatus" NOT NULL DEFAULT 'visible',
    "hidden_reason" TEXT,
    "hidden_at" TIMESTAMP(3),
    "reply" TEXT,
    "replied_at" TIMESTAMP(3),
    "helpful_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "review_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "review_vote" (
    "review_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "review_vote_pkey" PRIMARY KEY ("review_id","user_id")
);

-- CreateTable
CREATE TABLE "listing_rating" (
    "product_id" UUID NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "sum" INTEGER NOT NULL DEFAULT 0,
    "average" DECIMAL(3,2) NOT NULL DEFAULT 0,
    "stars_1" INTEGER NOT NULL DEFAULT 0,
    "stars_2" INTEGER NOT NULL DEFAULT 0,
    "stars_3" INTEGER NOT NULL DEFAULT 0,
    "stars_4" INTEGER NOT NULL DEFAULT 0,
    "stars_5" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "listing_rating_pkey" PRIMARY KEY ("product_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "member_tier_rank_key" ON "member_tier"("rank");

-- CreateIndex
CREATE UNIQUE INDEX "points_entry_reference_key" ON "points_entry"("reference");

-- CreateIndex
CREATE INDEX "points_entry_user_id_id_idx" ON "points_entry"("user_id", "id");

-- CreateIndex
CREATE INDEX "points_entry_order_id_idx" ON "points_entry"("order_id");

-- CreateIndex
CREATE INDEX "order_adjustment_order_id_idx" ON "order_adjustment"("order_id");

-- CreateIndex
CREATE INDEX "order_adjustment_order_line_id_idx" ON "order_adjustment"("order_line_id");

-- CreateIndex
CREATE UNIQUE INDEX "promotion_number_key" ON "promotion"("number");

-- CreateIndex
CREATE INDEX "promotion_status_starts_at_idx" ON "promotion"("status", "starts_at");

-- CreateIndex
CREATE INDEX "promotion_type_status_idx" ON "promotion"("type", "status");

-- CreateIndex
CREATE INDEX "promotion_usage_promotion_id_user_id_idx" ON "promotion_usage"("promotion_id", "user_id");

-- CreateIndex
CREATE INDEX "promotion_usage_order_id_idx" ON "promotion_usage"("order_id");

-- CreateIndex
CREATE INDEX "promotion_usage_coupon_code_id_idx" ON "promotion_usage"("coupon_code_id");

-- CreateIndex
CREATE UNIQUE INDEX "promotion_usage_promotion_id_order_id_key" ON "promotion_usage"("promotion_id", "order_id");

-- CreateIndex
CREATE UNIQUE INDEX "coupon_code_code_key" ON "coupon_code"("code");

-- CreateIndex
CREATE INDEX "coupon_code_user_id_idx" ON "coupon_code"("user_id");

-- CreateIndex
CREATE INDEX "coupon_code_promotion_id_idx" ON "coupon_code"("promotion_id");

-- CreateIndex
CREATE INDEX "flash_reservation_promotion_id_status_idx" ON "flash_reservation"("promotion_id", "status");

-- CreateIndex
CREATE INDEX "flash_reservation_user_id_status_idx" ON "flash_reservation"("user_id", "status");

-- CreateIndex
CREATE INDEX "flash_reservation_status_expires_at_idx" ON "flash_reservation"("status", "expires_at");

-- CreateIndex
CREATE INDEX "flash_reservation_order_id_idx" ON "flash_reservation"("order_id");

-- CreateIndex
CREATE INDEX "group_buy_promotion_id_status_idx" ON "group_buy"("promotion_id", "status");

-- CreateIndex
CREATE INDEX "group_buy_status_deadline_idx" ON "group_buy"("status", "deadline");

-- CreateIndex
CREATE INDEX "group_buy_member_user_id_status_idx" ON "group_buy_member"("user_id", "status");

-- CreateIndex
CREATE INDEX "group_buy_member_order_id_idx" ON "group_buy_member"("order_id");

-- CreateIndex
CREATE UNIQUE INDEX "group_buy_member_group_id_user_id_key" ON "group_buy_member"("group_id", "user_id");

-- CreateIndex
CREATE UNIQUE INDEX "review_order_line_id_key" ON "review"("order_line_id");

-- CreateIndex
CREATE INDEX "review_product_id_status_created_at_idx" ON "review"("product_id", "status", "created_at");

-- CreateIndex
CREATE INDEX "review_merchant_id_created_at_idx" ON "review"("merchant_id", "created_at");

-- CreateIndex
CREATE INDEX "review_status_created_at_idx" ON "review"("status", "created_at");

-- CreateIndex
CREATE INDEX "listing_rating_average_idx" ON "listing_rating"("average");

-- AddForeignKey
ALTER TABLE "member" ADD CONSTRAINT "member_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "member" ADD CONSTRAINT "member_paid_tier_fkey" FOREIGN KEY ("paid_tier") REFERENCES "member_tier"("code") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_adjustment" ADD CONSTRAINT "order_adjustment_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "app_order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_adjustment" ADD CONSTRAINT "order_adjustment_order_line_id_fkey" FOREIGN KEY ("order_line_id") REFERENCES "order_line"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "promotion" ADD CONSTRAINT "promotion_merchant_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "promotion_usage" ADD CONSTRAINT "promotion_usage_promotion_id_fkey" FOREIGN KEY ("promotion_id") REFERENCES "promotion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "promotion_usage" ADD CONSTRAINT "promotion_usage_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "app_order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "promotion_usage" ADD CONSTRAINT "promotion_usage_coupon_code_id_fkey" FOREIGN KEY ("coupon_code_id") REFERENCES "coupon_code"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "coupon_code" ADD CONSTRAINT "coupon_code_promotion_id_fkey" FOREIGN KEY ("promotion_id") REFERENCES "promotion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "coupon_code" ADD CONSTRAINT "coupon_code_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "flash_reservation" ADD CONSTRAINT "flash_reservation_promotion_id_fkey" FOREIGN KEY ("promotion_id") REFERENCES "promotion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "group_buy" ADD CONSTRAINT "group_buy_promotion_id_fkey" FOREIGN KEY ("promotion_id") REFERENCES "promotion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "group_buy_member" ADD CONSTRAINT "group_buy_member_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "group_buy"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review" ADD CONSTRAINT "review_order_line_id_fkey" FOREIGN KEY ("order_line_id") REFERENCES "order_line"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review" ADD CONSTRAINT "review_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "product"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review" ADD CONSTRAINT "review_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review_vote" ADD CONSTRAINT "review_vote_review_id_fkey" FOREIGN KEY ("review_id") REFERENCES "review"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "listing_rating" ADD CONSTRAINT "listing_rating_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "product"("id") ON DELETE CASCADE ON UPDATE CASCADE;



-- Human-friendly promotion numbers: PR + this sequence.
CREATE SEQUENCE "promotion_number_seq" START 1;

-- "Promotions on this listing": listing-scoped promotions are found by product id.
CREATE INDEX "promotion_product_ids_idx" ON "promotion" USING GIN ("product_ids");

ALTER TABLE "promotion" ADD CONSTRAINT "promotion_terms_check" CHECK (
  "ends_at" > "starts_at"
  AND ("max_uses" IS NULL OR "max_uses" > 0)
  AND ("per_user_limit" IS NULL OR "per_user_limit" > 0)
  AND ("max_participants" IS NULL OR "max_participants" > 0)
  AND ("budget" IS NULL OR "budget" > 0)
);
ALTER TABLE "promotion_usage" ADD CONSTRAINT "promotion_usage_amount_check" CHECK ("amount" >= 0 AND "units" >= 0);
ALTER TABLE "flash_reservation" ADD CONSTRAINT "flash_reservation_quantity_check" CHECK ("quantity" > 0);
ALTER TABLE "group_buy" ADD CONSTRAINT "group_buy_size_check" CHECK ("size" >= 2);

-- A line's discounts never exceed it (no line goes negative), and refunds never exceed what it cost.
ALTER TABLE "order_line" ADD CONSTRAINT "order_line_discount_check" CHECK (
  "discount" >= 0 AND "discount" <= "line_total"
  AND "refunded_quantity" BETWEEN 0 AND "quantity"
  AND "refunded_amount" >= 0 AND "refunded_amount" <= "line_total" - "discount"
);
ALTER TABLE "order_adjustment" ADD CONSTRAINT "order_adjustment_amount_check" CHECK (
  "amount" > 0 AND "points" >= 0 AND "funded_by" IN ('merchant', 'platform')
);

ALTER TABLE "review" ADD CONSTRAINT "review_rating_check" CHECK ("rating" BETWEEN 1 AND 5);
ALTER TABLE "membership_settings" ADD CONSTRAINT "membership_settings_one_row" CHECK (
  "id" = 1 AND "points_per_unit" > 0 AND "max_redeem_percent" BETWEEN 0 AND 100
);
ALTER TABLE "member_tier" ADD CONSTRAINT "member_tier_terms_check" CHECK (
  "min_yearly_spend" >= 0 AND ("price" IS NULL OR "price" > 0)
  AND "discount_percent" BETWEEN 0 AND 90 AND "points_multiplier" > 0
);

-- The three tiers, the settings and one points rule a fresh install starts with (admins edit them).
INSERT INTO "member_tier" ("code", "name", "rank", "min_yearly_spend", "price", "discount_percent", "points_multiplier", "benefits", "updated_at") VALUES
  ('regular', '普通', 0, 0, NULL, 0, 1, 'Points on every paid order', now()),
  ('vip', 'VIP', 1, 5000, 199, 3, 1.5, 'Member prices 3% below list, points ×1.5, VIP coupons', now()),
  ('svip', '超级VIP', 2, 20000, 599, 8, 2, 'Member prices 8% below list, points ×2, VIP and 超级VIP coupons', now());
INSERT INTO "membership_settings" ("id", "updated_at") VALUES (1, now());
INSERT INTO "points_rule" ("id", "name", "points_per_unit", "updated_at") VALUES
  (gen_random_uuid(), 'One point per 1.00 paid', 1, now());
