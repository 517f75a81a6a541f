CREATE TABLE "partner_approved_roles" (
	"partner_id" uuid NOT NULL,
	"role" text NOT NULL,
	"country_code" text NOT NULL,
	"party_id" text NOT NULL,
	"source" text NOT NULL,
	"approved_at" timestamp with time zone NOT NULL,
	CONSTRAINT "partner_approved_roles_partner_id_role_country_code_party_id_pk" PRIMARY KEY("partner_id","role","country_code","party_id")
);
--> statement-breakpoint
CREATE TABLE "partner_role_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"partner_id" uuid NOT NULL,
	"role" text NOT NULL,
	"country_code" text NOT NULL,
	"party_id" text NOT NULL,
	"business_details" jsonb NOT NULL,
	"reason" text NOT NULL,
	"state" text NOT NULL,
	"note" text,
	"requested_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "client_infos" DROP CONSTRAINT "client_infos_country_code_party_id_role_pk";--> statement-breakpoint
ALTER TABLE "client_infos" ADD CONSTRAINT "client_infos_partner_id_country_code_party_id_role_pk" PRIMARY KEY("partner_id","country_code","party_id","role");--> statement-breakpoint
ALTER TABLE "partners" ADD COLUMN "roles_decided" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "connectors" ADD COLUMN "position" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "evses" ADD COLUMN "position" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "partner_approved_roles" ADD CONSTRAINT "partner_approved_roles_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_role_requests" ADD CONSTRAINT "partner_role_requests_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "partner_approved_roles_party_idx" ON "partner_approved_roles" USING btree ("country_code","party_id");--> statement-breakpoint
CREATE UNIQUE INDEX "partner_role_requests_pending_idx" ON "partner_role_requests" USING btree ("partner_id","role","country_code","party_id") WHERE state = 'PENDING';--> statement-breakpoint
CREATE INDEX "partner_role_requests_state_idx" ON "partner_role_requests" USING btree ("state","requested_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tokens_uid_ci_idx" ON "tokens" USING btree (upper("uid"),"type");