CREATE TABLE "partner_roles" (
	"partner_id" uuid NOT NULL,
	"role" text NOT NULL,
	"country_code" text NOT NULL,
	"party_id" text NOT NULL,
	"business_details" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "partners" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"state" text NOT NULL,
	"token_a_hash" text,
	"inbound_token_hash" text,
	"pending_inbound_token_hash" text,
	"outbound_token" text,
	"outbound_encoding" text DEFAULT 'base64' NOT NULL,
	"versions_url" text,
	"version" text,
	"endpoints" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"registered_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"queue" text NOT NULL,
	"payload" jsonb NOT NULL,
	"order_key" text,
	"dedupe_key" text,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 25 NOT NULL,
	"run_at" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "partner_roles" ADD CONSTRAINT "partner_roles_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "partner_roles_party_role_idx" ON "partner_roles" USING btree ("country_code","party_id","role");--> statement-breakpoint
CREATE INDEX "partner_roles_partner_idx" ON "partner_roles" USING btree ("partner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "partners_token_a_hash_idx" ON "partners" USING btree ("token_a_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "partners_inbound_token_hash_idx" ON "partners" USING btree ("inbound_token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "partners_pending_inbound_token_hash_idx" ON "partners" USING btree ("pending_inbound_token_hash");--> statement-breakpoint
CREATE INDEX "jobs_due_idx" ON "jobs" USING btree ("queue","run_at") WHERE state in ('pending', 'running');--> statement-breakpoint
CREATE INDEX "jobs_order_key_idx" ON "jobs" USING btree ("order_key","id") WHERE state in ('pending', 'running');--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_dedupe_idx" ON "jobs" USING btree ("queue","dedupe_key");