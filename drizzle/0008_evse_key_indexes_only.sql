DROP INDEX "connectors_power_idx";--> statement-breakpoint
DROP INDEX "evses_status_idx";--> statement-breakpoint
DROP INDEX "evses_capabilities_idx";--> statement-breakpoint
-- Free space on every page so that updates stay on their page (HOT: no index is touched). No update of
-- these tables changes an indexed column any more. Applies to pages written from now on; rewrite a
-- populated table in a maintenance window (VACUUM FULL or pg_repack) to give existing pages the space.
ALTER TABLE "evses" SET (fillfactor = 80);--> statement-breakpoint
ALTER TABLE "locations" SET (fillfactor = 90);--> statement-breakpoint
ALTER TABLE "connectors" SET (fillfactor = 90);
