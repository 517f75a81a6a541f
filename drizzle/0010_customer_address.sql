ALTER TABLE "customers" ADD COLUMN "address_street" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "address_postal_code" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "address_city" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "address_country" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "language" text;