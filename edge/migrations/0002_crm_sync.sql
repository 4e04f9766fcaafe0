CREATE TABLE `crm_links` (
	`tenant_id` text NOT NULL,
	`call_id` text NOT NULL,
	`crm` text NOT NULL,
	`step` text NOT NULL,
	`object_type` text NOT NULL,
	`crm_id` text NOT NULL,
	`url` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `call_id`, `crm`, `step`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `crm_links_object_idx` ON `crm_links` (`tenant_id`,`crm`,`crm_id`);--> statement-breakpoint
CREATE TABLE `crm_phone_cache` (
	`tenant_id` text NOT NULL,
	`crm` text NOT NULL,
	`e164` text NOT NULL,
	`contact_id` text NOT NULL,
	`object_type` text NOT NULL,
	`owner_id` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `crm`, `e164`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `crm_syncs` (
	`tenant_id` text NOT NULL,
	`call_id` text NOT NULL,
	`crm` text NOT NULL,
	`status` text NOT NULL,
	`plan` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`crm_message` text,
	`next_attempt_at` integer,
	`resolved_note` text,
	`resolved_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`tenant_id`, `call_id`, `crm`),
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `crm_syncs_status_idx` ON `crm_syncs` (`tenant_id`,`status`,`updated_at`);