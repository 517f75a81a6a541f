CREATE TABLE "partner_conformance" (
	"partner_id" uuid NOT NULL,
	"module" text NOT NULL,
	"kind" text NOT NULL,
	"count" bigint NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"sample_path" text NOT NULL,
	"sample_received" text,
	"sample_object" text,
	CONSTRAINT "partner_conformance_partner_id_module_kind_pk" PRIMARY KEY("partner_id","module","kind")
);
--> statement-breakpoint
CREATE TABLE "partner_intake_modes" (
	"partner_id" uuid PRIMARY KEY NOT NULL,
	"strict" boolean NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cdrs" ADD COLUMN "deviations" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "cdr_ratings" ADD COLUMN "decision" text;--> statement-breakpoint
ALTER TABLE "cdr_ratings" ADD COLUMN "decision_note" text;--> statement-breakpoint
ALTER TABLE "cdr_ratings" ADD COLUMN "decided_at" timestamp with time zone;