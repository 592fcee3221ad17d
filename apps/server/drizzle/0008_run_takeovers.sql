ALTER TABLE `runs` ADD `takeover_seq` integer;--> statement-breakpoint
ALTER TABLE `runs` ADD `stalled_takeovers` integer DEFAULT 0 NOT NULL;