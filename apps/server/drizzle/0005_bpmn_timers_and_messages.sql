CREATE TABLE `message_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`thread_id` text NOT NULL,
	`node_id` text NOT NULL,
	`interrupt_id` text NOT NULL,
	`message_name` text NOT NULL,
	`correlation_key` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'waiting' NOT NULL,
	`resume_run_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`correlated_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `message_subscriptions_interrupt_idx` ON `message_subscriptions` (`thread_id`,`interrupt_id`);--> statement-breakpoint
CREATE INDEX `message_subscriptions_match_idx` ON `message_subscriptions` (`status`,`message_name`,`correlation_key`);--> statement-breakpoint
CREATE TABLE `timers` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`thread_id` text NOT NULL,
	`node_id` text NOT NULL,
	`interrupt_id` text NOT NULL,
	`due_at` integer NOT NULL,
	`status` text DEFAULT 'waiting' NOT NULL,
	`resume_run_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`fired_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `timers_interrupt_idx` ON `timers` (`thread_id`,`interrupt_id`);--> statement-breakpoint
CREATE INDEX `timers_due_idx` ON `timers` (`status`,`due_at`);