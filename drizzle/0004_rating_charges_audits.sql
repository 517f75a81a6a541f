CREATE TABLE "cdr_ratings" (
	"cdr_id" uuid PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"reason_code" text,
	"reason" text,
	"charge_id" uuid,
	"attempts" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "charges" (
	"id" uuid PRIMARY KEY NOT NULL,
	"cdr_id" uuid NOT NULL,
	"contract_id" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"rule" text NOT NULL,
	"currency" text NOT NULL,
	"total" numeric NOT NULL,
	"lines" jsonb NOT NULL,
	"catalog_version" text NOT NULL,
	"cdr_start" timestamp with time zone NOT NULL,
	"cdr_end" timestamp with time zone NOT NULL,
	"rated_at" timestamp with time zone NOT NULL,
	"superseded_by" uuid
);
--> statement-breakpoint
CREATE TABLE "cdr_audits" (
	"cdr_id" uuid PRIMARY KEY NOT NULL,
	"tariff_source" text NOT NULL,
	"tariff_ids" jsonb NOT NULL,
	"currency" text NOT NULL,
	"computed_totals" jsonb,
	"claimed_totals" jsonb NOT NULL,
	"differences" jsonb NOT NULL,
	"total_cost_difference" numeric,
	"tolerance" numeric NOT NULL,
	"flagged" boolean NOT NULL,
	"breakdown" jsonb NOT NULL,
	"reason" text,
	"audited_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "cdr_ratings_unrated_idx" ON "cdr_ratings" USING btree ("updated_at") WHERE status = 'UNRATED';--> statement-breakpoint
CREATE UNIQUE INDEX "charges_active_cdr_idx" ON "charges" USING btree ("cdr_id") WHERE superseded_by is null;--> statement-breakpoint
CREATE INDEX "charges_cdr_idx" ON "charges" USING btree ("cdr_id","rated_at");--> statement-breakpoint
CREATE INDEX "charges_contract_end_idx" ON "charges" USING btree ("contract_id","cdr_end") WHERE superseded_by is null;--> statement-breakpoint
CREATE INDEX "cdr_audits_flagged_idx" ON "cdr_audits" USING btree ("audited_at","cdr_id") WHERE flagged;