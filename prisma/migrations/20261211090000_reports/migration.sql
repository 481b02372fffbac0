-- Reports: sales are orders paid in a range, crawl statistics runs started in one (every site).
CREATE INDEX "app_order_paid_at_idx" ON "app_order"("paid_at");
CREATE INDEX "crawl_run_created_at_idx" ON "crawl_run"("created_at");
