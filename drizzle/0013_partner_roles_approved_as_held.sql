-- Partners registered before role approval existed keep what they hold: their current roles become
-- their approved roles (source 'migration'), and their roles count as decided. A partner that never
-- registered keeps the first-registration rule.
INSERT INTO "partner_approved_roles" ("partner_id", "role", "country_code", "party_id", "source", "approved_at")
SELECT "partner_id", "role", "country_code", "party_id", 'migration', now() FROM "partner_roles"
ON CONFLICT DO NOTHING;--> statement-breakpoint
UPDATE "partners" SET "roles_decided" = true WHERE "registered_at" IS NOT NULL OR EXISTS (SELECT 1 FROM "partner_roles" r WHERE r."partner_id" = "partners"."id");
