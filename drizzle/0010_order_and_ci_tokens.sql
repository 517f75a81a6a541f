ALTER TABLE "connectors" ADD COLUMN "position" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "evses" ADD COLUMN "position" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "tokens_uid_ci_idx" ON "tokens" USING btree (upper("uid"),"type");