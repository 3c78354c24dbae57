import { Migration } from '@mikro-orm/migrations';

/**
 * Agent sessions (claims now belong to a session and lapse with it) and idempotency keys (a
 * retried mutation returns its first result).
 */
export class Migration20261124000002 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      "create table `sessions` (`id` integer not null primary key autoincrement, `project_id` integer not null, `task_ids` json not null, `role` text not null, `name` text not null, `skill` text not null default '', `status` text not null, `state` json not null, `machine_version` integer not null, `version` integer not null default 1, `heartbeat_at` bigint null, `created_at` datetime not null, `updated_at` datetime not null, `ended_at` datetime null, constraint `sessions_project_id_foreign` foreign key(`project_id`) references `projects`(`id`) on delete cascade on update cascade);",
    );
    this.addSql('create index `sessions_project_id_index` on `sessions` (`project_id`);');
    this.addSql('create index `sessions_status_index` on `sessions` (`status`);');
    this.addSql('create index `tasks_claim_session_id_index` on `tasks` (`claim_session_id`);');
    this.addSql(
      'create table `idempotency_keys` (`key` text not null, `operation` text not null, `response` json not null, `created_at` datetime not null, primary key (`key`));',
    );
    this.addSql('create index `idempotency_keys_created_at_index` on `idempotency_keys` (`created_at`);');
  }
}
