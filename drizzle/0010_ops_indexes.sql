CREATE INDEX "jobs_failed_idx" ON "jobs" USING btree ("queue","finished_at") WHERE state = 'failed';--> statement-breakpoint
CREATE INDEX "jobs_done_finished_idx" ON "jobs" USING btree ("finished_at") WHERE state = 'done';--> statement-breakpoint
CREATE INDEX "commands_requested_at_idx" ON "commands" USING btree ("requested_at");