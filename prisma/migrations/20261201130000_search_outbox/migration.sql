-- When an external engine (Meilisearch) serves search, every change of a search document is
-- queued here, in the same transaction as the change: the sync worker drains the queue in
-- batches (an uncommitted change is invisible until it commits, so none is missed), and sending
-- a document twice is harmless. Nothing is queued until an engine registers as a sync target.
CREATE TABLE "search_sync_target" (
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "search_sync_target_pkey" PRIMARY KEY ("name")
);

CREATE TABLE "search_outbox" (
    "seq" BIGSERIAL NOT NULL,
    "catalog_product_id" UUID NOT NULL,
    CONSTRAINT "search_outbox_pkey" PRIMARY KEY ("seq")
);

CREATE OR REPLACE FUNCTION trawl_search_outbox() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM search_sync_target) THEN RETURN NULL; END IF;
  IF TG_OP = 'DELETE' THEN
    INSERT INTO search_outbox (catalog_product_id) SELECT id FROM old_rows;
  ELSE
    INSERT INTO search_outbox (catalog_product_id) SELECT id FROM new_rows;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER "search_document_outbox_insert" AFTER INSERT ON "search_document"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trawl_search_outbox();
CREATE TRIGGER "search_document_outbox_update" AFTER UPDATE ON "search_document"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION trawl_search_outbox();
CREATE TRIGGER "search_document_outbox_delete" AFTER DELETE ON "search_document"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION trawl_search_outbox();
