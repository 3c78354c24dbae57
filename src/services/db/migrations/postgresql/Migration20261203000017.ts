import { Migration } from '@mikro-orm/migrations';

/** The PostgreSQL form: a project's checks command and its time limit. */
export class Migration20261203000017 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "projects"
      add column "checks" text not null default '',
      add column "checks_timeout_seconds" int not null default 0;`);
  }
}
