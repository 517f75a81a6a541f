CREATE TABLE "invoice_counters" (
	"home_market" text NOT NULL,
	"year" integer NOT NULL,
	"last_number" integer NOT NULL,
	CONSTRAINT "invoice_counters_home_market_year_pk" PRIMARY KEY("home_market","year")
);
--> statement-breakpoint
CREATE TABLE "invoice_lines" (
	"invoice_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"kind" text NOT NULL,
	"description" text NOT NULL,
	"amount" numeric NOT NULL,
	"vat_rate" numeric NOT NULL,
	"service_date" date NOT NULL,
	"period_from" date,
	"period_to" date,
	"charge_id" text,
	"cdr_id" text,
	"original_amount" numeric,
	"original_currency" text,
	"fx_rate" numeric,
	"fx_rate_valid_from" date,
	"details" jsonb,
	CONSTRAINT "invoice_lines_invoice_id_position_pk" PRIMARY KEY("invoice_id","position")
);
--> statement-breakpoint
CREATE TABLE "invoice_payments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"invoice_id" uuid NOT NULL,
	"amount" numeric NOT NULL,
	"paid_on" date NOT NULL,
	"reference" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"contract_id" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"customer_name" text NOT NULL,
	"home_market" text NOT NULL,
	"month" text NOT NULL,
	"issue_date" date NOT NULL,
	"currency" text NOT NULL,
	"total" numeric NOT NULL,
	"vat" jsonb NOT NULL,
	"credits" jsonb NOT NULL,
	"amount_due" numeric NOT NULL,
	"paid" numeric NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "voucher_redemptions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"contract_id" text NOT NULL,
	"redeemed_on" date NOT NULL,
	"months_left" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vouchers" (
	"code" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"credit_amount" numeric,
	"currency" text,
	"months" integer,
	"valid_from" date NOT NULL,
	"valid_until" date NOT NULL,
	"max_redemptions" integer NOT NULL,
	"home_markets" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_credits" (
	"id" uuid PRIMARY KEY NOT NULL,
	"contract_id" text NOT NULL,
	"source" text NOT NULL,
	"source_ref" text NOT NULL,
	"currency" text NOT NULL,
	"amount" numeric NOT NULL,
	"remaining" numeric NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_one_off_fees" (
	"id" uuid PRIMARY KEY NOT NULL,
	"contract_id" text NOT NULL,
	"kind" text NOT NULL,
	"description" text NOT NULL,
	"amount" numeric NOT NULL,
	"currency" text NOT NULL,
	"occurred_on" date NOT NULL,
	"reference" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "exchange_rates" (
	"base" text NOT NULL,
	"quote" text NOT NULL,
	"valid_from" date NOT NULL,
	"rate" numeric NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "exchange_rates_base_quote_valid_from_pk" PRIMARY KEY("base","quote","valid_from")
);
--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_payments" ADD CONSTRAINT "invoice_payments_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "voucher_redemptions" ADD CONSTRAINT "voucher_redemptions_code_vouchers_code_fk" FOREIGN KEY ("code") REFERENCES "public"."vouchers"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_lines_charge_uq" ON "invoice_lines" USING btree ("charge_id");--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_payments_ref_uq" ON "invoice_payments" USING btree ("invoice_id","reference");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_contract_month_uq" ON "invoices" USING btree ("contract_id","month");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_number_uq" ON "invoices" USING btree ("number");--> statement-breakpoint
CREATE INDEX "invoices_customer_idx" ON "invoices" USING btree ("customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "voucher_redemptions_code_contract_uq" ON "voucher_redemptions" USING btree ("code","contract_id");--> statement-breakpoint
CREATE INDEX "billing_credits_contract_idx" ON "billing_credits" USING btree ("contract_id");--> statement-breakpoint
CREATE UNIQUE INDEX "billing_credits_source_uq" ON "billing_credits" USING btree ("source","source_ref","contract_id");--> statement-breakpoint
CREATE UNIQUE INDEX "billing_one_off_fees_ref_uq" ON "billing_one_off_fees" USING btree ("kind","reference");--> statement-breakpoint
CREATE INDEX "billing_one_off_fees_contract_idx" ON "billing_one_off_fees" USING btree ("contract_id","occurred_on");