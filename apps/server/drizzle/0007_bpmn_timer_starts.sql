CREATE TABLE `timer_starts` (
	`flow_id` text PRIMARY KEY NOT NULL,
	`timer` text NOT NULL,
	`next_due_at` integer,
	`started` integer DEFAULT 0 NOT NULL,
	`last_run_id` text,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
