-- Buying: carts, merchants' shipping methods, checkouts, orders with their lines and events,
-- payment methods, provider configurations, payment attempts, refunds, the payment log and the ledger.
-- CreateEnum
CREATE TYPE "OrderStatus" AS ENUM ('pending_payment', 'paid', 'shipped', 'delivered', 'completed', 'cancelled', 'return_requested', 'refunding', 'refunded');

-- CreateEnum
CREATE TYPE "PaymentStatus" AS ENUM ('created', 'pending', 'paid', 'closed', 'failed');

-- CreateEnum
CREATE TYPE "RefundStatus" AS ENUM ('processing', 'succeeded', 'failed');

-- CreateEnum
CREATE TYPE "ShippingKind" AS ENUM ('express', 'logistics', 'same_city');

-- CreateTable
CREATE TABLE "cart" (
    "id" UUID NOT NULL,
    "user_id" UUID,
    "token_hash" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "cart_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cart_line" (
    "id" UUID NOT NULL,
    "cart_id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "quantity" INTEGER NOT NULL,
    "added_price" DECIMAL(14,4),
    "added_currency" CHAR(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "cart_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "checkout" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "checkout_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_order" (
    "id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "checkout_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "merchant_id" UUID NOT NULL,
    "status" "OrderStatus" NOT NULL DEFAULT 'pending_payment',
    "currency" CHAR(3) NOT NULL,
    "items_total" DECIMAL(14,2) NOT NULL,
    "shipping_fee" DECIMAL(14,2) NOT NULL,
    "discount_total" DECIMAL(14,2) NOT NULL DEFAULT 0,
    "total" DECIMAL(14,2) NOT NULL,
    "paid_amount" DECIMAL(14,2) NOT NULL DEFAULT 0,
    "refunded_amount" DECIMAL(14,2) NOT NULL DEFAULT 0,
    "payment_method" TEXT,
    "shipping_method_id" UUID,
    "shipping_name" TEXT NOT NULL,
    "shipping_kind" "ShippingKind" NOT NULL,
    "address" JSONB NOT NULL,
    "carrier" TEXT,
    "tracking_number" TEXT,
    "payment_deadline" TIMESTAMP(3) NOT NULL,
    "return_reason" TEXT,
    "cancel_reason" TEXT,
    "paid_at" TIMESTAMP(3),
    "shipped_at" TIMESTAMP(3),
    "delivered_at" TIMESTAMP(3),
    "completed_at" TIMESTAMP(3),
    "cancelled_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "app_order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_line" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "product_id" UUID,
    "site_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "sku" TEXT,
    "url" TEXT NOT NULL,
    "image_url" TEXT,
    "unit_price" DECIMAL(14,2) NOT NULL,
    "quantity" INTEGER NOT NULL,
    "line_total" DECIMAL(14,2) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "weight_g" INTEGER NOT NULL,

    CONSTRAINT "order_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_event" (
    "id" BIGSERIAL NOT NULL,
    "order_id" UUID NOT NULL,
    "from_status" "OrderStatus",
    "to_status" "OrderStatus" NOT NULL,
    "actor_id" UUID,
    "actor_role" TEXT NOT NULL,
    "note" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMP(3),

    CONSTRAINT "order_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment_method" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "sort_order" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "payment_method_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "payment_config" (
    "provider" TEXT NOT NULL,
    "app_id" TEXT NOT NULL,
    "settings" JSONB NOT NULL,
    "secrets" BYTEA NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "payment_config_pkey" PRIMARY KEY ("provider")
);

-- CreateTable
CREATE TABLE "payment_order" (
    "id" UUID NOT NULL,
    "out_trade_no" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "order_id" UUID,
    "user_id" UUID NOT NULL,
    "method" TEXT NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "status" "PaymentStatus" NOT NULL DEFAULT 'created',
    "provider_trade_no" TEXT,
    "action" JSONB,
    "refunded_amount" DECIMAL(14,2) NOT NULL DEFAULT 0,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "paid_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "payment_order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment_refund" (
    "id" UUID NOT NULL,
    "payment_order_id" UUID NOT NULL,
    "out_refund_no" TEXT NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "purpose" TEXT NOT NULL DEFAULT 'order',
    "status" "RefundStatus" NOT NULL DEFAULT 'processing',
    "provider_refund_id" TEXT,
    "reason" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMP(3),

    CONSTRAINT "payment_refund_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment_log" (
    "id" BIGSERIAL NOT NULL,
    "payment_order_id" UUID,
    "provider" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "url" TEXT,
    "http_status" INTEGER,
    "body" JSONB NOT NULL,
    "outcome" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_account" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "user_id" UUID,
    "currency" CHAR(3) NOT NULL,
    "balance" DECIMAL(14,2) NOT NULL DEFAULT 0,
    "frozen" DECIMAL(14,2) NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ledger_account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_transaction" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_transaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_entry" (
    "id" BIGSERIAL NOT NULL,
    "transaction_id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "merchant_profile" (
    "user_id" UUID NOT NULL,
    "display_name" TEXT NOT NULL,
    "default_weight_g" INTEGER NOT NULL DEFAULT 500,
    "origin_city" TEXT,
    "origin_country" CHAR(2),
    "origin_lat" DECIMAL(9,6),
    "origin_lng" DECIMAL(9,6),
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "merchant_profile_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "shipping_method" (
    "id" UUID NOT NULL,
    "merchant_id" UUID NOT NULL,
    "kind" "ShippingKind" NOT NULL,
    "name" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "rules" JSONB NOT NULL,
    "free_over" DECIMAL(14,4),
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "sort_order" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "shipping_method_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "cart_user_id_key" ON "cart"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "cart_token_hash_key" ON "cart"("token_hash");

-- CreateIndex
CREATE INDEX "cart_updated_at_idx" ON "cart"("updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "cart_line_cart_id_product_id_key" ON "cart_line"("cart_id", "product_id");

-- CreateIndex
CREATE UNIQUE INDEX "checkout_user_id_idempotency_key_key" ON "checkout"("user_id", "idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "app_order_number_key" ON "app_order"("number");

-- CreateIndex
CREATE INDEX "app_order_user_id_created_at_idx" ON "app_order"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "app_order_merchant_id_status_created_at_idx" ON "app_order"("merchant_id", "status", "created_at");

-- CreateIndex
CREATE INDEX "app_order_status_payment_deadline_idx" ON "app_order"("status", "payment_deadline");

-- CreateIndex
CREATE INDEX "app_order_created_at_idx" ON "app_order"("created_at");

-- CreateIndex
CREATE INDEX "order_line_order_id_idx" ON "order_line"("order_id");

-- CreateIndex
CREATE INDEX "order_line_product_id_idx" ON "order_line"("product_id");

-- CreateIndex
CREATE INDEX "order_event_order_id_id_idx" ON "order_event"("order_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "payment_order_out_trade_no_key" ON "payment_order"("out_trade_no");

-- CreateIndex
CREATE INDEX "payment_order_order_id_idx" ON "payment_order"("order_id");

-- CreateIndex
CREATE INDEX "payment_order_user_id_created_at_idx" ON "payment_order"("user_id", "created_at");

-- CreateIndex
CREATE INDEX "payment_order_status_expires_at_idx" ON "payment_order"("status", "expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "payment_refund_out_refund_no_key" ON "payment_refund"("out_refund_no");

-- CreateIndex
CREATE INDEX "payment_refund_payment_order_id_idx" ON "payment_refund"("payment_order_id");

-- CreateIndex
CREATE INDEX "payment_log_payment_order_id_id_idx" ON "payment_log"("payment_order_id", "id");

-- CreateIndex
CREATE INDEX "payment_log_created_at_idx" ON "payment_log"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_account_code_key" ON "ledger_account"("code");

-- CreateIndex
CREATE INDEX "ledger_account_user_id_idx" ON "ledger_account"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_transaction_reference_key" ON "ledger_transaction"("reference");

-- CreateIndex
CREATE INDEX "ledger_entry_account_id_id_idx" ON "ledger_entry"("account_id", "id");

-- CreateIndex
CREATE INDEX "shipping_method_merchant_id_currency_idx" ON "shipping_method"("merchant_id", "currency");

-- AddForeignKey
ALTER TABLE "cart" ADD CONSTRAINT "cart_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cart_line" ADD CONSTRAINT "cart_line_cart_id_fkey" FOREIGN KEY ("cart_id") REFERENCES "cart"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cart_line" ADD CONSTRAINT "cart_line_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "product"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "checkout" ADD CONSTRAINT "checkout_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "app_order" ADD CONSTRAINT "app_order_checkout_id_fkey" FOREIGN KEY ("checkout_id") REFERENCES "checkout"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "app_order" ADD CONSTRAINT "app_order_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "app_order" ADD CONSTRAINT "app_order_merchant_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_line" ADD CONSTRAINT "order_line_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "app_order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_line" ADD CONSTRAINT "order_line_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "product"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_event" ADD CONSTRAINT "order_event_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "app_order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment_order" ADD CONSTRAINT "payment_order_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "app_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment_refund" ADD CONSTRAINT "payment_refund_payment_order_id_fkey" FOREIGN KEY ("payment_order_id") REFERENCES "payment_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment_log" ADD CONSTRAINT "payment_log_payment_order_id_fkey" FOREIGN KEY ("payment_order_id") REFERENCES "payment_order"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_transaction_id_fkey" FOREIGN KEY ("transaction_id") REFERENCES "ledger_transaction"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "ledger_account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "merchant_profile" ADD CONSTRAINT "merchant_profile_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shipping_method" ADD CONSTRAINT "shipping_method_merchant_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Human-friendly order numbers: T + yymmdd + "-" + this sequence.
CREATE SEQUENCE "order_number_seq" START 1;

-- An order's money adds up, and never goes below zero.
ALTER TABLE "app_order" ADD CONSTRAINT "app_order_amounts_check" CHECK (
  "items_total" >= 0 AND "shipping_fee" >= 0 AND "discount_total" >= 0 AND "total" >= 0
  AND "total" = "items_total" + "shipping_fee" - "discount_total"
  AND "paid_amount" >= 0 AND "refunded_amount" >= 0 AND "refunded_amount" <= "paid_amount"
);
ALTER TABLE "order_line" ADD CONSTRAINT "order_line_amounts_check" CHECK (
  "quantity" > 0 AND "unit_price" >= 0 AND "line_total" = "unit_price" * "quantity"
);
ALTER TABLE "cart_line" ADD CONSTRAINT "cart_line_quantity_check" CHECK ("quantity" BETWEEN 1 AND 99);
ALTER TABLE "payment_order" ADD CONSTRAINT "payment_order_amounts_check" CHECK (
  "amount" > 0 AND "refunded_amount" >= 0 AND "refunded_amount" <= "amount"
);
ALTER TABLE "payment_refund" ADD CONSTRAINT "payment_refund_amount_check" CHECK ("amount" > 0);

-- A wallet's balance is never negative, and never less than what is frozen in it.
ALTER TABLE "ledger_account" ADD CONSTRAINT "ledger_account_wallet_check" CHECK (
  "kind" <> 'wallet' OR ("balance" >= 0 AND "frozen" >= 0 AND "frozen" <= "balance")
);


-- The ways to pay; admins enable, disable and reorder them.
INSERT INTO "payment_method" ("code", "name", "description", "enabled", "sort_order") VALUES
  ('alipay', 'Alipay', 'Pay on Alipay''s page, or scan a QR code with the Alipay app', true, 1),
  ('wechat', 'WeChat Pay', 'Scan a QR code with WeChat', true, 2),
  ('balance', 'Trawl balance', 'Pay from your Trawl balance, topped up with Alipay or WeChat Pay', true, 3);

-- The order-events outbox: events not yet relayed to the stream.
CREATE INDEX "order_event_unpublished_idx" ON "order_event"("id") WHERE "published_at" IS NULL;
