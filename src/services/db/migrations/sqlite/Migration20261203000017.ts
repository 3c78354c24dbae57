import { Migration } from '@mikro-orm/migrations';

/** A project's checks command and its time limit (they guard merges and completion). */
export class Migration20261203000017 extends Migration {
  override async up(): Promise<void> {
    this.addSql("alter table `projects` add column `checks` text not null default '';");
    this.addSql('alter table `projects` add column `checks_timeout_seconds` integer not null default 0;');
  }
}
