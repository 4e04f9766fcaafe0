CREATE TABLE `analyses` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`call_id` text NOT NULL,
	`version` integer NOT NULL,
	`extractor` text NOT NULL,
	`extractor_version` text NOT NULL,
	`model` text,
	`latency_ms` integer NOT NULL,
	`input_hash` text NOT NULL,
	`result` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `analyses_call_version_uq` ON `analyses` (`tenant_id`,`call_id`,`version`);--> statement-breakpoint
CREATE TABLE `tenant_settings` (
	`tenant_id` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `key`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `calls` ADD `lead_score` integer;--> statement-breakpoint
ALTER TABLE `calls` ADD `band` text;--> statement-breakpoint
ALTER TABLE `calls` ADD `intent` text;--> statement-breakpoint
ALTER TABLE `calls` ADD `disposition` text;--> statement-breakpoint
ALTER TABLE `calls` ADD `analyzed_at` integer;