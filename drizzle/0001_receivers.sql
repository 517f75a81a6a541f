CREATE TABLE "connectors" (
	"country_code" text NOT NULL,
	"party_id" text NOT NULL,
	"location_id" text NOT NULL,
	"evse_uid" text NOT NULL,
	"id" text NOT NULL,
	"power_type" text NOT NULL,
	"standard" text NOT NULL,
	"max_power_w" integer NOT NULL,
	"present" boolean DEFAULT true NOT NULL,
	"last_updated" timestamp with time zone NOT NULL,
	"object" jsonb NOT NULL,
	CONSTRAINT "connectors_country_code_party_id_location_id_evse_uid_id_pk" PRIMARY KEY("country_code","party_id","location_id","evse_uid","id")
);
--> statement-breakpoint
CREATE TABLE "evses" (
	"country_code" text NOT NULL,
	"party_id" text NOT NULL,
	"location_id" text NOT NULL,
	"uid" text NOT NULL,
	"status" text NOT NULL,
	"capabilities" text[] DEFAULT '{}'::text[] NOT NULL,
	"last_updated" timestamp with time zone NOT NULL,
	"object" jsonb NOT NULL,
	CONSTRAINT "evses_country_code_party_id_location_id_uid_pk" PRIMARY KEY("country_code","party_id","location_id","uid")
);
--> statement-breakpoint
CREATE TABLE "locations" (
	"country_code" text NOT NULL,
	"party_id" text NOT NULL,
	"id" text NOT NULL,
	"partner_id" uuid NOT NULL,
	"publish" boolean NOT NULL,
	"latitude" numeric(10, 7) NOT NULL,
	"longitude" numeric(11, 7) NOT NULL,
	"last_updated" timestamp with time zone NOT NULL,
	"removed_at" timestamp with time zone,
	"object" jsonb NOT NULL,
	CONSTRAINT "locations_country_code_party_id_id_pk" PRIMARY KEY("country_code","party_id","id")
);
--> statement-breakpoint
CREATE TABLE "tariff_versions" (
	"country_code" text NOT NULL,
	"party_id" text NOT NULL,
	"tariff_id" text NOT NULL,
	"partner_id" uuid NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"object" jsonb,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "client_infos" (
	"country_code" text NOT NULL,
	"party_id" text NOT NULL,
	"role" text NOT NULL,
	"status" text NOT NULL,
	"partner_id" uuid NOT NULL,
	"last_updated" timestamp with time zone NOT NULL,
	CONSTRAINT "client_infos_country_code_party_id_role_pk" PRIMARY KEY("country_code","party_id","role")
);
--> statement-breakpoint
CREATE TABLE "sync_runs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"partner_id" uuid NOT NULL,
	"module" text NOT NULL,
	"mode" text NOT NULL,
	"date_from" timestamp with time zone,
	"status" text NOT NULL,
	"objects" integer DEFAULT 0 NOT NULL,
	"pages" integer DEFAULT 0 NOT NULL,
	"removed" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "connectors_power_idx" ON "connectors" USING btree ("power_type","max_power_w");--> statement-breakpoint
CREATE INDEX "evses_status_idx" ON "evses" USING btree ("status");--> statement-breakpoint
CREATE INDEX "evses_capabilities_idx" ON "evses" USING gin ("capabilities");--> statement-breakpoint
CREATE INDEX "locations_area_idx" ON "locations" USING btree ("latitude","longitude");--> statement-breakpoint
CREATE INDEX "locations_partner_idx" ON "locations" USING btree ("partner_id");--> statement-breakpoint
CREATE INDEX "locations_last_updated_idx" ON "locations" USING btree ("last_updated");--> statement-breakpoint
CREATE UNIQUE INDEX "tariff_versions_key_idx" ON "tariff_versions" USING btree ("country_code","party_id","tariff_id","valid_from");--> statement-breakpoint
CREATE INDEX "tariff_versions_partner_idx" ON "tariff_versions" USING btree ("partner_id");--> statement-breakpoint
CREATE INDEX "sync_runs_partner_module_idx" ON "sync_runs" USING btree ("partner_id","module","started_at");