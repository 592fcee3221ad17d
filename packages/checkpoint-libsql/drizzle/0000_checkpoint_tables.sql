CREATE TABLE `langgraph_checkpoint_blobs` (
	`thread_id` text NOT NULL,
	`checkpoint_ns` text DEFAULT '' NOT NULL,
	`channel` text NOT NULL,
	`version` text NOT NULL,
	`type` text NOT NULL,
	`value` blob NOT NULL,
	PRIMARY KEY(`thread_id`, `checkpoint_ns`, `channel`, `version`)
);
--> statement-breakpoint
CREATE TABLE `langgraph_checkpoint_writes` (
	`thread_id` text NOT NULL,
	`checkpoint_ns` text DEFAULT '' NOT NULL,
	`checkpoint_id` text NOT NULL,
	`task_id` text NOT NULL,
	`idx` integer NOT NULL,
	`channel` text NOT NULL,
	`type` text NOT NULL,
	`value` blob NOT NULL,
	`task_path` text DEFAULT '' NOT NULL,
	PRIMARY KEY(`thread_id`, `checkpoint_ns`, `checkpoint_id`, `task_id`, `idx`)
);
--> statement-breakpoint
CREATE TABLE `langgraph_checkpoints` (
	`thread_id` text NOT NULL,
	`checkpoint_ns` text DEFAULT '' NOT NULL,
	`checkpoint_id` text NOT NULL,
	`parent_checkpoint_id` text,
	`checkpoint_type` text NOT NULL,
	`checkpoint` blob NOT NULL,
	`metadata_type` text NOT NULL,
	`metadata` blob NOT NULL,
	`blob_versions` text NOT NULL,
	PRIMARY KEY(`thread_id`, `checkpoint_ns`, `checkpoint_id`)
);
