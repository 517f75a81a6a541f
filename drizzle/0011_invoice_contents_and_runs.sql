CREATE TABLE "invoice_run_items" (
	"contract_id" text NOT NULL,
	"month" text NOT NULL,
	"state" text NOT NULL,
	"invoice_id" uuid,
	"reason_code" text,
	"reason" text,
	"details" jsonb,
	"attempts" integer DEFAULT 0 NOT NULL,
	"blocked_since" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "invoice_run_items_contract_id_month_pk" PRIMARY KEY("contract_id","month")
);
--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD COLUMN "facts" jsonb;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "customer_address" jsonb;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "seller" jsonb;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "due_date" date;--> statement-breakpoint
UPDATE "invoices" SET "due_date" = "issue_date" + 14;--> statement-breakpoint
ALTER TABLE "invoices" ALTER COLUMN "due_date" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "billing_one_off_fees" ADD COLUMN "label" text;--> statement-breakpoint
CREATE INDEX "invoice_run_items_month_idx" ON "invoice_run_items" USING btree ("month","state");--> statement-breakpoint
CREATE INDEX "invoice_run_items_blocked_idx" ON "invoice_run_items" USING btree ("blocked_since") WHERE state = 'BLOCKED';