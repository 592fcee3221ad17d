CREATE TABLE `run_calls` (
	`run_id` text NOT NULL,
	`key` text NOT NULL,
	`node_id` text NOT NULL,
	`kind` text NOT NULL,
	`result` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`run_id`, `key`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
