-- Shared ledger accounts (a merchant's payable, a provider's clearing) take part in every payment.
-- Adding to their balance row during the payment's transaction held that row's lock until the
-- transaction ended, so every payment to a merchant queued behind the one before (a flash sale's
-- winners paid one at a time). Their balances are now added at commit, all of a transaction's at
-- once and in account-id order (so two commits never deadlock): the lock lasts as long as the
-- commit. Wallets are still updated at once, under lock, where their no-overdraft check needs it.

CREATE INDEX "ledger_entry_transaction_id_idx" ON "ledger_entry"("transaction_id");

-- Remembers, for the rest of the database transaction, which ledger transactions it posted.
CREATE FUNCTION ledger_note_transaction() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config(
    'trawl.ledger_transactions',
    coalesce(nullif(current_setting('trawl.ledger_transactions', true), '') || ',', '') || NEW.id::text,
    true);
  RETURN NULL;
END $$;

CREATE TRIGGER ledger_transaction_noted AFTER INSERT ON ledger_transaction
  FOR EACH ROW EXECUTE FUNCTION ledger_note_transaction();

-- At commit, once per database transaction: every shared-account entry it wrote, summed per account.
CREATE FUNCTION ledger_apply_shared_entries() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  posted uuid[];
BEGIN
  IF current_setting('trawl.ledger_shared_applied', true) = 'yes' THEN RETURN NULL; END IF;
  PERFORM set_config('trawl.ledger_shared_applied', 'yes', true);
  posted := string_to_array(nullif(current_setting('trawl.ledger_transactions', true), ''), ',')::uuid[];
  IF posted IS NULL THEN RETURN NULL; END IF;
  PERFORM 1 FROM ledger_account
    WHERE kind <> 'wallet'
      AND id IN (SELECT account_id FROM ledger_entry WHERE transaction_id = ANY(posted))
    -- NO KEY UPDATE: entries being written elsewhere hold KEY SHARE on their accounts (foreign
    -- keys), which this lock, unlike FOR UPDATE, does not wait for.
    ORDER BY id FOR NO KEY UPDATE;
  UPDATE ledger_account a SET balance = a.balance + d.total, updated_at = now()
    FROM (SELECT account_id, sum(amount) AS total FROM ledger_entry
          WHERE transaction_id = ANY(posted) GROUP BY account_id) d
    WHERE a.id = d.account_id AND a.kind <> 'wallet';
  RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER ledger_entry_shared_balance AFTER INSERT ON ledger_entry
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION ledger_apply_shared_entries();
