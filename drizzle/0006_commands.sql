CREATE TABLE "commands" (
	"id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"state" text NOT NULL,
	"reason" text,
	"origin" text NOT NULL,
	"customer_id" text,
	"contract_id" text,
	"partner_id" uuid NOT NULL,
	"country_code" text NOT NULL,
	"party_id" text NOT NULL,
	"location_id" text,
	"evse_uid" text,
	"connector_id" text,
	"session_id" text,
	"reservation_id" text,
	"authorization_reference" text,
	"request" jsonb NOT NULL,
	"response_result" text,
	"response_timeout_s" integer,
	"response_message" jsonb,
	"result" text,
	"result_message" jsonb,
	"deadline_at" timestamp with time zone NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"responded_at" timestamp with time zone,
	"result_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "commands_customer_idx" ON "commands" USING btree ("customer_id","requested_at");--> statement-breakpoint
CREATE INDEX "commands_authorization_reference_idx" ON "commands" USING btree ("authorization_reference") WHERE authorization_reference is not null;