-- Run history: a run's live telemetry per bucket, kept after the run ends (crawl console charts),
-- and the latest error examples by kind on the run.
-- AlterTable
ALTER TABLE "crawl_run" ADD COLUMN     "error_examples" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "crawl_run_sample" (
    "run_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(0) NOT NULL,
    "seconds" INTEGER NOT NULL,
    "pages" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "products_found" INTEGER NOT NULL,
    "products_new" INTEGER NOT NULL,
    "products_changed" INTEGER NOT NULL,
    "queue_depth" INTEGER,
    "in_flight" INTEGER NOT NULL,
    "wait_ms" BIGINT NOT NULL,
    "waits" INTEGER NOT NULL,
    "statuses" JSONB NOT NULL,
    "error_kinds" JSONB NOT NULL,
    "hosts" JSONB NOT NULL,
    "nodes" JSONB NOT NULL,

    CONSTRAINT "crawl_run_sample_pkey" PRIMARY KEY ("run_id","at")
);

-- AddForeignKey
ALTER TABLE "crawl_run_sample" ADD CONSTRAINT "crawl_run_sample_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "crawl_run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

