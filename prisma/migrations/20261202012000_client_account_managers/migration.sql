-- A client's account managers (issue 11, item 5): who an escalation policy level
-- "client_account_managers" sends the client's escalations to. Clients are named on tasks.
CREATE TABLE "client_account_managers" (
    "client_name" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by" TEXT NOT NULL,

    CONSTRAINT "client_account_managers_pkey" PRIMARY KEY ("client_name","user_id")
);

CREATE INDEX "client_account_managers_user_id_idx" ON "client_account_managers"("user_id");

ALTER TABLE "client_account_managers" ADD CONSTRAINT "client_account_managers_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The seeded default policies send what involves the client to the client's own account
-- managers first; a client without any still goes to the account managers' team.
UPDATE "escalation_policies"
SET "levels" = replace("levels"::text, '"target": "account_manager"', '"target": "client_account_managers"')::jsonb
WHERE "updated_by" = 'migration';
