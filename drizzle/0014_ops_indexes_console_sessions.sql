CREATE TABLE "console_sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"csrf_token" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_from" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "console_sessions_expires_idx" ON "console_sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "jobs_failed_idx" ON "jobs" USING btree ("queue","finished_at") WHERE state = 'failed';--> statement-breakpoint
CREATE INDEX "jobs_done_finished_idx" ON "jobs" USING btree ("finished_at") WHERE state = 'done';--> statement-breakpoint
CREATE INDEX "commands_requested_at_idx" ON "commands" USING btree ("requested_at");