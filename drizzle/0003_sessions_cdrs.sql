CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"partner_id" uuid NOT NULL,
	"country_code" text NOT NULL,
	"party_id" text NOT NULL,
	"session_id" text NOT NULL,
	"status" text NOT NULL,
	"start_date_time" timestamp with time zone NOT NULL,
	"end_date_time" timestamp with time zone,
	"kwh" numeric NOT NULL,
	"currency" text NOT NULL,
	"total_cost_excl_vat" numeric,
	"total_cost_incl_vat" numeric,
	"token_country_code" text NOT NULL,
	"token_party_id" text NOT NULL,
	"token_uid" text NOT NULL,
	"token_type" text NOT NULL,
	"contract_id" text NOT NULL,
	"authorization_reference" text,
	"location_id" text NOT NULL,
	"evse_uid" text NOT NULL,
	"connector_id" text NOT NULL,
	"last_updated" timestamp with time zone NOT NULL,
	"object" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cdrs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"partner_id" uuid NOT NULL,
	"country_code" text NOT NULL,
	"party_id" text NOT NULL,
	"cdr_id" text NOT NULL,
	"content_hash" text NOT NULL,
	"raw" text NOT NULL,
	"object" jsonb NOT NULL,
	"session_id" text,
	"session_row_id" uuid,
	"token_country_code" text NOT NULL,
	"token_party_id" text NOT NULL,
	"token_uid" text NOT NULL,
	"token_type" text NOT NULL,
	"contract_id" text NOT NULL,
	"authorization_reference" text,
	"start_date_time" timestamp with time zone NOT NULL,
	"end_date_time" timestamp with time zone NOT NULL,
	"currency" text NOT NULL,
	"total_cost_excl_vat" numeric NOT NULL,
	"total_cost_incl_vat" numeric,
	"total_energy" numeric NOT NULL,
	"total_time" numeric NOT NULL,
	"total_parking_time" numeric,
	"credit" boolean NOT NULL,
	"credit_reference_id" text,
	"credited_cdr_row_id" uuid,
	"last_updated" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_key_idx" ON "sessions" USING btree ("country_code","party_id","session_id");--> statement-breakpoint
CREATE INDEX "sessions_token_idx" ON "sessions" USING btree ("token_uid","token_type");--> statement-breakpoint
CREATE INDEX "sessions_contract_idx" ON "sessions" USING btree ("contract_id");--> statement-breakpoint
CREATE INDEX "sessions_authorization_reference_idx" ON "sessions" USING btree ("authorization_reference") WHERE authorization_reference is not null;--> statement-breakpoint
CREATE INDEX "sessions_last_updated_idx" ON "sessions" USING btree ("last_updated");--> statement-breakpoint
CREATE UNIQUE INDEX "cdrs_key_idx" ON "cdrs" USING btree ("country_code","party_id","cdr_id");--> statement-breakpoint
CREATE INDEX "cdrs_session_idx" ON "cdrs" USING btree ("country_code","party_id","session_id");--> statement-breakpoint
CREATE INDEX "cdrs_token_idx" ON "cdrs" USING btree ("token_uid","token_type");--> statement-breakpoint
CREATE INDEX "cdrs_contract_idx" ON "cdrs" USING btree ("contract_id");--> statement-breakpoint
CREATE INDEX "cdrs_credit_reference_idx" ON "cdrs" USING btree ("country_code","party_id","credit_reference_id") WHERE credit_reference_id is not null;--> statement-breakpoint
CREATE INDEX "cdrs_received_at_idx" ON "cdrs" USING btree ("received_at","id");