ALTER TABLE `run_events` ADD `event_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `run_events_key_idx` ON `run_events` (`run_id`,`event_key`);--> statement-breakpoint
ALTER TABLE `runs` ADD `owner` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `lease_expires_at` integer;