ALTER TABLE `runs` ADD `takeover_checkpoint` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `stalled_takeovers` integer DEFAULT 0 NOT NULL;