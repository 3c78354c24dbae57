import { Migration } from '@mikro-orm/migrations';

/**
 * Session credentials: the SHA-256 of each token made for a spawned session (never the token),
 * its role and project, and when it was revoked (in the transaction that ended the session).
 */
export class Migration20261202000004 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table `session_credentials` (`hash` text not null, `session_id` integer not null, `role` text not null, `project_id` integer not null, `created_at` datetime not null, `revoked_at` datetime null, primary key (`hash`), constraint `session_credentials_session_id_foreign` foreign key(`session_id`) references `sessions`(`id`) on delete cascade on update cascade, constraint `session_credentials_project_id_foreign` foreign key(`project_id`) references `projects`(`id`) on delete cascade on update cascade);',
    );
    this.addSql(
      'create index `session_credentials_session_id_index` on `session_credentials` (`session_id`);',
    );
    this.addSql(
      'create index `session_credentials_project_id_index` on `session_credentials` (`project_id`);',
    );
  }
}
