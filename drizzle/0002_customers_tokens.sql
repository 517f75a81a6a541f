CREATE TABLE "contracts" (
	"contract_id" text PRIMARY KEY NOT NULL,
	"customer_id" uuid NOT NULL,
	"home_market" text NOT NULL,
	"tariff" text NOT NULL,
	"state" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date,
	"no_credit" boolean DEFAULT false NOT NULL,
	"vehicle_vin" text NOT NULL,
	"vehicle_model" text NOT NULL,
	"vehicle_delivery_date" date NOT NULL,
	"vehicle_is_new" boolean NOT NULL,
	"packages" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "token_authorizations" (
	"reference" text PRIMARY KEY NOT NULL,
	"token_uid" text NOT NULL,
	"token_type" text NOT NULL,
	"contract_id" text NOT NULL,
	"partner_id" uuid,
	"allowed" text NOT NULL,
	"location_id" text,
	"evse_uids" jsonb,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tokens" (
	"uid" text NOT NULL,
	"type" text NOT NULL,
	"contract_id" text NOT NULL,
	"visual_number" text,
	"group_id" text,
	"valid" boolean NOT NULL,
	"whitelist" text NOT NULL,
	"language" text,
	"blocked_reason" text,
	"last_updated" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "tokens_uid_type_pk" PRIMARY KEY("uid","type")
);
--> statement-breakpoint
ALTER TABLE "contracts" ADD CONSTRAINT "contracts_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tokens" ADD CONSTRAINT "tokens_contract_id_contracts_contract_id_fk" FOREIGN KEY ("contract_id") REFERENCES "public"."contracts"("contract_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contracts_customer_idx" ON "contracts" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "token_authorizations_token_idx" ON "token_authorizations" USING btree ("token_uid","token_type");--> statement-breakpoint
CREATE INDEX "tokens_contract_idx" ON "tokens" USING btree ("contract_id");--> statement-breakpoint
CREATE INDEX "tokens_last_updated_idx" ON "tokens" USING btree ("last_updated","uid","type");