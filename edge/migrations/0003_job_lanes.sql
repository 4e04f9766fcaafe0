ALTER TABLE `crm_syncs` ADD `in_doubt` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `jobs` ADD `lane` text;--> statement-breakpoint
CREATE INDEX `jobs_lane_idx` ON `jobs` (`lane`,`status`);