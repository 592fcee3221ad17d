DROP INDEX `message_subscriptions_interrupt_idx`;--> statement-breakpoint
DROP INDEX `message_subscriptions_match_idx`;--> statement-breakpoint
ALTER TABLE `message_subscriptions` ADD `kind` text DEFAULT 'message' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `message_subscriptions_interrupt_node_idx` ON `message_subscriptions` (`thread_id`,`interrupt_id`,`node_id`);--> statement-breakpoint
CREATE INDEX `message_subscriptions_match_idx` ON `message_subscriptions` (`status`,`kind`,`message_name`,`correlation_key`);--> statement-breakpoint
DROP INDEX `timers_interrupt_idx`;--> statement-breakpoint
CREATE UNIQUE INDEX `timers_interrupt_node_idx` ON `timers` (`thread_id`,`interrupt_id`,`node_id`);