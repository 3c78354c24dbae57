import { Migration } from '@mikro-orm/migrations';

/** The PostgreSQL form of the session credentials table: token hashes, never tokens. */
export class Migration20261202000004 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create table "session_credentials" ("hash" text not null primary key, "session_id" int not null, "role" text not null, "project_id" int not null, "created_at" timestamptz not null, "revoked_at" timestamptz null, constraint "session_credentials_session_id_foreign" foreign key ("session_id") references "sessions" ("id") on update cascade on delete cascade, constraint "session_credentials_project_id_foreign" foreign key ("project_id") references "projects" ("id") on update cascade on delete cascade);',
    );
    this.addSql(
      'create index "session_credentials_session_id_index" on "session_credentials" ("session_id");',
    );
    this.addSql(
      'create index "session_credentials_project_id_index" on "session_credentials" ("project_id");',
    );
  }
}
